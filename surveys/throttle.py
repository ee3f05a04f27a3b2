"""A per-address rate limit for the public survey pages.

Fixed windows of counters shared by every web process: in Redis when REDIS_URL is set
(production), with one round trip per request; otherwise in Django's cache. The address is
``zi_tracker.http.client_ip``, which trusts only the configured number of proxies, so a
client cannot pick its own.

The limit fails open: if the counter store cannot be reached, the request goes on (and a
warning is logged). Single-use codes and per-browser claims still allow one response per
person; an outage of the cache must not stop people from answering.
"""

from __future__ import annotations

import functools
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from zi_tracker.http import client_ip

logger = logging.getLogger(__name__)


def _key(scope: str, request: HttpRequest, window: int) -> str:
    address = client_ip(request) or "unknown"
    return f"zi:surveys:rate:{scope}:{address}:{int(time.time() // window)}"


@functools.cache
def _redis():
    """A client of the Redis the cache uses, for counting in one round trip; None without."""
    if not settings.REDIS_URL:
        return None
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)


def _count(key: str, window: int) -> int:
    client = _redis()
    if client is not None:
        # Create the window's counter if it is new (with its expiry), then count: one trip.
        pipe = client.pipeline(transaction=False)
        pipe.set(key, 0, ex=window + 1, nx=True)
        pipe.incr(key)
        return pipe.execute()[1]
    try:
        return cache.incr(key)
    except ValueError:
        # First hit of the window; add() loses a race gracefully to another process.
        return 1 if cache.add(key, 1, timeout=window + 1) else cache.incr(key)


def over_limit(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """Count one hit for the client's address; True once it made more than ``limit``."""
    try:
        return _count(_key(scope, request, window), window) > limit
    except Exception:
        logger.warning("survey rate limit unavailable; request let through", exc_info=True)
        return False


def is_limited(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """Whether the address is over the limit already, without counting a hit."""
    key = _key(scope, request, window)
    try:
        client = _redis()
        value = client.get(key) if client is not None else cache.get(key)
    except Exception:
        logger.warning("survey rate limit unavailable; request let through", exc_info=True)
        return False
    return int(value or 0) >= limit
