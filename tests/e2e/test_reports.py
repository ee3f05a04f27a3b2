"""Exports in the browser, built by a real Celery worker: the coordinator asks for the LKE
workbook and the PDF report, watches the progress bars fill in place, and downloads both;
a Pokja member of another unit gets 404 for the same download."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import zlib
from pathlib import Path

import openpyxl
import pytest

from pokja.demo import DEMO_PASSWORD
from pokja.models import ProgrammeRole
from reports.models import ExportJob
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory, give_role, make_programme
from tests.workers import database_url, stop_process

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.redis]

REPORTS = "/programmes/POLRES-LABUHANBATU/2026/reports/"


@pytest.fixture
def worker(live_server, settings):
    """A Celery worker process on the test database and the test's media folder."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_SETTINGS_MODULE": "zi_tracker.settings",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "zi_tracker",
            "worker",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield process
    stop_process(process)


def pdf_page_count(data: bytes) -> int:
    """Pages of a PDF: its page objects, also those inside compressed object streams."""
    chunks = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            chunks.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return sum(len(re.findall(rb"/Type\s*/Page(?![s\w])", chunk)) for chunk in chunks)


def _download(page, row) -> bytes:
    with page.expect_download() as info:
        row.get_by_test_id("export-download").click()
    return Path(info.value.path()).read_bytes()


def test_the_coordinator_exports_watches_progress_and_downloads(desktop, demo, worker):
    page = desktop.page
    desktop.login("koordinator", DEMO_PASSWORD)
    desktop.goto(REPORTS)
    page.get_by_test_id("export-lke_xlsx").click()
    page.wait_for_load_state()
    page.get_by_test_id("export-report_pdf").click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("export-row")
    assert rows.count() == 2
    # Both rows show a progress bar; the page polls them in place until they are done.
    assert page.locator("progress").count() == 2
    url = page.url
    done = page.locator('[data-testid="export-row"][data-status="done"]')
    deadline = time.monotonic() + 90
    while done.count() < 2 and time.monotonic() < deadline:
        page.wait_for_timeout(500)
    assert done.count() == 2, (
        f"exports not done: {list(ExportJob.objects.values('status', 'error'))}"
    )
    assert page.url == url  # no reload: the rows were replaced in place
    assert all(
        v == "100"
        for v in page.locator("progress").evaluate_all("e => e.map(p => p.value.toString())")
    )
    desktop.screenshot("exports-done")

    pdf_row = rows.filter(has_text="PDF")
    pdf = _download(page, pdf_row)
    assert pdf.startswith(b"%PDF-")
    assert pdf_page_count(pdf) >= 4
    xlsx_row = rows.filter(has_text="Workbook LKE")
    workbook = openpyxl.load_workbook(io.BytesIO(_download(page, xlsx_row)))
    assert workbook["Jawaban"]["K6"].value == "Ya"
    desktop.assert_no_console_errors()

    # A Pokja member of another unit: the download does not exist for them.
    other = make_programme(unit=UnitFactory(code="POLRES-LAIN"), year=2026)
    member = UserFactory(username="anggota-lain")
    give_role(member, other, ProgrammeRole.Kind.ANGGOTA, 1)
    job = ExportJob.objects.get(kind="lke_xlsx")
    desktop.logout()
    desktop.login("anggota-lain", DEFAULT_PASSWORD)
    response = page.goto(desktop.base_url + f"{REPORTS}{job.pk}/download/")
    assert response.status == 404
