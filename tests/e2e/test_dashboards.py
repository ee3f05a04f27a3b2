"""The dashboards in a browser, on the demo world (Polres Labuhanbatu), in Indonesian.

The demo's stored score is 64.37: WBK is not met, with shortfalls in MP, TL, SDM and PW (see
dashboards/demo.py and evaluations/demo.py); eight plan items are late.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from evaluations.models import Answer
from pokja.demo import DEMO_PASSWORD


def dashboard(demo) -> str:
    programme = demo.programme
    return f"/programmes/{programme.unit.code}/{programme.year}/dashboard/"


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_coordinator_reads_the_dashboard_and_acts_on_it(request, demo, device):
    journey = request.getfixturevalue(device)
    page = journey.page
    journey.login("koordinator", DEMO_PASSWORD)
    page.get_by_test_id("home-dashboard").click()
    page.wait_for_load_state()
    assert page.url.endswith(dashboard(demo))
    expect(page.get_by_test_id("total")).to_have_text("64,37")
    expect(page.get_by_test_id("line-WBK")).to_contain_text("belum terpenuhi")
    # The charts are drawn (CSP allows the vendored script and the JSON data blocks).
    for chart in ("trend-data", "areas-data", "plans-data"):
        expect(page.locator(f"canvas[data-chart='{chart}']")).to_have_attribute("data-drawn", "1")
    expect(page.get_by_test_id("predicate-WBK")).to_contain_text("Penguatan Pengawasan")
    expect(page.get_by_test_id("late-item")).to_have_count(8)
    journey.screenshot("dashboard")
    journey.assert_no_console_errors()

    # An area bar (its row in the table beside the chart) leads to the Pokja's dashboard.
    page.get_by_test_id("area-link-PW").click()
    page.wait_for_load_state()
    assert page.url.endswith("/pokja/5/dashboard/")
    expect(page.get_by_test_id("area-score")).to_have_text("6,26")
    stakes = page.locator("[data-testid^=stake-q]")
    assert stakes.first.get_attribute("data-testid") == "stake-q109"  # +1,25, the most
    journey.screenshot("pokja-dashboard")

    # Back on the dashboard, the longest-late item opens with its late badge.
    journey.goto(dashboard(demo))
    late = page.get_by_test_id("late-item").first
    expect(late).to_contain_text("RA 6.2")
    expect(late).to_contain_text("terlambat 40 hari")
    late.get_by_role("link").click()
    page.wait_for_load_state()
    assert re.search(r"/pokja/6/plan/\d+/$", page.url)
    expect(page.get_by_test_id("late-badge")).to_contain_text("Terlambat")

    # What-if from the dashboard: the answers that close WBK's PW gap (q109 C -> A closes
    # 1,25 of its 2,74) are tried on the worksheet without saving anything.
    before = list(Answer.objects.order_by("pk").values_list("unit_value", "tpi_value"))
    journey.goto(dashboard(demo))
    page.get_by_test_id("what-if-link").click()
    page.wait_for_load_state()
    assert "/lke/" in page.url
    page.get_by_test_id("what-if").evaluate(
        "section => section.querySelectorAll('details').forEach(d => d.open = true)"
    )
    page.locator("#wi-q109").select_option("A")
    page.get_by_test_id("what-if-run").click()
    result = page.get_by_test_id("what-if-result")
    expect(result).to_contain_text("q109 C → A")
    expect(result.get_by_test_id("predicate-WBK")).to_contain_text("Penguatan Pengawasan 7,5")
    journey.screenshot("what-if-from-dashboard")
    page.get_by_test_id("what-if-reset").click()
    expect(page.get_by_test_id("what-if-result")).to_have_count(0)
    assert list(Answer.objects.order_by("pk").values_list("unit_value", "tpi_value")) == before
    journey.assert_no_console_errors()


def test_a_pokja_member_sees_only_their_own_unit(phone, demo, settings):
    from dashboards.demo import seed_demo

    seed_demo(units=2)  # two more Polres under the same Polda
    page = phone.page
    phone.login("anggota5", DEMO_PASSWORD)
    expect(page.get_by_test_id("programme-card")).to_have_count(1)
    page.get_by_test_id("home-pokja-dashboard").get_by_role("link").click()
    page.wait_for_load_state()
    assert page.url.endswith("/pokja/5/dashboard/")
    expect(page.get_by_test_id("pokja-items")).to_be_visible()
    phone.screenshot("pokja-dashboard")
    # Another unit's dashboard does not exist for them; the overview is not theirs.
    response = page.goto(
        phone.base_url + "/programmes/POLRES-DEMO-001/" + str(demo.programme.year) + "/dashboard/"
    )
    assert response.status == 404
    response = page.goto(phone.base_url + "/overview/")
    assert response.status == 403


def test_the_site_administrator_compares_the_units(desktop, demo):
    from dashboards.demo import seed_demo

    seed_demo(units=3)
    page = desktop.page
    desktop.login("admin", DEMO_PASSWORD)
    page.get_by_test_id("home-overview").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("overview-row")).to_have_count(4)
    page.select_option("#id_sort", "-total")
    page.get_by_role("button", name="Terapkan").click()
    page.wait_for_load_state()
    totals = [
        float(t.replace(",", ".")) for t in page.get_by_test_id("overview-total").all_inner_texts()
    ]
    assert totals == sorted(totals, reverse=True)
    desktop.screenshot("overview")
    desktop.assert_no_console_errors()


READS = {
    # the demo's figures as each language writes them (hand-computed in tests/dashboards)
    "id": {"total": "64,37", "mp": "55,88%", "tl": "40,14%", "since": "Sejak 21 Mar 2018"},
    "en": {"total": "64.37", "mp": "55.88%", "tl": "40.14%", "since": "Since 21 Mar 2018"},
}


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_dashboard_figures_read_alike_on_every_screen_and_language(
    request, demo, device, language
):
    journey = request.getfixturevalue(device)
    page = journey.page
    reads = READS[language]
    journey.login("koordinator", DEMO_PASSWORD)
    if language == "en":  # as the language switcher leaves it
        journey.in_language("en")
    journey.goto(dashboard(demo))
    expect(page.get_by_test_id("total")).to_have_text(reads["total"])
    # The framework's hierarchy: each component, then its own parts.
    rows = page.locator("[data-testid=dash-total] tr[data-testid]")
    assert [r.get_attribute("data-testid") for r in rows.all()] == [
        "line-WBK",
        "line-WBBM",
        "component-pengungkit",
        "part-pemenuhan",
        "part-reform",
        "component-hasil",
        "part-bersih_akuntabel",
        "part-pelayanan_prima",
    ]
    expect(page.get_by_test_id("area-percent-MP")).to_have_text(reads["mp"])
    expect(page.get_by_test_id("prereq-one_year")).to_contain_text(reads["since"])
    for chart in ("trend-data", "areas-data", "plans-data"):
        expect(page.locator(f"canvas[data-chart='{chart}']")).to_have_attribute("data-drawn", "1")
    # Every column of the area table is on the screen: the %, WBK and WBBM of each area too.
    width = page.viewport_size["width"]
    for cell in page.locator("[data-testid=area-MP] td").all():
        expect(cell).to_be_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, cell.inner_text()
    assert no_sideways_scroll(page)
    journey.screenshot(f"dashboard-{language}")

    # The Pokja's questions: whole lines of text, not a word per line, and nothing clipped.
    journey.goto(dashboard(demo).replace("/dashboard/", "/pokja/1/dashboard/"))
    expect(page.get_by_test_id("area-percent")).to_have_text(reads["mp"])
    first = page.locator("[data-testid=stakes-table] tbody th").first
    card = page.get_by_test_id("pokja-questions").bounding_box()
    if device == "phone":  # a row of its own across the card, its figures on lines below
        assert first.bounding_box()["width"] > card["width"] * 0.8
    assert no_sideways_scroll(page)
    journey.screenshot(f"pokja-dashboard-{language}")

    # MP is closed by q88 and q89 together; the link tries both and MP leaves the check.
    journey.goto(dashboard(demo))
    mp = page.locator("[data-testid=shortfall-WBK][data-area=MP]")
    expect(mp.get_by_test_id("step-q89")).to_contain_text("q88 = 1, q89 = 1")
    mp.get_by_role(
        "link", name="Coba jawaban ini" if language == "id" else "Try these answers"
    ).click()
    page.wait_for_load_state()
    result = page.get_by_test_id("what-if-result")
    expect(result).to_contain_text("q88 — → 1; q89 — → 1")
    expect(result.locator("[data-testid=shortfall-WBK][data-area=MP]")).to_have_count(0)
    expect(result.locator("[data-testid=shortfall-WBK][data-area=TL]")).to_have_count(1)
    expect(page.locator("#wi-q127")).to_have_value(re.compile(r"^\d\.\d\d$"))
    journey.screenshot(f"what-if-{language}")
    journey.assert_no_console_errors()
