"""Signing in: throttling per account and per address, passwords, sessions, password reset."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def attempt(username: str, password: str, *, address: str = "10.0.0.1", path: str = "login"):
    return Client(REMOTE_ADDR=address).post(
        reverse(path), {"username": username, "password": password}
    )


def signed_in(response) -> bool:
    return response.status_code == 302


def locked(response) -> bool:
    return response.status_code == 429 and b"Too many failed sign-in attempts" in response.content


def test_the_configured_limit_is_the_documented_default():
    assert LIMIT == 5
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME


def test_an_account_locks_after_the_configured_failures_from_any_address(world):
    for i in range(LIMIT - 1):
        assert attempt("koordinator", "salah", address=f"10.0.1.{i}").status_code == 200
    # One failure short of the limit, the right password still works ...
    assert signed_in(attempt("koordinator", DEFAULT_PASSWORD, address="10.0.9.9"))
    # ... and resets the count, so the lock needs the full number again.
    for i in range(LIMIT):
        attempt("koordinator", "salah", address=f"10.0.2.{i}")
    response = attempt("koordinator", DEFAULT_PASSWORD, address="10.0.9.9")
    assert locked(response), response.status_code
    # Other accounts from those addresses are not affected.
    assert signed_in(attempt("anggota1", DEFAULT_PASSWORD, address="10.0.2.1"))


def test_an_address_locks_after_the_configured_failures_on_any_accounts(world):
    names = ["ketua1", "anggota1", "tpi", "pimpinan", "tidak-ada", "koordinator"]
    for name in names[:LIMIT]:
        attempt(name, "salah", address="203.0.113.7")
    assert locked(attempt("anggota2", DEFAULT_PASSWORD, address="203.0.113.7"))
    # The accounts themselves are not locked elsewhere.
    assert signed_in(attempt("anggota2", DEFAULT_PASSWORD, address="198.51.100.1"))
    assert signed_in(attempt("ketua1", DEFAULT_PASSWORD, address="198.51.100.1"))


def test_signing_in_to_ones_own_account_does_not_reset_the_count_of_another(world):
    # Someone holding a valid account guesses another's password from the same address.
    for _ in range(LIMIT - 1):
        attempt("koordinator", "tebakan", address="10.9.9.9")
    assert signed_in(attempt("anggota1", DEFAULT_PASSWORD, address="10.9.9.9"))
    attempt("koordinator", "tebakan", address="10.9.9.9")
    assert locked(attempt("koordinator", DEFAULT_PASSWORD, address="10.8.8.8"))


def test_the_lock_lifts_after_the_cool_off_time(world):
    for i in range(LIMIT):
        attempt("koordinator", "salah", address=f"10.0.3.{i}")
    assert locked(attempt("koordinator", DEFAULT_PASSWORD, address="10.0.9.9"))
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert signed_in(attempt("koordinator", DEFAULT_PASSWORD, address="10.0.9.9"))


def test_failures_on_the_admin_sign_in_count_too(world):
    for i in range(LIMIT):
        attempt("siteadmin", "salah", address=f"10.0.4.{i}", path="admin:login")
    assert locked(attempt("siteadmin", DEFAULT_PASSWORD, address="10.0.9.9"))


def test_the_password_is_never_stored_with_the_failed_attempt(world):
    attempt("koordinator", "Rahasia-Yang-Salah-99")
    stored = AccessAttempt.objects.get(username="koordinator")
    assert "Rahasia-Yang-Salah-99" not in stored.post_data


@pytest.mark.parametrize(
    "password",
    ["pendek-1", "1234567890", "password123", "koordinator2026", "qwertyuiop"],
)
def test_weak_passwords_are_refused(world, password):
    with pytest.raises(ValidationError):
        validate_password(password, world.coordinator)


def test_a_strong_password_is_accepted(world):
    validate_password("Zona-Integritas-Labuhanbatu-7", world.coordinator)


def test_a_sign_in_lasts_the_configured_hours_and_then_ends(client, world):
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    response = client.post(
        reverse("login"), {"username": "koordinator", "password": DEFAULT_PASSWORD}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 8 * 3600
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session.set_expiry(timezone.now() - timedelta(seconds=1))
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_password_reset_by_e_mail_from_request_to_new_password(client, world):
    response = client.post(reverse("password_reset"), {"email": world.coordinator.email})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [world.coordinator.email]
    assert "koordinator" in message.body
    path = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    set_url = form_page.redirect_chain[-1][0]
    weak = client.post(set_url, {"new_password1": "12345", "new_password2": "12345"})
    assert weak.status_code == 200 and "new_password2" in weak.context["form"].errors
    new = "Pokja-Baru-Labuhanbatu-9"
    done = client.post(set_url, {"new_password1": new, "new_password2": new}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("password_reset_complete")
    assert not signed_in(attempt("koordinator", DEFAULT_PASSWORD))
    assert signed_in(attempt("koordinator", new, address="10.0.0.2"))
    assert not client.get(path, follow=True).context["validlink"]  # used once


def test_password_reset_reveals_nothing_about_unknown_or_inactive_accounts(client, world):
    world.anggota1.is_active = False
    world.anggota1.save()
    for email in ("tidak.ada@example.test", world.anggota1.email):
        response = client.post(reverse("password_reset"), {"email": email})
        assert response.status_code == 302
        assert response["Location"] == reverse("password_reset_done")
    assert not mail.outbox


@pytest.mark.parametrize("username", ["x" * 300, "koordinator" + "\x00", "a\x00b" * 100])
@pytest.mark.parametrize("path", ["login", "admin:login"])
def test_absurd_usernames_are_refused_not_failed_on(world, username, path):
    # Found by the form fuzz on PostgreSQL: the attempt was recorded as typed and overflowed.
    response = attempt(username, "salah", path=path)
    assert response.status_code == 200


def test_usernames_beyond_the_longest_account_name_count_as_that_name(world):
    name = "k" * 150
    for i in range(LIMIT):
        attempt(name + str(i) * 20, "salah", address=f"10.0.6.{i}")
    assert locked(attempt(name, "salah", address="10.0.7.1"))
