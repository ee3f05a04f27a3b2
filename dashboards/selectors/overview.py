"""Reads of the multi-unit overview: one row per programme a parent unit (or a site
administrator) oversees, from the stored scores; filtered and sorted by GET parameters."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from dashboards.selectors.charts import percent_of
from evaluations.selectors import StoredScore, stored_scores
from pokja.models import ActionPlanItem, Programme, Unit, UnitRole, programme_today
from pokja.selectors import unit_ids_with_descendants
from publicpage.models import PublicPage

# --------------------------------------------------------------------------- the overview


def overseen_unit_ids(user) -> set[int] | None:
    """Units whose programmes `user` compares on the overview: those under their oversight
    roles (and the units below them); None for a site administrator (every unit)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    roots = UnitRole.objects.filter(user=user, kind=UnitRole.Kind.OVERSIGHT).values_list(
        "unit_id", flat=True
    )
    return unit_ids_with_descendants(roots)


@dataclass
class OverviewRow:
    programme: Programme
    late: int
    stored: StoredScore | None
    cells: list[Decimal | None] = field(default_factory=list)  # components, then parts
    checks: list[tuple[str, bool | None]] = field(default_factory=list)  # predicate -> met

    def figure(self, key: str, code: str) -> Decimal | None:
        if self.stored is None:
            return None
        value = (self.stored.figures.get(key) or {}).get(code)
        return None if value is None else Decimal(value["score"])

    @property
    def total(self) -> Decimal | None:
        return self.stored.total if self.stored else None

    def meets(self, code: str) -> bool | None:
        return self.stored.meets.get(code) if self.stored else None

    @property
    def answered_percent(self) -> Decimal | None:
        if self.stored is None or not self.stored.completeness.total:
            return None
        c = self.stored.completeness
        return percent_of(Decimal(c.answered), Decimal(c.total))


# The overview's sort keys: a row's value (None sorts last either way), ties by unit name.
SORTS = {
    "unit": lambda row: row.programme.unit.name.lower(),
    "total": lambda row: row.total,
    "answered": lambda row: row.answered_percent,
    "late": lambda row: row.late,
}
DESCENDING_FIRST = {"late"}  # "late" lists the most late items first


def sort_rows(rows: list[OverviewRow], sort: str) -> list[OverviewRow]:
    field_name = sort.lstrip("-")
    value = SORTS.get(field_name, SORTS["unit"])
    descending = sort.startswith("-") != (field_name in DESCENDING_FIRST)
    rows = sorted(rows, key=lambda row: (row.programme.unit.name.lower(), -row.programme.year))
    present = [row for row in rows if value(row) is not None]
    missing = [row for row in rows if value(row) is None]
    present.sort(key=value, reverse=descending)  # stable: ties keep the unit order
    return present + missing


@dataclass
class Overview:
    rows: list[OverviewRow]
    components: list[tuple[str, str]]  # (code, name) columns
    parts: list[tuple[str, str]]
    predicates: list[str]
    units: list[Unit]
    years: list[int]
    filters: dict[str, str]


def _count_late(today: datetime.date):
    return Coalesce(
        Subquery(
            ActionPlanItem.objects.filter(ActionPlanItem.late_q(today), programme=OuterRef("pk"))
            .order_by()
            .values("programme")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        Value(0),
    )


def overview_choices(programmes: QuerySet[Programme]) -> tuple[list[Unit], list[int]]:
    """The units and years the overview's filters offer (two queries)."""
    units = list(
        Unit.objects.filter(pk__in=programmes.values("unit_id"))
        .order_by("name")
        .only("pk", "code", "name", "parent_id")
    )
    years = sorted(set(programmes.values_list("year", flat=True)), reverse=True)
    return units, years


def overview(
    programmes: QuerySet[Programme], filters: dict[str, str], *, units: list[Unit], years: list[int]
) -> Overview:
    """One row per programme with its stored score, parts, predicate check, completeness and
    late items; filtered (unit with the units below it, year, target, predicate met, name)
    and sorted as ``filters`` says. Two queries whatever the number of programmes."""
    today = programme_today()
    chosen = programmes
    unit_code = filters.get("unit", "")
    if unit_code:
        unit = next((u for u in units if u.code == unit_code), None)
        below = {unit.pk} if unit else set()
        # The units below it among those listed (the tree is small: walk it in memory).
        children = defaultdict(set)
        for u in units:
            children[u.parent_id].add(u.pk)
        stack = list(below)
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in below:
                    below.add(child)
                    stack.append(child)
        chosen = chosen.filter(unit_id__in=below)
    if filters.get("year", "").isdigit():
        chosen = chosen.filter(year=int(filters["year"]))
    if filters.get("target") in Programme.Target.values:
        chosen = chosen.filter(target=filters["target"])
    if filters.get("q"):
        chosen = chosen.filter(
            Q(unit__name__icontains=filters["q"]) | Q(unit__code__icontains=filters["q"])
        )
    listed = list(
        chosen.annotate(
            late_count=_count_late(today),
            # The units' public pages that are published, linked from their rows.
            public_page_published=Exists(
                PublicPage.objects.filter(programme_id=OuterRef("pk"), published=True)
            ),
        ).order_by("unit__name", "-year")
    )
    scores = stored_scores([p.pk for p in listed])
    rows = [OverviewRow(p, p.late_count, scores.get(p.pk)) for p in listed]
    spec_source = next((r.stored.figures for r in rows if r.stored and r.stored.figures), {})
    predicates = list(Programme.Target.values)
    meets = filters.get("meets", "")
    if meets == "none":
        rows = [r for r in rows if r.stored and not any(r.stored.meets.values())]
    elif meets in predicates:
        rows = [r for r in rows if r.meets(meets)]
    if filters.get("late") == "1":
        rows = [r for r in rows if r.late]
    rows = sort_rows(rows, filters.get("sort", "unit"))
    components = [
        (code, c.get("name", code)) for code, c in (spec_source.get("components") or {}).items()
    ]
    area_parts = {
        part for area in (spec_source.get("areas") or {}).values() for part in area["parts"]
    }
    parts = [
        (code, p.get("name", code))
        for code, p in (spec_source.get("parts") or {}).items()
        if code in area_parts
    ]
    for row in rows:
        row.cells = [row.figure("components", code) for code, _n in components] + [
            row.figure("parts", code) for code, _n in parts
        ]
        row.checks = [(code, row.meets(code)) for code in predicates]
    return Overview(
        rows=rows,
        components=components,
        parts=parts,
        predicates=predicates,
        units=units,
        years=years,
        filters=filters,
    )


def overseen_programmes(user) -> QuerySet[Programme] | None:
    """The programmes on `user`'s overview, or None when they oversee nothing."""
    unit_ids = overseen_unit_ids(user)
    programmes = Programme.objects.select_related("unit")
    if unit_ids is None:
        return programmes
    if not unit_ids:
        return None
    return programmes.filter(unit_id__in=unit_ids)
