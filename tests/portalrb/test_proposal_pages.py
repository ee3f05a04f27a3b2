"""The agency administrator's pages: propose, record the prerequisites, confirm; tokens shown
once and revoked; the fetch log; nobody outside the agency sees any of it."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from pokja.models import Unit, UnitRole
from portalrb.models import ApiToken, FetchLog, Proposal, ProposedUnit, token_digest
from tests.factories import UnitFactory, UserFactory, give_role, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_pages():
    agency = UnitFactory(code="POLDA-ALPHA", name="Polda Alpha", kind=Unit.Kind.POLDA)
    units = [
        UnitFactory(code=f"POLRES-{n}", name=f"Polres {n.title()}", parent=agency)
        for n in ("SATU", "DUA", "TIGA")
    ]
    programmes = [
        make_programme(unit=unit, year=2026, holds_wbk=(i == 1)) for i, unit in enumerate(units)
    ]
    other = UnitFactory(code="POLDA-BETA", kind=Unit.Kind.POLDA)
    other_programme = make_programme(unit=UnitFactory(code="POLRES-LUAR", parent=other), year=2026)
    admin = UserFactory(username="agency-admin")
    UnitRole.objects.create(user=admin, unit=agency, kind=UnitRole.Kind.AGENCY)
    client = Client()
    client.force_login(admin)
    return {
        "agency": agency,
        "programmes": programmes,
        "other_programme": other_programme,
        "admin": admin,
        "client": client,
    }


def _url(name, **kwargs):
    return reverse(name, kwargs={"unit_code": "POLDA-ALPHA", **kwargs})


def _propose(client, programme, category, note=""):
    return client.post(
        _url("portalrb_proposed_unit", year=2026, programme_id=programme.pk),
        {f"p{programme.pk}-category": category, f"p{programme.pk}-exception_note": note},
        follow=True,
    )


def test_the_agency_admin_sees_its_units_programmes_with_scores_and_checks(
    agency_pages, django_assert_num_queries
):
    client = agency_pages["client"]
    _propose(client, agency_pages["programmes"][0], "WBK")
    # the same number of queries whatever the number of programmes
    with django_assert_num_queries(11):
        client.get(_url("portalrb_proposal", year=2026))
    make_programme(unit=UnitFactory(code="POLRES-EMPAT", parent=agency_pages["agency"]), year=2026)
    with django_assert_num_queries(11):
        response = client.get(_url("portalrb_proposal", year=2026))
    assert response.status_code == 200
    page = response.content.decode()
    for name in ("Polres Satu", "Polres Dua", "Polres Tiga"):
        assert name in page
    assert "POLRES-LUAR" not in page
    assert 'data-code="tlhp"' in page and 'data-code="scores"' in page
    # WBBM is offered only for the unit holding WBK
    assert page.count('<option value="WBBM"') == 1


def test_wbbm_is_refused_for_a_unit_without_wbk_naming_it(agency_pages):
    client = agency_pages["client"]
    satu = agency_pages["programmes"][0]
    response = _propose(client, satu, "WBBM")
    assert "Polres Satu does not hold WBK yet" in response.content.decode() or (
        "Polres Satu belum" in response.content.decode()
    )
    assert not ProposedUnit.objects.filter(programme=satu).exists()


def test_a_flagged_unit_is_not_confirmed_without_a_reason(agency_pages):
    client = agency_pages["client"]
    satu, dua, _tiga = agency_pages["programmes"]
    _propose(client, satu, "WBK")
    _propose(client, dua, "WBBM")
    response = client.post(_url("portalrb_confirm", year=2026), follow=True)
    page = response.content.decode()
    assert "Polres Satu" in page and "Polres Dua" in page
    assert Proposal.objects.get().confirmed_at is None
    assert not ProposedUnit.objects.exclude(confirmed_category="").exists()
    _propose(client, satu, "WBK", "Temuan TLHP ditindaklanjuti bulan depan.")
    _propose(client, dua, "WBBM", "Predikat WBK 2024.")
    client.post(_url("portalrb_confirm", year=2026))
    proposal = Proposal.objects.get()
    assert proposal.confirmed_at is not None and proposal.confirmed_by == agency_pages["admin"]
    assert set(ProposedUnit.objects.values_list("confirmed_category", flat=True)) == {
        "WBK",
        "WBBM",
    }
    assert len(ProposedUnit.objects.get(programme=satu).snapshot) == 127
    audited = set(
        AuditEntry.objects.filter(unit_id=agency_pages["agency"].pk).values_list(
            "object_type", flat=True
        )
    )
    assert {"portalrb.proposal", "portalrb.proposedunit"} <= audited


def test_the_prerequisites_are_recorded_and_audited(agency_pages):
    client = agency_pages["client"]
    client.post(
        _url("portalrb_prerequisites", year=2026), {"audit_opinion": "WTP", "sakip_grade": "BB"}
    )
    proposal = Proposal.objects.get()
    assert (proposal.audit_opinion, proposal.sakip_grade) == ("WTP", "BB")
    assert AuditEntry.objects.filter(
        object_type="portalrb.proposal", changes__has_key="sakip_grade"
    ).exists()
    response = client.post(
        _url("portalrb_prerequisites", year=2026), {"audit_opinion": "XYZ"}, follow=True
    )
    assert response.status_code == 200
    assert Proposal.objects.get().audit_opinion == "WTP"


def test_a_token_is_shown_once_stored_hashed_and_revoked(agency_pages):
    client = agency_pages["client"]
    response = client.post(_url("portalrb_tokens"), {"name": "PortalRB 2026"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = re.search(r'data-testid="new-token-value">([^<]+)<', response.content.decode()).group(1)
    token = ApiToken.objects.get()
    assert token.digest == token_digest(raw) and token.name == "PortalRB 2026"
    again = client.get(_url("portalrb_tokens")).content.decode()
    assert raw not in again and "PortalRB 2026" in again
    assert client.post(_url("portalrb_tokens"), {"name": "  "}).status_code == 200
    assert ApiToken.objects.count() == 1
    client.post(_url("portalrb_token_revoke", token_id=token.pk))
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == agency_pages["admin"]


def test_the_fetch_log_shows_what_the_portal_fetched(agency_pages):
    token = ApiToken.objects.create(
        agency=agency_pages["agency"], name="Portal", digest="0" * 64, prefix="zirb_0000"
    )
    FetchLog.objects.create(
        agency=agency_pages["agency"],
        token=token,
        endpoint="lke/jawaban-unit",
        unit_id="POLRES-SATU",
        status=200,
    )
    FetchLog.objects.create(agency=None, endpoint="pengusulan/unit-wbk", status=401)
    page = agency_pages["client"].get(_url("portalrb_fetch_log")).content.decode()
    assert "POLRES-SATU" in page and "lke/jawaban-unit" in page
    assert "pengusulan/unit-wbk" not in page  # a request without a valid token is no agency's


@pytest.mark.parametrize(
    "who", ["anonymous", "no_role", "oversight", "coordinator", "other_agency"]
)
def test_nobody_outside_the_agency_sees_its_pages(agency_pages, who):
    client = Client()
    user = None
    if who != "anonymous":
        user = UserFactory(username=f"u-{who}")
        if who == "oversight":
            UnitRole.objects.create(
                user=user, unit=agency_pages["agency"], kind=UnitRole.Kind.OVERSIGHT
            )
        if who == "coordinator":
            give_role(user, agency_pages["programmes"][0], "koordinator")
        if who == "other_agency":
            UnitRole.objects.create(
                user=user, unit=Unit.objects.get(code="POLDA-BETA"), kind=UnitRole.Kind.AGENCY
            )
        client.force_login(user)
    expected = 302 if user is None else 404
    for url in (
        _url("portalrb_proposal", year=2026),
        _url("portalrb_tokens"),
        _url("portalrb_fetch_log"),
    ):
        assert client.get(url).status_code == expected


def test_a_programme_outside_the_agency_cannot_be_proposed(agency_pages):
    outside = agency_pages["other_programme"]
    response = agency_pages["client"].post(
        _url("portalrb_proposed_unit", year=2026, programme_id=outside.pk),
        {f"p{outside.pk}-category": "WBK"},
    )
    assert response.status_code == 404
    assert not ProposedUnit.objects.exists()


def test_the_command_prints_a_new_token(agency_pages, capsys):
    call_command("portalrb_token", "--agency", "POLDA-ALPHA", "--name", "Operator")
    raw = capsys.readouterr().out.strip()
    assert ApiToken.objects.get(name="Operator").digest == token_digest(raw)
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--agency"):
        call_command("portalrb_token", "--agency", "POLDA-NONE", "--name", "x")
