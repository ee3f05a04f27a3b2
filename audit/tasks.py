"""Background work of the audit trail: the daily anchor kept outside the database."""

from __future__ import annotations

from celery import shared_task

from audit.services import audit_anchor_write
from zi_tracker.celery import TRANSIENT_DB_ERRORS


@shared_task(
    name="audit.write_anchor",
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def write_anchor() -> bool:
    """Check the trail against the newest anchor, then note a new one in the anchor folder
    and the log (daily, see CELERY_BEAT_SCHEDULE). False, logged as an error, when the trail
    is broken; running twice only notes the same entry twice."""
    return audit_anchor_write().check.ok
