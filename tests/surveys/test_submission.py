"""Answering a survey: once per respondent, replays stored once, codes used once, dates obeyed."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from surveys import codes as survey_codes
from surveys.models import BrowserClaim, Survey, SurveyCode, SurveyResponse
from surveys.services import Answers, Outcome, response_submit, survey_codes_generate
from surveys.views.public import BROWSER_COOKIE
from tests.surveys.factories import make_survey
from tests.threads import at_once

pytestmark = pytest.mark.django_db


def url(survey: Survey) -> str:
    return reverse("survey_public", kwargs={"token": survey.public_token})


def form_data(survey: Survey, *, value: int = 4, submission=None, code=None, **extra) -> dict:
    data = {"submission": str(submission or uuid.uuid4()), "website": "", "service": "sim"}
    data |= {item: str(value) for item in survey.spec.item_codes}
    if code is not None:
        data["code"] = code
    return data | extra


def answers(survey: Survey, submission=None, value: int = 3) -> Answers:
    return Answers(
        submission_id=submission or uuid.uuid4(),
        items=dict.fromkeys(survey.spec.item_codes, value),
        service="sim",
    )


def opened(client: Client, survey: Survey):
    """Open the form as a respondent would: by its link, which names a new filled-in form."""
    response = client.get(url(survey), follow=True)
    assert response.status_code == 200
    return response


# --- open mode -------------------------------------------------------------------------


def test_the_form_shows_every_question_with_a_label_and_a_fresh_submission_id(programme):
    survey = make_survey(programme, "skm-2017")
    client = Client()
    first, second = opened(client, survey), opened(client, survey)
    html = first.content.decode()
    for code in survey.spec.item_codes:
        assert f'name="{code}"' in html
    assert html.count("<fieldset") == 9 + 5  # nine elements, service and four profile questions
    assert html.count("<legend") == html.count("<fieldset")
    assert 'for="q-U1-0"' in html and 'id="q-U1-0"' in html
    ids = [r.context["form"]["submission"].value() for r in (first, second)]
    assert ids[0] != ids[1]
    assert "<script" not in html  # works with script off; nothing to download but CSS
    assert 'style="' not in html
    assert BROWSER_COOKIE in client.cookies  # set with the redirect to the form
    assert "private" in first["Cache-Control"] and "no-store" not in first["Cache-Control"]


def test_the_same_form_in_the_same_browser_keeps_its_submission_id(programme):
    survey = make_survey(programme)
    client = Client()
    first = opened(client, survey)
    address = first.redirect_chain[-1][0]
    assert "?f=" in address
    reloaded = client.get(address)  # back, when the browser fetches the page again
    assert reloaded.status_code == 200
    same = first.context["form"]["submission"].value()
    assert reloaded.context["form"]["submission"].value() == same
    another_browser = Client()
    another_browser.get(url(survey))  # gets its own token
    shared = another_browser.get(address)  # the address copied from the first phone
    assert shared.context["form"]["submission"].value() != same


def test_a_submission_is_stored_once_however_often_it_is_sent(programme):
    survey = make_survey(programme)
    client = Client()
    opened(client, survey)
    data = form_data(survey)
    thanks = reverse("survey_thanks", kwargs={"token": survey.public_token})
    for _ in range(3):  # double tap, flaky network, back and send again
        response = client.post(url(survey), data)
        assert response.status_code == 303
        assert response["Location"] == thanks
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert BrowserClaim.objects.filter(survey=survey).count() == 1
    page = client.get(thanks)
    assert page.status_code == 200 and b'data-testid="thanks"' in page.content


def test_a_browser_answers_an_open_survey_once(programme):
    survey = make_survey(programme)
    client = Client()
    opened(client, survey)
    assert client.post(url(survey), form_data(survey)).status_code == 303
    again = client.post(url(survey), form_data(survey, value=1))
    assert again.status_code == 409
    assert b"answered this survey already" in again.content
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    # Another browser (another person) may answer.
    other = Client()
    opened(other, survey)
    assert other.post(url(survey), form_data(survey)).status_code == 303
    assert SurveyResponse.objects.filter(survey=survey).count() == 2


def test_reopening_the_link_in_a_browser_that_answered_says_so_at_once(programme):
    survey = make_survey(programme)
    question = f'name="{survey.spec.item_codes[0]}"'
    client = Client()
    opened(client, survey)
    assert client.post(url(survey), form_data(survey)).status_code == 303
    # The link opened again (the poster scanned twice, the link tapped in a chat): no form
    # to fill in for nothing, the message straight away.
    again = client.get(url(survey), follow=True)
    assert again.status_code == 200 and again.redirect_chain == []
    page = again.content.decode()
    assert "answered this survey already" in page
    assert question not in page and 'name="submission"' not in page
    # The same for another filled-in form's address (one shared from another phone).
    address = opened(Client(), survey).redirect_chain[-1][0]
    assert "answered this survey already" in client.get(address).content.decode()
    # Another browser (another person) gets the form; nothing stored changed.
    assert question in opened(Client(), survey).content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert BrowserClaim.objects.filter(survey=survey).count() == 1


def test_back_on_the_form_that_was_sent_shows_it_again_and_sending_is_a_replay(programme):
    survey = make_survey(programme)
    client = Client()
    form = opened(client, survey)
    address = form.redirect_chain[-1][0]
    submission = form.context["form"]["submission"].value()
    data = form_data(survey, submission=submission)
    assert client.post(url(survey), data).status_code == 303
    back = client.get(address)  # the browser fetches the sent form again
    assert back.context["form"]["submission"].value() == submission
    assert client.post(url(survey), data).status_code == 303  # thanks again, nothing new
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_a_browser_that_answered_one_survey_still_answers_another(programme):
    first, second = make_survey(programme), make_survey(programme, "spak-2021")
    client = Client()
    opened(client, first)
    assert client.post(url(first), form_data(first)).status_code == 303
    page = opened(client, second).content.decode()
    assert "answered this survey already" not in page
    assert f'name="{second.spec.item_codes[0]}"' in page


def test_without_the_browser_cookie_nothing_is_stored_and_the_cookie_is_set(programme):
    survey = make_survey(programme)
    client = Client()
    response = client.post(url(survey), form_data(survey))
    assert response.status_code == 200
    assert b"accept cookies" in response.content
    assert BROWSER_COOKIE in response.cookies
    assert not SurveyResponse.objects.exists()
    # Sending again (the browser now has the cookie) is stored.
    assert client.post(url(survey), form_data(survey)).status_code == 303
    assert SurveyResponse.objects.count() == 1


def test_the_response_stores_answers_profile_service_and_nothing_about_the_person(programme):
    survey = make_survey(programme, "skm-2017")
    client = Client()
    opened(client, survey)
    data = form_data(survey, value=3, age_band="30_39", sex="P", education="")
    client.post(url(survey), data, REMOTE_ADDR="203.0.113.9")
    response = SurveyResponse.objects.get()
    assert response.answers == dict.fromkeys(survey.spec.item_codes, 3)
    assert response.profile == {"age_band": "30_39", "sex": "P"}
    assert response.service == "sim"
    assert str(response.submission_id) == data["submission"]
    assert response.submitted_on == timezone.localdate()
    stored = {f.name for f in SurveyResponse._meta.concrete_fields}
    assert stored == {
        "id",
        "survey",
        "submission_id",
        "answers",
        "profile",
        "service",
        "respondent_mean",
        "channel",
        "submitted_on",
    }
    # The claim of the browser is a keyed hash and says nothing about the response.
    claim = BrowserClaim.objects.get()
    assert claim.token_hash != client.cookies[BROWSER_COOKIE].value
    assert {f.name for f in BrowserClaim._meta.concrete_fields} == {"id", "survey", "token_hash"}


def test_missing_or_bad_answers_show_the_form_again_naming_the_questions(programme):
    survey = make_survey(programme, "skm-2017")
    client = Client()
    opened(client, survey)
    data = form_data(survey)
    del data["U3"]
    data["U7"] = "9"
    response = client.post(url(survey), data)
    assert response.status_code == 200
    summary = response.context["error_summary"]
    assert [error["anchor"] for error in summary] == ["f-U3", "f-U7"]
    html = response.content.decode()
    assert 'href="#f-U3"' in html and 'id="f-U3"' in html
    # What was answered is kept, with the same submission id.
    assert 'id="q-U1-3" name="U1" value="4" checked' in html
    assert response.context["form"]["submission"].value() == data["submission"]
    assert not SurveyResponse.objects.exists()


def test_the_honeypot_is_thanked_and_nothing_is_stored(programme):
    survey = make_survey(programme)
    client = Client()
    opened(client, survey)
    response = client.post(url(survey), form_data(survey, website="http://spam.example"))
    assert response.status_code == 303
    assert not SurveyResponse.objects.exists()
    assert not BrowserClaim.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"submission": "not-a-uuid"},
        {"submission": ""},
        {"K1": "abc"},
        {"K1": "4.5"},
        {"K1": "-1"},
        {"K1": "4" * 5000},
        {"service": "nope"},
        {"age_band": "x" * 300},
        {"sex": "\x00"},
        {"csrfmiddlewaretoken": "x"},
    ],
)
def test_bad_input_never_breaks_the_page(programme, change):
    survey = make_survey(programme)
    client = Client(raise_request_exception=True)
    opened(client, survey)
    response = client.post(url(survey), form_data(survey) | change)
    assert response.status_code in (200, 303)
    if response.status_code == 200:
        assert response.context["error_summary"]
        assert response.context["form"]["submission"].value()  # always one to resend with
    assert SurveyResponse.objects.count() <= 1


def test_odd_requests_get_a_page_not_a_server_error(programme):
    survey = make_survey(programme, mode=Survey.Mode.CODES)
    client = Client(raise_request_exception=True)
    assert client.get("/s/no-such-token/").status_code == 404
    assert client.get("/s/" + "x" * 500 + "/").status_code == 404
    assert client.put(url(survey)).status_code == 405
    assert client.get(url(survey), {"kode": "%%%"}, follow=True).status_code == 200
    assert client.get(url(survey), {"kode": "A" * 5000}, follow=True).status_code == 200
    assert client.get(url(survey), {"f": "<script>"}, follow=True).status_code == 200
    assert client.post(url(survey), {}).status_code == 200
    client.cookies[BROWSER_COOKIE] = "bad token!"
    assert client.post(url(survey), {"submission": str(uuid.uuid4())}).status_code == 200


# --- single-use codes --------------------------------------------------------------------


@pytest.fixture
def code_survey(programme):
    return make_survey(programme, mode=Survey.Mode.CODES)


def test_a_code_is_consumed_by_its_submission(code_survey):
    _batch, codes = survey_codes_generate(actor=None, survey=code_survey, count=3)
    client = Client()
    # Scanning a slip's QR code fills the code in; typed codes may use any case and dashes.
    page = client.get(
        url(code_survey), {"kode": codes[0][:4].lower() + "-" + codes[0][4:]}, follow=True
    )
    assert page.status_code == 200 and not page.context["code_error"]
    data = form_data(code_survey, code=codes[0][:4].lower() + " " + codes[0][4:])
    assert client.post(url(code_survey), data).status_code == 303
    assert SurveyCode.objects.filter(survey=code_survey, used=True).count() == 1
    assert SurveyResponse.objects.filter(survey=code_survey).count() == 1
    # Sending the same submission again is a replay: thanked, nothing new.
    assert client.post(url(code_survey), data).status_code == 303
    assert SurveyResponse.objects.filter(survey=code_survey).count() == 1


def test_a_used_code_is_refused_with_a_clear_message(code_survey):
    _batch, codes = survey_codes_generate(actor=None, survey=code_survey, count=2)
    assert Client().post(url(code_survey), form_data(code_survey, code=codes[0])).status_code == 303
    someone_else = Client()
    response = someone_else.post(url(code_survey), form_data(code_survey, code=codes[0]))
    assert response.status_code == 409
    assert b"This code has been used already" in response.content
    assert b'data-testid="code-error"' in response.content
    # Opening the link with the used code says so before anything is answered.
    page = someone_else.get(url(code_survey), {"kode": codes[0]}, follow=True)
    assert "used already" in page.context["code_error"]
    assert SurveyResponse.objects.filter(survey=code_survey).count() == 1
    # With a fresh code from the counter the same person gets through.
    assert (
        someone_else.post(url(code_survey), form_data(code_survey, code=codes[1])).status_code
        == 303
    )


def test_an_unknown_code_is_refused_and_codes_of_another_survey_do_not_work(code_survey, world):
    other = make_survey(world.programme, "spkp-2021", mode=Survey.Mode.CODES)
    _batch, other_codes = survey_codes_generate(actor=None, survey=other, count=1)
    for code in ("ABCD-EFGH", "short", other_codes[0]):
        response = Client().post(url(code_survey), form_data(code_survey, code=code))
        assert response.status_code == 200
        assert b"not valid for this survey" in response.content
    assert not SurveyResponse.objects.exists()
    assert not SurveyCode.objects.filter(used=True).exists()


def test_codes_are_stored_only_as_keyed_hashes(code_survey):
    batch, codes = survey_codes_generate(actor=None, survey=code_survey, count=50)
    assert len(set(codes)) == 50 and batch.size == 50
    assert all(survey_codes.normalize_code(code) == code for code in codes)
    stored = set(SurveyCode.objects.filter(batch=batch).values_list("code_hash", flat=True))
    assert len(stored) == 50
    assert not any(code in value for code in codes for value in stored)
    assert stored == {survey_codes.code_hash(code_survey.pk, code) for code in codes}


def test_codes_survive_a_secret_key_rotation(code_survey, settings):
    _batch, codes = survey_codes_generate(actor=None, survey=code_survey, count=1)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    outcome = response_submit(survey=code_survey, answers=answers(code_survey), code=codes[0])
    assert outcome == Outcome.ACCEPTED


def test_the_response_does_not_record_its_code(code_survey):
    _batch, codes = survey_codes_generate(actor=None, survey=code_survey, count=1)
    response_submit(survey=code_survey, answers=answers(code_survey), code=codes[0])
    response = SurveyResponse.objects.get()
    values = str(SurveyResponse.objects.filter(pk=response.pk).values().get()) + str(
        SurveyCode.objects.values().get()
    )
    assert codes[0] not in values
    assert "used_at" not in {f.name for f in SurveyCode._meta.concrete_fields}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_racing_with_one_code_store_one_response(world):
    survey = make_survey(world.programme, mode=Survey.Mode.CODES)
    _batch, codes = survey_codes_generate(actor=None, survey=survey, count=1)
    outcomes, errors = at_once(
        lambda: response_submit(survey=survey, answers=answers(survey), code=codes[0]), 6
    )
    assert not errors
    assert sorted(outcomes) == sorted([Outcome.ACCEPTED] + [Outcome.CODE_USED] * 5)
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_submission_sent_many_times_at_once_is_stored_once(world):
    survey = make_survey(world.programme)
    same = answers(survey)
    token = survey_codes.new_browser_token()
    outcomes, errors = at_once(
        lambda: response_submit(survey=survey, answers=same, browser_token=token), 6
    )
    assert not errors
    assert sorted(outcomes) == sorted([Outcome.ACCEPTED] + [Outcome.REPLAY] * 5)
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


# --- dates and status --------------------------------------------------------------------

TODAY = datetime.date(2026, 11, 27)


@pytest.mark.parametrize(
    ("status", "start", "end", "phase"),
    [
        (Survey.Status.DRAFT, -5, 5, "draft"),
        (Survey.Status.PUBLISHED, 1, 5, "scheduled"),
        (Survey.Status.PUBLISHED, 0, 0, "open"),
        (Survey.Status.PUBLISHED, -5, -1, "ended"),
        (Survey.Status.CLOSED, -5, 5, "closed"),
    ],
)
def test_the_phase_follows_status_and_dates(programme, status, start, end, phase):
    survey = make_survey(
        programme,
        status=status,
        start=TODAY + datetime.timedelta(days=start),
        end=TODAY + datetime.timedelta(days=end),
    )
    assert survey.phase(TODAY) == phase
    outcome = response_submit(
        survey=survey, answers=answers(survey), browser_token="t" * 20, today=TODAY
    )
    assert outcome == (Outcome.ACCEPTED if phase == "open" else Outcome.NOT_OPEN)


def test_a_survey_closes_by_itself_after_its_last_day(programme):
    today = timezone.localdate()
    survey = make_survey(programme, start=today - datetime.timedelta(days=30), end=today)
    client = Client()
    opened(client, survey)
    assert client.post(url(survey), form_data(survey)).status_code == 303
    Survey.objects.filter(pk=survey.pk).update(
        start_date=today - datetime.timedelta(days=30), end_date=today - datetime.timedelta(days=1)
    )
    page = client.get(url(survey), follow=True)
    assert page.status_code == 200
    assert page.context["phase"] == "ended"
    assert b"This survey is closed" in page.content
    refused = Client()
    refused.cookies[BROWSER_COOKIE] = survey_codes.new_browser_token()
    response = refused.post(url(survey), form_data(survey))
    assert response.status_code == 403
    assert b"This survey is closed" in response.content
    assert SurveyResponse.objects.count() == 1


def test_a_closed_survey_refuses_answers_but_thanks_a_late_replay(programme):
    survey = make_survey(programme)
    client = Client()
    opened(client, survey)
    data = form_data(survey)
    client.post(url(survey), data)
    Survey.objects.filter(pk=survey.pk).update(status=Survey.Status.CLOSED)
    assert client.post(url(survey), data).status_code == 303  # the same submission, late
    response = client.post(url(survey), form_data(survey))
    assert response.status_code == 403
    assert SurveyResponse.objects.count() == 1


def test_a_survey_not_open_yet_says_when_it_opens(programme):
    survey = make_survey(
        programme,
        start=timezone.localdate() + datetime.timedelta(days=3),
        end=timezone.localdate() + datetime.timedelta(days=9),
    )
    page = Client().get(url(survey))
    assert page.context["phase"] == "scheduled"
    assert b"not open yet" in page.content and b"It opens on" in page.content
    draft = make_survey(programme, "spkp-2021", status=Survey.Status.DRAFT)
    assert b"not open yet" in Client().get(url(draft)).content


# --- rate limits -------------------------------------------------------------------------


def test_submissions_are_limited_per_address(programme, settings):
    settings.ZI_SURVEY_RATE_LIMIT = 2
    survey = make_survey(programme)
    statuses = []
    for _ in range(3):
        client = Client(REMOTE_ADDR="198.51.100.7")
        opened(client, survey)
        statuses.append(client.post(url(survey), form_data(survey)).status_code)
    assert statuses == [303, 303, 429]
    assert SurveyResponse.objects.count() == 2
    other_address = Client(REMOTE_ADDR="198.51.100.8")
    opened(other_address, survey)
    assert other_address.post(url(survey), form_data(survey)).status_code == 303


def test_the_address_comes_from_the_trusted_proxy_only(programme, settings):
    settings.ZI_SURVEY_RATE_LIMIT = 1
    settings.ZI_TRUSTED_PROXY_COUNT = 0
    survey = make_survey(programme)
    statuses = []
    for forged in ("192.0.2.1", "192.0.2.2"):
        client = Client(REMOTE_ADDR="198.51.100.7", HTTP_X_FORWARDED_FOR=forged)
        opened(client, survey)
        statuses.append(client.post(url(survey), form_data(survey)).status_code)
    assert statuses == [303, 429]  # a forged X-Forwarded-For does not buy a new allowance


def test_guessing_codes_is_capped_per_address(code_survey, settings):
    settings.ZI_SURVEY_CODE_FAILURE_LIMIT = 3
    _batch, codes = survey_codes_generate(actor=None, survey=code_survey, count=1)
    client = Client(REMOTE_ADDR="198.51.100.9")
    statuses = [
        client.post(url(code_survey), form_data(code_survey, code=f"ABCD-EFG{i}")).status_code
        for i in range(2, 6)
    ]
    assert statuses == [200, 200, 200, 429]
    # Even the right code waits until the window has passed.
    assert client.post(url(code_survey), form_data(code_survey, code=codes[0])).status_code == 429
    assert client.get(url(code_survey), {"kode": codes[0]}, follow=True).status_code == 429
    assert not SurveyResponse.objects.exists()


def test_the_respondent_can_switch_to_english(programme):
    survey = make_survey(programme, "skm-2017")
    client = Client()
    client.cookies["django_language"] = "en"
    page = opened(client, survey)
    html = page.content.decode()
    assert '<html lang="en">' in html
    assert "Send my answers" in html and "Very appropriate" in html
    client.cookies["django_language"] = "id"
    html = client.get(page.redirect_chain[-1][0]).content.decode()
    assert '<html lang="id">' in html
    assert "Kirim jawaban saya" in html and "Sangat sesuai" in html
    assert 'name="language" value="en"' in html  # the switch is on the page itself
