"""Which year the portal is served. The contract (Panduan Teknis API Integrasi ZI 1.0.0) lets
the portal ask for no year: each payload carries "tahun", and it is the year of the proposal
served, the latest one the agency confirmed (documented in openapi.yaml)."""

from __future__ import annotations

import pytest
from django.test import Client

from evaluations import services as lke
from pokja.models import Unit
from portalrb import services
from portalrb.models import Category
from tests.factories import UnitFactory, make_programme

pytestmark = pytest.mark.django_db

BASE = "/api/portalrb/"


def _get(token: str, path: str):
    return Client().get(BASE + path, headers={"Authorization": f"Bearer {token}"})


def _propose(agency, programme, category=Category.WBK):
    proposal = services.proposal_get_or_create(agency=agency, year=programme.year, user=None)
    services.proposed_unit_set(
        proposal=proposal, programme=programme, user=None, category=category, exception_note="x"
    )
    return proposal


@pytest.fixture
def two_years():
    agency = UnitFactory(code="POLDA-TAHUN", name="Polda Tahun", kind=Unit.Kind.POLDA)
    old_unit = UnitFactory(code="POLRES-LAMA", name="Polres Lama", parent=agency)
    unit = UnitFactory(code="POLRES-KINI", name="Polres Kini", parent=agency)
    # 2025: Polres Lama proposed and confirmed; Polres Kini answered "Ya" to question 1.
    old_programme = make_programme(unit=old_unit, year=2025)
    previous = make_programme(unit=unit, year=2025)
    lke.answer_set_unit(actor=None, programme=previous, number=1, value="Ya")
    services.proposal_confirm(proposal=_propose(agency, old_programme), user=None)
    services.proposal_confirm(proposal=_propose(agency, previous), user=None)
    # 2026: Polres Kini proposed and confirmed with another answer.
    current = make_programme(unit=unit, year=2026)
    lke.answer_set_unit(actor=None, programme=current, number=1, value="Tidak")
    proposal_2026 = _propose(agency, current)
    _row, raw = services.token_create(agency=agency, name="PortalRB", user=None)
    return {"agency": agency, "current": current, "proposal": proposal_2026, "token": raw}


def test_before_the_new_year_is_confirmed_the_last_confirmed_year_is_served(two_years):
    listing = _get(two_years["token"], "pengusulan/unit-wbk").json()
    assert listing["tahun"] == 2025
    assert {u["id"] for u in listing["units"]} == {"POLRES-LAMA", "POLRES-KINI"}
    answers = _get(two_years["token"], "lke/jawaban-unit/POLRES-KINI").json()
    assert answers["tahun"] == 2025
    assert answers["answers"][0]["jawaban_unit"] == "Ya"


def test_the_latest_confirmed_year_is_served_with_its_own_year(two_years):
    services.proposal_confirm(proposal=two_years["proposal"], user=None)
    for path in ("pengusulan/unit-wbk", "pengusulan/unit-wbbm"):
        assert _get(two_years["token"], path).json()["tahun"] == 2026
    listing = _get(two_years["token"], "pengusulan/unit-wbk").json()
    assert [u["id"] for u in listing["units"]] == ["POLRES-KINI"]
    answers = _get(two_years["token"], "lke/jawaban-unit/POLRES-KINI").json()
    assert answers["tahun"] == 2026
    assert answers["answers"][0]["jawaban_unit"] == "Tidak"
    # a unit proposed only in the year before is not in the proposal served
    assert _get(two_years["token"], "lke/jawaban-unit/POLRES-LAMA").status_code == 404
    # a year the agency begins but has not confirmed changes nothing
    later = make_programme(
        unit=UnitFactory(code="POLRES-BARU", parent=two_years["agency"]), year=2027
    )
    _propose(two_years["agency"], later)
    assert _get(two_years["token"], "pengusulan/unit-wbk").json()["tahun"] == 2026


def test_a_year_asked_for_is_not_read(two_years):
    """The contract has no year parameter: the payload's tahun says which year it is."""
    services.proposal_confirm(proposal=two_years["proposal"], user=None)
    response = _get(two_years["token"], "pengusulan/unit-wbk?tahun=2025")
    assert response.status_code == 200
    assert response.json()["tahun"] == 2026


def test_the_openapi_description_says_which_year_is_served():
    import yaml

    spec = yaml.safe_load(Client().get(BASE + "openapi.yaml").content)
    assert "no query parameter is read" in " ".join(spec["info"]["description"].split())
    for schema in ("UnitList", "UnitAnswers"):
        tahun = spec["components"]["schemas"][schema]["properties"]["tahun"]
        assert "latest" in tahun["description"] or "listing" in tahun["description"]
    for path in spec["paths"].values():
        assert all(p["in"] == "path" for p in path["get"].get("parameters", []))
