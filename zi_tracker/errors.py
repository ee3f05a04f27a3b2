"""The server-error page, and the one shown while the database cannot be reached.

Django calls ``handler500`` inside the ``except`` block of whatever failed (a view or a
middleware), so the exception is still at hand: when it is the database being away
(PostgreSQL restarting, the network to it down), people get a 503 page that says so and asks
them to try again in a moment, with ``Retry-After``, instead of "something went wrong". Both
pages are plain templates rendered without the request's context: nothing on them needs the
database. The next request after the database is back is served normally: connections are
checked before reuse (``CONN_HEALTH_CHECKS``).
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30
DATABASE_AWAY = (OperationalError, InterfaceError)


def database_away(exc: BaseException | None) -> bool:
    """Whether `exc` (or what it was raised from) is the database being unreachable."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, DATABASE_AWAY):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def unavailable_response() -> HttpResponse:
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def server_error(request, template_name: str = "500.html"):
    if database_away(sys.exc_info()[1]):
        return unavailable_response()
    return HttpResponseServerError(loader.render_to_string(template_name))
