"""Export jobs: asking, building (the task), progress, downloads, failures, clean-up."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from evaluations.services import answer_set_unit
from reports import services
from reports.models import ExportJob
from reports.tasks import remove_old_exports, run_export
from tests.reports.conftest import open_workbook

pytestmark = pytest.mark.django_db


def url(name, programme, **kwargs):
    return reverse(name, kwargs={**programme.url_kwargs(), **kwargs})


def polled(client, programme, job) -> str:
    """The job's row as the page's polling gets it."""
    response = client.get(
        url("export_status", programme, job_id=job.pk), headers={"HX-Request": "true"}
    )
    return response.content.decode()


def ask(client, user, programme, kind="lke_xlsx") -> ExportJob:
    client.force_login(user)
    response = client.post(url("export_create", programme), {"kind": kind})
    assert response.status_code == 302
    return ExportJob.objects.filter(programme=programme).latest("pk")


def test_an_export_is_asked_for_built_by_the_task_and_downloaded(
    client, programme, coordinator, pimpinan
):
    answer_set_unit(actor=coordinator, programme=programme, number=1, value="Ya", note="SK")
    entries = AuditEntry.objects.count()
    job = ask(client, coordinator, programme)
    assert (job.status, job.progress, job.requested_by, bool(job.file)) == (
        "pending",
        0,
        coordinator,
        False,
    )
    assert AuditEntry.objects.count() == entries + 1
    row = polled(client, programme, job)
    assert row.lstrip().startswith("<tr") and "<html" not in row
    assert 'hx-trigger="every 1s"' in row and "Waiting" in row
    page = client.get(url("export_status", programme, job_id=job.pk)).content.decode()
    assert "<html" in page and f'id="export-{job.pk}"' in page  # opened directly: a page

    assert run_export(job.pk) is True
    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == ("done", 100, "")
    assert job.filename.startswith("lke-polres-alpha-2026-") and job.filename.endswith(".xlsx")
    assert job.finished_at is not None and job.size > 0
    # Safe to run twice: the second run finds the job done and leaves it alone.
    stored_name = job.file.name
    assert run_export(job.pk) is False
    job.refresh_from_db()
    assert job.file.name == stored_name

    row = polled(client, programme, job)
    assert "hx-trigger" not in row and "Done" in row and "export-download" in row
    client.force_login(pimpinan)  # anyone who sees the programme downloads
    response = client.get(url("export_download", programme, job_id=job.pk))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = open_workbook(b"".join(response.streaming_content))
    assert workbook["Jawaban"]["K6"].value == "Ya"
    assert workbook["Jawaban"]["L6"].value == "SK"


def test_a_job_for_a_programme_that_is_gone_is_skipped(programme, coordinator):
    job = services.export_job_create(actor=coordinator, programme=programme, kind="lke_xlsx")
    job_id = job.pk
    job.delete()
    assert run_export(job_id) is False


def test_a_failing_export_shows_its_error(client, programme, coordinator, settings, tmp_path):
    job = ask(client, coordinator, programme)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = str(blocker)
    assert run_export(job.pk) is False
    job.refresh_from_db()
    assert job.status == "failed" and job.finished_at is not None
    assert job.error.startswith("The file could not be stored: ")
    page = client.get(url("reports_index", programme)).content.decode()
    assert "Failed" in page and "The file could not be stored" in page
    assert client.get(url("export_download", programme, job_id=job.pk)).status_code == 404


def test_only_people_who_see_the_programme_download_and_only_finished_files(
    client, programme, coordinator, outsider, other_pokja_member
):
    job = ask(client, coordinator, programme)
    assert client.get(url("export_download", programme, job_id=job.pk)).status_code == 404
    run_export(job.pk)
    client.force_login(outsider)  # coordinator of another unit
    assert client.get(url("export_download", programme, job_id=job.pk)).status_code == 404
    assert client.get(url("export_status", programme, job_id=job.pk)).status_code == 404
    client.force_login(other_pokja_member)  # sees the programme, may not ask for exports
    assert client.get(url("export_download", programme, job_id=job.pk)).status_code == 200
    response = client.post(url("export_create", programme), {"kind": "lke_xlsx"})
    assert response.status_code == 403


def test_the_exports_page_reads_a_fixed_number_of_queries(
    client, programme, coordinator, django_assert_num_queries
):
    ask(client, coordinator, programme)
    queries = 8  # none per job
    with django_assert_num_queries(queries):
        assert client.get(url("reports_index", programme)).status_code == 200
    for _ in range(5):
        run_export(ask(client, coordinator, programme).pk)
    with django_assert_num_queries(queries):
        page = client.get(url("reports_index", programme)).content.decode()
    assert page.count('data-testid="export-row"') == 6
    assert page.count('data-testid="export-download"') == 5


def test_old_exports_are_removed_with_their_files(client, programme, coordinator, settings):
    settings.ZI_EXPORT_KEEP_DAYS = 7
    old, recent = ask(client, coordinator, programme), ask(client, coordinator, programme)
    run_export(old.pk)
    run_export(recent.pk)
    old.refresh_from_db()
    old_file = Path(old.file.path)
    assert old_file.exists()
    ExportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    assert remove_old_exports() == 1
    assert not old_file.exists()
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert remove_old_exports() == 0


@pytest.mark.postgres
def test_two_runs_of_the_same_job_build_it_once(programme, coordinator):
    job = services.export_job_create(actor=coordinator, programme=programme, kind="lke_xlsx")
    assert services.export_job_run(job_id=job.pk) is not None
    assert services.export_job_run(job_id=job.pk) is None
    # A run that died long ago (its worker killed) is taken over by the next one.
    ExportJob.objects.filter(pk=job.pk).update(
        status="running", started_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert services.export_job_run(job_id=job.pk).status == "done"


@pytest.mark.parametrize(
    ("kind", "magic", "extension"),
    [
        ("report_pdf", b"%PDF-", "pdf"),
        ("lke_xlsx", b"PK", "xlsx"),
        ("evidence_zip", b"PK", "zip"),
        ("plans_xlsx", b"PK", "xlsx"),
    ],
)
def test_every_kind_of_export_builds_its_file(
    client, programme, coordinator, kind, magic, extension
):
    job = ask(client, coordinator, programme, kind)
    assert run_export(job.pk) is True
    job.refresh_from_db()
    assert job.status == "done"
    response = client.get(url("export_download", programme, job_id=job.pk))
    assert b"".join(response.streaming_content).startswith(magic)
    assert job.filename.endswith("." + extension)


@pytest.mark.parametrize(
    ("language", "header", "summary"),
    [("id", "Jawaban unit", "Tingkat"), ("en", "Unit answer", "Level")],
)
def test_an_export_is_built_in_the_language_of_whoever_asked(
    client, programme, coordinator, language, header, summary
):
    """The page's language (the switcher's cookie) is the export's: every header of the
    workbook the worker builds is in it, whatever the worker's own language."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    job = ask(client, coordinator, programme)
    assert job.language == language
    assert run_export(job.pk) is True
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        workbook = open_workbook(handle.read())
    assert header in [c.value for c in workbook["Jawaban"][1]]
    assert workbook["Ringkasan"].cell(row=7, column=1).value == summary


def test_an_export_asked_for_without_a_language_takes_the_active_one(
    programme, coordinator, settings
):
    from django.utils import translation

    settings.LANGUAGE_CODE = "id"
    with translation.override("en"):
        job = services.export_job_create(actor=coordinator, programme=programme, kind="lke_xlsx")
    assert job.language == "en"
    job = services.export_job_create(
        actor=coordinator, programme=programme, kind="lke_xlsx", language="xx"
    )
    assert job.language == "id"  # an unknown language: the site's default


def test_the_repair_queues_lost_and_abandoned_jobs_and_leaves_the_others(
    programme, coordinator, monkeypatch
):
    queued = []
    monkeypatch.setattr(services, "enqueue_on_commit", lambda task, pk: queued.append(pk))
    now = timezone.now()
    minutes = datetime.timedelta(minutes=1)

    def job(status, created_ago, started_ago=None) -> ExportJob:
        made = services.export_job_create(actor=coordinator, programme=programme, kind="lke_xlsx")
        ExportJob.objects.filter(pk=made.pk).update(
            status=status,
            created_at=now - created_ago,
            started_at=None if started_ago is None else now - started_ago,
        )
        return made

    lost = job("pending", 3 * minutes)  # its task never reached a worker
    just_asked = job("pending", 0.5 * minutes)  # left to its own task
    dead = job("running", 12 * minutes, 11 * minutes)  # its worker died mid-run
    running = job("running", 2 * minutes, 1 * minutes)
    done = job("done", 30 * minutes, 29 * minutes)
    queued.clear()
    assert services.export_jobs_repair(now=now) == 2
    assert sorted(queued) == sorted([lost.pk, dead.pk])
    statuses = dict(ExportJob.objects.values_list("pk", "status"))
    assert statuses[dead.pk] == "pending"  # given back, so that the queued run claims it
    assert (statuses[just_asked.pk], statuses[running.pk], statuses[done.pk]) == (
        "pending",
        "running",
        "done",
    )


def test_a_rerun_replaces_the_file_an_earlier_run_stored_before_it_died(programme, coordinator):
    job = services.export_job_create(actor=coordinator, programme=programme, kind="lke_xlsx")
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    first = Path(job.file.path)
    # As if that run had died after storing its file: the job is given back and runs again.
    ExportJob.objects.filter(pk=job.pk).update(status="pending")
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert not first.exists()
    assert [p.name for p in first.parent.iterdir()] == [Path(job.file.name).name]
