"""The unit's public page: the coordinator previews it, publishes two blocks, and a visitor
on a phone sees exactly those and nothing internal, neither on the page nor in what it loads,
links to or leaves in the cache; turned off, the page is gone."""

from __future__ import annotations

import pickle
import zlib
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import DEFAULT_PASSWORD, build_world
from tests.publicpage.helpers import SECRETS, fill_programme

SAVED = {"id": "Halaman publik disimpan.", "en": "Public page saved."}
NOT_PUBLIC_YET = {"id": "Halaman ini belum dipublikasikan.", "en": "It is not public yet."}


def _cached_pages() -> list[str]:
    """Every public-page content the cache holds, whatever the cache is."""
    if settings.REDIS_URL:
        import redis

        client = redis.Redis.from_url(settings.REDIS_URL)
        return [
            pickle.loads(client.get(key))  # noqa: S301 (our own cache)
            for key in client.scan_iter(match="*zi:publicpage:*")
        ]
    found = []
    for path in Path(settings.CACHES["default"]["LOCATION"]).glob("*.djcache"):
        with path.open("rb") as handle:
            pickle.load(handle)  # noqa: S301 (the expiry)
            value = pickle.loads(zlib.decompress(handle.read()))  # noqa: S301
        if isinstance(value, str) and 'data-testid="block-identity"' in value:
            found.append(value)
    return found


def _no_secret_in(text: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} reachable in {where}"


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_coordinator_publishes_two_blocks_and_a_visitor_sees_exactly_those(
    desktop, phone, language
):
    world = build_world()
    made = fill_programme(world)
    unit, year = world.unit.code, world.programme.year
    public_path = f"/p/{unit}/{year}/"
    settings_path = f"/programmes/{unit}/{year}/public-page/"
    desktop.in_language(language)
    phone.in_language(language)

    # Nothing is public yet.
    assert phone.page.goto(phone.base_url + public_path).status == 404
    phone.console_errors.clear()  # that 404 was expected

    # The coordinator previews the page as it stands (nothing switched on).
    desktop.login(world.coordinator.username, DEFAULT_PASSWORD)
    desktop.goto(settings_path)
    desktop.page.get_by_test_id("public-preview").click()
    desktop.page.wait_for_load_state()
    assert NOT_PUBLIC_YET[language] in desktop.page.get_by_test_id("preview-bar").inner_text()
    assert desktop.page.locator("[data-testid^=block-]").count() == 1  # the unit only
    desktop.screenshot(f"preview-{language}")

    # ... then publishes the page with two blocks: the Pokja and the survey results.
    desktop.goto(settings_path)
    form = desktop.page.get_by_test_id("publish-form")
    form.locator("input[name=published]").check()
    form.locator("input[name=show_pokja]").check()
    form.locator("input[name=show_survey_results]").check()
    form.locator("select[name=pakta_document]").select_option(str(made["pakta"].pk))
    form.locator("button[type=submit]").click()
    desktop.page.wait_for_load_state()
    assert SAVED[language] in desktop.page.content()
    desktop.screenshot(f"settings-{language}")
    desktop.goto(public_path)
    desktop.screenshot(f"public-{language}")
    desktop.assert_no_console_errors()

    # An anonymous visitor on a phone: exactly those blocks, nothing internal.
    loaded = []
    phone.page.on("request", lambda request: loaded.append(request.url))
    response = phone.page.goto(phone.base_url + public_path)
    assert response.status == 200
    blocks = phone.page.locator("[data-testid^=block-]")
    shown = {blocks.nth(i).get_attribute("data-testid") for i in range(blocks.count())}
    assert shown == {"block-identity", "block-pokja", "block-survey-results"}
    assert phone.page.get_by_test_id("survey-figure").count() == 2  # IPAK and IKM
    html = phone.page.content()
    _no_secret_in(html, "the page")
    assert "Bripka Agen" not in html and "Penerbitan SKCK" not in html
    assert "WhatsApp Pengaduan" not in html
    assert "/evidence/" not in html and "/media/" not in html
    # Its assets and every link of its own origin.
    links = phone.page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    own = {url for url in [*loaded, *links] if url.startswith(phone.base_url)}
    for url in own:
        answer = phone.page.context.request.get(url)
        assert answer.status in (200, 404), url
        _no_secret_in(
            answer.text() if "pdf" not in answer.headers.get("content-type", "") else "", url
        )
    # The pakta block is off, so its file is not served either.
    assert phone.page.context.request.get(phone.base_url + public_path + "pakta/").status == 404
    # And the cache keeps only what the page shows.
    cached = _cached_pages()
    assert cached
    for text in cached:
        _no_secret_in(text, "the cache")
    # Phone-first: nothing wider than the screen.
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    phone.screenshot(f"public-{language}")
    phone.assert_no_console_errors()

    # Turned off, the page is gone for the visitor at once.
    desktop.goto(settings_path)
    form = desktop.page.get_by_test_id("publish-form")
    form.locator("input[name=published]").uncheck()
    form.locator("button[type=submit]").click()
    desktop.page.wait_for_load_state()
    assert phone.page.goto(phone.base_url + public_path).status == 404
    assert phone.page.context.request.get(phone.base_url + public_path + "badge.svg").status == 404


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_demo_page_prints_on_one_a4_sheet_and_reads_on_a_phone(desktop, phone, demo, language):
    programme = demo.programme
    path = f"/p/{programme.unit.code}/{programme.year}/"
    for journey in (desktop, phone):
        journey.in_language(language)
        journey.goto(path)
        assert journey.page.get_by_test_id("block-service-standards").is_visible()
        assert journey.page.get_by_test_id("block-running-surveys").locator("svg").count() >= 1
        journey.screenshot(f"demo-{language}")
        journey.assert_no_console_errors()
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    desktop.page.set_viewport_size({"width": 718, "height": 1047})  # A4 inside its margins
    desktop.page.emulate_media(media="print")
    pdf = desktop.page.pdf(prefer_css_page_size=True)
    desktop.screenshot(f"demo-print-{language}").with_suffix(".pdf").write_bytes(pdf)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages == 1, f"the printed page takes {pages} A4 sheets"
