"""The coordinator brings in the unit's old LKE workbook (Lampiran III kept by hand) in a
browser: reads the preview with the reconciliation, confirms, and sees the dashboard's score.
The score is recomputed by a real Celery worker, as in production."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from evaluations.models import Answer, AssessmentSection
from pokja.demo import DEMO_PASSWORD
from tests.e2e.test_reports import worker  # noqa: F401 - the Celery worker fixture
from tests.reports.lke_books import lampiran_workbook
from tests.reports.test_import_lampiran import DRIVE, full_answers

pytestmark = [pytest.mark.celery_worker, pytest.mark.postgres, pytest.mark.redis]


@pytest.mark.usefixtures("worker")
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_coordinator_imports_an_old_workbook_and_sees_the_score(
    request,
    demo,
    device,
    tmp_path,
):
    journey = request.getfixturevalue(device)
    page = journey.page
    page.set_default_navigation_timeout(180_000)
    programme = demo.programme
    # A unit starting with this application: nothing in its worksheet yet.
    Answer.objects.filter(assessment__programme=programme).update(
        unit_value="", unit_note="", tpi_value="", tpi_note=""
    )
    AssessmentSection.objects.filter(assessment__programme=programme).update(status="draft")
    spec = programme.framework.spec
    path = tmp_path / "LKE ZI Polres 2025.xlsx"
    path.write_bytes(
        lampiran_workbook(
            spec,
            full_answers(spec),
            types={1: "Ya"},  # a slip the reconciliation explains
            notes={1: "SK Tim ZI Nomor 12/2026"},
            evidence={1: ("SK Kapolres tentang Tim ZI", DRIVE)},
        )
    )
    base = f"/programmes/{programme.unit.code}/{programme.year}"
    journey.login("koordinator", DEMO_PASSWORD)
    journey.upload(f"{base}/reports/lke-import/", path, "lke-import-form")
    expect(page.get_by_test_id("import-layout")).to_contain_text("LKE ZI")
    rec = page.get_by_test_id("import-reconciliation")
    expect(rec).to_contain_text("tidak mengenali jenis jawaban “Ya”")
    # The workbook's own total beside ours: it scored MP.P.i 0.5 x (0 + 0.5)/2 = 0.125
    # against our 0.5 x (1 + 0.5)/2 = 0.375, so 93.90 - 0.25 = 93.65 (Indonesian figures).
    expect(rec.locator("tr[data-code=total]")).to_contain_text("93,65")
    expect(rec.locator("tr[data-code=total]")).to_contain_text("93,90")
    expect(page.get_by_test_id("import-links")).to_contain_text("SK Kapolres tentang Tim ZI")
    offers = page.get_by_test_id("import-offers")
    expect(offers.locator("input[type=checkbox]")).to_have_count(2)
    journey.screenshot("preview")
    for box in offers.locator("input[type=checkbox]").all():
        box.check()
    # 127 answers, each through the audited worksheet service: allow the write its time.
    page.get_by_test_id("lke-import-confirm").locator("button[type=submit]").click(timeout=180_000)
    page.wait_for_load_state()
    expect(page.locator(".alert-success, [role=alert]").first).to_contain_text("diimpor")
    journey.goto(f"{base}/dashboard/")
    total = page.get_by_test_id("total")
    for _attempt in range(30):  # the worker recomputes the stored score
        if total.inner_text().strip() == "93,90":
            break
        page.wait_for_timeout(1000)
        journey.goto(f"{base}/dashboard/")
    expect(total).to_have_text("93,90")
    journey.screenshot("dashboard")
    journey.assert_no_console_errors()
