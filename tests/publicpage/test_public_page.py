"""The unit's public page: nothing public until published, only the blocks switched on,
no internal data, the one chosen file, cached with a constant number of queries."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from publicpage.models import BLOCK_FIELDS, PublicPage
from tests.publicpage.helpers import SECRETS, fill_programme, publish
from tests.surveys.factories import add_responses, uniform

pytestmark = pytest.mark.django_db


def _url(world, name="public_page", **extra):
    return reverse(
        name, kwargs={"unit_code": world.unit.code, "year": world.programme.year, **extra}
    )


def test_nothing_is_public_until_the_coordinator_publishes(world):
    fill_programme(world)
    assert Client().get(_url(world)).status_code == 404
    client = Client()
    client.force_login(world.coordinator)
    assert client.get(_url(world)).status_code == 404  # the coordinator previews instead
    publish(world, blocks=BLOCK_FIELDS, published=False)
    assert Client().get(_url(world)).status_code == 404
    publish(world)
    assert Client().get(_url(world)).status_code == 200


def test_only_the_blocks_switched_on_are_shown(world):
    fill_programme(world)
    publish(world, blocks={"show_pokja", "show_complaint_channels"})
    html = Client().get(_url(world)).content.decode()
    assert 'data-testid="block-pokja"' in html
    assert "Manajemen Perubahan" in html or world.pokjas[1].name in html
    assert "WhatsApp Pengaduan" in html and "0811-0000-110" in html
    for hidden in ("change-agents", "service-standards", "survey-results", "plan-progress"):
        assert f'data-testid="block-{hidden}"' not in html
    assert "Bripka Agen" not in html
    assert "Penerbitan SKCK" not in html
    assert "SPAK Polres Alpha" not in html


def test_no_internal_data_is_on_the_page(world):
    made = fill_programme(world)
    publish(world, pakta=made["pakta"])
    response = Client().get(_url(world))
    html = response.content.decode()
    assert "Bripka Agen 0" in html and "Kanit Pelayanan" in html
    assert "Penerbitan SKCK" in html
    for secret in SECRETS:
        assert secret not in html, secret
    # The only file link is the public pakta view; no evidence download URL appears.
    assert reverse("evidence_download", kwargs={"pk": made["internal"].pk}) not in html
    assert reverse("evidence_download", kwargs={"pk": made["pakta"].pk}) not in html
    assert _url(world, "public_pakta") in html


def test_the_pakta_file_is_served_only_while_chosen_and_its_block_is_on(world):
    made = fill_programme(world)
    publish(world, blocks={"show_pencanangan"}, pakta=made["pakta"])
    response = Client().get(_url(world, "public_pakta"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n% pakta\n"
    assert "sandbox" in response["Content-Security-Policy"]
    publish(world, blocks={"show_pokja"}, pakta=made["pakta"])
    assert Client().get(_url(world, "public_pakta")).status_code == 404
    publish(world, blocks={"show_pencanangan"}, pakta=None)
    assert Client().get(_url(world, "public_pakta")).status_code == 404


def test_survey_results_show_index_category_respondents_and_period(world):
    fill_programme(world, respondents=3)
    publish(world, blocks={"show_survey_results"})
    html = Client().get(_url(world)).content.decode()
    assert 'data-code="IPAK"' in html and 'data-code="IKM"' in html
    assert "4.00" in html  # IPAK: every answer 4
    assert "75.00" in html  # IKM: every answer 3 -> 3 x 25
    assert "Reaches the WBBM minimum" in html
    assert "C · " in html  # IKM 75.00 is quality C
    assert "<svg" in html and 'class="zi-chart"' in html


def test_numbers_follow_the_language(world, settings):
    fill_programme(world)
    publish(world, blocks={"show_survey_results"})
    settings.LANGUAGE_CODE = "id"
    html = Client().get(_url(world)).content.decode()
    assert "75,00" in html and "4,00" in html
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "75.00" in client.get(_url(world)).content.decode()


def _measure(django_assert_num_queries, world, expected: int) -> str:
    client = Client()
    client.get(_url(world, "public_badge", fmt="svg"))  # opens the rate-limit window
    with django_assert_num_queries(expected):
        response = client.get(_url(world))
    assert response.status_code == 200
    return response.content.decode()


# Without Redis the rate limit is counted by one statement in the database.
LIMIT = 0 if settings.REDIS_URL else 1
# page + version + pokja + agents + standards + channels + surveys in force + 2 aggregates
# + plan counts + running surveys
UNCACHED = 11
CACHED = 2  # page + version


@pytest.mark.parametrize("size", [1, 4])
def test_a_constant_number_of_queries_whatever_the_content(world, size, django_assert_num_queries):
    fill_programme(world, respondents=3 * size, agents=size, items=size)
    publish(world)
    from django.core.cache import cache

    cache.clear()
    _measure(django_assert_num_queries, world, UNCACHED + LIMIT)
    _measure(django_assert_num_queries, world, CACHED + LIMIT)


def test_publish_changes_and_new_figures_reach_the_cached_page(world):
    made = fill_programme(world)
    publish(world, blocks={"show_pokja"})
    client = Client()
    assert 'data-testid="block-survey-results"' not in client.get(_url(world)).content.decode()
    publish(world, blocks={"show_pokja", "show_survey_results"})
    html = client.get(_url(world)).content.decode()
    assert 'data-testid="block-survey-results"' in html and "75.00" in html
    add_responses(made["skm"], [uniform(made["skm"], 4)] * 3)  # IKM (3 x 75 + 3 x 100) / 6
    assert "87.50" in client.get(_url(world)).content.decode()
    publish(world, published=False)
    assert client.get(_url(world)).status_code == 404


def test_every_change_is_audited(world):
    made = fill_programme(world)
    publish(world, blocks={"show_pokja"}, pakta=made["pakta"])
    entries = AuditEntry.objects.filter(object_type="publicpage.publicpage").order_by("id")
    last = entries.last()
    assert last.actor_id == world.coordinator.pk
    assert last.programme_id == world.programme.pk
    assert last.changes["published"] == [False, True]
    assert last.changes["show_pokja"] == [False, True]
    assert last.changes["pakta_document"] == [None, made["pakta"].pk]
    assert AuditEntry.objects.filter(object_type="publicpage.servicestandard").count() == 1
    assert AuditEntry.objects.filter(object_type="publicpage.complaintchannel").count() == 1


def test_the_page_has_its_own_csp_and_asks_again_each_time(world):
    fill_programme(world)
    publish(world)
    response = Client().get(_url(world))
    csp = response["Content-Security-Policy"]
    assert "script-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "no-cache" in response["Cache-Control"]


def test_rate_limited(world, settings):
    fill_programme(world)
    publish(world)
    settings.ZI_PUBLIC_PAGE_RATE_LIMIT = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    assert client.get(_url(world)).status_code == 200
    assert client.get(_url(world)).status_code == 200
    response = client.get(_url(world))
    assert response.status_code == 429 and response["Retry-After"]
    assert Client(REMOTE_ADDR="203.0.113.10").get(_url(world)).status_code == 200


def test_the_badge_is_the_pages_qr_code_while_it_is_public(world):
    fill_programme(world)
    assert Client().get(_url(world, "public_badge", fmt="svg")).status_code == 404
    publish(world, blocks=set())
    svg = Client().get(_url(world, "public_badge", fmt="svg"))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml") or b"<svg" in svg.content[:200]
    png = Client().get(_url(world, "public_badge", fmt="png"))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    assert Client().get(_url(world, "public_badge", fmt="gif")).status_code == 404


def test_preview_shows_the_unpublished_page_to_the_coordinator(world):
    fill_programme(world)
    client = Client()
    client.force_login(world.coordinator)
    response = client.get(_url(world, "public_page_preview"))
    assert response.status_code == 200
    assert 'data-testid="preview-bar"' in response.content.decode()
    assert not PublicPage.objects.get().published  # previewing publishes nothing
    assert Client().get(_url(world)).status_code == 404


def test_settings_refuse_bad_input_and_save_nothing(world):
    made = fill_programme(world)
    client = Client()
    client.force_login(world.coordinator)
    response = client.post(_url(world, "public_standard_add"), {"standard-service": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    other = made["internal"]
    other.programme = world.other_programme  # a file of another programme is not offered
    other.save()
    response = client.post(
        _url(world, "public_page_settings"), {"published": "on", "pakta_document": other.pk}
    )
    assert response.status_code == 400
    assert not PublicPage.objects.filter(published=True).exists()


def test_the_coordinator_publishes_from_the_settings_page(world):
    made = fill_programme(world)
    client = Client()
    client.force_login(world.coordinator)
    response = client.post(
        _url(world, "public_page_settings"),
        {"published": "on", "show_pokja": "on", "pakta_document": made["pakta"].pk},
    )
    assert response.status_code == 302
    page = PublicPage.objects.get()
    assert page.published and page.show_pokja and not page.show_change_agents
    chair = Client()
    chair.force_login(world.ketua1)
    assert chair.post(_url(world, "public_page_settings"), {}).status_code == 403


def test_the_overview_links_to_the_published_pages_only(world):
    publish(world, blocks={"show_pokja"})
    client = Client()
    client.force_login(world.site_admin)
    html = client.get(reverse("units_overview")).content.decode()
    assert _url(world) in html
    other = world.other_programme
    other_url = reverse("public_page", kwargs={"unit_code": other.unit.code, "year": other.year})
    assert other_url not in html
