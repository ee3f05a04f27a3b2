"""What both dashboards and the home pages draw from a stored score: the predicate
thresholds, the answers behind it, the area bars and the trend, with their charts."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from evaluations.framework_spec import FrameworkSpec
from evaluations.models import Answer, AnswerEvidence, ScoreSnapshot
from evaluations.scoring import AnswerError, AnswerInput, effective_answers, normalize_answer
from evaluations.selectors import StoredScore, read_stored_value
from figures import formatting as fmt
from figures import palette
from figures.rounding import half_up, share_of_weight
from pokja.models import Programme

TREND_POINTS = 120  # at most this many points drawn in the trend (every n-th day, and the last)
_HUNDRED = Decimal(100)


def percent_of(score: Decimal, weight: Decimal) -> Decimal:
    """A score as a percentage of its weight, by the one rule of every page and export
    (``figures.rounding.share_of_weight``: the shown score over the weight, two decimals)."""
    return share_of_weight(score, weight) if weight else Decimal(0)


def _chart_locale() -> str:
    """The page's language for the charts' own number formatting (axis ticks)."""
    return to_locale(get_language() or "id").replace("_", "-")


# --------------------------------------------------------------------------- thresholds


@dataclass(frozen=True)
class Threshold:
    """A predicate's lines on the charts, read from the framework's data."""

    code: str
    total: Decimal | None
    area_percent: Decimal | None


def thresholds(spec: FrameworkSpec) -> list[Threshold]:
    lines = []
    for predicate in spec.predicates:
        total = next((c.minimum for c in predicate.criteria if c.target == "total"), None)
        area = next((c.min_percent for c in predicate.criteria if c.target == "each_area"), None)
        lines.append(Threshold(predicate.code, total, area))
    return lines


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class StoredAnswers:
    """The answers in force (one query), with the survey figures the stored score used."""

    effective: dict[int, AnswerInput]
    survey_fed: frozenset[int]
    answer_ids: dict[int, int]  # question number -> Answer id
    reviewed: frozenset[int]  # questions the TPI answered


def stored_answers(programme: Programme, stored: StoredScore | None) -> StoredAnswers:
    """The programme's answers in force; survey-fed questions take the figure stored with the
    score (never an aggregate over the responses)."""
    spec = programme.framework.spec
    rows = (
        Answer.objects.filter(assessment__programme=programme)
        .annotate(has_evidence=Exists(AnswerEvidence.objects.filter(answer_id=OuterRef("pk"))))
        .values_list("pk", "number", "unit_value", "tpi_value", "has_evidence")
    )
    unit: dict[int, AnswerInput] = {n: AnswerInput(None, False) for n in spec.numbers}
    tpi: dict[int, AnswerInput] = dict(unit)
    ids: dict[int, int] = {}
    reviewed = set()
    for pk, number, unit_text, tpi_text, has_evidence in rows:
        if number not in unit:
            continue
        ids[number] = pk
        unit[number] = AnswerInput(read_stored_value(spec, number, unit_text), has_evidence)
        tpi[number] = AnswerInput(read_stored_value(spec, number, tpi_text), has_evidence)
        if tpi_text:
            reviewed.add(number)
    fed = set()
    for key, figure in ((stored.surveys if stored else None) or {}).items():
        number = int(key)
        if number not in unit:
            continue
        fed.add(number)
        value = None
        if figure.get("index") is not None:
            try:
                value = normalize_answer(spec, number, figure["index"])
            except AnswerError:
                value = None
        unit[number] = AnswerInput(value, unit[number].has_evidence)
        tpi[number] = AnswerInput(value, unit[number].has_evidence)
    return StoredAnswers(
        effective=effective_answers(unit, tpi),
        survey_fed=frozenset(fed),
        answer_ids=ids,
        reviewed=frozenset(reviewed - fed),
    )


# --------------------------------------------------------------------------- areas


@dataclass
class AreaPart:
    code: str
    name: str
    score: Decimal
    weight: Decimal

    @property
    def percent(self) -> Decimal:
        return percent_of(self.score, self.weight)


@dataclass
class AreaBar:
    """One area of change as the dashboards draw it: its stored score against its weight."""

    code: str
    name: str
    pokja_number: int
    score: Decimal
    weight: Decimal
    parts: list[AreaPart]
    answered: int = 0
    questions: int = 0
    with_evidence: int = 0
    reviewed: int = 0
    url: str = ""
    meets: dict[str, bool] = field(default_factory=dict)  # predicate code -> area line met

    @property
    def percent(self) -> Decimal:
        return percent_of(self.score, self.weight)


def area_bars(
    spec: FrameworkSpec,
    figures: dict,
    lines: list[Threshold],
    *,
    reviewed: frozenset[int] = frozenset(),
    survey_fed: frozenset[int] = frozenset(),
    url_of=None,
) -> list[AreaBar]:
    """The areas of the stored figures, in the framework's order (empty before a first run)."""
    stored = figures.get("areas") or {}
    part_names = {code: p.get("name", code) for code, p in (figures.get("parts") or {}).items()}
    reviewed_by_area: dict[str, int] = defaultdict(int)
    for number in reviewed:
        question = spec.questions_by_number.get(number)
        if question is not None and question.area and number not in survey_fed:
            reviewed_by_area[question.area] += 1
    bars = []
    for area in spec.areas:
        data = stored.get(area.code)
        if data is None:
            continue
        score = Decimal(data["score"])
        weight = Decimal(data["weight"])
        bar = AreaBar(
            code=area.code,
            name=data.get("name", area.name),
            pokja_number=area.pokja,
            score=score,
            weight=weight,
            parts=[
                AreaPart(
                    code=part,
                    name=part_names.get(part, part),
                    score=Decimal(data["parts"].get(part, "0")),
                    weight=part_weight,
                )
                for part, part_weight in area.part_weights.items()
            ],
            answered=data.get("answered", 0),
            questions=data.get("questions", 0),
            with_evidence=data.get("with_evidence", 0),
            reviewed=reviewed_by_area.get(area.code, 0),
            url=url_of(area.pokja) if url_of else "",
        )
        # The worksheet's rule: the two-decimal score against weight x percent, two decimals.
        bar.meets = {
            line.code: half_up(score) >= half_up(weight * line.area_percent / _HUNDRED)
            for line in lines
            if line.area_percent is not None
        }
        bars.append(bar)
    return bars


def _lines(lines: list[Threshold], value, label) -> list[dict[str, Any]]:
    """The predicates' threshold lines of a chart, each with its colour and dash."""
    return [
        {"value": float(value(line)), "label": label(line), **palette.line(i)}
        for i, line in enumerate(lines)
        if value(line) is not None
    ]


def area_chart(bars: list[AreaBar], lines: list[Threshold]) -> dict[str, Any]:
    """Chart data (charts.js): each area's parts stacked as % of the area weight.

    Numbers for the geometry, the same figures as the reader sees them in ``texts`` (the
    tooltips), colours and patterns from ``figures.palette``."""
    part_codes = [p.code for p in bars[0].parts] if bars else []
    part_names = [p.name for p in bars[0].parts] if bars else []
    datasets = []
    for i, (_code, name) in enumerate(zip(part_codes, part_names, strict=True)):
        shares = [percent_of(bar.parts[i].score, bar.weight) for bar in bars]
        datasets.append(
            {
                "label": name,
                "data": [float(v) for v in shares],
                "texts": [
                    f"{fmt.percent(v)} ({fmt.number(bar.parts[i].score)} / {fmt.number(bar.weight)})"
                    for v, bar in zip(shares, bars, strict=True)
                ],
                "tone": palette.part_tone(i).as_json(),
            }
        )
    return {
        "type": "bar",
        "horizontal": True,
        "stacked": True,
        "max": 100,
        "suffix": "%",
        "locale": _chart_locale(),
        "labels": [f"{bar.code} · Pokja {bar.pokja_number}" for bar in bars],
        "links": [bar.url for bar in bars],
        "datasets": datasets,
        "lines": _lines(
            lines,
            lambda line: line.area_percent,
            lambda line: f"{line.code} {fmt.constant(line.area_percent)}%",
        ),
    }


# --------------------------------------------------------------------------- trend


@dataclass(frozen=True)
class TrendRow:
    date: datetime.date
    total: Decimal
    unit_total: Decimal
    tpi_total: Decimal


def score_trend_points(programme: Programme, limit: int = TREND_POINTS) -> list[TrendRow]:
    """The daily snapshots' totals, oldest first, thinned to at most about `limit` points
    (every n-th day, always the latest) so that years of history stay one light query."""
    rows = list(
        ScoreSnapshot.objects.filter(programme_id=programme.pk)
        .order_by("date")
        .values_list("date", "total", "unit_total", "tpi_total")
    )
    if len(rows) > limit:
        step = -(-len(rows) // limit)
        last = rows[-1]
        rows = rows[::step]
        if rows[-1] != last:
            rows.append(last)
    return [TrendRow(*row) for row in rows]


def with_today(points: list[TrendRow], stored: StoredScore | None, today) -> list[TrendRow]:
    """The trend with today's point taken from the stored score, the headline's own figure
    (the day's snapshot is taken at night; the score may have moved since)."""
    if stored is None or stored.total is None:
        return points
    now = TrendRow(
        today,
        stored.total,
        stored.unit_total if stored.unit_total is not None else stored.total,
        stored.tpi_total if stored.tpi_total is not None else Decimal(0),
    )
    return [p for p in points if p.date != today] + [now]


def trend_chart(points: list[TrendRow], lines: list[Threshold]) -> dict[str, Any]:
    return {
        "type": "line",
        "max": 100,
        "locale": _chart_locale(),
        "labels": [fmt.axis_day(p.date) for p in points],
        "titles": [fmt.day(p.date) for p in points],
        "datasets": [
            {
                "label": _("Total"),
                "data": [float(half_up(p.total)) for p in points],
                "texts": [fmt.number(p.total) for p in points],
                "tone": palette.tone("series").as_json(),
            }
        ],
        "lines": _lines(
            lines, lambda line: line.total, lambda line: f"{line.code} {fmt.constant(line.total)}"
        ),
    }


def _computed(stored: StoredScore | None) -> StoredScore | None:
    """The stored score once a run has computed it (the row exists from the first change)."""
    return stored if stored is not None and stored.is_computed else None


__all__ = [
    "TREND_POINTS",
    "AreaBar",
    "AreaPart",
    "StoredAnswers",
    "Threshold",
    "TrendRow",
    "area_bars",
    "area_chart",
    "percent_of",
    "score_trend_points",
    "stored_answers",
    "thresholds",
    "trend_chart",
    "with_today",
]
