"""Each demo role signs in and lands on its own home page, on a desktop and on a phone."""

import pytest

from pokja.demo import DEMO_PASSWORD

ROLE_HOMES = [
    ("koordinator", "home-coordinator"),
    ("ketua1", "home-pokja"),
    ("anggota3", "home-pokja"),
    ("tpi", "home-tpi"),
    ("pimpinan", "home-pimpinan"),
    ("operator", "home-manage"),
]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_each_role_sees_its_home_page(request, demo, device):
    journey = request.getfixturevalue(device)
    page = journey.page
    for username, marker in ROLE_HOMES:
        journey.login(username, DEMO_PASSWORD)
        assert page.get_by_test_id(marker).first.is_visible(), username
        assert page.get_by_test_id("programme-card").count() == 1
        journey.screenshot(username)
        journey.logout()
    journey.login("admin", DEMO_PASSWORD)
    assert page.get_by_role("link", name="Administrasi").first.count() == 1 or device == "phone"
    journey.screenshot("admin")
    journey.assert_no_console_errors()


def test_a_pokja_member_follows_the_menu_to_their_pokja(phone, demo):
    page = phone.page
    phone.login("anggota2", DEMO_PASSWORD)
    page.get_by_test_id("home-pokja").get_by_role("link").click()
    page.wait_for_load_state()
    assert "/pokja/2/" in page.url
    assert page.get_by_test_id("pokja-members").inner_text().count("\n") >= 1
    # The menu opens on a phone-sized screen.
    page.get_by_role("button", name="Buka menu").click()
    page.get_by_role("link", name="Beranda").first.wait_for(state="visible")
    phone.screenshot("pokja-page")
    phone.assert_no_console_errors()


def test_the_language_switcher_changes_the_interface(desktop, demo):
    page = desktop.page
    desktop.goto("/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_role("button", name="EN").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Sign in").is_visible()
    desktop.assert_no_console_errors()
