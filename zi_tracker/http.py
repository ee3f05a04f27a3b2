"""Request facts that depend on how the site is deployed."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


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
