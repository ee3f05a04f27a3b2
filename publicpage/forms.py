from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from pokja.models import Evidence, Programme
from publicpage.models import BLOCKS, ComplaintChannel, PublicPage, ServiceStandard
from zi_tracker.forms import Form, ModelForm


class PublishForm(Form):
    """The page as a whole, each block, and the one file the public may download."""

    published = forms.BooleanField(label=_("The page is public"), required=False)
    pakta_document = forms.ModelChoiceField(
        label=_("Pakta integritas file to publish"),
        queryset=Evidence.objects.none(),
        required=False,
        empty_label=_("(none)"),
        help_text=_("Only this file can be downloaded from the public page."),
    )

    def __init__(self, *args, programme: Programme, page: PublicPage, **kwargs):
        initial = {"published": page.published, "pakta_document": page.pakta_document_id}
        initial.update({name: getattr(page, name) for name, _label in BLOCKS})
        if page.pk is None and programme.pakta_document_id:
            initial["pakta_document"] = programme.pakta_document_id
        super().__init__(*args, initial=initial, **kwargs)
        for name, label in BLOCKS:
            self.fields[name] = forms.BooleanField(label=label, required=False)
        self.fields["pakta_document"].queryset = Evidence.objects.filter(
            programme=programme, kind=Evidence.Kind.FILE
        ).order_by("title", "pk")

    def blocks(self) -> set[str]:
        return {name for name, _label in BLOCKS if self.cleaned_data.get(name)}


class ServiceStandardForm(ModelForm):
    prefix = "standard"

    class Meta:
        model = ServiceStandard
        fields = ("service", "requirements", "duration", "cost", "product")
        widgets = {"requirements": forms.Textarea(attrs={"rows": 2})}


class ComplaintChannelForm(ModelForm):
    prefix = "channel"

    class Meta:
        model = ComplaintChannel
        fields = ("name", "contact", "hours")
