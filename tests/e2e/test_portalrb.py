"""The agency administrator proposes two units to the national portal, confirms, creates a
token and sees it once; the portal, following the published guide, gets both units and their
answers with it; revoked, the token is refused."""

from __future__ import annotations

import pytest

from pokja.models import Unit, UnitRole
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory, make_programme


@pytest.fixture
def agency(transactional_db):
    polda = UnitFactory(code="POLDA-SUMUT", name="Polda Sumatera Utara", kind=Unit.Kind.POLDA)
    for code, name in (("POLRES-ASAHAN", "Polres Asahan"), ("POLRES-KARO", "Polres Karo")):
        make_programme(unit=UnitFactory(code=code, name=name, parent=polda), year=2026)
    admin = UserFactory(username="agensi", full_name="Kombes Pol Hendra Siregar")
    UnitRole.objects.create(user=admin, unit=polda, kind=UnitRole.Kind.AGENCY)
    return polda


def _propose_both(journey):
    page = journey.page
    for card in page.get_by_test_id("candidate").all():
        card.get_by_label("Diusulkan untuk").select_option("WBK")
        card.get_by_label("Alasan tetap mengusulkan meski pemeriksaan belum terpenuhi").fill(
            "Persyaratan sedang dilengkapi."
        )
        card.get_by_role("button", name="Simpan").click()
        page.wait_for_load_state()
    assert page.get_by_test_id("flagged").count() == 2  # the failing checks stay visible


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_agency_proposes_two_units_and_the_portal_fetches_them(request, agency, device):
    journey = request.getfixturevalue(device)
    page = journey.page
    journey.login("agensi", DEFAULT_PASSWORD)
    journey.goto("/agencies/POLDA-SUMUT/portal/2026/")
    assert page.get_by_test_id("candidate").count() == 2
    _propose_both(journey)
    page.get_by_test_id("confirm-proposal").click()
    page.wait_for_load_state()
    assert "Dikonfirmasi pada" in page.get_by_test_id("confirmation-state").inner_text()
    assert page.get_by_test_id("served").count() == 2
    journey.screenshot("proposal")

    page.get_by_role("link", name="Token portal").first.click()
    page.wait_for_load_state()
    page.get_by_label("Nama token").fill("PortalRB 2026")
    page.get_by_role("button", name="Buat token").click()
    page.wait_for_load_state()
    token = page.get_by_test_id("new-token-value").inner_text().strip()
    assert token.startswith("zirb_")
    journey.screenshot("token-shown-once")
    journey.goto("/agencies/POLDA-SUMUT/portal/tokens/")
    assert page.get_by_test_id("new-token").count() == 0
    assert token not in page.content()

    # The portal, word for word: GET with the Bearer token, JSON back.
    api = page.context.request
    headers = {"Authorization": f"Bearer {token}"}
    listing = api.get(journey.base_url + "/api/portalrb/pengusulan/unit-wbk", headers=headers)
    assert listing.status == 200
    units = listing.json()["units"]
    assert [u["id"] for u in units] == ["POLRES-ASAHAN", "POLRES-KARO"]
    for unit in units:
        answers = api.get(
            journey.base_url + f"/api/portalrb/lke/jawaban-unit/{unit['id']}", headers=headers
        )
        assert answers.status == 200
        assert [a["soal_id"] for a in answers.json()["answers"]] == list(range(1, 128))

    journey.goto("/agencies/POLDA-SUMUT/portal/fetches/")
    assert page.get_by_test_id("fetch-log").locator("tbody tr").count() == 3
    journey.screenshot("fetch-log")

    journey.goto("/agencies/POLDA-SUMUT/portal/tokens/")
    page.get_by_role("button", name="Cabut").click()
    page.wait_for_load_state()
    refused = api.get(journey.base_url + "/api/portalrb/pengusulan/unit-wbk", headers=headers)
    assert refused.status == 401 and refused.json()["error"] is True
    journey.screenshot("token-revoked")
    journey.assert_no_console_errors()
