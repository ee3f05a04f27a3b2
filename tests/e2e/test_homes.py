"""Each role's home page answers "what needs me today", on a desktop and on a phone, in
Indonesian and in English, on the demo world (Polres Labuhanbatu: stored total 64.37, WBK not
met, eight items late, four done items waiting for the coordinator; Pokja 4 has submitted its
worksheet section to the TPI)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from pokja.demo import DEMO_PASSWORD

WORDS = {
    "id": {
        "total": "64,37",
        "not_met": "belum terpenuhi",
        "late": "8 kegiatan terlambat",
        "waiting": "4 kegiatan menunggu verifikasi Anda",
        "mine": "Kegiatan saya",
        "review": "1 bagian menunggu reviu Anda",
        "roles": "orang memegang peran",
        "update": "Perbarui status dan progres",
    },
    "en": {
        "total": "64.37",
        "not_met": "not met",
        "late": "8 late items",
        "waiting": "4 items wait for your verification",
        "mine": "My items",
        "review": "1 section waits for your review",
        "roles": "people hold roles",
        "update": "Update status and progress",
    },
}


def _sign_in(journey, username: str, language: str):
    journey.logout()
    journey.in_language(language)
    journey.login(username, DEMO_PASSWORD)
    assert journey.page.locator("html").get_attribute("lang") == language
    return journey.page.get_by_test_id("programme-card")


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_each_role_finds_what_needs_them_on_the_home_page(request, demo, device, language):
    journey = request.getfixturevalue(device)
    page = journey.page
    words = WORDS[language]

    # The coordinator: the stored score against the predicates, what blocks WBK, what waits
    # for their verification, what is late; the first of each one tap away.
    card = _sign_in(journey, "koordinator", language)
    expect(card.get_by_test_id("home-total")).to_have_text(words["total"])
    expect(card.get_by_test_id("home-line-WBK")).to_contain_text(words["not_met"])
    expect(card.get_by_test_id("home-blocker").first).to_contain_text("Total")
    expect(card.get_by_test_id("home-awaiting")).to_contain_text(words["waiting"])
    expect(card.get_by_test_id("home-late")).to_contain_text(words["late"])
    expect(card.get_by_test_id("home-late-item")).to_have_count(3)
    journey.screenshot(f"koordinator-{language}")
    card.get_by_test_id("home-awaiting-item").first.get_by_role("link").click()
    page.wait_for_load_state()
    assert page.url.endswith("#review")
    expect(page.get_by_test_id("review-panel")).to_be_in_viewport()

    # A Pokja chair: their Pokja's questions and items, their own items.
    card = _sign_in(journey, "ketua1", language)
    expect(card.get_by_test_id("home-chair-1")).to_be_visible()
    expect(card.get_by_test_id("home-chair-questions")).to_contain_text("18")
    journey.screenshot(f"ketua1-{language}")

    # A member: their items, one tap from the update form.
    card = _sign_in(journey, "anggota1", language)
    mine = card.get_by_test_id("home-mine")
    expect(mine).to_contain_text(words["mine"])
    expect(mine.get_by_test_id("home-mine-item").first).to_be_visible()
    journey.screenshot(f"anggota1-{language}")
    mine.get_by_test_id("home-mine-item").first.get_by_role("link").click()
    page.wait_for_load_state()
    assert re.search(r"/plan/\d+/#update$", page.url)
    expect(page.get_by_role("heading", name=words["update"])).to_be_in_viewport()
    journey.screenshot(f"anggota1-tapped-{language}")

    # The TPI: the section waiting for review, one tap from the worksheet.
    card = _sign_in(journey, "tpi", language)
    review = card.get_by_test_id("home-review")
    expect(review).to_contain_text(words["review"])
    expect(review.get_by_test_id("home-review-section")).to_contain_text("Akuntabilitas")
    journey.screenshot(f"tpi-{language}")

    # The head of unit: the score, the predicate check and the dashboard.
    card = _sign_in(journey, "pimpinan", language)
    expect(card.get_by_test_id("home-total")).to_have_text(words["total"])
    expect(card.get_by_test_id("home-blocker").first).to_be_visible()
    journey.screenshot(f"pimpinan-{language}")
    card.get_by_test_id("home-pimpinan-dashboard").click()
    page.wait_for_load_state()
    assert page.url.endswith("/dashboard/")
    expect(page.get_by_test_id("total")).to_have_text(words["total"])

    # The unit administrator: people and roles.
    card = _sign_in(journey, "operator", language)
    expect(card.get_by_test_id("home-roles")).to_contain_text(words["roles"])
    expect(page.get_by_test_id("home-people")).to_be_visible()
    journey.screenshot(f"operator-{language}")
    journey.assert_no_console_errors()
