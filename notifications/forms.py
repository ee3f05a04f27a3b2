from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from notifications.models import NotificationPreference
from zi_tracker.forms import ModelForm


class PreferenceForm(ModelForm):
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the application, of your notifications and of your e-mails."),
    )

    class Meta:
        model = NotificationPreference
        fields = ["language", "event_emails", "reminders", "digest"]
