"""A worker killed with SIGKILL in the middle of its work (a crash, an out-of-memory kill, a
machine lost): with the real Redis, a real worker and the test database (PostgreSQL).

Each test starts a worker that stops at a known point inside a task (tests/faults/
paused_worker.py), kills it there, and starts a fresh worker. The broker gives the task back
to the new worker once its visibility timeout has passed (ZI_BROKER_VISIBILITY_TIMEOUT, 5 s
here instead of an hour), and the periodic repairs run as beat would send them. What they did
must be right and done once: one snapshot per programme and day, one e-mail per reminder,
one file per export.
"""

from __future__ import annotations

import datetime
import os
import zipfile

import pytest
from django.utils import timezone

from evaluations.models import ProgrammeScore, ScoreSnapshot
from evaluations.selectors import programme_breakdown
from evaluations.tasks import nightly_scores
from notifications.models import Notification
from notifications.tasks import action_plan_reminders
from reports import services as reports
from reports.models import ExportJob
from reports.tasks import repair_exports
from tests.brokers import switch_broker
from tests.factories import build_world, make_item_due
from tests.workers import (
    mails,
    require_postgres_and_redis,
    start_worker,
    wait,
    wait_for,
    wait_for_tasks,
    wait_for_what_they_queued,
)
from zi_tracker.celery import app

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

REDELIVERY = {"ZI_BROKER_VISIBILITY_TIMEOUT": "5"}


@pytest.fixture
def workers(tmp_path):
    """start(pause=...) starts a worker (paused at `pause`, see paused_worker.py); all of
    them share the test's media and mail folders and are stopped at the end."""
    require_postgres_and_redis("faults")
    switch_broker(os.environ["REDIS_URL"])
    app.control.purge()
    started = []

    def start(pause: str | None = None, **env: str):
        marker = tmp_path / f"paused-{len(started)}"
        if pause:
            env |= {"ZI_PAUSE": pause, "ZI_PAUSE_MARKER": str(marker)}
        worker = start_worker(
            tmp_path,
            broker_url=os.environ["REDIS_URL"],
            mail=tmp_path / "mail",
            module="tests.faults.paused_worker" if pause else None,
            **env,
        )
        worker.marker = marker
        started.append(worker)
        return worker

    (tmp_path / "mail").mkdir()
    yield start
    for worker in started:
        worker.stop()


def killed_when_paused(worker) -> None:
    wait_for(worker.marker.exists, "the worker to reach its pause", worker)
    worker.kill()


def stored(programme) -> ProgrammeScore:
    return ProgrammeScore.objects.get(programme=programme)


def test_killed_while_scoring_the_run_is_given_back_and_the_score_is_right(workers):
    first = workers(pause="evaluations.services:score_refresh:1:before")
    world = build_world()  # new programmes are scored by the worker at once
    killed_when_paused(first)
    p = world.programme
    assert stored(p).computed_at is None or stored(p).is_stale
    second = workers(**REDELIVERY)
    wait_for(
        lambda: all(
            stored(x).computed_at and not stored(x).is_stale for x in (p, world.other_programme)
        ),
        "both programmes scored after the kill",
        second,
    )
    assert stored(p).total == programme_breakdown(p).total.quantize(stored(p).total)


def test_killed_in_the_nightly_run_each_programme_keeps_one_snapshot(workers):
    world = build_world()
    first = workers(pause="evaluations.services:score_snapshot_take:2:before")
    run = nightly_scores.delay(at="2026-12-13T00:30:00+07:00")
    killed_when_paused(first)
    assert ScoreSnapshot.objects.count() == 1  # the first programme's, then the kill

    second = workers(**REDELIVERY)
    wait_for_tasks(second, run)  # the same task, given back by the broker
    wait_for_what_they_queued(second)
    day = datetime.date(2026, 12, 13)
    for programme in (world.programme, world.other_programme):
        (snapshot,) = ScoreSnapshot.objects.filter(programme=programme)
        assert snapshot.date == day
        assert snapshot.total == programme_breakdown(programme).total.quantize(snapshot.total)


def test_killed_between_two_reminders_each_is_stored_and_mailed_once(workers):
    world = build_world()
    make_item_due(world, datetime.date(2026, 12, 6))
    first = workers(pause="notifications.services:notification_create:2:before")
    run = action_plan_reminders.delay(at="2026-12-13T06:00:00+07:00")  # 7 days late
    killed_when_paused(first)
    assert Notification.objects.count() == 1

    second = workers(**REDELIVERY)
    wait_for_tasks(second, run)
    wait_for_what_they_queued(second)
    recipients = sorted(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == ["anggota1", "ketua1", "koordinator"]  # owner, chair, coordinator
    sent = mails(second)
    assert len(sent) == 3
    for user in (world.anggota1, world.ketua1, world.coordinator):
        assert sum(f"To: {user.email}" in m for m in sent) == 1


def test_killed_after_storing_an_export_the_repair_leaves_one_file(workers, tmp_path):
    world = build_world()
    first = workers(pause="django.core.files.storage.filesystem:FileSystemStorage._save:1:after")
    job = reports.export_job_create(
        actor=world.coordinator, programme=world.programme, kind=ExportJob.Kind.LKE_XLSX
    )
    killed_when_paused(first)  # the file is stored, the job not yet marked done
    folder = tmp_path / "var" / "media" / "exports" / str(world.programme.pk)
    assert len(list(folder.iterdir())) == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING

    second = workers(**REDELIVERY)
    # Beat's run ten minutes on finds the run dead and queues the job again.
    later = (timezone.now() + datetime.timedelta(minutes=11)).isoformat()
    repair = repair_exports.delay(at=later)
    wait_for_tasks(second, repair)
    wait_for_what_they_queued(second)
    assert wait(lambda: ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE, 60)
    job.refresh_from_db()
    (only,) = folder.iterdir()
    assert f"exports/{world.programme.pk}/{only.name}" == job.file.name
    assert job.size == only.stat().st_size
    with zipfile.ZipFile(only) as workbook:  # a whole workbook, not a torn one
        assert "xl/workbook.xml" in workbook.namelist()
