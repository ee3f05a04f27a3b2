"""The coordinator's survey pages: settings (audited), codes, poster, QR code, preview."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from audit.selectors import audit_history_for
from surveys.codes import code_hash, normalize_code
from surveys.loader import load_bundled_instrument
from surveys.models import Survey, SurveyCode
from tests.surveys.factories import add_responses, make_survey, uniform

pytestmark = pytest.mark.django_db
PROGRAMME = {"unit_code": "POLRES-ALPHA", "year": 2026}


def survey_url(name: str, survey: Survey, **extra) -> str:
    return reverse(name, kwargs={**PROGRAMME, "survey_id": survey.pk, **extra})


def form(**overrides) -> dict:
    instrument = load_bundled_instrument("spkp-2021")
    return {
        "instrument": instrument.pk,
        "title": "SPKP Polres Alpha 2026",
        "start_date": "2026-07-01",
        "end_date": "2026-12-31",
        "population": "1000",
        "services": "sim: SIM baru dan perpanjangan\nSKCK\nlaporan: Laporan polisi",
        "mode": "open",
        "status": "published",
    } | overrides


def test_the_coordinator_creates_a_survey_and_the_target_follows(client, coordinator, programme):
    client.force_login(coordinator)
    page = reverse("survey_create", kwargs=PROGRAMME)
    assert client.get(page, {"instrument": "spak-2021"}).status_code == 200
    response = client.post(page, form())
    survey = Survey.objects.get()
    assert response.status_code == 302
    assert response["Location"] == survey_url("survey_detail", survey)
    assert survey.target_sample == 278
    assert survey.services == [
        {"code": "sim", "name": "SIM baru dan perpanjangan"},
        {"code": "skck", "name": "SKCK"},
        {"code": "laporan", "name": "Laporan polisi"},
    ]
    assert survey.created_by == coordinator
    entry = audit_history_for(survey).get()
    assert entry.action == "create" and entry.actor_username == "koordinator"
    assert entry.changes["population"] == [None, 1000]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end_date": "2026-06-01"}, "end_date"),
        ({"population": "0"}, "population"),
        ({"services": "sim: SIM\nsim: SIM lagi"}, "services"),
        ({"services": "sim:"}, "services"),
        ({"services": "!!!"}, "services"),
        ({"mode": "sometimes"}, "mode"),
        ({"instrument": "999999"}, "instrument"),
        ({"start_date": "31/12/2026"}, "start_date"),
    ],
)
def test_bad_settings_are_refused_naming_the_field(client, coordinator, programme, change, field):
    client.force_login(coordinator)
    response = client.post(reverse("survey_create", kwargs=PROGRAMME), form(**change))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Survey.objects.exists()


def test_settings_changes_are_audited_and_guard_the_responses(client, coordinator, programme):
    survey = make_survey(programme, "spkp-2021")
    add_responses(survey, [uniform(survey, 3)], service="skck")
    client.force_login(coordinator)
    page = survey_url("survey_edit", survey)
    assert client.get(page).status_code == 200
    data = form(services="sim: SIM\nlaporan: Laporan", title="Renamed")
    refused = client.post(page, data)
    assert "skck already has responses" in str(refused.context["form"].errors["services"])
    other = load_bundled_instrument("spak-2021")
    refused = client.post(page, form(instrument=other.pk))
    assert "cannot change once the survey has responses" in str(refused.context["form"].errors)
    ok = client.post(
        page, form(services="sim: SIM\nskck: SKCK (renamed)\nlaporan: Laporan", population="10000")
    )
    assert ok.status_code == 302
    survey.refresh_from_db()
    assert survey.target_sample == 370 and survey.title == "SPKP Polres Alpha 2026"
    entry = audit_history_for(survey).first()
    assert entry.action == "update" and entry.actor_username == "koordinator"
    assert entry.changes["target_sample"] == [278, 370]
    assert "history" in client.get(page).context


def test_codes_are_printed_once_on_the_sheet_and_stored_hashed(client, coordinator, programme):
    survey = make_survey(programme, mode=Survey.Mode.CODES)
    client.force_login(coordinator)
    page = survey_url("survey_codes", survey)
    assert client.get(page).status_code == 200
    sheet = client.post(page, {"count": "5"})
    assert sheet.status_code == 200
    assert "no-store" in sheet["Cache-Control"]
    html = sheet.content.decode()
    printed = re.findall(r'data-testid="code">([A-Z0-9]{4}-[A-Z0-9]{4})<', html)
    assert len(printed) == 5
    assert html.count("<svg viewBox=") == 5  # one QR code per slip
    stored = set(SurveyCode.objects.values_list("code_hash", flat=True))
    assert stored == {code_hash(survey.pk, normalize_code(code)) for code in printed}
    assert 'style="' not in html
    listing = client.get(page)
    assert listing.context["batches"][0].size == 5 and listing.context["batches"][0].used == 0
    assert client.post(page, {"count": "5000"}).context["form"].errors["count"]


def test_the_poster_and_the_qr_code(client, coordinator, programme, settings):
    settings.SITE_URL = "https://zi.example.go.id"
    survey = make_survey(programme)
    client.force_login(coordinator)
    poster = client.get(survey_url("survey_poster", survey))
    html = poster.content.decode()
    assert f"https://zi.example.go.id/s/{survey.public_token}/" in html
    assert '<svg viewBox="0 0 ' in html and 'class="qr"' in html
    assert 'style="' not in html and "<style" not in html
    qr = client.get(survey_url("survey_qr", survey))
    assert qr["Content-Type"] == "image/svg+xml"
    assert qr.content.startswith(b"<?xml") and b"<svg" in qr.content


def test_the_preview_shows_the_form_without_sending(client, coordinator, programme):
    survey = make_survey(programme, "skm-2017", status=Survey.Status.DRAFT)
    client.force_login(coordinator)
    response = client.get(survey_url("survey_preview", survey))
    assert response.status_code == 200
    assert b'data-testid="preview-notice"' in response.content
    assert b'class="send" disabled' in response.content


def test_another_programmes_survey_is_not_found(client, coordinator, world):
    theirs = make_survey(world.other_programme)
    client.force_login(coordinator)
    for name in ("survey_detail", "survey_edit", "survey_codes", "survey_poster"):
        assert client.get(survey_url(name, theirs)).status_code == 404


def test_the_programme_has_a_surveys_tab(client, pokja_member, programme):
    client.force_login(pokja_member)
    response = client.get(reverse("programme_detail", kwargs=PROGRAMME))
    assert reverse("survey_list", kwargs=PROGRAMME).encode() in response.content


def test_a_slip_links_to_the_survey_with_its_code(programme, settings):
    from surveys.qr import public_url

    settings.SITE_URL = "https://zi.example.go.id"
    survey = make_survey(programme, mode=Survey.Mode.CODES)
    assert public_url(survey, "ABCD-EFGH") == (
        f"https://zi.example.go.id/s/{survey.public_token}/?kode=ABCD-EFGH"
    )
