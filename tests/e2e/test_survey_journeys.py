"""Service users answer surveys on their phones; the coordinator reads the results."""

from __future__ import annotations

import re

from pokja.demo import DEMO_PASSWORD
from surveys.models import Survey, SurveyCode, SurveyResponse
from surveys.services import survey_codes_generate
from tests.factories import build_world
from tests.surveys.factories import make_survey

SEND = "Kirim jawaban saya"


def answer_everything(page, survey: Survey, value_index: int = 3) -> None:
    """Tap one answer per question, as a respondent would (labels are the tap targets)."""
    if survey.services:
        page.locator("#f-service label.choice").first.click()
    page.locator("#f-sex label.choice").nth(1).click()
    for code in survey.spec.item_codes:
        page.locator(f"#f-{code} label.choice").nth(value_index).click()


def test_a_respondent_answers_goes_back_and_sends_again_and_one_response_is_stored(phone):
    world = build_world()
    survey = make_survey(world.programme, "skm-2017", title="SKM Polres Alpha")
    page = phone.page
    phone.goto(f"/s/{survey.public_token}/")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.get_by_role("heading", level=1).inner_text() == "Survei Kepuasan Masyarakat (SKM)"
    # Every question is a group named by its legend, every answer a labelled radio button.
    assert page.get_by_role("group").count() == 9 + 5
    first_question = page.locator("#f-U1")
    assert first_question.get_by_role("radio").count() == 4
    assert first_question.get_by_role("radio", name="Sangat sesuai", exact=True).count() == 1
    phone.screenshot("form")
    answer_everything(page, survey)
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url(re.compile(r"/done/$"))
    assert page.get_by_test_id("thanks").get_by_role("heading").inner_text() == "Terima kasih"
    phone.screenshot("thanks")

    page.go_back()  # the same filled-in form comes back...
    page.wait_for_load_state()
    assert page.locator("#f-U9 input").nth(3).is_checked()
    page.get_by_role("button", name=SEND).click()  # ...and is sent again
    page.wait_for_url(re.compile(r"/done/$"))
    assert page.get_by_test_id("thanks").is_visible()
    phone.screenshot("thanks-again")

    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    stored = SurveyResponse.objects.get(survey=survey)
    assert stored.answers == dict.fromkeys(survey.spec.item_codes, 4)
    assert stored.service == "sim" and stored.profile == {"sex": "P"}
    phone.assert_no_console_errors()


def test_a_used_single_use_code_is_refused_with_a_clear_message(phone, browser, live_server):
    world = build_world()
    survey = make_survey(world.programme, "spak-2021", mode=Survey.Mode.CODES)
    _batch, codes = survey_codes_generate(actor=None, survey=survey, count=2)
    slip = f"/s/{survey.public_token}/?kode={codes[0][:4]}-{codes[0][4:]}"

    page = phone.page
    phone.goto(slip)  # the QR code of the slip fills the code in
    assert (
        page.get_by_label("Kode dari loket pelayanan").input_value()
        == f"{codes[0][:4]}-{codes[0][4:]}"
    )
    answer_everything(page, survey, value_index=2)
    page.get_by_role("button", name=SEND).click()
    page.wait_for_url(re.compile(r"/done/$"))
    assert SurveyCode.objects.filter(survey=survey, used=True).count() == 1

    # A second person with the same slip is told at once, before answering anything...
    other = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740}, is_mobile=True
    )
    second = other.new_page()
    second.goto(live_server.url + slip)
    message = second.get_by_test_id("code-error")
    assert "Kode ini sudah dipakai" in message.inner_text()
    assert "Mintalah kode baru" in message.inner_text()
    # ...and sending anyway is refused with the same message, nothing stored.
    answer_everything(second, survey)
    second.get_by_role("button", name=SEND).click()
    second.wait_for_load_state()
    assert "/done/" not in second.url
    assert "Kode ini sudah dipakai" in second.get_by_test_id("code-error").inner_text()
    assert second.get_by_label("Kode dari loket pelayanan").get_attribute("aria-invalid") == "true"
    second.screenshot(
        path=str(phone.screenshot("first-phone").parent / "used-code-refused.png"), full_page=True
    )
    other.close()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    phone.assert_no_console_errors()


def test_the_coordinator_reads_the_results_and_enters_the_official_figure(desktop, demo):
    page = desktop.page
    desktop.login("koordinator", DEMO_PASSWORD)
    programme = demo.programme
    desktop.goto(f"/programmes/{programme.unit.code}/{programme.year}/")
    page.get_by_role("link", name="Survei", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("lke-q125").get_attribute("data-source") == "survey"
    page.get_by_role("link", name=re.compile("^Survei Persepsi Anti Korupsi")).first.click()
    page.wait_for_load_state()
    assert page.get_by_test_id("lke-source").is_visible()
    assert page.get_by_test_id("index").is_visible()
    desktop.screenshot("spak-results")

    desktop.goto(f"/programmes/{programme.unit.code}/{programme.year}/surveys/lke/125/official/")
    page.get_by_label("Indeks (0 sampai 4)").fill("3,62")
    page.get_by_label("Sumber").fill("TPN/BPS, surat nomor B/123/2026")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("lke-q125").get_attribute("data-source") == "official"
    assert "3,62" in page.get_by_test_id("lke-q125").inner_text()
    desktop.screenshot("official-figure")
    desktop.assert_no_console_errors()
