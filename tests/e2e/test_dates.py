"""Dates in the browser, in Indonesian: a stored date shows in its field and survives a save
that did not touch it.

Reported: the programme settings showed the pencanangan date empty, and uploading the pakta
integritas there wiped it (the dashboard's "a year of building ZI" went from met to unknown);
editing a plan item refused to save ("Kolom ini wajib diisi" for both dates).
"""

import datetime

import pytest

from pokja.demo import DEMO_PASSWORD
from pokja.models import ActionPlanItem, Programme

PROGRAMME = "/programmes/POLRES-LABUHANBATU/{year}"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _programme() -> Programme:
    return Programme.objects.get(unit__code="POLRES-LABUHANBATU", year=datetime.date.today().year)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_uploading_the_pakta_keeps_the_declaration_date(request, size, demo, tmp_path):
    journey = request.getfixturevalue(size)
    page = journey.page
    programme = _programme()
    assert programme.pencanangan_date == datetime.date(2018, 3, 21)

    journey.login("koordinator", DEMO_PASSWORD)
    journey.goto(PROGRAMME.format(year=programme.year) + "/settings/")
    date_input = page.get_by_label("Tanggal pencanangan", exact=False)
    assert date_input.input_value() == "2018-03-21"  # the browser reads it: the field shows it
    journey.screenshot("settings-date-shown")

    pakta = tmp_path / "pakta-integritas.pdf"
    pakta.write_bytes(MINIMAL_PDF)
    page.locator("input[name=pakta_file]").set_input_files(str(pakta))
    with page.expect_navigation():
        page.locator("main form").get_by_role("button", name="Simpan").click()
    assert "Pengaturan program disimpan" in page.locator(".messages").inner_text()
    journey.screenshot("settings-saved")

    programme.refresh_from_db()
    assert programme.pencanangan_date == datetime.date(2018, 3, 21)
    assert programme.pakta_document is not None
    journey.goto(PROGRAMME.format(year=programme.year) + "/settings/")
    assert page.get_by_label("Tanggal pencanangan", exact=False).input_value() == "2018-03-21"
    journey.assert_no_console_errors()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_saving_a_plan_item_without_touching_its_dates(request, size, demo):
    journey = request.getfixturevalue(size)
    page = journey.page
    item = ActionPlanItem.objects.select_related("programme").get(pokja__number=1, number=3)
    start, due = item.start_date, item.due_date

    journey.login("ketua1", DEMO_PASSWORD)
    journey.goto(PROGRAMME.format(year=item.programme.year) + f"/pokja/1/plan/{item.pk}/edit/")
    form = page.get_by_test_id("plan-item-form")
    assert form.locator("input[name=start_date]").input_value() == start.isoformat()
    assert form.locator("input[name=due_date]").input_value() == due.isoformat()
    journey.screenshot("plan-item-dates-shown")

    form.locator("input[name=title]").fill(item.title + " (revisi)")
    with page.expect_navigation():
        form.get_by_role("button", name="Simpan").click()
    assert "/edit/" not in page.url, page.locator("main").inner_text()
    journey.screenshot("plan-item-saved")

    item.refresh_from_db()
    assert item.title.endswith("(revisi)")
    assert (item.start_date, item.due_date) == (start, due)
    journey.assert_no_console_errors()
