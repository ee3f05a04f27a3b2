from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from evaluations.services import ACTION_LABELS
from pokja.models import Evidence, Programme
from pokja.uploads import ALLOWED_EXTENSIONS_TEXT
from zi_tracker.forms import Form

# What the file chooser offers; the type is still checked by content on the server.
EVIDENCE_ACCEPT = (
    ".pdf,.jpg,.jpeg,.png,.webp,.heic,.heif,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"
)


class AnswerForm(Form):
    """One side (unit or TPI) of one question; the value is checked against the framework."""

    value = forms.CharField(label=_("Answer"), required=False, max_length=60)
    note = forms.CharField(label=_("Note"), required=False, max_length=4000)


class EvidenceUploadForm(Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("Allowed: %(types)s.") % {"types": ALLOWED_EXTENSIONS_TEXT},
        widget=forms.ClearableFileInput(attrs={"accept": EVIDENCE_ACCEPT}),
    )
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=200)


class EvidenceLinkForm(Form):
    url = forms.URLField(label=_("Link"), max_length=500, assume_scheme="https")
    title = forms.CharField(label=_("Title (optional)"), required=False, max_length=200)


class EvidencePickForm(Form):
    evidence = forms.ModelChoiceField(label=_("Evidence"), queryset=Evidence.objects.none())

    def __init__(self, *args, programme: Programme, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = (
            Evidence.objects.filter(programme=programme)
            .exclude(pk__in=list(exclude))
            .select_related("pokja")
            .order_by("pokja__number", "-uploaded_at", "pk")
        )
        self.fields["evidence"].label_from_instance = _evidence_label


def _evidence_label(evidence: Evidence) -> str:
    where = f"Pokja {evidence.pokja.number}" if evidence.pokja_id else _("Programme")
    kind = evidence.extension.lstrip(".").upper() if evidence.is_file else _("link")
    return f"{evidence.title} ({kind}, {where})"


class SectionStatusForm(Form):
    action = forms.ChoiceField(choices=list(ACTION_LABELS.items()))
    note = forms.CharField(label=_("Note (optional)"), required=False, max_length=2000)
