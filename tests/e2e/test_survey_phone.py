"""Surveys on the phone: a respondent who opens the link again is told at once that this phone
has answered; the coordinator's poster keeps its whole QR code on a phone and on one A4 page."""

from __future__ import annotations

import re

import pytest

from pokja.demo import DEMO_PASSWORD
from surveys.models import SurveyResponse
from tests.e2e.test_survey_journeys import SEND, answer_everything
from tests.factories import build_world
from tests.surveys.factories import make_survey

ALREADY = {
    "id": "Saudara sudah menjawab survei ini",
    "en": "You have answered this survey already",
}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_reopening_the_survey_link_says_at_once_that_it_was_answered(request, device, language):
    journey = request.getfixturevalue(device)
    page = journey.page
    world = build_world()
    survey = make_survey(world.programme, "skm-2017", title="SKM Polres Alpha")
    journey.in_language(language)
    journey.goto(f"/s/{survey.public_token}/")
    answer_everything(page, survey)
    page.get_by_role("button", name=SEND if language == "id" else "Send my answers").click()
    page.wait_for_url(re.compile(r"/done/$"))

    # The same link again (the poster scanned twice): the message, before any question.
    journey.goto(f"/s/{survey.public_token}/")
    message = page.get_by_test_id("survey-message")
    assert ALREADY[language] in message.inner_text()
    assert page.locator("fieldset").count() == 0
    journey.screenshot(f"reopened-{language}")
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    journey.assert_no_console_errors()


def _poster(demo) -> str:
    survey = demo.programme.surveys.order_by("pk").first()
    return (
        f"/programmes/{demo.programme.unit.code}/{demo.programme.year}/surveys/{survey.pk}/poster/"
    )


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_poster_keeps_its_whole_qr_code_on_a_phone_and_on_paper(phone, demo, language):
    page = phone.page
    phone.in_language(language)
    phone.login("koordinator", DEMO_PASSWORD)
    phone.goto(_poster(demo))
    width = page.viewport_size["width"]
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        qr = page.locator(".poster-qr svg").bounding_box()
        assert qr is not None and qr["width"] > 200, media  # still large enough to scan
        assert qr["x"] >= 0 and qr["x"] + qr["width"] <= width, (media, qr)
        # Nothing wider than the screen: no sideways scrolling, nothing cut off.
        assert page.evaluate("document.documentElement.scrollWidth") <= width, media
    page.emulate_media(media="screen")
    phone.screenshot(f"poster-{language}")
    # Printed: the whole poster on one A4 page, the QR code at its full 110 mm.
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    qr = page.locator(".poster-qr svg").bounding_box()
    assert round(qr["width"]) == round(110 * 96 / 25.4)
    phone.assert_no_console_errors()
