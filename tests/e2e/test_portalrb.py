"""The agency administrator, from their home page, proposes two units to the national portal,
confirms, creates a token and sees it once; the portal, following the published guide, gets
both units and their answers with it; revoked, the token is refused. On a desktop and on a
phone, in Indonesian and in English."""

from __future__ import annotations

import pytest

from pokja.models import Unit, UnitRole, programme_today
from tests.factories import DEFAULT_PASSWORD, UnitFactory, UserFactory, make_programme

WORDS = {
    "id": {"confirmed": "Dikonfirmasi pada", "menu": "Portal nasional", "active": "aktif"},
    "en": {"confirmed": "Confirmed on", "menu": "National portal", "active": "active"},
}


@pytest.fixture
def agency(transactional_db):
    polda = UnitFactory(code="POLDA-SUMUT", name="Polda Sumatera Utara", kind=Unit.Kind.POLDA)
    year = programme_today().year
    for code, name in (("POLRES-ASAHAN", "Polres Asahan"), ("POLRES-KARO", "Polres Karo")):
        make_programme(unit=UnitFactory(code=code, name=name, parent=polda), year=year)
    admin = UserFactory(username="agensi", full_name="Kombes Pol Hendra Siregar")
    UnitRole.objects.create(user=admin, unit=polda, kind=UnitRole.Kind.AGENCY)
    return polda


def _propose_both(journey):
    page = journey.page
    for card in page.get_by_test_id("candidate").all():
        card.locator("select[name$='-category']").select_option("WBK")
        card.locator("textarea[name$='-exception_note']").fill("Persyaratan sedang dilengkapi.")
        card.get_by_test_id("propose-form").locator("button[type=submit]").click()
        page.wait_for_load_state()
    assert page.get_by_test_id("flagged").count() == 2  # the failing checks stay visible


def _open_menu(journey, device: str, words: dict):
    page = journey.page
    if device == "phone":
        page.locator(".navbar-toggler").click()
        page.locator("#main-nav.show").wait_for()  # opened, not still sliding open
    toggle = page.get_by_test_id("nav-agency").locator(".dropdown-toggle")
    assert toggle.inner_text().strip() == words["menu"]
    toggle.click()
    page.get_by_test_id("nav-agency-proposal").wait_for(state="visible")


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_agency_proposes_two_units_and_the_portal_fetches_them(
    request, agency, device, language
):
    journey = request.getfixturevalue(device)
    page = journey.page
    words = WORDS[language]
    journey.in_language(language)
    journey.login("agensi", DEFAULT_PASSWORD)
    assert page.locator("html").get_attribute("lang") == language

    # The home page leads to the agency's pages; so does the menu, on every page.
    block = page.get_by_test_id("home-agency")
    assert block.count() == 1 and "Polda Sumatera Utara" in block.inner_text()
    assert page.get_by_test_id("no-programmes").count() == 0
    journey.screenshot(f"home-{language}")
    _open_menu(journey, device, words)
    journey.screenshot(f"menu-{language}")
    page.keyboard.press("Escape")
    block.get_by_test_id("home-agency-proposal").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/agencies/POLDA-SUMUT/portal/{programme_today().year}/")
    assert page.get_by_test_id("candidate").count() == 2
    _propose_both(journey)
    page.get_by_test_id("confirm-proposal").click()
    page.wait_for_load_state()
    assert words["confirmed"] in page.get_by_test_id("confirmation-state").inner_text()
    assert page.get_by_test_id("served").count() == 2
    journey.screenshot(f"proposal-{language}")

    page.get_by_test_id("agency-nav").locator("a[href$='/tokens/']").click()
    page.wait_for_load_state()
    page.get_by_test_id("token-form").locator("input[name=name]").fill("PortalRB 2026")
    page.get_by_test_id("token-form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    token = page.get_by_test_id("new-token-value").inner_text().strip()
    assert token.startswith("zirb_")
    assert words["active"] in page.get_by_test_id("token-row").inner_text()
    journey.screenshot(f"token-shown-once-{language}")
    journey.goto("/agencies/POLDA-SUMUT/portal/tokens/")
    assert page.get_by_test_id("new-token").count() == 0
    assert token not in page.content()

    # The portal, word for word: GET with the Bearer token, JSON back.
    api = page.context.request
    headers = {"Authorization": f"Bearer {token}"}
    base = page.get_by_test_id("api-base").inner_text().strip()
    listing = api.get(base + "pengusulan/unit-wbk", headers=headers)
    assert listing.status == 200
    assert listing.json()["tahun"] == programme_today().year
    units = listing.json()["units"]
    assert [u["id"] for u in units] == ["POLRES-ASAHAN", "POLRES-KARO"]
    for unit in units:
        answers = api.get(base + f"lke/jawaban-unit/{unit['id']}", headers=headers)
        assert answers.status == 200
        assert [a["soal_id"] for a in answers.json()["answers"]] == list(range(1, 128))

    page.get_by_test_id("agency-nav").locator("a[href$='/fetches/']").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("fetch-row").count() == 3
    journey.screenshot(f"fetch-log-{language}")

    page.get_by_test_id("agency-nav").locator("a[href$='/tokens/']").click()
    page.wait_for_load_state()
    page.get_by_test_id("token-row").locator("button[type=submit]").click()
    page.wait_for_load_state()
    refused = api.get(base + "pengusulan/unit-wbk", headers=headers)
    assert refused.status == 401 and refused.json()["error"] is True
    journey.screenshot(f"token-revoked-{language}")
    journey.assert_no_console_errors()
