"""A Pokja member brings in the unit's own rencana aksi workbook (title rows, loose headers, a
month grid, statuses written loosely): reads the preview, changes one column's field, picks
the sub-area, confirms, and sees the items in the plan."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from pokja.demo import DEMO_PASSWORD
from pokja.models import ActionPlanItem, User
from tests.pokja.plan_books import GRID_ROWS, grid_workbook


def _demo_rows() -> list[tuple]:
    """plan_books' month-grid rows, with the demo world's name of anggota1 where the rows
    name them "Siti Aminah" (as tests/pokja rename them)."""
    name = User.objects.get(username="anggota1").full_name
    return [
        (area, title, output, owner.replace("Siti Aminah", name), marks, status)
        for area, title, output, owner, marks, status in GRID_ROWS
    ]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_member_imports_the_units_own_workbook(request, demo, device, tmp_path):
    journey = request.getfixturevalue(device)
    page = journey.page
    programme = demo.programme
    pokja = programme.pokjas.get(number=1)
    before = pokja.plan_items.count()
    path = tmp_path / "Rencana Aksi ZI Polres.xlsx"
    path.write_bytes(grid_workbook(_demo_rows()))
    base = f"/programmes/{programme.unit.code}/{programme.year}/pokja/1/plan"
    journey.login("anggota1", DEMO_PASSWORD)
    journey.upload(f"{base}/import/", path, "import-form")
    expect(page.get_by_test_id("import-layout")).to_contain_text("baris 5")
    # The file has no sub-area: its rows are shown, but nothing imports until one is chosen.
    expect(page.get_by_test_id("import-errors")).to_contain_text("Sub-area LKE")
    expect(page.get_by_test_id("import-counts")).to_contain_text("4 baru")
    expect(page.get_by_test_id("import-confirm")).to_be_disabled()
    journey.screenshot("preview")

    mapping = page.get_by_test_id("import-mapping")
    # Column D holds what the unit calls the output; here it is the success indicator.
    mapping.locator("select[data-column=D]").select_option("indikator_keberhasilan")
    sub_area = programme.framework.sub_areas.get(code="MP.P.ii")
    page.locator("select[name=sub_area]").select_option(str(sub_area.pk))
    page.get_by_test_id("import-remap").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("import-errors")).to_have_count(0)
    expect(page.get_by_test_id("import-counts")).to_contain_text("4 baru")
    rows = page.get_by_test_id("import-rows" if device == "desktop" else "import-rows-phone")
    expect(rows.locator("[data-action=new]")).to_have_count(4)
    expect(rows).to_be_visible()
    expect(rows).to_contain_text("Sosialisasi ZI ke seluruh Polsek")
    journey.screenshot("mapped")

    page.get_by_test_id("import-confirm").click()
    page.wait_for_load_state()
    assert page.url.endswith("/pokja/1/plan/")
    expect(page.locator(".alert-success, [role=alert]").first).to_contain_text("4 butir")
    expect(page.locator("main")).to_contain_text("Monitoring dan evaluasi bulanan")
    journey.screenshot("plan")
    assert pokja.plan_items.count() == before + 4
    item = ActionPlanItem.objects.get(pokja=pokja, title="Sosialisasi ZI ke seluruh Polsek")
    assert (item.success_indicator, item.expected_output) == ("Notulen, foto", "")
    assert item.start_date.month == 2 and item.due_date.month == 4
    journey.assert_no_console_errors()


def test_the_coordinator_reimports_an_edited_export_in_english(desktop, demo, tmp_path):
    """The plan downloaded, one row edited in the spreadsheet program, uploaded again: that
    item is updated, the others are unchanged, nothing is added twice."""
    import io

    import openpyxl
    from django.test import Client

    page = desktop.page
    programme = demo.programme
    pokja = programme.pokjas.get(number=1)
    before = pokja.plan_items.count()
    base = f"/programmes/{programme.unit.code}/{programme.year}/pokja/1/plan"
    client = Client()
    client.force_login(User.objects.get(username="koordinator"))
    client.cookies["django_language"] = "en"
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}/export.xlsx").content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    code, title = header.index("Code") + 1, header.index("Activity") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, code).value == "RA 1.3")
    edited = sheet.cell(row, title).value + " (revised)"
    sheet.cell(row, title).value = edited
    path = tmp_path / "rencana-aksi-pokja1.xlsx"
    book.save(path)

    desktop.in_language("en")
    desktop.login("koordinator", DEMO_PASSWORD)
    desktop.upload(f"{base}/import/", path, "import-form")
    rows = page.get_by_test_id("import-rows")
    expect(rows.locator("tr[data-action=update]")).to_have_count(1)
    expect(rows.locator("tr[data-action=update]")).to_contain_text("activity")
    expect(rows.locator("tr[data-action=new]")).to_have_count(0)
    expect(page.get_by_test_id("import-counts")).to_contain_text(
        f"0 new, 1 to update, {before - 1} unchanged"
    )
    desktop.screenshot("reimport-preview")
    page.get_by_test_id("import-confirm").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success, [role=alert]").first).to_contain_text("1 updated")
    assert pokja.plan_items.count() == before
    assert pokja.plan_items.get(number=3).title == edited
    desktop.screenshot("reimport-plan")
    desktop.assert_no_console_errors()
