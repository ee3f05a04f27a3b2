from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reports.models import ExportJob
from zi_tracker.forms import Form


class ExportForm(Form):
    kind = forms.ChoiceField(choices=ExportJob.Kind.choices)


class LkeImportForm(Form):
    file = forms.FileField(
        label=_("Filled LKE workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        limit = settings.ZI_EVIDENCE_MAX_MB * 1024 * 1024
        if uploaded.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB.") % {"limit": settings.ZI_EVIDENCE_MAX_MB}
            )
        if not uploaded.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload the workbook as an .xlsx file."))
        return uploaded
