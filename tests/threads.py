"""Calls made from several threads at the same moment, as racing requests make them: each
thread on a database connection of its own, closed when its call returns."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def at_once(call: Callable[[], object], count: int) -> tuple[list, list[Exception]]:
    """Run `call()` in `count` threads released together: what the calls returned, and what
    they raised (an empty list when none raised)."""
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=30)
            results.append(call())
        except Exception as exc:  # reported to the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
