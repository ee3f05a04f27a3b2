"""The project's URLs plus the bench's baseline: a view that inserts one row.

It takes the same form body through the same middleware (sessions, CSRF, language, CSP)
as a survey submission, so the difference between the two is the submission's own work.
"""

from django.db import connection
from django.http import HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_POST

from zi_tracker.urls import urlpatterns as project_urlpatterns

TABLE = "bench_insert_one_row"


@require_POST
def insert_one_row(request):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (payload) VALUES (%s)",
            [request.POST.get("submission", "")],
        )
    response = HttpResponseRedirect("/bench/done/")
    response.status_code = 303
    return response


urlpatterns = [path("bench/insert/", insert_one_row), *project_urlpatterns]
