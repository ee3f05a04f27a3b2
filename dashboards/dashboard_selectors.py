"""Reads of the coordinator's dashboard, the Pokja dashboards and the multi-unit overview.

Everything comes from STORED results (``evaluations.models.ProgrammeScore`` and its daily
``ScoreSnapshot``), the action-plan, survey and TLHP selectors, and one query of the answers
(for the points at stake per question). Each page issues a fixed number of queries whatever
the data size; nothing here scores a worksheet or aggregates survey responses.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from audit.presentation import EntryRow, describe_entries
from dashboards.models import ProposalRecord
from dashboards.prerequisites import (
    ASSET_REPORTS,
    AUDIT_OPINION_REQUIRED,
    SAKIP_MINIMUM,
    YEARS_BUILDING,
    sakip_at_least,
)
from dashboards.selectors import PlanDraft, rank_drafts
from evaluations.framework_spec import FrameworkSpec
from evaluations.models import Answer, AnswerEvidence, ScoreSnapshot
from evaluations.scoring import (
    AnswerError,
    AnswerInput,
    effective_answers,
    normalize_answer,
    question_gains,
)
from evaluations.selectors import (
    PredicateView,
    ScoreStatus,
    StoredScore,
    predicate_views,
    read_stored_value,
    score_status,
    stored_score,
)
from figures import formatting as fmt
from figures import palette
from figures.date_fields import years_after
from figures.rounding import half_up, share_of_weight
from pokja.models import ActionPlanItem, Pokja, Programme, User, programme_today
from pokja.selectors import (
    PlanCounts,
    TlhpSummary,
    plan_items,
    plan_status_counts,
    tlhp_settled,
)
from surveys.models import Survey, localized

LATE_LIMIT = 15  # late items listed on the coordinator's dashboard (the plans page has all)
TREND_POINTS = 120  # at most this many points drawn in the trend (every n-th day, and the last)
ACTIVITY_LIMIT = 20
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


# --------------------------------------------------------------------------- surveys


@dataclass(frozen=True)
class FigureInForce:
    """The survey index an LKE question takes now (as stored with the score)."""

    question: int
    name: str
    index: Decimal | None
    score: Decimal | None
    weight: Decimal | None
    source: str  # "official", "survey", "none"
    label: str
    respondents: int


@dataclass(frozen=True)
class SurveyRow:
    survey: Survey
    instrument: str
    respondents: int
    target: int
    index: Decimal | None
    ikm: Decimal | None
    quality: str | None
    category: str
    lke_question: int | None
    computed: bool

    @property
    def target_reached(self) -> bool:
        return self.respondents >= self.target


def figures_in_force(stored: StoredScore | None) -> list[FigureInForce]:
    if stored is None:
        return []
    items = {h["question"]: h for h in (stored.figures.get("hasil_items") or {}).values()}
    rows = []
    for key, figure in sorted(stored.surveys.items(), key=lambda kv: int(kv[0])):
        number = int(key)
        item = items.get(number, {})
        rows.append(
            FigureInForce(
                question=number,
                name=item.get("name", f"q{number}"),
                index=None if figure.get("index") is None else Decimal(figure["index"]),
                score=Decimal(item["score"]) if "score" in item else None,
                weight=Decimal(item["weight"]) if "weight" in item else None,
                source=figure.get("source", "none"),
                label=figure.get("label", ""),
                respondents=figure.get("respondents") or 0,
            )
        )
    return rows


def survey_rows(programme: Programme) -> list[SurveyRow]:
    """The programme's surveys with their stored results summary (one query): respondents
    against the target, the index, and for an SKM the IKM with its quality and category."""
    rows = []
    surveys = (
        Survey.objects.filter(programme=programme)
        .exclude(status=Survey.Status.DRAFT)
        .select_related("instrument")
        .order_by("-end_date", "-pk")
    )
    for survey in surveys:
        results = survey.results or {}
        quality = results.get("quality")
        category = ""
        if quality:
            table = survey.instrument.spec.ikm
            band = next((b for b in table.bands if b.quality == quality), None) if table else None
            category = localized(band.category) if band else ""
        rows.append(
            SurveyRow(
                survey=survey,
                instrument=survey.instrument.title,
                respondents=results.get("respondents", 0),
                target=survey.target_sample,
                index=Decimal(results["index"]) if results.get("index") else None,
                ikm=Decimal(results["ikm"]) if results.get("ikm") else None,
                quality=quality,
                category=category,
                lke_question=survey.instrument.lke_question,
                computed=survey.results_computed_at is not None,
            )
        )
    return rows


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


# --------------------------------------------------------------------------- prerequisites


@dataclass(frozen=True)
class Prerequisite:
    code: str
    label: str
    met: bool | None  # None: not known yet (nothing recorded or answered)
    detail: str
    recorded: bool = False  # the coordinator records it on the dashboard


def _asset_report(stored: StoredScore | None, name: str, sub_area: str) -> Prerequisite:
    label = _("%(report)s filed 100%%") % {"report": name}
    data = stored.breakdown.sub_areas.get(sub_area) if stored and stored.breakdown else None
    if data is None:
        return Prerequisite(name.lower(), label, None, _("No computed score yet."))
    if data.completeness.answered < data.completeness.total:
        return Prerequisite(
            name.lower(), label, None, _("Answer the LKE counts of %(code)s.") % {"code": sub_area}
        )
    met = data.score >= data.weight
    return Prerequisite(
        name.lower(),
        label,
        met,
        _("LKE %(code)s scores %(score)s of %(weight)s.")
        % {"code": sub_area, "score": fmt.number(data.score), "weight": fmt.number(data.weight)},
    )


def proposal_prerequisites(
    programme: Programme,
    *,
    stored: StoredScore | None,
    tlhp: TlhpSummary,
    record: ProposalRecord | None,
    today: datetime.date,
    target: str | None = None,
) -> list[Prerequisite]:
    """The conditions before a unit may be proposed (not scored), for its target predicate
    (or `target`, the predicate it is proposed for): derived where the application holds the
    facts, recorded by the coordinator otherwise (`record`: anything with an
    ``audit_opinion`` and a ``sakip_grade``)."""
    target = target or programme.target
    items = []
    declared = programme.pencanangan_date is not None and programme.pakta_document_id is not None
    items.append(
        Prerequisite(
            "pencanangan",
            _("Pencanangan and signed pakta integritas recorded"),
            declared,
            (
                _("Declared on %(date)s.") % {"date": fmt.day(programme.pencanangan_date)}
                if declared
                else _("Record the date and the signed document in the programme settings.")
            ),
        )
    )
    if programme.pencanangan_date is None:
        items.append(
            Prerequisite(
                "one_year",
                _("At least %(n)s year of building ZI") % {"n": YEARS_BUILDING},
                None,
                _("The pencanangan date is not recorded."),
            )
        )
    else:
        start = programme.pencanangan_date
        due = years_after(start, YEARS_BUILDING)
        items.append(
            Prerequisite(
                "one_year",
                _("At least %(n)s year of building ZI") % {"n": YEARS_BUILDING},
                # A date stored before dates had a range (year 9999) is never reached.
                today >= due if due is not None else False,
                _("Since %(start)s; reached on %(due)s.")
                % {"start": fmt.day(start), "due": fmt.day(due)},
            )
        )
    items.append(
        Prerequisite(
            "tlhp",
            _("Audit findings (TLHP) settled 100%"),
            tlhp.all_settled,
            _("%(settled)s of %(owed)s findings settled (%(percent)s%%).")
            % {
                "settled": tlhp.settled,
                "owed": tlhp.owed,
                "percent": fmt.number(tlhp.percent),
            },
        )
    )
    for name, sub_area in ASSET_REPORTS.items():
        items.append(_asset_report(stored, name, sub_area))
    surveys = stored.surveys if stored else {}
    missing = [f"q{n}" for n, f in sorted(surveys.items()) if f.get("index") is None]
    items.append(
        Prerequisite(
            "surveys",
            _("Survey figures present (IPAK, IPKP)"),
            bool(surveys) and not missing,
            (
                _("Missing: %(questions)s.") % {"questions": ", ".join(missing)}
                if missing or not surveys
                else _("Every survey-fed question has a figure.")
            )
            if stored
            else _("No computed score yet."),
        )
    )
    meets = stored.meets.get(target) if stored else None
    items.append(
        Prerequisite(
            "scores",
            _("Minimum scores of %(predicate)s met") % {"predicate": target},
            meets,
            _("See the predicate check above.") if stored else _("No computed score yet."),
        )
    )
    required_held = next(
        (p.requires_held for p in programme.framework.spec.predicates if p.code == target), None
    )
    if required_held:
        items.append(
            Prerequisite(
                "held",
                _("The unit already holds %(predicate)s") % {"predicate": required_held},
                programme.holds_wbk,
                _("Set in the programme settings."),
            )
        )
    opinion = record.audit_opinion if record else ""
    items.append(
        Prerequisite(
            "audit_opinion",
            _("Agency audit opinion %(opinion)s") % {"opinion": AUDIT_OPINION_REQUIRED},
            (opinion == AUDIT_OPINION_REQUIRED) if opinion else None,
            _("Recorded: %(value)s.") % {"value": opinion} if opinion else _("Not recorded."),
            recorded=True,
        )
    )
    grade = record.sakip_grade if record else ""
    minimum = SAKIP_MINIMUM.get(target, "")
    items.append(
        Prerequisite(
            "sakip",
            _("Agency SAKIP %(grade)s or better") % {"grade": minimum},
            sakip_at_least(grade, minimum) if grade else None,
            _("Recorded: %(value)s.") % {"value": grade} if grade else _("Not recorded."),
            recorded=True,
        )
    )
    return items


# --------------------------------------------------------------------------- the coordinator


def _computed(stored: StoredScore | None) -> StoredScore | None:
    """The stored score once a run has computed it (the row exists from the first change)."""
    return stored if stored is not None and stored.is_computed else None


@dataclass
class CoordinatorDashboard:
    programme: Programme
    status: ScoreStatus
    stored: StoredScore | None
    lines: list[Threshold]
    figures: list[FigureRow]  # components, each followed by its parts
    areas: list[AreaBar]
    area_chart: dict
    trend: list[TrendRow]
    trend_chart: dict
    predicates: list[PredicateView]
    survey_figures: list[FigureInForce]
    surveys: list[SurveyRow]
    plans: list[PokjaPlanRow]
    plan_chart: dict
    late: list[LateRow]
    late_total: int
    hasil_completeness: dict
    tlhp: TlhpSummary
    prerequisites: list[Prerequisite]
    record: ProposalRecord | None
    today: datetime.date


@dataclass(frozen=True)
class FigureRow:
    """One line of the total's table: a component, or one of its parts beneath it."""

    code: str
    name: str
    score: Decimal
    weight: Decimal
    depth: int  # 0 component, 1 its part
    parent: str | None  # the component of a part

    @property
    def percent(self) -> Decimal:
        return percent_of(self.score, self.weight)


def figure_rows(spec: FrameworkSpec, figures: dict) -> list[FigureRow]:
    """The framework's hierarchy as its data states it: each component (PENGUNGKIT, HASIL),
    then its own parts beneath it (PEMENUHAN and REFORM make up PENGUNGKIT), in the data's
    order (stored figures are JSON objects whose key order the database does not keep)."""
    components = figures.get("components") or {}
    parts = figures.get("parts") or {}
    rows = []
    for component in spec.components:
        data = components.get(component.code)
        if data is None:
            continue
        rows.append(
            FigureRow(
                component.code,
                data.get("name", component.name),
                Decimal(data["score"]),
                Decimal(data["weight"]),
                0,
                None,
            )
        )
        for code in component.parts:
            part = parts.get(code)
            if part is not None:
                rows.append(
                    FigureRow(
                        code,
                        part.get("name", code),
                        Decimal(part["score"]),
                        Decimal(part["weight"]),
                        1,
                        component.code,
                    )
                )
    return rows


def coordinator_dashboard(programme: Programme) -> CoordinatorDashboard:
    spec = programme.framework.spec
    today = programme_today()
    status = score_status(programme)
    stored = _computed(stored_score(programme))
    figures = stored.figures if stored else {}
    answers = stored_answers(programme, stored)
    lines = thresholds(spec)
    pokjas = list(Pokja.objects.filter(programme=programme).order_by("number"))
    kwargs = programme.url_kwargs()

    def pokja_url(number: int) -> str:
        return reverse("pokja_dashboard", kwargs={**kwargs, "number": number})

    areas = area_bars(
        spec,
        figures,
        lines,
        reviewed=answers.reviewed,
        survey_fed=answers.survey_fed,
        url_of=pokja_url,
    )
    predicates: list[PredicateView] = []
    if stored is not None and stored.breakdown is not None:
        predicates, _gains = predicate_views(
            spec, stored.breakdown, answers.effective, answers.survey_fed
        )
    hasil = [q for q in spec.questions if q.area is None]
    hasil_completeness = {
        "questions": len(hasil),
        "answered": sum(1 for q in hasil if answers.effective[q.number].value is not None),
        "with_evidence": sum(1 for q in hasil if answers.effective[q.number].has_evidence),
        "reviewed": sum(1 for q in hasil if q.number in answers.reviewed),
    }
    counts = plan_status_counts(programme, today=today)
    plans = plan_rows(pokjas, counts)
    tlhp = tlhp_settled(programme)
    record = ProposalRecord.objects.filter(programme=programme).first()
    trend = with_today(score_trend_points(programme), stored, today)
    return CoordinatorDashboard(
        programme=programme,
        status=status,
        stored=stored,
        lines=lines,
        figures=figure_rows(spec, figures),
        areas=areas,
        area_chart=area_chart(areas, lines),
        trend=trend,
        trend_chart=trend_chart(trend, lines),
        predicates=predicates,
        survey_figures=figures_in_force(stored),
        surveys=survey_rows(programme),
        plans=plans,
        plan_chart=plan_chart(plans),
        late=late_plan_items(programme, today=today, limit=LATE_LIMIT),
        late_total=sum(c.late for c in counts.values()),
        hasil_completeness=hasil_completeness,
        tlhp=tlhp,
        prerequisites=proposal_prerequisites(
            programme, stored=stored, tlhp=tlhp, record=record, today=today
        ),
        record=record,
        today=today,
    )


# --------------------------------------------------------------------------- a Pokja


@dataclass
class PokjaDashboard:
    programme: Programme
    pokja: Pokja
    status: ScoreStatus
    area: AreaBar | None
    lines: list[Threshold]
    questions: list[PlanDraft]
    items: list[ActionPlanItem]  # mine first
    mine: frozenset[int]
    late: list[LateRow]
    counts: PlanCounts
    activity: list[EntryRow]  # who did what, named as people
    today: datetime.date


def pokja_dashboard(programme: Programme, pokja: Pokja, user) -> PokjaDashboard:
    spec = programme.framework.spec
    today = programme_today()
    status = score_status(programme)
    stored = _computed(stored_score(programme))
    answers = stored_answers(programme, stored)
    lines = thresholds(spec)
    bars = area_bars(
        spec,
        stored.figures if stored else {},
        lines,
        reviewed=answers.reviewed,
        survey_fed=answers.survey_fed,
    )
    area = next((bar for bar in bars if bar.code == pokja.area_code), None)
    planned = ActionPlanItem.questions.through.objects.filter(
        actionplanitem__pokja=pokja
    ).values_list("frameworkquestion__number", flat=True)
    questions = rank_drafts(question_gains(spec, answers.effective), pokja.area_code, planned)
    items = list(plan_items(pokja=pokja, today=today))
    mine = frozenset(
        item.pk for item in items if any(owner.pk == user.pk for owner in item.owners.all())
    )
    items.sort(key=lambda item: (item.pk not in mine, item.number))
    late = [
        LateRow(item, item.days_late_on(today))
        for item in sorted((i for i in items if i.late), key=lambda i: (i.due_date, i.number))
    ]
    counts = PlanCounts()
    for item in items:
        counts.by_status[item.status] = counts.by_status.get(item.status, 0) + 1
        counts.late += bool(item.late)
    area_answers = [
        str(pk)
        for number, pk in answers.answer_ids.items()
        if spec.questions_by_number[number].area == pokja.area_code
    ]
    about = Q(
        object_type=ActionPlanItem._meta.label_lower, object_id__in=[str(i.pk) for i in items]
    )
    about |= Q(object_type=Answer._meta.label_lower, object_id__in=area_answers)
    activity = describe_entries(
        AuditEntry.objects.filter(Q(programme_id=programme.pk) & about).order_by("-id")[
            :ACTIVITY_LIMIT
        ],
        changes=False,
    )
    return PokjaDashboard(
        programme=programme,
        pokja=pokja,
        status=status,
        area=area,
        lines=lines,
        questions=questions,
        items=items,
        mine=mine,
        late=late,
        counts=counts,
        activity=activity,
        today=today,
    )
