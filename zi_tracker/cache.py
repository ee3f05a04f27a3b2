"""The cache in Redis, without making Redis a condition of saving.

Everything the application keeps in the cache can be rebuilt (rendered dashboard parts, the
public page, export progress). When Redis is away, a read is a miss and a write is skipped,
after a short connection timeout, so people go on working against the database; a warning is
logged once a minute while it lasts. Rate limits do not use the cache (``pokja/rate_limits.py``
counts in the database while Redis is away).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
_WARN_EVERY = 60.0  # seconds between two warnings of the same outage
_last_warning = [0.0]


def redis_unavailable(what: str, exc: BaseException) -> None:
    """Log that Redis could not be reached, at most once a minute per process."""
    now = time.monotonic()
    if now - _last_warning[0] >= _WARN_EVERY:
        _last_warning[0] = now
        logger.warning("Redis unavailable (%s): %s; working without it", what, exc)


def _tolerant(name: str, default):
    original = getattr(RedisCache, name)

    def method(self, *args, **kwargs):
        try:
            return original(self, *args, **kwargs)
        except UNAVAILABLE as exc:
            redis_unavailable(f"cache {name}", exc)
            return default(args, kwargs) if callable(default) else default

    method.__name__ = name
    method.__doc__ = original.__doc__
    return method


def _get_default(args, kwargs):
    return kwargs.get("default", args[1] if len(args) > 1 else None)


class TolerantRedisCache(RedisCache):
    """Django's Redis cache; an unreachable server reads as a miss and writes as a no-op."""

    get = _tolerant("get", _get_default)
    get_many = _tolerant("get_many", {})
    has_key = _tolerant("has_key", False)
    add = _tolerant("add", False)
    set = _tolerant("set", None)
    set_many = _tolerant("set_many", lambda args, kwargs: list(args[0]) if args else [])
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    delete_many = _tolerant("delete_many", None)
    clear = _tolerant("clear", False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as exc:
            redis_unavailable("cache incr", exc)
            raise ValueError(f"Key '{key}' not found (the cache is unavailable)") from exc
