from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboards.prerequisites import AUDIT_OPINIONS, SAKIP_GRADES
from zi_tracker.forms import Form, QueryForm


class PrerequisitesForm(Form):
    """The agency-wide prerequisites the application cannot know by itself (the agency's
    pages in portalrb use it as it is)."""

    audit_opinion = forms.ChoiceField(
        label=_("Agency audit opinion (BPK)"),
        required=False,
        choices=[("", _("Not known yet"))] + [(c, c) for c in AUDIT_OPINIONS],
    )
    sakip_grade = forms.ChoiceField(
        label=_("Agency SAKIP grade"),
        required=False,
        choices=[("", _("Not known yet"))] + [(c, c) for c in SAKIP_GRADES],
    )


class ProposalRecordForm(PrerequisitesForm):
    """The prerequisites as a programme records them, with where they come from."""

    note = forms.CharField(
        label=_("Note (source, date of the report)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OverviewFilterForm(QueryForm):
    """The overview's GET parameters; a rejected one is dropped and told on the page."""

    SORTS = (
        ("unit", _("Unit")),
        ("-total", _("Total, highest first")),
        ("total", _("Total, lowest first")),
        ("-answered", _("Completeness, highest first")),
        ("answered", _("Completeness, lowest first")),
        ("late", _("Most late items first")),
    )

    q = forms.CharField(label=_("Unit name or code"), required=False, max_length=100)
    unit = forms.ChoiceField(label=_("Unit (with the units below it)"), required=False)
    year = forms.ChoiceField(label=_("Year"), required=False)
    target = forms.ChoiceField(
        label=_("Target"),
        required=False,
        choices=[("", _("All")), ("WBK", "WBK"), ("WBBM", "WBBM")],
    )
    meets = forms.ChoiceField(label=_("Predicate check"), required=False)
    late = forms.ChoiceField(
        label=_("Late items"), required=False, choices=[("", _("All")), ("1", _("With late items"))]
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORTS)

    def __init__(self, data, *, units, years, predicates):
        super().__init__(data)
        self.fields["unit"].choices = [("", _("All"))] + [(u.code, u.name) for u in units]
        self.fields["year"].choices = [("", _("All"))] + [(str(y), str(y)) for y in years]
        self.fields["meets"].choices = (
            [("", _("All"))]
            + [(code, _("Meets %(predicate)s") % {"predicate": code}) for code in predicates]
            + [("none", _("Meets none"))]
        )

    def filters(self) -> dict[str, str]:
        """The valid parameters (an invalid one is dropped, as if not given)."""
        return {k: v for k, v in self.valid_data().items() if v}
