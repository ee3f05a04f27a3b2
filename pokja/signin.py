"""Throttling of failed sign-ins (django-axes) and of password-reset requests.

Failed sign-ins count per account name as typed, whether or not such an account exists, so
no answer tells an existing account from a missing one:

- one account name from one address: ``ZI_LOGIN_FAILURE_LIMIT`` failures lock that pair for
  ``ZI_LOGIN_LOCKOUT_MINUTES`` (axes, ``AXES_LOCKOUT_PARAMETERS``). Someone guessing from
  one place is stopped; the account's owner elsewhere is not.
- one account name from anywhere: past the same number of failures, every further attempt
  must wait a little longer after the last failure (1 s, 2 s, 4 s ... up to
  ``ZI_LOGIN_SLOWDOWN_MAX_SECONDS``); an attempt that comes sooner is refused without the
  password being tried, and is not counted. Guessing from many addresses is slowed to a few
  tries a minute, and nobody can lock another person out.

A successful sign-in clears the account's failures; so does a password reset by e-mail,
which is how a person locked out recovers. Password-reset requests are limited per address
and per e-mail address typed (`password_reset_allowed`), counted atomically
(`pokja.rate_limits`).
"""

from __future__ import annotations

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from pokja import rate_limits
from pokja.models import User
from zi_tracker.http import client_ip

RESET_WINDOW = 3600  # seconds: the password-reset limits count per hour


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler with the per-account slowdown and our own reset rule."""

    def is_locked(self, request, credentials=None) -> bool:
        # Locked: this account name from this address (axes counts the pair).
        if super().is_locked(request, credentials):
            request.zi_sign_in_wait = None
            return True
        wait = slowdown_seconds(get_client_username(request, credentials))
        if wait:
            request.zi_sign_in_wait = wait
            return True
        return False

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful sign-in clears the failures recorded against that account only.

        Axes' own reset also clears every failure from the same address, whatever account it
        was aimed at: someone holding one valid account could then guess another account's
        password without end, signing in to their own between guesses.
        """
        return clear_failures(get_client_username(request, credentials))


def clear_failures(username: str | None) -> int:
    """Forget the failed sign-ins of an account name (every address): lock and slowdown."""
    if not username:
        return 0
    return axes_reset(username=username)


def _recent(usernames: list[str]):
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(username__in=usernames, attempt_time__gte=since)


def slowdown_seconds(username: str | None) -> int:
    """How long an attempt for `username` must still wait (0: it may go ahead)."""
    if not username:
        return 0
    row = _recent([username]).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    wait = wait_after(row["failures"] or 0)
    if not wait:
        return 0
    remaining = wait - (timezone.now() - row["last"]).total_seconds()
    return math.ceil(remaining) if remaining > 0 else 0


def wait_after(failures: int) -> int:
    """Seconds an attempt must wait after the last of `failures` failed sign-ins of one
    account name (0: it need not wait): 1, 2, 4 ... from the limit on, capped."""
    if failures < settings.AXES_FAILURE_LIMIT:
        return 0
    doublings = min(failures - settings.AXES_FAILURE_LIMIT, 30)
    return min(2**doublings, settings.ZI_LOGIN_SLOWDOWN_MAX_SECONDS)


def throttled_usernames(usernames: list[str]) -> set[str]:
    """Of `usernames`, those that failed to sign in at least the limit's number of times in
    the cool-off period (slowed down everywhere, locked where the failures came from)."""
    rows = _recent(usernames).values("username").annotate(total=Sum("failures_since_start"))
    return {r["username"] for r in rows if r["total"] >= settings.AXES_FAILURE_LIMIT}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    """The page for a refused sign-in (AXES_LOCKOUT_CALLABLE): how long, and the way out."""
    wait = getattr(request, "zi_sign_in_wait", None)
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(
        request,
        "registration/locked_out.html",
        {"wait_seconds": wait, "lockout_minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(wait or minutes * 60)
    return response


def attempted_username(request, credentials=None) -> str | None:
    """The username of a sign-in attempt as the throttling records it.

    Django's sign-in form passes usernames of any length to authentication; recorded as
    typed, a very long one overflowed the attempts table (a 500 on PostgreSQL). No account
    name is longer than the model allows, so cutting there keeps every real account's count.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    source = credentials if credentials else getattr(request, "data", request.POST)
    value = source.get(field) if source else None
    if not isinstance(value, str):
        return value
    limit = User._meta.get_field(User.USERNAME_FIELD).max_length
    return value.replace("\x00", "")[:limit]


# --------------------------------------------------------------------------- password reset


def password_reset_address_allowed(request: HttpRequest) -> bool:
    """Count one reset request from the client's address; False past the hourly limit."""
    count = rate_limits.hit(
        "password-reset:address", client_ip(request) or "unknown", window=RESET_WINDOW
    )
    return count <= settings.ZI_PASSWORD_RESET_ADDRESS_LIMIT


def password_reset_account_allowed(email: str) -> bool:
    """Count one reset request for an e-mail address as typed (an account or not: the count
    is the same either way); False past the hourly limit."""
    count = rate_limits.hit("password-reset:account", email.strip().casefold(), window=RESET_WINDOW)
    return count <= settings.ZI_PASSWORD_RESET_ACCOUNT_LIMIT


def remember_chosen_language(sender, request, user, **kwargs) -> None:
    """On sign-in, a language chosen with the switcher before signing in (the cookie) becomes
    the person's: their notifications and e-mails follow it from then on."""
    from pokja.services import person_language_set

    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request is not None else None
    if chosen in dict(settings.LANGUAGES) and chosen != user.language:
        person_language_set(actor=user, language=chosen)
