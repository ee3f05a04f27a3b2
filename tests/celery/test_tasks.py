"""The periodic tasks' policies: what they retry, when they stop, what they skip."""

from __future__ import annotations

import datetime
import smtplib

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from evaluations import services as lke
from evaluations.tasks import nightly_scores
from notifications import services
from notifications.tasks import (
    action_plan_reminders,
    email_notification,
    event_emails,
    evidence_reminders,
    weekly_digest,
)
from surveys.models import Survey
from surveys.tasks import refresh_survey_results
from tests.surveys.factories import add_responses, make_survey, uniform


def test_reminder_tasks_retry_on_database_and_mail_outages_only():
    tasks = (action_plan_reminders, evidence_reminders, weekly_digest)
    for task in (*tasks, email_notification, event_emails):
        assert set(task.autoretry_for) == {
            OperationalError,
            InterfaceError,
            services.EmailNotSent,
            smtplib.SMTPException,
        }
        assert task.retry_backoff and task.retry_jitter and task.max_retries == 6
    assert set(refresh_survey_results.autoretry_for) == {OperationalError, InterfaceError}


def test_a_time_given_without_its_offset_is_refused():
    with pytest.raises(ValueError, match="no UTC offset"):
        action_plan_reminders.run(at="2026-12-14T06:00:00")


@pytest.mark.django_db
def test_running_out_of_time_stops_the_run_instead_of_skipping_to_the_next(world, monkeypatch):
    done = []

    def out_of_time(*, programme_id, date):
        done.append(programme_id)
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(lke, "score_snapshot_take", out_of_time)
    with pytest.raises(SoftTimeLimitExceeded):
        nightly_scores.run(at="2026-12-14T00:30:00+07:00")
    assert done == [world.programme.pk]  # the other programme was not started


@pytest.mark.django_db
def test_the_nightly_survey_results_cover_running_and_recently_ended_surveys(world):
    p = world.programme
    day = datetime.date(2026, 12, 14)
    running = make_survey(p, "skm-2017", start=day, end=day + datetime.timedelta(days=5))
    ended = make_survey(
        p, "spak-2021", start=datetime.date(2026, 11, 1), end=day - datetime.timedelta(days=7)
    )
    long_ago = make_survey(
        p, "spkp-2021", start=datetime.date(2026, 10, 1), end=day - datetime.timedelta(days=8)
    )
    draft = make_survey(
        p, "skm-2017", start=day, end=day + datetime.timedelta(days=5), status=Survey.Status.DRAFT
    )
    for survey in (running, ended, long_ago, draft):
        add_responses(survey, [uniform(survey, 4)] * 2)
    at = "2026-12-14T01:00:00+07:00"
    assert refresh_survey_results.apply(kwargs={"at": at}).get() == 2
    assert refresh_survey_results.apply(kwargs={"at": at}).get() == 2
    refreshed = set(
        Survey.objects.filter(results_computed_at__isnull=False).values_list("pk", flat=True)
    )
    assert refreshed == {running.pk, ended.pk}
