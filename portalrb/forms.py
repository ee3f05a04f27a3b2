from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portalrb.models import Category
from zi_tracker.forms import Form


class ProposedUnitForm(Form):
    category = forms.ChoiceField(
        label=_("Proposed for"),
        required=False,
        choices=[("", _("Not proposed")), *Category.choices],
    )
    exception_note = forms.CharField(
        label=_("Reason to propose despite failed checks"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TokenForm(Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("Who or what uses it, e.g. 'PortalRB 2026'."),
    )
