"""A person's own notifications: the list, the unread count in the menu, read marks, and what
they want to receive. Everyone signed in has these pages; each shows only their own."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.forms import PreferenceForm
from notifications.models import Notification

PAGE_SIZE = 30


def _get_notification_for_user(user, notification_id: int) -> Notification:
    """The person's own notification; 404 for anyone else's (its existence is not revealed)."""
    notification = selectors.notifications_for(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404
    return notification


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread": selectors.unread_count(request.user)},
    )


@login_required
def notification_badge(request):
    """The unread count for the menu, loaded by htmx so pages need no query of their own."""
    return render(
        request,
        "notifications/partials/badge.html",
        {"unread": selectors.unread_count(request.user)},
    )


@login_required
@require_POST
def notification_read(request, notification_id: int):
    """Mark it read; with "open", go on to the item it is about."""
    notification = _get_notification_for_user(request.user, notification_id)
    services.notification_mark_read(user=request.user, notification=notification)
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts=None
    ):
        return redirect(notification.link)
    return redirect("notification_list")


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_read(user=request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")


@login_required
def notification_preferences(request):
    preference = selectors.preference_for(request.user)
    form = PreferenceForm(
        request.POST or None, instance=preference, initial={"language": request.user.language}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.notification_preference_update(
            actor=request.user,
            digest=data["digest"],
            reminders=data["reminders"],
            event_emails=data["event_emails"],
            language=data["language"],
        )
        with translation.override(data["language"]):
            messages.success(request, _("Your notification settings are saved."))
        response = redirect("notification_preferences")
        # The interface follows the language chosen here, as the switcher in the menu does.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            data["language"],
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
    return render(request, "notifications/preferences.html", {"form": form})
