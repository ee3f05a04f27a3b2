"""Throttling of failed sign-ins (django-axes), as this application needs it."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings

from pokja.models import User


class OwnAccountResetHandler(AxesDatabaseHandler):
    """A successful sign-in clears the failures recorded against that account only.

    Axes' own reset also clears every failure from the same address, whatever account it was
    aimed at: someone holding one valid account could then guess another account's password
    without end, signing in to their own between guesses. Failures against other accounts
    stay until the cool-off time has passed.
    """

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


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


def remember_chosen_language(sender, request, user, **kwargs) -> None:
    """On sign-in, a language chosen with the switcher before signing in (the cookie) becomes
    the person's: their notifications and e-mails follow it from then on."""
    from pokja.services import person_language_set

    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) if request is not None else None
    if chosen in dict(settings.LANGUAGES) and chosen != user.language:
        person_language_set(actor=user, language=chosen)
