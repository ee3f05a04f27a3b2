"""Absolute links: pages follow the address the person reached unless ZI_SITE_URL is set;
e-mails and background files use ZI_SITE_URL; an export keeps the address it was asked on."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.urls import reverse

from evaluations.services import answer_evidence_add
from reports.models import ExportJob
from reports.tasks import run_export
from tests.project.test_settings import run_django
from tests.reports.conftest import open_workbook
from tests.surveys.factories import make_survey
from zi_tracker.http import DEVELOPMENT_SITE_URL, absolute_url, site_url

LAN = "10.20.30.40:8011"


@pytest.fixture
def lan(settings):
    """A server reached at another host and port (`make run HOST=0.0.0.0 PORT=8011`),
    with ZI_SITE_URL unset."""
    settings.SITE_URL = None
    settings.ALLOWED_HOSTS = ["10.20.30.40", "testserver"]
    return Client(HTTP_HOST=LAN)


def test_the_base_is_zi_site_url_else_the_request_else_the_recorded_address(settings):
    request = RequestFactory().get("/", HTTP_HOST="10.20.30.40:8011")
    settings.ALLOWED_HOSTS = ["10.20.30.40"]
    settings.SITE_URL = None
    assert site_url(request) == "http://10.20.30.40:8011"
    assert site_url(request, recorded="http://elsewhere:1") == "http://10.20.30.40:8011"
    assert site_url(recorded="http://10.20.30.40:8011") == "http://10.20.30.40:8011"
    assert site_url() == DEVELOPMENT_SITE_URL == "http://127.0.0.1:8000"
    secure = RequestFactory().get("/", HTTP_HOST="10.20.30.40", secure=True)
    assert absolute_url("/s/x/", request=secure) == "https://10.20.30.40/s/x/"
    settings.SITE_URL = "https://zi.polres.example"
    for kwargs in ({"request": request}, {"recorded": "http://10.20.30.40:8011"}, {}):
        assert absolute_url("/s/x/", **kwargs) == "https://zi.polres.example/s/x/"


def test_a_host_outside_allowed_hosts_never_becomes_a_link(lan, coordinator, programme):
    survey = make_survey(programme)
    stranger = Client(HTTP_HOST="evil.example")
    stranger.force_login(coordinator)
    page = reverse("survey_poster", kwargs={**programme.url_kwargs(), "survey_id": survey.pk})
    response = stranger.get(page)
    assert response.status_code == 400
    assert b"evil.example" not in response.content


def survey_pages(programme, survey) -> dict[str, str]:
    kwargs = {**programme.url_kwargs(), "survey_id": survey.pk}
    return {name: reverse(name, kwargs=kwargs) for name in ("survey_detail", "survey_poster")}


def test_survey_links_posters_and_qr_codes_follow_the_address_reached(lan, coordinator, programme):
    survey = make_survey(programme)
    expected = f"http://{LAN}/s/{survey.public_token}/"
    lan.force_login(coordinator)
    for name, page in survey_pages(programme, survey).items():
        html = lan.get(page).content.decode()
        assert expected in html, name
        assert ":8000" not in html, name
    qr = lan.get(
        reverse("survey_qr", kwargs={**programme.url_kwargs(), "survey_id": survey.pk})
    ).content
    assert b"<svg" in qr
    # The QR code encodes the link: the poster's SVG differs from one made for port 8000.
    from surveys.qr import qr_svg_document

    assert qr == qr_svg_document(expected)
    assert qr != qr_svg_document(f"http://127.0.0.1:8000/s/{survey.public_token}/")


def test_code_slips_follow_the_address_reached(lan, coordinator, programme):
    from surveys.models import Survey

    survey = make_survey(programme, mode=Survey.Mode.CODES)
    lan.force_login(coordinator)
    sheet = lan.post(
        reverse("survey_codes", kwargs={**programme.url_kwargs(), "survey_id": survey.pk}),
        {"count": "2"},
    )
    html = sheet.content.decode()
    assert html.count(f"http://{LAN}/s/{survey.public_token}/") >= 1
    assert "127.0.0.1" not in html


def test_zi_site_url_wins_over_the_address_reached(lan, settings, coordinator, programme):
    settings.SITE_URL = "https://zi.polres.example"
    survey = make_survey(programme)
    lan.force_login(coordinator)
    for page in survey_pages(programme, survey).values():
        html = lan.get(page).content.decode()
        assert f"https://zi.polres.example/s/{survey.public_token}/" in html
        assert LAN not in html


def evidence_file(coordinator, programme):
    return answer_evidence_add(
        actor=coordinator,
        programme=programme,
        number=1,
        uploaded=SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n% sk\n", content_type="application/pdf"),
        title="SK tim",
    )


def ask_export(client, programme) -> ExportJob:
    response = client.post(
        reverse("export_create", kwargs=programme.url_kwargs()), {"kind": "lke_xlsx"}
    )
    assert response.status_code == 302
    return ExportJob.objects.filter(programme=programme).latest("pk")


def workbook_links(job: ExportJob) -> list[str]:
    assert run_export(job.pk) is True
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        sheet = open_workbook(handle.read())["Bukti Dukung"]
    return [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_an_export_asked_for_on_a_page_links_to_the_address_it_was_asked_on(
    lan, coordinator, programme
):
    evidence = evidence_file(coordinator, programme)
    lan.force_login(coordinator)
    job = ask_export(lan, programme)
    assert job.site_url == f"http://{LAN}"
    assert workbook_links(job) == [f"http://{LAN}/evidence/{evidence.pk}/download/"]


def test_an_export_follows_zi_site_url_when_it_is_set(lan, settings, coordinator, programme):
    settings.SITE_URL = "https://zi.polres.example"
    evidence = evidence_file(coordinator, programme)
    lan.force_login(coordinator)
    job = ask_export(lan, programme)
    assert workbook_links(job) == [f"https://zi.polres.example/evidence/{evidence.pk}/download/"]


def test_e_mails_use_zi_site_url_whatever_address_the_request_came_on(lan, settings, world):
    settings.SITE_URL = "https://zi.polres.example"
    response = lan.post(reverse("password_reset"), {"email": world.coordinator.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    links = re.findall(r"https?://[^/\s]+", message.body)
    assert links and set(links) == {"https://zi.polres.example"}


def test_e_mails_without_zi_site_url_never_take_the_request_host(lan, world):
    lan.post(reverse("password_reset"), {"email": world.coordinator.email})
    (message,) = mail.outbox
    assert set(re.findall(r"https?://[^/\s]+", message.body)) == {DEVELOPMENT_SITE_URL}
    assert LAN not in message.body


@pytest.mark.parametrize(
    "value", ["https://zi.example.go.id/zi", "https://zi.example.go.id/?a=1", "https://"]
)
def test_zi_site_url_is_a_scheme_and_host_only(value):
    result = run_django("pass", ZI_SITE_URL=value)
    assert result.returncode != 0
    assert "ZI_SITE_URL=" in result.stderr and "must be a scheme and host only" in result.stderr


def test_zi_site_url_may_end_with_a_slash():
    result = run_django(
        "from django.conf import settings as s; print(s.SITE_URL)",
        ZI_SITE_URL="http://10.0.0.5:8011/",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["http://10.0.0.5:8011"]
