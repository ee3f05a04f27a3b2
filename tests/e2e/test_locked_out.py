"""A person locked out of their account gets back in through the reset e-mail (phone,
Indonesian); an account name slowed down by failures elsewhere says how long to wait
(desktop, English)."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, build_world


def sign_in(page, username: str, password: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_a_locked_out_coordinator_gets_back_in_through_the_reset_e_mail(phone):
    world = build_world()
    page = phone.page
    phone.goto("/accounts/login/")
    for _ in range(5):
        sign_in(page, "koordinator", "salah-ketik")
    assert page.get_by_test_id("sign-in-locked").is_visible()
    assert "dikunci selama 30 menit" in page.get_by_test_id("sign-in-locked").inner_text()
    phone.screenshot("locked")

    page.get_by_role("link", name="Lupa kata sandi?").click()
    page.wait_for_load_state()
    page.fill("input[name=email]", world.coordinator.email)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Periksa surel Anda").is_visible()
    phone.screenshot("reset-sent")

    (message,) = mail.outbox
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)
    phone.goto(path)
    new = "Zona-Integritas-Baru-2026"
    page.fill("input[name=new_password1]", new)
    page.fill("input[name=new_password2]", new)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    phone.screenshot("reset-done")
    phone.goto("/accounts/login/")
    sign_in(page, "koordinator", new)
    assert "/accounts/login/" not in page.url  # the lock went with the reset
    assert_only_the_refusal_logged(phone)


def test_a_slowed_down_account_name_says_how_long_to_wait(desktop):
    build_world()
    # Guesses from eight addresses elsewhere, each after the wait the one before left.
    for i in range(8):
        _age_failures(61)
        Client(REMOTE_ADDR=f"203.0.113.{i}").post(
            reverse("login"), {"username": "ketua1", "password": "tebakan"}
        )
    page = desktop.page
    desktop.in_language("en")
    desktop.goto("/accounts/login/")
    sign_in(page, "ketua1", DEFAULT_PASSWORD)
    wait = page.get_by_test_id("sign-in-wait")
    assert wait.is_visible()
    assert re.search(r"Wait \d+ seconds before trying again", wait.inner_text())
    desktop.screenshot("slowed-en")
    assert_only_the_refusal_logged(desktop)


def _age_failures(seconds: int) -> None:
    import datetime

    from axes.models import AccessAttempt

    for row in AccessAttempt.objects.all():
        row.attempt_time -= datetime.timedelta(seconds=seconds)
        row.save(update_fields=["attempt_time"])


def assert_only_the_refusal_logged(journey) -> None:
    """The browser logs the refused sign-in's status (429) itself; nothing else may fail."""
    others = [e for e in journey.console_errors if "status of 429" not in e]
    assert not others, f"browser console errors: {others}"
