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

from pokja.signin import wait_after
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


def age_failures(seconds: float, username: str | None = None) -> None:
    """Move recorded failures back in time (instead of waiting for them to age)."""
    attempts = AccessAttempt.objects.all()
    if username:
        attempts = attempts.filter(username=username)
    for row in attempts:
        row.attempt_time -= timedelta(seconds=seconds)
        row.save(update_fields=["attempt_time"])


def slowed(response) -> bool:
    return locked(response) and b'data-testid="sign-in-wait"' in response.content


def pair_locked(response) -> bool:
    return locked(response) and b'data-testid="sign-in-locked"' in response.content


def test_failures_from_one_address_lock_that_address_out_of_that_account_only(world):
    for _ in range(LIMIT - 1):
        assert attempt("koordinator", "salah", address="203.0.113.7").status_code == 200
    # One failure short of the limit, the right password still works ...
    assert signed_in(attempt("koordinator", DEFAULT_PASSWORD, address="203.0.113.7"))
    # ... and resets the count, so the lock needs the full number again.
    for _ in range(LIMIT - 1):
        attempt("koordinator", "salah", address="203.0.113.7")
    assert pair_locked(attempt("koordinator", "salah", address="203.0.113.7"))
    response = attempt("koordinator", DEFAULT_PASSWORD, address="203.0.113.7")
    assert pair_locked(response), response.status_code
    assert response["Retry-After"] == str(30 * 60)
    age_failures(2)  # past the one-second slowdown the failures left for everyone
    # The owner, from their own address, is not locked out ...
    assert signed_in(attempt("koordinator", DEFAULT_PASSWORD, address="10.0.9.9"))
    # ... and other accounts from the locked address are not affected.
    assert signed_in(attempt("anggota1", DEFAULT_PASSWORD, address="203.0.113.7"))


def fail_from_many_addresses(username: str, count: int, prefix: str = "10.0.1") -> None:
    """`count` failures for `username`, each from another address after the wait the one
    before left (so each is counted)."""
    for i in range(count):
        age_failures(61)
        assert attempt(username, "salah", address=f"{prefix}.{i}").status_code == 200


def test_failures_from_many_addresses_slow_the_account_down_instead_of_locking_it(world):
    fail_from_many_addresses("koordinator", LIMIT + 3)  # 8 failures: the wait is 2 ** 3 s
    response = attempt("koordinator", DEFAULT_PASSWORD, address="10.0.9.9")
    # (Seconds pass between the last failure and this attempt on a loaded machine.)
    assert int(response_wait(response)) in (7, 8)
    assert re.search(rb"Wait [78] seconds before trying again", response.content)
    age_failures(5)
    assert int(response_wait(attempt("koordinator", DEFAULT_PASSWORD, address="10.0.9.9"))) <= 3
    age_failures(4)  # 9 seconds after the last failure
    assert signed_in(attempt("koordinator", DEFAULT_PASSWORD, address="10.0.9.9"))


def response_wait(response) -> str:
    assert slowed(response), response.status_code
    return response["Retry-After"]


def test_the_wait_doubles_with_each_failure_up_to_the_cap(settings):
    settings.ZI_LOGIN_SLOWDOWN_MAX_SECONDS = 60
    waits = [wait_after(failures) for failures in range(LIMIT - 1, LIMIT + 9)]
    assert waits == [0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    settings.ZI_LOGIN_SLOWDOWN_MAX_SECONDS = 10
    assert wait_after(LIMIT + 20) == 10


def test_refused_attempts_are_not_counted_and_do_not_extend_the_wait(world):
    fail_from_many_addresses("koordinator", LIMIT + 5)  # the wait is 32 s
    before = sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))
    for _ in range(20):
        assert slowed(attempt("koordinator", "salah", address="198.51.100.1"))
    after = sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))
    assert after == before == LIMIT + 5
    age_failures(33)
    assert signed_in(attempt("koordinator", DEFAULT_PASSWORD, address="198.51.100.1"))


def test_an_unknown_account_name_is_answered_exactly_like_an_existing_one(world):
    def journey(name: str) -> list[int]:
        seen = []
        for i in range(LIMIT + 3):
            age_failures(61)
            seen.append(attempt(name, "salah", address=f"192.0.2.{i % 2}").status_code)
        seen += [attempt(name, "salah", address="192.0.2.9").status_code for _ in range(2)]
        age_failures(600)
        return seen

    assert journey("koordinator") == journey("tidak-ada-akun") == [200] * 8 + [429, 429]


def test_many_accounts_failing_from_one_address_lock_none_of_them_elsewhere(world):
    names = ["ketua1", "anggota1", "tpi", "pimpinan", "tidak-ada", "koordinator"]
    for name in names:
        attempt(name, "salah", address="203.0.113.8")
    for name in [*names[:4], "koordinator"]:
        assert signed_in(attempt(name, DEFAULT_PASSWORD, address="203.0.113.8"))


def test_signing_in_to_ones_own_account_does_not_reset_the_count_of_another(world):
    # Someone holding a valid account guesses another's password from the same address.
    for _ in range(LIMIT - 1):
        attempt("koordinator", "tebakan", address="10.9.9.9")
    assert signed_in(attempt("anggota1", DEFAULT_PASSWORD, address="10.9.9.9"))
    attempt("koordinator", "tebakan", address="10.9.9.9")
    assert pair_locked(attempt("koordinator", DEFAULT_PASSWORD, address="10.9.9.9"))


def test_the_lock_lifts_after_the_cool_off_time(world):
    for _ in range(LIMIT):
        attempt("koordinator", "salah", address="10.0.3.1")
    assert pair_locked(attempt("koordinator", DEFAULT_PASSWORD, address="10.0.3.1"))
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(minutes=1)
    )
    assert signed_in(attempt("koordinator", DEFAULT_PASSWORD, address="10.0.3.1"))


def test_failures_on_the_admin_sign_in_count_too(world):
    for _ in range(LIMIT):
        attempt("siteadmin", "salah", address="10.0.4.1", path="admin:login")
    assert pair_locked(attempt("siteadmin", DEFAULT_PASSWORD, address="10.0.4.1"))


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
        attempt(name + str(i) * 20, "salah", address="10.0.6.1")
    assert pair_locked(attempt(name, "salah", address="10.0.6.1"))


# --- recovering by e-mail, and the limits of password-reset requests ------------------------


def reset_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body).group(1)


def choose_new_password(client: Client, path: str, password: str):
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    return client.post(set_url, {"new_password1": password, "new_password2": password})


def test_a_locked_out_person_gets_back_in_through_the_reset_e_mail(world):
    from audit.models import AuditEntry

    for _ in range(LIMIT):
        attempt("koordinator", "salah", address="10.0.5.5")
    fail_from_many_addresses("koordinator", 3, prefix="10.0.6")  # 8 failures: 8 s to wait
    assert pair_locked(attempt("koordinator", DEFAULT_PASSWORD, address="10.0.5.5"))
    assert slowed(attempt("koordinator", DEFAULT_PASSWORD, address="10.0.7.7"))
    page = Client(REMOTE_ADDR="10.0.5.5").get(reverse("login"))
    locked_page = attempt("koordinator", "salah", address="10.0.5.5").content.decode()
    assert reverse("password_reset") in locked_page and page.status_code == 200

    client = Client(REMOTE_ADDR="10.0.5.5")
    client.post(reverse("password_reset"), {"email": world.coordinator.email})
    (message,) = mail.outbox
    new = "Pokja-Baru-Labuhanbatu-9"
    assert choose_new_password(client, reset_link(message), new).status_code == 302
    assert not AccessAttempt.objects.filter(username="koordinator").exists()
    assert signed_in(attempt("koordinator", new, address="10.0.5.5"))
    entry = AuditEntry.objects.filter(object_type="pokja.user").latest("id")
    assert entry.actor_username == "koordinator"
    assert entry.note == "Password chosen through the reset e-mail; sign-in failures cleared"


def reset_request(email: str, address: str = "10.0.0.1"):
    return Client(REMOTE_ADDR=address).post(reverse("password_reset"), {"email": email})


def test_reset_requests_for_one_e_mail_address_are_limited_per_hour(world, settings):
    settings.ZI_PASSWORD_RESET_ACCOUNT_LIMIT = 3
    responses = [reset_request(world.coordinator.email, address=f"10.0.8.{i}") for i in range(5)]
    assert len(mail.outbox) == 3
    # Refused or not, the answer is the same: nothing tells a limited address from a sent one.
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, reverse("password_reset_done"))
    }
    # Another person's reset is not affected; the limit is per e-mail address typed ...
    reset_request(world.anggota1.email, address="10.0.8.1")
    assert len(mail.outbox) == 4
    # ... and counts the same for an address no account has: no difference to observe.
    unknown = [reset_request("tidak.ada@example.test", address=f"10.0.9.{i}") for i in range(5)]
    assert {(r.status_code, r["Location"]) for r in unknown} == {
        (302, reverse("password_reset_done"))
    }
    # The e-mail address counts however it is written.
    reset_request(world.coordinator.email.upper(), address="10.0.8.9")
    assert len(mail.outbox) == 4


def test_reset_requests_from_one_address_are_limited_per_hour(world, settings):
    settings.ZI_PASSWORD_RESET_ADDRESS_LIMIT = 4
    statuses = [
        reset_request(f"orang{i}@example.test", address="203.0.113.9").status_code for i in range(4)
    ]
    limited = reset_request(world.coordinator.email, address="203.0.113.9")
    assert statuses == [302, 302, 302, 302]
    assert limited.status_code == 429 and limited["Retry-After"] == "3600"
    assert b"Too many password-reset requests" in limited.content
    assert not mail.outbox
    assert reset_request(world.coordinator.email, address="203.0.113.10").status_code == 302
    assert len(mail.outbox) == 1


def test_the_configured_reset_limits_are_the_documented_defaults():
    assert settings.ZI_PASSWORD_RESET_ADDRESS_LIMIT == 10
    assert settings.ZI_PASSWORD_RESET_ACCOUNT_LIMIT == 3
    assert settings.ZI_LOGIN_SLOWDOWN_MAX_SECONDS == 60
