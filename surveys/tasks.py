"""Background work of the surveys: the stored results of pages that list many surveys."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from pokja.models import programme_date
from surveys.models import Survey
from surveys.services import survey_results_refresh
from zi_tracker.celery import TRANSIENT_DB_ERRORS, moment_from

logger = logging.getLogger(__name__)

# Surveys closed longer ago than this no longer change; their stored results stay as they are.
RECENTLY_ENDED = datetime.timedelta(days=7)


@shared_task(
    name="surveys.refresh_survey_results",
    autoretry_for=TRANSIENT_DB_ERRORS,
    retry_backoff=5,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
)
def refresh_survey_results(at: str | None = None) -> int:
    """Recompute the stored results of the surveys running or ended in the last week (the day
    in Asia/Jakarta at ``at``, default now). Safe to run twice: it only overwrites a summary."""
    day = programme_date(moment_from(at))
    survey_ids = (
        Survey.objects.exclude(status=Survey.Status.DRAFT)
        .filter(start_date__lte=day, end_date__gte=day - RECENTLY_ENDED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    done = 0
    for survey_id in survey_ids:
        try:
            done += survey_results_refresh(survey_id=survey_id) is not None
        except (*TRANSIENT_DB_ERRORS, SoftTimeLimitExceeded):
            raise
        except Exception:
            logger.exception("refreshing the results of survey %s failed", survey_id)
    return done
