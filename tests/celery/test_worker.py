"""With a real Celery worker process on the real Redis and the test database (PostgreSQL):
scores follow answers by themselves, periodic tasks are safe to run twice, and a save with
the broker away still succeeds and is repaired afterwards.

The worker reads what the tests commit (transactional tests, no wrapping transaction) and
sends its e-mails to files in a folder of its own (DJANGO_EMAIL_FILE_PATH).
"""

from __future__ import annotations

import datetime
import logging
import os
import time

import pytest
from django.urls import reverse

from evaluations import services as lke
from evaluations.models import ProgrammeScore, ScoreSnapshot
from evaluations.selectors import programme_breakdown
from evaluations.tasks import nightly_scores, repair_stale_scores
from notifications.models import Notification
from notifications.tasks import action_plan_reminders, email_notification
from tests.brokers import broker, switch_broker
from tests.factories import build_world, make_item_due, make_plan_item
from tests.workers import (
    mails,
    require_postgres_and_redis,
    start_worker,
    wait_for,
    wait_for_tasks,
    wait_for_what_they_queued,
)
from zi_tracker.celery import app

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """A `celery -A zi_tracker worker` process on the test database; its mail folder."""
    require_postgres_and_redis("celery_worker")
    app.control.purge()  # messages left by earlier tests name rows long gone
    started = start_worker(
        tmp_path_factory.mktemp("worker"),
        broker_url=os.environ["REDIS_URL"],
        mail=tmp_path_factory.mktemp("mail"),
    )
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(autouse=True)
def _empty_queue_idle_worker_and_empty_mail_folder(request):
    if "worker" in request.fixturenames:
        worker = request.getfixturevalue("worker")
        # The test set-up empties the Redis database (cache.clear()), the queue's routing
        # with it: connections made from now on declare it again.
        switch_broker(os.environ["REDIS_URL"])
        # Each test starts from an empty queue and a worker done with what earlier tests
        # sent (tasks for rows long gone): a marker sent now runs after all of it.
        app.control.purge()
        wait_for_tasks(worker, app.send_task("celery.accumulate", args=(1,)))
        for path in worker.mail.glob("*"):
            path.unlink()


def stored(programme) -> ProgrammeScore:
    return ProgrammeScore.objects.get(programme=programme)


def test_an_answer_change_leads_to_a_new_stored_score_within_seconds(worker):
    world = build_world()  # new programmes are scored at once, by the worker
    p = world.programme
    wait_for(lambda: stored(p).computed_at is not None, "the first score", worker)
    before = stored(p)
    started = time.monotonic()
    lke.answer_set_unit(actor=world.anggota1, programme=p, number=1, value="Ya")
    assert stored(p).is_stale
    wait_for(
        lambda: not stored(p).is_stale and stored(p).computed_at > before.computed_at,
        "the score after the answer",
        worker,
    )
    assert time.monotonic() - started < 20  # a 2 s coalescing delay, then one run
    assert stored(p).total == programme_breakdown(p).total.quantize(before.total) > before.total


def test_the_nightly_task_run_twice_keeps_one_snapshot(worker):
    world = build_world()
    p = world.programme
    at = "2026-12-13T00:30:00+07:00"
    nightly_scores.delay(at=at)
    wait_for(lambda: ScoreSnapshot.objects.count() == 2, "the first night's snapshots", worker)
    lke.answer_set_unit(actor=world.anggota1, programme=p, number=1, value="Ya")
    live = programme_breakdown(p).total.quantize(stored(p).total)
    nightly_scores.delay(at=at)
    wait_for(
        lambda: ScoreSnapshot.objects.get(programme=p).total == live,
        "the second run replacing the day's snapshot",
        worker,
    )
    assert [s.date for s in ScoreSnapshot.objects.filter(programme=p)] == [
        datetime.date(2026, 12, 13)
    ]
    assert ScoreSnapshot.objects.count() == 2


def test_a_reminder_task_run_twice_sends_one_email(worker):
    world = build_world()
    make_item_due(world, datetime.date(2026, 12, 12), title="Survei internal")
    first_day = "2026-12-13T06:00:00+07:00"  # 1 day overdue: the owner only
    runs = [
        action_plan_reminders.delay(at=first_day),
        action_plan_reminders.delay(at=first_day),
        action_plan_reminders.delay(at="2026-12-14T06:00:00+07:00"),
    ]
    wait_for_tasks(worker, *runs)
    wait_for_what_they_queued(worker)
    sent = mails(worker)
    assert len(sent) == 2
    assert sum("terlambat (1 hari)" in m for m in sent) == 1
    assert sum("terlambat (2 hari)" in m for m in sent) == 1
    assert all(f"To: {world.anggota1.email}" in m for m in sent)
    assert Notification.objects.filter(recipient=world.anggota1).count() == 2


def test_escalation_on_day_three_and_day_seven_in_jakarta(worker):
    world = build_world()
    make_item_due(world, datetime.date(2026, 12, 10))
    # 00:30 WIB on the 13th and the 17th: still the 12th and the 16th in UTC
    runs = [
        action_plan_reminders.delay(at="2026-12-12T17:30:00+00:00"),
        action_plan_reminders.delay(at="2026-12-16T17:30:00+00:00"),
    ]
    wait_for_tasks(worker, *runs)
    wait_for_what_they_queued(worker)

    def to(user) -> list[str]:
        return [m for m in mails(worker) if f"To: {user.email}" in m]

    assert len(mails(worker)) == 5
    assert [("(3 hari)" in m, "(7 hari)" in m) for m in to(world.anggota1)].count(
        (True, False)
    ) == 1
    assert len(to(world.ketua1)) == 2  # from day 3
    assert len(to(world.coordinator)) == 1  # from day 7
    assert "Pokja 1: rencana aksi RA 1.1 terlambat (7 hari)" in to(world.coordinator)[0]


def test_with_the_broker_away_a_save_succeeds_and_the_worker_repairs_it(worker, client, caplog):
    world = build_world()
    p = world.programme
    wait_for(lambda: stored(p).computed_at is not None, "the first score", worker)
    before = stored(p).total
    client.force_login(world.anggota1)
    path = reverse("lke_answer_unit", kwargs={**p.url_kwargs(), "number": 1})
    with (
        broker("redis://127.0.0.1:1/0"),  # nothing listens there
        caplog.at_level(logging.WARNING, logger="zi_tracker.tasks"),
    ):
        started = time.monotonic()
        response = client.post(path, {"value": "Ya", "note": ""})
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 10  # the save does not hang on the broker
    assert "could not enqueue evaluations.recompute_programme_score" in caplog.text
    assert stored(p).is_stale and stored(p).queued_at is None
    time.sleep(3)
    assert stored(p).is_stale  # nobody told the worker
    repair_stale_scores.delay()  # what beat sends every minute
    wait_for(lambda: not stored(p).is_stale, "the repair run", worker)
    assert stored(p).total == programme_breakdown(p).total.quantize(before) > before


def test_a_returned_item_is_in_the_app_at_once_and_mailed_by_the_worker_in_each_language(
    worker, client
):
    world = build_world()
    world.anggota1.language = "en"
    world.anggota1.save()
    item = make_plan_item(
        world.programme,
        1,
        owners=[world.anggota1],
        status="selesai",
        title="Survei internal",
    )
    client.force_login(world.coordinator)
    path = reverse(
        "plan_item_status", kwargs={**world.programme.url_kwargs(), "number": 1, "item_id": item.pk}
    )
    response = client.post(path, {"status": "dikembalikan", "note": "Foto belum ada"})
    assert response.status_code == 302
    # in the app the moment the change is saved, for the owner and the chair, not the actor
    notices = Notification.objects.filter(kind="returned").order_by("recipient__username")
    assert [n.recipient.username for n in notices] == ["anggota1", "ketua1"]
    wait_for(lambda: len(mails(worker)) >= 2, "the two e-mails of the return", worker)
    code = f"RA 1.{item.number}"
    (english,) = [m for m in mails(worker) if f"To: {world.anggota1.email}" in m]
    (indonesian,) = [m for m in mails(worker) if f"To: {world.ketua1.email}" in m]
    assert f"{code} was returned by {world.coordinator.display_name}" in english
    assert "Reason: Foto belum ada" in english
    assert f"{code} dikembalikan oleh {world.coordinator.display_name}" in indonesian
    assert "Alasan: Foto belum ada" in indonesian
    # the same tasks delivered again send nothing more
    repeats = [email_notification.delay(notice.pk) for notice in notices]
    reminder = action_plan_reminders.delay(at="2026-12-30T06:00:00+07:00")  # due tomorrow
    wait_for_tasks(worker, *repeats, reminder)
    wait_for_what_they_queued(worker)
    sent = mails(worker)
    assert len(sent) == 3
    assert sum(f"{code} was returned" in m for m in sent) == 1
    assert sum(f"Action plan {code} is due tomorrow" in m for m in sent) == 1
    assert Notification.objects.filter(kind="returned").count() == 2
