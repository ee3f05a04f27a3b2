"""Pointing the Celery app of the test process at another broker."""

from __future__ import annotations

from contextlib import contextmanager

from zi_tracker.celery import app


def switch_broker(url: str) -> str:
    """Publish to `url` from now on; returns the broker used until now."""
    from kombu import pools

    previous = app.conf.broker_url
    # kombu keeps its pools per broker address, process-wide: a pool closed here would be
    # handed out again on switching back, so close and forget them all.
    pools.reset()
    app.conf.broker_url = url
    # The connection pools keep the broker they were made for; drop them.
    app._pool = None
    app.amqp._producer_pool = None
    return previous


@contextmanager
def broker(url: str):
    previous = switch_broker(url)
    try:
        yield
    finally:
        switch_broker(previous)
