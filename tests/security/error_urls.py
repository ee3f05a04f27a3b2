"""The project's URLs plus pages that fail on purpose (for the error-page tests)."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from zi_tracker.urls import urlpatterns as project_urlpatterns


def fails(request):
    raise RuntimeError("a secret-looking local value: hunter2")


def suspicious(request):
    raise SuspiciousOperation("tampered request")


urlpatterns = [
    path("test-fails/", fails),
    path("test-suspicious/", suspicious),
    *project_urlpatterns,
]
