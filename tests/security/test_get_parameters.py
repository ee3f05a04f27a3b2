"""GET parameters out of range or malformed give the page with a message naming the
parameter's field, never a 500 (issue 18, item 2)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from audit.models import AuditEntry
from pokja.services import programme_update
from tests.factories import build_world
from tests.permission_matrix import MATRIX

pytestmark = pytest.mark.django_db


def _url(name, world, **extra):
    return reverse(name, kwargs={**MATRIX[name].kwargs(world), **extra})


@pytest.fixture
def world(db):
    return build_world()


def _problems(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"date_from": "0001-01-01", "date_to": "9999-12-31"},
        {"date_to": "10000-01-01"},
        {"date_from": "0000-01-01"},
    ],
)
def test_audit_dates_at_the_calendars_ends_are_told_not_a_500(client, world, query):
    client.force_login(world.coordinator)
    response = client.get(_url("audit_trail", world), query)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == set(query)
    # The rejected bounds narrow nothing: every entry of the programme is listed.
    assert response.context["page"].paginator.count == (
        AuditEntry.objects.filter(programme_id=world.programme.pk).count()
    )


def test_an_audit_date_out_of_range_names_the_field_in_both_languages(client, world):
    client.force_login(world.coordinator)
    url = _url("audit_trail", world)
    for language, said in (("en", "Until: give a day from"), ("id", "Sampai: beri tanggal dari")):
        with translation.override(language):
            first = date_format(datetime.date(2000, 1, 1))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url, {"date_to": "9999-12-31"})
        assert f"{said} {first}" in response.content.decode(), language


def test_a_valid_audit_bound_still_applies_when_another_is_rejected(client, world):
    programme_update(actor=world.coordinator, programme=world.programme, target="WBBM")
    client.force_login(world.coordinator)
    response = client.get(_url("audit_trail", world), {"date_to": "9999-12-31", "action": "update"})
    assert response.status_code == 200
    shown = {row.entry.action for row in response.context["rows"]}
    assert shown == {"update"}


def test_the_audit_selector_takes_the_calendars_ends_without_overflowing(world):
    from audit.selectors import AuditFilters, audit_entries_in_scope, audit_filter

    scope = audit_entries_in_scope(
        programme_id=world.programme.pk, unit_id=world.unit.pk, include_unit_wide=False
    )
    filters = AuditFilters(date_from=datetime.date.min, date_to=datetime.date.max)
    assert audit_filter(scope, filters).count() == scope.count() > 0


def test_a_finding_status_that_is_not_one_is_told_on_the_page(client, world):
    client.force_login(world.coordinator)
    response = client.get(_url("findings", world), {"status": "nonsense\x00"})
    assert response.status_code == 200
    assert 'data-testid="query-problems"' in response.content.decode()
    assert "status" in response.context["filter_form"].errors


def test_the_overview_tells_a_parameter_it_did_not_apply(client, world):
    client.force_login(world.oversight)
    response = client.get(
        reverse("units_overview"), {"year": "99999999999999999999", "q": "x" * 5000}
    )
    assert response.status_code == 200
    assert 'data-testid="query-problems"' in response.content.decode()
    assert set(response.context["form"].errors) == {"year", "q"}


@pytest.mark.parametrize("value", ["\x00", "x" * 10000, "no-such-instrument", "-1"])
def test_an_unknown_instrument_for_a_new_survey_is_told_not_a_500(client, world, value):
    client.force_login(world.coordinator)
    response = client.get(_url("survey_create", world), {"instrument": value})
    assert response.status_code == 200
    assert 'data-testid="query-problems"' in response.content.decode()


def test_a_known_instrument_starts_the_new_survey_on_it(client, world):
    from surveys.forms import latest_instruments
    from surveys.loader import load_bundled_instruments

    load_bundled_instruments()
    instrument = latest_instruments().first()
    client.force_login(world.coordinator)
    response = client.get(_url("survey_create", world), {"instrument": instrument.slug})
    assert response.status_code == 200
    assert response.context["form"].initial["instrument"] == instrument.pk
    assert 'data-testid="query-problems"' not in response.content.decode()


def test_people_and_plan_filters_keep_their_valid_parameters(client, world):
    client.force_login(world.unit_admin)
    response = client.get(
        reverse("unit_people", kwargs={"unit_code": world.unit.code}),
        {"status": "all", "q": "\x00"},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"q"}
    client.force_login(world.coordinator)
    response = client.get(_url("pokja_plan", world), {"status": "nonsense", "late": "1"})
    assert response.status_code == 200
    assert set(response.context["filter_form"].errors) == {"status"}


@pytest.mark.postgres
def test_audit_dates_at_the_calendars_ends_on_postgresql(client, world):
    client.force_login(world.coordinator)
    for query in ({"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}):
        assert client.get(_url("audit_trail", world), query).status_code == 200
