"""The programme's audit trail, for the people accountable for it."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEntry
from audit.presentation import actor_labels, describe_entries, object_type_label
from audit.selectors import (
    AuditFilters,
    audit_actors,
    audit_entries_in_scope,
    audit_filter,
    audit_object_types,
)
from figures.date_fields import DateField
from pokja.access import get_programme_for_user
from zi_tracker.forms import QueryForm

PAGE_SIZE = 50


# The trail starts with the application; a range past these is a typing slip (and a date
# near the calendar's end cannot be turned into the instant after its last day).
EARLIEST_AUDIT_DATE = datetime.date(2000, 1, 1)


def _latest_audit_date() -> datetime.date:
    return datetime.date(timezone.localdate().year + 1, 12, 31)


class AuditFilterForm(QueryForm):
    text = forms.CharField(label=_("Text"), max_length=100, required=False)
    actor = forms.ChoiceField(label=_("Who"), required=False)
    object_type = forms.ChoiceField(label=_("Kind of object"), required=False)
    action = forms.ChoiceField(
        label=_("Action"),
        required=False,
        choices=[("", _("Any")), *AuditEntry.Action.choices],
    )
    date_from = DateField(label=_("From"), required=False)
    date_to = DateField(label=_("Until"), required=False)

    def __init__(self, *args, actors: list[str], object_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        names = actor_labels(actors)
        self.fields["actor"].choices = [
            ("", _("Anyone")),
            *sorted(((a, names[a]) for a in actors), key=lambda c: c[1].casefold()),
        ]
        self.fields["object_type"].choices = [
            ("", _("Any")),
            *sorted(((t, object_type_label(t)) for t in object_types), key=lambda c: c[1]),
        ]
        # The trail's own range (below) is the one said; the picker offers only its days.
        for name in ("date_from", "date_to"):
            self.fields[name].set_range(datetime.date.min, datetime.date.max)
            self.fields[name].widget.attrs.update(
                min=EARLIEST_AUDIT_DATE.isoformat(), max=_latest_audit_date().isoformat()
            )

    def _clean_day(self, name: str) -> datetime.date | None:
        day = self.cleaned_data.get(name)
        latest = _latest_audit_date()
        if day is not None and not EARLIEST_AUDIT_DATE <= day <= latest:
            raise ValidationError(
                _("%(field)s: give a day from %(first)s to %(last)s.")
                % {
                    "field": self.fields[name].label,
                    "first": date_format(EARLIEST_AUDIT_DATE),
                    "last": date_format(latest),
                }
            )
        return day

    def clean_date_from(self):
        return self._clean_day("date_from")

    def clean_date_to(self):
        return self._clean_day("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the range is before its start."))
        return cleaned

    def filters(self) -> AuditFilters:
        """The valid parameters; a rejected one narrows nothing (and is told on the page)."""
        data = self.valid_data()
        return AuditFilters(
            actor=data.get("actor") or "",
            object_type=data.get("object_type") or "",
            action=data.get("action") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            text=(data.get("text") or "").strip(),
        )


@login_required
def audit_trail(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    if not access.can_read_audit:
        raise PermissionDenied
    scope = audit_entries_in_scope(
        programme_id=programme.pk,
        unit_id=programme.unit_id,
        include_unit_wide=access.can_manage,
    )
    form = AuditFilterForm(
        request.GET, actors=audit_actors(scope), object_types=audit_object_types(scope)
    )
    entries = audit_filter(scope, form.filters())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {
            "programme": programme,
            "access": access,
            "form": form,
            "page": page,
            "rows": describe_entries(page.object_list),
            "query": query.urlencode(),
        },
    )
