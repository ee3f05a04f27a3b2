"""Redis (cache, broker, rate-limit counters) stopped while people work, then back: with a
Redis server of the test's own, a real worker on it and the test database (PostgreSQL).

While Redis is away every save succeeds and every page is served (the cache reads as a miss,
the rate limits count in the database, the tasks that could not be queued are logged); the
worker waits for its broker (or, holding a task when it went, exits and is restarted by its
supervisor). When Redis is back the worker reconnects by itself, and the
periodic repairs (sent here as beat sends them) catch up on what was not queued: the score
follows the answers, and the e-mail of a returned item goes out once.
"""

from __future__ import annotations

import datetime
import time
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluations.models import ProgrammeScore
from evaluations.selectors import programme_breakdown
from evaluations.tasks import repair_stale_scores
from notifications.models import Notification
from notifications.tasks import event_emails
from surveys.models import SurveyResponse
from tests.brokers import broker
from tests.factories import build_world, make_plan_item
from tests.faults.services import PrivateRedis
from tests.surveys.factories import make_survey
from tests.workers import (
    mails,
    require_postgres_and_redis,
    start_worker,
    wait_for,
    wait_for_tasks,
    wait_for_what_they_queued,
)

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def redis_server():
    require_postgres_and_redis("faults")
    server = PrivateRedis()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def on_private_redis(redis_server, settings):
    """The test process's cache, rate limits and broker on the private Redis."""
    url = redis_server.url()
    settings.REDIS_URL = url
    settings.CACHES = {
        "default": {
            "BACKEND": "zi_tracker.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    with broker(url):
        yield url


def stored(programme) -> ProgrammeScore:
    return ProgrammeScore.objects.get(programme=programme)


def test_saves_succeed_with_redis_stopped_and_the_work_is_caught_up_when_it_returns(
    redis_server, on_private_redis, tmp_path
):
    worker = start_worker(
        tmp_path, broker_url=on_private_redis, mail=tmp_path / "mail", REDIS_URL=on_private_redis
    )
    (tmp_path / "mail").mkdir(exist_ok=True)
    try:
        world = build_world()
        p = world.programme
        wait_for(lambda: stored(p).computed_at is not None, "the first score", worker)
        before = stored(p).total
        item = make_plan_item(p, 1, owners=[world.anggota1], status="selesai")
        survey = make_survey(p)

        redis_server.stop()
        member, coordinator, respondent = Client(), Client(), Client()
        member.force_login(world.anggota1)
        coordinator.force_login(world.coordinator)
        started = time.monotonic()
        answered = member.post(
            reverse("lke_answer_unit", kwargs={**p.url_kwargs(), "number": 1}),
            {"value": "Ya", "note": ""},
        )
        returned = coordinator.post(
            reverse(
                "plan_item_status",
                kwargs={**p.url_kwargs(), "number": 1, "item_id": item.pk},
            ),
            {"status": "dikembalikan", "note": "Foto belum ada"},
        )
        respondent.get(reverse("survey_public", kwargs={"token": survey.public_token}))
        submission = {"submission": str(uuid.uuid4()), "website": "", "service": "sim"}
        submission |= dict.fromkeys(survey.spec.item_codes, "4")
        submitted = respondent.post(
            reverse("survey_public", kwargs={"token": survey.public_token}), submission
        )
        pages = [
            coordinator.get(reverse("programme_dashboard", kwargs=p.url_kwargs())),
            member.get(reverse("pokja_dashboard", kwargs={**p.url_kwargs(), "number": 1})),
        ]
        elapsed = time.monotonic() - started

        assert (answered.status_code, returned.status_code, submitted.status_code) == (
            302,
            302,
            303,
        )
        assert [page.status_code for page in pages] == [200, 200]
        assert elapsed < 30  # nobody waits on the missing server for long
        assert SurveyResponse.objects.filter(survey=survey).count() == 1
        assert Notification.objects.filter(kind="returned").count() == 2  # owner and chair
        assert stored(p).is_stale  # nobody could tell the worker

        redis_server.start()  # back, empty, on the same port
        if worker.process.poll() is not None:
            # Celery 5.7's worker may exit when the broker goes while it holds a task (kombu
            # fails restoring it on a connection already released); in production the
            # supervisor (compose's restart: unless-stopped) starts it again, as here.
            assert "restore_unacked" in worker.log.read_text(), worker.log.read_text()[-3000:]
            worker = start_worker(
                tmp_path,
                broker_url=on_private_redis,
                mail=tmp_path / "mail",
                REDIS_URL=on_private_redis,
            )
        # What beat sends every minute and every five, three minutes on (a task published
        # just before the crash was lost with it; the repairs wait two minutes for such a
        # task before doing its work). Published from this process through its old
        # connections, which reconnect.
        later = (timezone.now() + datetime.timedelta(minutes=3)).isoformat()
        repairs = [repair_stale_scores.delay(at=later), event_emails.delay(at=later)]
        wait_for_tasks(worker, *repairs)
        wait_for_what_they_queued(worker)
        assert not stored(p).is_stale
        assert stored(p).total == programme_breakdown(p).total.quantize(before) > before
        sent = mails(worker)
        assert len(sent) == 2
        assert sum(f"To: {world.anggota1.email}" in m for m in sent) == 1
        assert sum(f"To: {world.ketua1.email}" in m for m in sent) == 1
    finally:
        worker.stop()
