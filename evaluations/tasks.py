"""Background work of the LKE: stored scores, the nightly snapshots, evidence reminders.

Tasks take primary keys (or an ISO time for the day they work for), return quietly when a
programme is gone, are safe to run twice, and retry only on transient database errors.
"""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from evaluations import services
from evaluations.models import ProgrammeScore
from pokja.models import programme_date
from zi_tracker.celery import TRANSIENT_DB_ERRORS, moment_from

logger = logging.getLogger(__name__)

RETRY = {
    "autoretry_for": TRANSIENT_DB_ERRORS,
    "retry_backoff": 5,  # 5 s, 10 s, 20 s ... with jitter
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(
    name="evaluations.recompute_programme_score", soft_time_limit=60, time_limit=90, **RETRY
)
def recompute_programme_score(programme_id: int) -> bool:
    """Score one programme and store the breakdown, if anything changed since the last run."""
    # Changes from now on queue a run of their own; this one covers everything before, even
    # those that did not mark the score stale because this run was queued
    # (`score_note_committed_change`): so it always scores.
    ProgrammeScore.objects.filter(programme_id=programme_id).update(queued_at=None)
    stored = services.score_refresh(programme_id=programme_id, force=True)
    if stored is None:
        logger.info("programme %s no longer exists; no score to store", programme_id)
        return False
    return True


def _each_programme(programme_ids, work, what: str) -> int:
    """Run `work` for each programme; one programme's bad data does not stop the others, but a
    database outage stops the run (and the task retries it whole: every step is idempotent)."""
    done = 0
    for programme_id in programme_ids:
        try:
            done += work(programme_id) is not None
        except (*TRANSIENT_DB_ERRORS, SoftTimeLimitExceeded):  # out of time: stop the run
            raise
        except Exception:
            logger.exception("%s failed for programme %s", what, programme_id)
    return done


@shared_task(name="evaluations.repair_stale_scores", **RETRY)
def repair_stale_scores(at: str | None = None) -> int:
    """Score the programmes whose run was lost (broker away, worker stopped) or never queued;
    ``at``: the moment to judge by (ISO time, default now)."""
    return _each_programme(
        services.scores_to_repair(now=moment_from(at)),
        lambda pk: services.score_refresh(programme_id=pk),
        "repairing the stored score",
    )


@shared_task(name="evaluations.nightly_scores", **RETRY)
def nightly_scores(at: str | None = None) -> int:
    """Recompute every open programme and keep the day's snapshot (the date in Asia/Jakarta at
    ``at``, default now). Running it again the same day replaces that day's snapshots."""
    day = programme_date(moment_from(at))
    return _each_programme(
        services.open_programme_ids(),
        lambda pk: services.score_snapshot_take(programme_id=pk, date=day),
        "the nightly score",
    )
