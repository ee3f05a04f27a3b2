"""The Celery application: configuration comes from Django settings (``CELERY_*``)."""

import datetime
import logging
import os
from pathlib import Path

from celery import Celery
from django.db import InterfaceError, OperationalError
from django.utils import timezone

logger = logging.getLogger("zi_tracker.tasks")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_tracker.settings")

app = Celery("zi_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_queue_folders(sender, **kwargs):
    # kombu's filesystem transport expects its folders to exist.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def _send(task, args: tuple, kwargs: dict, **options) -> bool:
    try:
        task.apply_async(args=args, kwargs=kwargs, retry=False, **options)
    except Exception:  # broker unreachable, connection refused, timeouts
        logger.warning(
            "could not enqueue %s%r; the periodic run will repair it",
            task.name,
            args,
            exc_info=True,
        )
        return False
    return True


def publish(task, *args, countdown: float | None = None) -> bool:
    """Send `task` to the workers now; False (and logged) when the broker is away.

    For callers already past the commit; everyone else uses `enqueue_on_commit`.
    """
    options = {} if countdown is None else {"countdown": countdown}
    return _send(task, args, {}, **options)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send `task` to the workers once the current transaction commits.

    A user's save must never fail because the broker is away: a failure to publish is logged
    and the periodic repair run catches up (tasks take ids and are safe to run again).
    """
    from django.db import transaction

    transaction.on_commit(lambda: _send(task, args, kwargs))


# Errors worth retrying a task for: the database restarting, a connection dropped. Anything
# else is a bug or bad data, and retrying would only repeat it.
TRANSIENT_DB_ERRORS = (OperationalError, InterfaceError)


def moment_from(at: str | None) -> datetime.datetime:
    """The moment a periodic task works for: now, or an ISO 8601 time with its offset (tasks
    run late or again for a given day take it as an argument)."""
    if at is None:
        return timezone.now()
    moment = datetime.datetime.fromisoformat(at)
    if timezone.is_naive(moment):
        raise ValueError(f"{at!r} has no UTC offset; give one, e.g. 2026-11-30T07:00:00+07:00")
    return moment
