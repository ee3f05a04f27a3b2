"""A per-address rate limit for the public survey pages.

Fixed windows of counters shared by every web process (`pokja.rate_limits`: in Redis when
REDIS_URL is set, otherwise counted atomically in the database). The address is
``zi_tracker.http.client_ip``, which trusts only the configured number of proxies, so a
client cannot pick its own.

The limit fails open: if the counter store cannot be reached, the request goes on (and a
warning is logged). Single-use codes and per-browser claims still allow one response per
person; an outage of the counters must not stop people from answering.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest

from pokja import rate_limits
from zi_tracker.http import client_ip

logger = logging.getLogger(__name__)


def _scope(scope: str) -> str:
    return f"surveys:{scope}"


def over_limit(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """Count one hit for the client's address; True once it made more than ``limit``."""
    try:
        count = rate_limits.hit(_scope(scope), client_ip(request) or "unknown", window=window)
    except Exception:
        logger.warning("survey rate limit unavailable; request let through", exc_info=True)
        return False
    return count > limit


def is_limited(request: HttpRequest, scope: str, *, limit: int, window: int) -> bool:
    """Whether the address is over the limit already, without counting a hit."""
    try:
        count = rate_limits.hits(_scope(scope), client_ip(request) or "unknown", window=window)
    except Exception:
        logger.warning("survey rate limit unavailable; request let through", exc_info=True)
        return False
    return count >= limit
