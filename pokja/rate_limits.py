"""Fixed-window counters shared by every web process: the rate limits of public pages
(survey submissions, wrong survey codes, password-reset requests).

In Redis when REDIS_URL is set (one round trip: INCR is atomic); while that Redis cannot be
reached, in the database as without it (a window may then count twice: at most twice the
limit gets through during an outage, and nobody is refused for it). Otherwise one row per
client and window in the database (`RateCounter`), counted by a single
``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` statement, which PostgreSQL and SQLite
(3.35 or later) each run atomically: however many processes and threads count at once,
every hit gets a count of its own, so exactly ``limit`` hits are let through per window.
(Django's file-based cache, the embedded fallback before, read and rewrote a file per hit,
and parallel clients overran the limit.)

Clients are hashed into the key: no address or e-mail address is stored as typed.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import time

from django.conf import settings
from django.db import connection

from pokja.models import RateCounter
from zi_tracker.cache import UNAVAILABLE, redis_unavailable


def _key(scope: str, client: str, window: int) -> tuple[str, int]:
    number = int(time.time() // window)
    digest = hashlib.sha256(f"{scope}\0{client}".encode()).hexdigest()[:40]
    return f"zi:rate:{scope[:40]}:{digest}:{window}:{number}", number


@functools.cache
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1)


def _redis():
    """A client of the configured Redis, or None without one (read at each call)."""
    return _redis_client(settings.REDIS_URL) if settings.REDIS_URL else None


def _upsert_sql() -> str:
    q = connection.ops.quote_name
    table = q(RateCounter._meta.db_table)
    key, hits, expires = q("key"), q("hits"), q("expires_at")
    return (
        f"INSERT INTO {table} ({key}, {hits}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608
        f"ON CONFLICT ({key}) DO UPDATE SET {hits} = {table}.{hits} + 1 RETURNING {hits}"
    )


def hit(scope: str, client: str, *, window: int) -> int:
    """Count one hit of `client` in the current window of `window` seconds; the number of
    hits in this window so far, this one included."""
    key, number = _key(scope, client, window)
    redis_client = _redis()
    if redis_client is not None:
        # Create the window's counter if it is new (with its expiry), then count: one trip.
        pipe = redis_client.pipeline(transaction=False)
        pipe.set(key, 0, ex=window + 1, nx=True)
        pipe.incr(key)
        try:
            return int(pipe.execute()[1])
        except UNAVAILABLE as exc:
            redis_unavailable("rate limit", exc)
    ends = datetime.datetime.fromtimestamp((number + 1) * window, tz=datetime.UTC)
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [key, connection.ops.adapt_datetimefield_value(ends)])
        (count,) = cursor.fetchone()
    if count == 1:
        # A window opened: the rows of windows that ended by its start go (an indexed delete;
        # by the window's start, not the clock, which may pass this window's own end here).
        began = datetime.datetime.fromtimestamp(number * window, tz=datetime.UTC)
        RateCounter.objects.filter(expires_at__lte=began).delete()
    return int(count)


def hits(scope: str, client: str, *, window: int) -> int:
    """The hits of `client` in the current window so far, without counting one."""
    key, _number = _key(scope, client, window)
    redis_client = _redis()
    if redis_client is not None:
        try:
            return int(redis_client.get(key) or 0)
        except UNAVAILABLE as exc:
            redis_unavailable("rate limit", exc)
    return RateCounter.objects.filter(key=key).values_list("hits", flat=True).first() or 0
