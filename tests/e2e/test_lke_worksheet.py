"""The LKE worksheet in a browser, on the demo world (Polres Labuhanbatu), in Indonesian.

Expected scores are worked by hand from the demo answers (evaluations/demo.py): sub-area score =
weight x mean of item values, half up to two decimals, shown with a decimal comma.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from evaluations.demo import _pdf
from evaluations.models import Answer
from pokja.demo import DEMO_PASSWORD


def lke(demo, section: str = "") -> str:
    programme = demo.programme
    path = f"/programmes/{programme.unit.code}/{programme.year}/lke/"
    return path + (f"{section}/" if section else "")


def save_unit(page, number: int):
    page.get_by_test_id(f"unit-form-{number}").get_by_role("button").click()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_pokja_member_answers_every_type_with_evidence(request, demo, device, tmp_path):
    journey = request.getfixturevalue(device)
    page = journey.page
    journey.login("anggota3", DEMO_PASSWORD)  # Pokja 3, Penataan Sistem Manajemen SDM
    journey.goto(lke(demo, "SDM"))
    expect(page.get_by_test_id("your-rights")).to_contain_text("Anda dapat menjawab bagian ini")
    # SDM.P.iv (weight 2, q34..q37): only q34 C (0.33) so far -> 2 x 0.33 / 4 = 0.165 -> 0,17
    score = page.get_by_test_id("score-SDM.P.iv")
    expect(score).to_have_text("0,17")
    # ABCD: q35 A (1) -> 2 x 1.33 / 4 = 0.665 -> 0,67, in place
    page.locator("#q-35-unit-1").check()
    save_unit(page, 35)
    expect(score).to_have_text("0,67")
    expect(page.get_by_test_id("question-35").get_by_test_id("question-saved")).to_be_visible()
    # ABCDE: q36 B (0.75) -> 2 x 2.08 / 4 = 1.04
    page.locator("#q-36-unit-2").check()
    save_unit(page, 36)
    expect(score).to_have_text("1,04")
    # YA_TIDAK: q37 Ya (1) -> 2 x 3.08 / 4 = 1.54
    page.locator("#q-37-unit-1").check()
    page.locator("#q-37-unit-note").fill("Rekap pelatihan 2026 terlampir.")
    save_unit(page, 37)
    expect(score).to_have_text("1,54")
    # ABC: q39 A, SDM.P.vi (weight 0.25, one item) -> 0,25
    page.locator("#q-39-unit-1").check()
    save_unit(page, 39)
    expect(page.get_by_test_id("score-SDM.P.vi")).to_have_text("0,25")
    # A count: q103 (violations this year) 11 -> 7: (14 - 7) / 14 = 50,00% -> SDM.R.iii 2 x 0.5
    expect(page.get_by_test_id("ratio-103")).to_have_text("21,43%")  # (14 - 11) / 14
    page.locator("#q-103-unit-value").fill("7")
    save_unit(page, 103)
    expect(page.get_by_test_id("ratio-103")).to_have_text("50,00%")
    expect(page.get_by_test_id("ratio-102")).to_have_text("50,00%")  # its partner, in place
    expect(page.get_by_test_id("score-SDM.R.iii")).to_have_text("1,00")
    # Evidence: a real PDF upload for q35
    pdf = tmp_path / "sertifikat-pelatihan.pdf"
    pdf.write_bytes(_pdf("Sertifikat pelatihan SDM 2026"))
    card = page.get_by_test_id("question-35")
    card.locator("summary", has_text="Tambah data dukung").click()
    card.locator("#q-35-file").set_input_files(str(pdf))
    card.locator("#q-35-file-title").fill("Sertifikat pelatihan")
    card.get_by_role("button", name="Unggah").click()
    expect(card.get_by_test_id("evidence-count-35")).to_have_text("1")
    expect(card.get_by_role("link", name="Sertifikat pelatihan")).to_be_visible()
    # The section's total moved with every save: SDM was 1.44 in the demo
    expect(page.get_by_test_id("section-score")).not_to_have_text("1,44")
    journey.screenshot("sdm-answered")
    # The survey indices are read only, with their source
    journey.goto(lke(demo, "hasil"))
    # The demo's own SPAK survey answers q125: its index, two decimals, and its source
    expect(page.get_by_test_id("survey-index-125")).to_have_text(re.compile(r"^[0-4],\d\d$"))
    expect(page.get_by_test_id("survey-source-125")).to_have_text("survei mandiri unit")
    assert page.get_by_test_id("unit-form-125").count() == 0
    journey.assert_no_console_errors()
    stored = {
        a.number: a.unit_value for a in Answer.objects.filter(number__in=[35, 36, 37, 39, 103])
    }
    assert stored == {35: "A", 36: "B", 37: "Ya", 39: "A", 103: "7"}


def test_a_tpi_reviewer_fills_the_tpi_columns(desktop, demo):
    page = desktop.page
    desktop.login("tpi", DEMO_PASSWORD)
    desktop.goto(lke(demo, "AK"))  # submitted by Pokja 4
    expect(page.get_by_test_id("your-rights")).to_contain_text("Anda mengisi kolom TPI")
    assert page.locator("[data-testid^=unit-form-]").count() == 0
    # AK.P.i (weight 2.5, q40..q42): q40 A (1, the TPI agrees), q41 A (1), q42 the TPI's C
    # (0.33) -> 2.5 x 2.33 / 3 = 1.941666.. -> 1,94
    score = page.get_by_test_id("score-AK.P.i")
    expect(score).to_have_text("1,94")
    form = page.get_by_test_id("tpi-form-41")
    page.locator("#q-41-tpi-3").check()  # C (0)
    page.locator("#q-41-tpi-note").fill("Pimpinan belum memantau capaian kinerja bulanan.")
    form.get_by_role("button").click()
    # the TPI's C is in force: 2.5 x (1 + 0 + 0.33) / 3 = 1.108333.. -> 1,11
    expect(score).to_have_text("1,11")
    expect(page.get_by_test_id("tpi-wins-41")).to_be_visible()
    expect(page.get_by_test_id("unit-value-41")).to_contain_text("A")
    desktop.screenshot("tpi-review")
    desktop.assert_no_console_errors()
    answer = Answer.objects.get(number=41)
    assert (answer.unit_value, answer.tpi_value) == ("A", "C")


def test_a_member_of_another_pokja_cannot_edit_the_area(desktop, demo):
    page = desktop.page
    desktop.login("anggota2", DEMO_PASSWORD)  # Pokja 2 (Tatalaksana)
    desktop.goto(lke(demo, "SDM"))
    expect(page.get_by_test_id("your-rights")).to_contain_text("Anda dapat membaca bagian ini")
    assert page.locator("[data-testid^=unit-form-]").count() == 0
    assert page.locator("[data-testid^=upload-form-]").count() == 0
    # Posting anyway is refused by the server.
    token = page.evaluate(
        "() => JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRFToken']"
    )
    response = page.request.post(
        desktop.base_url + lke(demo) + "q/22/unit/",
        form={"value": "Tidak"},
        headers={"X-CSRFToken": token, "Referer": desktop.base_url + lke(demo, "SDM")},
    )
    assert response.status == 403
    assert Answer.objects.get(number=22).unit_value == "Ya"
    # Their own area is open to them.
    desktop.goto(lke(demo, "TL"))
    assert page.get_by_test_id("unit-form-13").count() == 1
    desktop.screenshot("other-pokja-reads")
    desktop.assert_no_console_errors()


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_coordinator_tries_answers_with_what_if(request, demo, device):
    journey = request.getfixturevalue(device)
    page = journey.page
    journey.login("koordinator", DEMO_PASSWORD)
    journey.goto(lke(demo))
    total = page.get_by_test_id("total").inner_text()
    expect(page.get_by_test_id("meets-WBK")).to_have_text("belum")
    expect(page.get_by_test_id("predicate-WBK")).to_contain_text("Penguatan Pengawasan")
    before = list(Answer.objects.order_by("pk").values_list("unit_value", "tpi_value"))

    def try_q109():
        page.get_by_test_id("what-if").evaluate(
            "section => section.querySelectorAll('details').forEach(d => d.open = true)"
        )
        page.locator("#wi-q109").select_option("A")
        page.get_by_test_id("what-if-run").click()
        expect(page.get_by_test_id("what-if-total")).to_be_visible()

    # q109 (PW.R.i, weight 2.5, one item): C (0.5) -> A (1) adds 1.25 to the total
    try_q109()
    shown = float(page.get_by_test_id("what-if-total").inner_text().replace(",", "."))
    assert round(shown - float(total.replace(",", ".")), 2) == 1.25
    expect(page.get_by_test_id("what-if-result")).to_contain_text("q109 C → A")
    page.get_by_test_id("what-if-reset").click()
    expect(page.get_by_test_id("what-if-result")).to_have_count(0)
    expect(page.locator("#wi-q109")).to_have_value("C")
    assert page.get_by_test_id("total").inner_text() == total
    assert list(Answer.objects.order_by("pk").values_list("unit_value", "tpi_value")) == before
    journey.assert_no_console_errors()
    # Screenshots last: taking one marks the page's elements, which htmx would then copy.
    journey.screenshot("overview")
    journey.goto(lke(demo))
    try_q109()
    journey.screenshot("what-if")


def test_an_expired_sign_in_leads_to_the_sign_in_page(desktop, demo):
    page = desktop.page
    desktop.login("anggota3", DEMO_PASSWORD)
    desktop.goto(lke(demo, "SDM"))
    page.context.clear_cookies(name="sessionid")  # the sign-in expired; the page stays open
    page.locator("#q-35-unit-1").check()
    save_unit(page, 35)
    page.wait_for_url("**/accounts/login/**")
    expect(page.get_by_test_id("question-35")).to_have_count(0)
    assert Answer.objects.get(number=35).unit_value == ""
