"""Throttling of failed sign-ins (django-axes), as this application needs it."""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt


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
