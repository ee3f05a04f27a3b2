"""Django's debug pages for the developer's own machine only.

With ``DJANGO_DEBUG=true`` (the default, what `make run` uses) Django answers a missing page,
a bad request or a server error with its debug pages: the URL patterns, the settings, the
traceback with local variables. Anyone reaching a development server from the network
(``make run HOST=0.0.0.0``) would read them. So a request that does not come from this
machine (a loopback address) gets the real 404, 400 and 500 pages instead, exactly as with
``DJANGO_DEBUG=false``; the developer at the machine keeps the debug pages.

- 404: `LocalDebugPagesMiddleware` (the innermost middleware) answers a path no URL matches,
  and an ``Http404`` a view raises, with the real page.
- 400 and 500: Django builds its debug page through ``DEFAULT_EXCEPTION_REPORTER`` wherever
  the error happened (a view, a middleware, a host ALLOWED_HOSTS refuses);
  `LocalOnlyExceptionReporter` gives it the real page's content instead.
- 403 pages are the real ones anyway (Django shows no debug page for them).
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.handlers.exception import get_exception_response
from django.http import Http404, HttpRequest
from django.urls import Resolver404, get_resolver, get_urlconf, resolve
from django.views.debug import ExceptionReporter

from zi_tracker.http import client_ip

logger = logging.getLogger(__name__)

PLAIN_ERROR = "Server error (500)"


def is_local(request: HttpRequest) -> bool:
    """Whether the request comes from this machine (a loopback address)."""
    address = client_ip(request)
    return address is not None and ipaddress.ip_address(address).is_loopback


def _hide_debug_pages(request: HttpRequest | None) -> bool:
    return settings.DEBUG and request is not None and not is_local(request)


def _error_page(request: HttpRequest, status: int, exception: Exception | None):
    resolver = get_resolver(getattr(request, "urlconf", None) or get_urlconf())
    if status == 500:
        return resolver.resolve_error_handler(500)(request)
    return get_exception_response(request, resolver, status, exception)


class LocalDebugPagesMiddleware:
    """Real 404 pages for requests from elsewhere while DEBUG is on (see the module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _hide_debug_pages(request):
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exc:
                return _error_page(request, 404, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404) and _hide_debug_pages(request):
            return _error_page(request, 404, exception)
        return None


class LocalOnlyExceptionReporter(ExceptionReporter):
    """Django's debug report, except for the page shown to a request from elsewhere."""

    def _public_status(self) -> int | None:
        if self.is_email or not _hide_debug_pages(self.request):
            return None
        if self.exc_type is not None and issubclass(
            self.exc_type, SuspiciousOperation | BadRequest
        ):
            return 400
        return 500

    def _public_page(self, status: int) -> str:
        try:
            response = _error_page(self.request, status, self.exc_value)
            return response.content.decode(response.charset or "utf-8")
        except Exception:  # the error page itself failed: say no more than production would
            logger.exception("the %s page could not be rendered", status)
            return PLAIN_ERROR

    def get_traceback_html(self):
        status = self._public_status()
        if status is None:
            return super().get_traceback_html()
        return self._public_page(status)

    def get_traceback_text(self):
        status = self._public_status()
        if status is None:
            return super().get_traceback_text()
        return "Bad request (400)" if status == 400 else PLAIN_ERROR
