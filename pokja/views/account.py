"""Password reset by e-mail, as Django does it, with this application's rules: requests are
limited per address and per e-mail address (`pokja.signin`), the link in the e-mail starts
with ZI_SITE_URL (never the request's host), and a reset clears the account's failed
sign-ins, so a person locked out gets back in this way. Audited."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_noop

from audit.models import AuditEntry
from audit.services import audit_record
from pokja import signin
from zi_tracker.http import site_url

NOTE_RESET_BY_EMAIL = gettext_noop(
    "Password chosen through the reset e-mail; sign-in failures cleared"
)


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form):
        if not signin.password_reset_address_allowed(self.request):
            response = render(self.request, "registration/password_reset_limited.html", status=429)
            response["Retry-After"] = str(signin.RESET_WINDOW)
            return response
        if not signin.password_reset_account_allowed(form.cleaned_data["email"]):
            # The same answer as when a link is sent (or when no account has the address).
            return HttpResponseRedirect(self.get_success_url())
        site = urlsplit(site_url())
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context=self.extra_email_context,
        )
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.user
            signin.clear_failures(user.get_username())
            audit_record(
                actor=user,
                action=AuditEntry.Action.UPDATE,
                obj=user,
                note=NOTE_RESET_BY_EMAIL,
            )
        return response
