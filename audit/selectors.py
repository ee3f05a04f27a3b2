from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from audit.models import AuditEntry


def audit_history_for(obj: models.Model) -> QuerySet[AuditEntry]:
    """Entries about one object, newest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


@dataclass(frozen=True)
class AuditFilters:
    """What a reader narrows the trail to; empty values mean no narrowing."""

    actor: str = ""
    object_type: str = ""
    action: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    text: str = ""


def audit_entries_in_scope(
    *, programme_id: int, unit_id: int, include_unit_wide: bool
) -> QuerySet[AuditEntry]:
    """A programme's entries, and (for its administrators) the unit's own ones: people, unit
    roles, changes made outside any programme."""
    scope = Q(programme_id=programme_id)
    if include_unit_wide:
        scope |= Q(programme_id__isnull=True, unit_id=unit_id)
    return AuditEntry.objects.filter(scope)


def _day_start(day: datetime.date) -> datetime.datetime | None:
    """The first instant of ``day``; None at the calendar's ends (year 1, year 9999), where
    the instant cannot be written in UTC: there a bound narrows nothing anyway."""
    if not datetime.date(1, 1, 2) < day < datetime.date.max:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_filter(entries: QuerySet[AuditEntry], filters: AuditFilters) -> QuerySet[AuditEntry]:
    if filters.actor:
        entries = entries.filter(actor_username=filters.actor)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.action:
        entries = entries.filter(action=filters.action)
    # Whole days in the site's time zone; ranges on the column keep its index usable.
    start = _day_start(filters.date_from) if filters.date_from else None
    if start is not None:
        entries = entries.filter(at__gte=start)
    end = _day_start(filters.date_to) if filters.date_to else None
    if end is not None:
        entries = entries.filter(at__lt=end + datetime.timedelta(days=1))
    if filters.text:
        entries = entries.annotate(_changes_text=Cast("changes", TextField())).filter(
            Q(object_repr__icontains=filters.text)
            | Q(note__icontains=filters.text)
            | Q(actor_username__icontains=filters.text)
            | Q(object_id=filters.text)
            | Q(_changes_text__icontains=filters.text)
        )
    return entries.order_by("-id")


def audit_actors(entries: QuerySet[AuditEntry]) -> list[str]:
    """The usernames that appear in `entries` (one query)."""
    return list(
        entries.order_by("actor_username").values_list("actor_username", flat=True).distinct()
    )


def audit_object_types(entries: QuerySet[AuditEntry]) -> list[str]:
    return list(entries.order_by("object_type").values_list("object_type", flat=True).distinct())
