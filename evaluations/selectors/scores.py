"""The stored scores of programmes: the latest score, its breakdown and shortfalls, whether it
is current, and the trend of the daily snapshots."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from evaluations.breakdown_data import BreakdownDataError, breakdown_from_data
from evaluations.framework_spec import FrameworkSpec
from evaluations.models import ProgrammeScore, ScoreSnapshot
from evaluations.scoring import Breakdown, Completeness
from evaluations.selectors.overview import ShortfallRow, _shortfall_row
from evaluations.shortfalls import ShortfallPlan
from pokja.models import Programme

logger = logging.getLogger(__name__)


# --------------------------------------------------------------------------- stored scores


@dataclass(frozen=True)
class StoredScore:
    """A programme's stored score (``evaluations.models.ProgrammeScore``) for the pages.

    Figures are as shown (half up, two decimals); ``figures`` is the compact breakdown of
    ``evaluations.breakdown_data.breakdown_figures``; ``breakdown`` the whole one (only from
    ``stored_score``). ``stale``: something changed since it was computed; a run is due.
    """

    programme_id: int
    computed_at: datetime.datetime | None
    stale: bool
    changed_at: datetime.datetime | None
    total: Decimal | None
    unit_total: Decimal | None
    tpi_total: Decimal | None
    completeness: Completeness
    meets: dict[str, bool]
    figures: dict
    surveys: dict
    breakdown: Breakdown | None = None

    @property
    def is_computed(self) -> bool:
        return self.computed_at is not None


def _stored(row: ProgrammeScore, breakdown: Breakdown | None = None) -> StoredScore:
    return StoredScore(
        programme_id=row.programme_id,
        computed_at=row.computed_at,
        stale=row.is_stale,
        changed_at=row.changed_at,
        total=row.total,
        unit_total=row.unit_total,
        tpi_total=row.tpi_total,
        completeness=Completeness(row.answered, row.questions, row.with_evidence),
        meets=row.meets,
        figures=row.figures,
        surveys=row.surveys,
        breakdown=breakdown,
    )


def _programme_ids(programmes) -> QuerySet | list[int]:
    if isinstance(programmes, QuerySet):
        return programmes.values("pk")
    return [getattr(p, "pk", p) for p in programmes]


def stored_scores(programmes, *, with_breakdown: bool = False) -> dict[int, StoredScore]:
    """The stored scores of many programmes (a queryset, programmes or ids) in one query,
    keyed by programme id; a programme never scored yet is missing. Without the whole
    breakdown unless asked (it is the large part of the row): ``figures`` has every area,
    part and predicate as shown.

    For sorting and filtering in the database, ``Programme.stored_score`` is the same row
    (e.g. ``programmes.order_by("-stored_score__total")``).
    """
    rows = ProgrammeScore.objects.filter(programme_id__in=_programme_ids(programmes))
    if not with_breakdown:
        return {row.programme_id: _stored(row) for row in rows.defer("breakdown")}
    return {row.programme_id: _stored(row, _read_breakdown(row)) for row in rows}


def stored_score(programme: Programme) -> StoredScore | None:
    """One programme's stored score with its whole breakdown (one query), or None before the
    first computation."""
    row = ProgrammeScore.objects.filter(programme_id=programme.pk).first()
    if row is None:
        return None
    return _stored(row, _read_breakdown(row))


def _read_breakdown(row: ProgrammeScore) -> Breakdown | None:
    if not row.breakdown:
        return None
    try:
        return breakdown_from_data(row.breakdown)
    except (BreakdownDataError, KeyError, TypeError, ValueError):
        logger.error("stored breakdown of programme %s is unreadable", row.programme_id)
        return None


def stored_shortfalls(
    spec: FrameworkSpec, stored: StoredScore, predicate: str
) -> list[ShortfallRow]:
    """What blocks `predicate` in a stored score, as the pages word it, in the framework's
    order; without the questions that would close each gap (those need the answers: see
    ``predicate_views``). Empty when the breakdown is not stored or the predicate unknown."""
    breakdown = stored.breakdown
    if breakdown is None or predicate not in breakdown.predicates:
        return []
    return [
        _shortfall_row(spec, breakdown, ShortfallPlan(s, (), False, Decimal(0)), frozenset())
        for s in breakdown.predicates[predicate].shortfalls
    ]


@dataclass(frozen=True)
class ScoreStatus:
    """When the stored score was last computed, and whether a newer change awaits a run."""

    computed_at: datetime.datetime | None
    stale: bool


def score_status(programme: Programme) -> ScoreStatus:
    """ "Last computed at" for a page header (one small query)."""
    row = (
        ProgrammeScore.objects.filter(programme_id=programme.pk)
        .values("computed_at", "generation", "computed_generation")
        .first()
    )
    if row is None:
        return ScoreStatus(computed_at=None, stale=True)
    return ScoreStatus(
        computed_at=row["computed_at"], stale=row["generation"] > row["computed_generation"]
    )


@dataclass(frozen=True)
class TrendPoint:
    """A programme's score on one day (``evaluations.models.ScoreSnapshot``)."""

    programme_id: int
    date: datetime.date
    total: Decimal
    unit_total: Decimal
    tpi_total: Decimal
    completeness: Completeness
    meets: dict[str, bool]
    figures: dict
    surveys: dict


_TREND_FIELDS = (
    "programme_id",
    "date",
    "total",
    "unit_total",
    "tpi_total",
    "answered",
    "questions",
    "with_evidence",
    "meets",
    "figures",
    "surveys",
)


def _point(row: dict) -> TrendPoint:
    return TrendPoint(
        programme_id=row["programme_id"],
        date=row["date"],
        total=row["total"],
        unit_total=row["unit_total"],
        tpi_total=row["tpi_total"],
        completeness=Completeness(row["answered"], row["questions"], row["with_evidence"]),
        meets=row["meets"],
        figures=row["figures"],
        surveys=row["surveys"],
    )


def score_trend(
    programme: Programme,
    *,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> list[TrendPoint]:
    """The programme's daily snapshots, oldest first, between two dates (inclusive)."""
    rows = ScoreSnapshot.objects.filter(programme_id=programme.pk)
    if since is not None:
        rows = rows.filter(date__gte=since)
    if until is not None:
        rows = rows.filter(date__lte=until)
    return [_point(row) for row in rows.order_by("date").values(*_TREND_FIELDS)]


def score_snapshots_on(programmes, day: datetime.date) -> dict[int, TrendPoint]:
    """For many programmes at once (one query): each one's latest snapshot on or before `day`
    (e.g. a week ago, for "change since last week"), keyed by programme id."""
    latest = (
        ScoreSnapshot.objects.filter(programme_id=OuterRef("programme_id"), date__lte=day)
        .order_by("-date")
        .values("date")[:1]
    )
    rows = ScoreSnapshot.objects.filter(
        programme_id__in=_programme_ids(programmes), date=Subquery(latest)
    ).values(*_TREND_FIELDS)
    return {row["programme_id"]: _point(row) for row in rows}


__all__ = [
    "ScoreStatus",
    "StoredScore",
    "TrendPoint",
    "score_snapshots_on",
    "score_status",
    "score_trend",
    "stored_score",
    "stored_scores",
    "stored_shortfalls",
]
