"""Background work of the exports: building a requested file, removing old ones.

Tasks take primary keys, return quietly when the job is gone or already taken, are safe to run
twice, and retry only on transient database errors.
"""

from __future__ import annotations

from celery import shared_task

from reports import services
from zi_tracker.celery import TRANSIENT_DB_ERRORS, moment_from

RETRY = {
    "autoretry_for": TRANSIENT_DB_ERRORS,
    "retry_backoff": 5,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(
    name="reports.run_export",
    soft_time_limit=services.RUN_SOFT_LIMIT,
    time_limit=services.RUN_SOFT_LIMIT + 30,
    **RETRY,
)
def run_export(job_id: int) -> bool:
    """Build one export job's file (nothing if it is gone, done, or running elsewhere)."""
    return services.export_job_run(job_id=job_id) is not None


@shared_task(name="reports.repair_exports", **RETRY)
def repair_exports(at: str | None = None) -> int:
    """Queue again the exports whose run was lost or died with its worker (every minute);
    ``at``: the moment to judge by (ISO time, default now)."""
    return services.export_jobs_repair(now=moment_from(at))


@shared_task(name="reports.remove_old_exports", **RETRY)
def remove_old_exports() -> int:
    """Remove export files older than ZI_EXPORT_KEEP_DAYS (daily, see CELERY_BEAT_SCHEDULE)."""
    return services.export_jobs_remove_old()
