"""The Celery application: configuration comes from Django settings (``CELERY_*``)."""

import logging
import os
from pathlib import Path

from celery import Celery

logger = logging.getLogger("zi_tracker.tasks")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zi_tracker.settings")

app = Celery("zi_tracker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _create_filesystem_queue_folders(sender, **kwargs):
    # kombu's filesystem transport expects its folders to exist.
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send `task` to the workers once the current transaction commits.

    A user's save must never fail because the broker is away: a failure to publish is logged
    and the periodic repair run catches up (tasks take ids and are safe to run again).
    """
    from django.db import transaction

    def publish():
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except Exception:  # broker unreachable, connection refused, timeouts
            logger.warning(
                "could not enqueue %s%r; the periodic run will repair it",
                task.name,
                args,
                exc_info=True,
            )

    transaction.on_commit(publish)
