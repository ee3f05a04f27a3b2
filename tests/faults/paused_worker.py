"""A Celery worker that stops in the middle of one function, so that a fault test can kill it
at a known point (SIGKILL, as a crash or an out-of-memory kill would).

    ZI_PAUSE=evaluations.services:score_snapshot_take:2:before \
    ZI_PAUSE_MARKER=/tmp/paused python -m tests.faults.paused_worker worker --pool=solo ...

On the 2nd call of ``evaluations.services.score_snapshot_take`` (``before``: before the call
runs; ``after``: once it has returned) the worker writes the marker file and sleeps. The rest
of the command line is `celery -A zi_tracker`'s.
"""

from __future__ import annotations

import functools
import importlib
import os
import sys
import time
from pathlib import Path


def _pause_in(spec: str, marker: Path) -> None:
    module_name, attribute, nth, when = spec.split(":")
    owner = importlib.import_module(module_name)
    *path, name = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, name)
    calls = [0]

    def pause() -> None:
        marker.write_text(f"{spec} in {os.getpid()}")
        time.sleep(3600)

    @functools.wraps(original)
    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == int(nth) and when == "before":
            pause()
        result = original(*args, **kwargs)
        if calls[0] == int(nth) and when == "after":
            pause()
        return result

    setattr(owner, name, wrapper)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_tracker.settings")
    import django

    django.setup()
    _pause_in(os.environ["ZI_PAUSE"], Path(os.environ["ZI_PAUSE_MARKER"]))
    from celery.bin.celery import main as celery_main

    sys.argv = ["celery", "-A", "zi_tracker", *sys.argv[1:]]
    sys.exit(celery_main())


if __name__ == "__main__":
    main()
