"""Request facts that depend on how the site is deployed."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# Where links point when ZI_SITE_URL is unset and no request tells the address (e-mails,
# files made in the background): the address `manage.py runserver` serves by default.
DEVELOPMENT_SITE_URL = "http://127.0.0.1:8000"


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of the client, trusting only the configured number of proxies.

    With ``ZI_TRUSTED_PROXY_COUNT=0`` the socket address is used; a client cannot then
    choose its own address by sending an X-Forwarded-For header. None when unknown.
    """
    remote = _valid_ip(request.META.get("REMOTE_ADDR", "") or "")
    hops = settings.ZI_TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
    chain = [*forwarded, remote or ""]
    # The last `hops` addresses were appended by our proxies; the one before is the client.
    index = max(len(chain) - 1 - hops, 0)
    return _valid_ip(chain[index]) or remote


def site_url(request: HttpRequest | None = None, *, recorded: str = "") -> str:
    """The scheme and host every absolute link of the application starts with.

    ``ZI_SITE_URL`` when it is set. Otherwise, on a page, the address the person reached:
    the request's scheme (``DJANGO_BEHIND_TLS_PROXY`` decides whether the proxy's word
    counts) and its host, which ``ALLOWED_HOSTS`` has already accepted. Work done later in
    the background for a page's request (an export) passes the address recorded with it
    (``recorded``). Anything else (e-mails, scheduled work): ``DEVELOPMENT_SITE_URL``.
    """
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return recorded or DEVELOPMENT_SITE_URL


def absolute_url(path: str, *, request: HttpRequest | None = None, recorded: str = "") -> str:
    """`path` (as `reverse` gives it) as a link people can open from anywhere."""
    return site_url(request, recorded=recorded) + path
