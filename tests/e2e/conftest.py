"""Browser journeys: Playwright driving Debian's Chromium against a live server.

The server is pytest-django's live server (a real HTTP server in a thread) on 127.0.0.1,
serving the test database. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls our tests make
# there are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("ZI_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(autouse=True)
def _interface_language_as_deployed(settings):
    settings.LANGUAGE_CODE = "id"  # journeys see what users see (other tests read English)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


class Journey:
    """A browser page bound to the live server, collecting console errors (e.g. CSP)."""

    def __init__(self, page, base_url: str, name: str):
        self.page = page
        self.base_url = base_url
        self.name = name
        self.console_errors: list[str] = []
        page.on(
            "console",
            lambda msg: self.console_errors.append(msg.text) if msg.type == "error" else None,
        )
        page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))

    def goto(self, path: str):
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.status < 500, (
            f"{path}: {response and response.status}"
        )
        return response

    def login(self, username: str, password: str):
        self.goto("/accounts/login/")
        self.page.fill("input[name=username]", username)
        self.page.fill("input[name=password]", password)
        self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_load_state()
        assert "/accounts/login/" not in self.page.url, f"login as {username} failed"

    def logout(self):
        self.page.context.clear_cookies()

    def upload(self, path: str, file: Path, form: str) -> None:
        """Open the page at `path`, choose `file` in its file field and send the form whose
        data-testid is `form`."""
        self.goto(path)
        self.page.set_input_files("input[name=file]", str(file))
        self.page.get_by_test_id(form).locator("button[type=submit]").click()
        self.page.wait_for_load_state()

    def in_language(self, language: str) -> None:
        """The pages in `language` from the next one on, as the language switcher leaves it
        (its cookie)."""
        self.page.context.add_cookies(
            [{"name": "django_language", "value": language, "url": self.base_url}]
        )

    def screenshot(self, label: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        safe = re.sub(r"[^a-zA-Z0-9_-]+", "-", f"{self.name}-{label}")
        path = SCREENSHOTS / f"{safe}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def assert_no_console_errors(self):
        assert not self.console_errors, f"browser console errors: {self.console_errors}"


def _journey(browser, live_server, request, options, label):
    context = browser.new_context(base_url=live_server.url, locale="id-ID", **options)
    page = context.new_page()
    journey = Journey(page, live_server.url, f"{request.node.name}-{label}")
    yield journey
    context.close()


@pytest.fixture
def desktop(browser, live_server, transactional_db, request):
    yield from _journey(browser, live_server, request, DESKTOP, "desktop")


@pytest.fixture
def phone(browser, live_server, transactional_db, request):
    yield from _journey(browser, live_server, request, PHONE, "phone")


@pytest.fixture
def demo(transactional_db):
    """The demo world of `seed_demo` (demo users with the demo password), a fresh copy."""
    from tests.demo_world import demo_world

    return demo_world()
