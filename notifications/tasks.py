"""Periodic reminders and the weekly digest (scheduled in settings.CELERY_BEAT_SCHEDULE), and
the e-mails of event notices.

Each periodic task works for one day in Asia/Jakarta: the day of ``at`` (an ISO time with
offset), by default now, so a run that is late or repeated works for the day it is meant for.
Running one twice sends nothing twice (notifications.models.Notification's unique
constraints; each e-mail is claimed in the database before it is sent).
"""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from evaluations.services import open_programme_ids
from notifications import services
from notifications.models import Notification
from pokja.models import programme_date
from zi_tracker.celery import TRANSIENT_DB_ERRORS, moment_from

logger = logging.getLogger(__name__)

OPTIONS = {
    # The database restarting, or the mail server away (then the whole run repeats: what was
    # created already is not created, nor e-mailed, again).
    "autoretry_for": (*TRANSIENT_DB_ERRORS, services.EmailNotSent, smtplib.SMTPException),
    "retry_backoff": 30,  # 30 s, 60 s, 120 s ... with jitter
    "retry_backoff_max": 1800,
    "retry_jitter": True,
    "max_retries": 6,
    # time limits: CELERY_TASK_TIME_LIMIT (ZI_TASK_TIME_LIMIT) and its soft limit
}


def _for_each_programme(work, at: str | None, what: str) -> int:
    day = programme_date(moment_from(at))
    created = 0
    for programme_id in open_programme_ids():
        try:
            created += work(programme_id=programme_id, day=day)
        except (*TRANSIENT_DB_ERRORS, SoftTimeLimitExceeded):
            raise
        except Exception:  # one programme's bad data must not stop the others' reminders
            logger.exception("%s failed for programme %s", what, programme_id)
    services.notifications_email_pending(day=day)
    return created


@shared_task(name="notifications.action_plan_reminders", **OPTIONS)
def action_plan_reminders(at: str | None = None) -> int:
    """Action plans due in 7 days and tomorrow (owners), overdue (owners; from day 3 the Pokja
    chair, from day 7 the coordinator too). Returns how many notifications were created."""
    return _for_each_programme(services.reminders_action_plans, at, "action plan reminders")


@shared_task(name="notifications.evidence_reminders", **OPTIONS)
def evidence_reminders(at: str | None = None) -> int:
    """LKE questions answered without evidence, to each Pokja chair (weekly)."""
    return _for_each_programme(services.reminders_evidence, at, "evidence reminders")


@shared_task(name="notifications.weekly_digest", **OPTIONS)
def weekly_digest(at: str | None = None) -> int:
    """The coordinator's weekly digest (Mondays 07:00 WIB)."""
    return _for_each_programme(services.digest_send, at, "the weekly digest")


@shared_task(name="notifications.email_notification", **OPTIONS)
def email_notification(notification_id: int) -> bool:
    """E-mail one event notice (queued after the commit of the change it tells of). Safe to
    run twice: the e-mail is claimed before it is sent. True if this run sent it."""
    if services.notification_email(notification_id=notification_id):
        return True
    if Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).exists():
        raise services.EmailNotSent(f"notification {notification_id} not e-mailed")  # retry
    return False  # sent already, gone, or not wanted by e-mail


@shared_task(name="notifications.event_emails", **OPTIONS)
def event_emails(at: str | None = None) -> int:
    """Event e-mails whose queued task was lost (broker away) or failed (mail server away);
    ``at``: the moment to judge by (ISO time, default now)."""
    return services.event_emails_pending(now=moment_from(at))
