"""Action plans on the dashboards: each Pokja's counts and chart, the late items."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from dashboards.selectors.charts import _chart_locale
from figures import palette
from pokja.models import ActionPlanItem, Pokja, Programme, User
from pokja.selectors import PlanCounts

LATE_LIMIT = 15  # late items listed on the coordinator's dashboard (the plans page has all)


# --------------------------------------------------------------------------- plans


@dataclass
class PokjaPlanRow:
    pokja: Pokja
    counts: PlanCounts

    @property
    def on_track(self) -> int:
        """Open items not past their due date."""
        return (
            self.counts.not_started
            + self.counts.in_progress
            + self.counts.returned
            - (self.counts.late)
        )


def plan_rows(pokjas: list[Pokja], counts: dict[int, PlanCounts]) -> list[PokjaPlanRow]:
    return [PokjaPlanRow(p, counts.get(p.pk, PlanCounts())) for p in pokjas]


def plan_chart(rows: list[PokjaPlanRow]) -> dict[str, Any]:
    """Items by status: each status in its meaning's tone (late warns in red, verified is
    green), with its pattern and its name in the legend."""
    series = (
        ("verified", _("Verified"), lambda row: row.counts.verified),
        ("done", _("Done"), lambda row: row.counts.done),
        ("on_track", _("On track"), lambda row: row.on_track),
        ("late", _("Late"), lambda row: row.counts.late),
    )
    return {
        "type": "bar",
        "horizontal": True,
        "stacked": True,
        "integer": True,
        "locale": _chart_locale(),
        "labels": [f"Pokja {row.pokja.number}" for row in rows],
        "datasets": [
            {
                "key": key,
                "label": label,
                "data": [count(row) for row in rows],
                "tone": palette.tone(key).as_json(),
            }
            for key, label, count in series
        ],
    }


@dataclass(frozen=True)
class LateRow:
    item: ActionPlanItem
    days_late: int


def late_plan_items(programme: Programme, *, today: datetime.date, limit: int) -> list[LateRow]:
    """The longest-late open items with their owners (two queries)."""
    items = (
        ActionPlanItem.objects.late(today)
        .filter(programme=programme)
        .select_related("pokja")
        .prefetch_related(Prefetch("owners", queryset=User.objects.order_by("full_name")))
        .order_by("due_date", "pokja__number", "number")[:limit]
    )
    return [LateRow(item, item.days_late_on(today)) for item in items]


__all__ = [
    "LATE_LIMIT",
    "LateRow",
    "PokjaPlanRow",
    "late_plan_items",
    "plan_chart",
    "plan_rows",
]
