"""The LKE overview of a programme: the breakdown, the predicates with their shortfalls and
the steps that close them, completeness by area."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from evaluations.framework_spec import FrameworkSpec, QuestionSpec
from evaluations.models import Assessment, AssessmentSection
from evaluations.scoring import (
    AnswerInput,
    AnswerValue,
    AreaResult,
    Breakdown,
    HasilItemResult,
    PartResult,
    QuestionGain,
    question_gains,
    score,
)
from evaluations.selectors.answers import LAYERS, AnswerLayers, Layer, answer_input, answer_layers
from evaluations.selectors.worksheet import SectionSummary, section_score
from evaluations.shortfalls import ShortfallPlan, plan_shortfalls
from figures.rounding import share_of_weight
from pokja.models import Pokja, Programme

# --------------------------------------------------------------------------- the overview


@dataclass
class ClosingStep:
    """One scored item that helps close a shortfall: every answer it needs, and where."""

    number: int  # the item's lever (the question an action plan works on)
    points: Decimal
    label: str
    section: str  # the worksheet section (area code, or e.g. "hasil")
    survey_fed: bool
    answers: tuple[tuple[int, AnswerValue], ...] = ()  # each question and the answer it needs

    @property
    def questions(self) -> tuple[int, ...]:
        return tuple(n for n, _value in self.answers) or (self.number,)


@dataclass
class ShortfallRow:
    """One shortfall as the pages word it (structured, so that it can be translated)."""

    plan: ShortfallPlan
    kind: str  # "area", "figure" or "held"
    label: str
    actual: Decimal | None
    required: Decimal | None
    gap: Decimal | None
    weight: Decimal | None = None  # area only
    percent: Decimal | None = None  # area only: its shown score over its weight, two decimals
    min_percent: Decimal | None = None  # area only
    held: str | None = None  # "held" only: the predicate the unit must already hold
    steps: list[ClosingStep] = field(default_factory=list)
    # In a what-if's result: the answers already tried, which the steps were planned on.
    tried: dict[int, AnswerValue] = field(default_factory=dict)

    @property
    def answers(self) -> dict[int, AnswerValue]:
        """Every answer the steps need together (what the what-if tries)."""
        return {n: v for step in self.steps for n, v in step.answers}

    @property
    def try_query(self) -> str:
        """The what-if's query string that tries the steps (over the answers already tried):
        ``q88=1&q89=1``."""
        answers = {**self.tried, **self.answers}
        return urlencode({f"q{n}": answer_input(v) for n, v in sorted(answers.items())})


@dataclass
class PredicateView:
    code: str
    name: str
    meets: bool
    plans: list[ShortfallPlan]
    rows: list[ShortfallRow] = field(default_factory=list)


def _figure_name(breakdown: Breakdown, target: str, ref: str | None) -> str | None:
    """The framework's own name of the figure a criterion checks (in the framework's language)."""
    if target == "component" and ref in breakdown.components:
        return breakdown.components[ref].name
    if target == "part" and ref in breakdown.parts:
        return breakdown.parts[ref].name
    if target == "hasil_item" and ref in breakdown.hasil_items:
        item = breakdown.hasil_items[ref]
        return f"{item.name} (q{item.question})"
    return None


def _shortfall_row(
    spec: FrameworkSpec, breakdown: Breakdown, plan: ShortfallPlan, survey_fed: frozenset[int]
) -> ShortfallRow:
    s = plan.shortfall
    predicate = spec.predicate(s.predicate)
    steps = [
        ClosingStep(
            number=g.number,
            points=g.points,
            label=g.label,
            section=g.area or spec.part(g.part).component,
            survey_fed=g.number in survey_fed,
            answers=tuple(sorted(g.needs, key=lambda need: need[0])),
        )
        for g in plan.steps
    ]
    if s.required is None:
        return ShortfallRow(plan, "held", s.label, None, None, None, held=predicate.requires_held)
    criterion = next(c for c in predicate.criteria if c.code == s.criterion)
    if s.area is None:
        return ShortfallRow(
            plan,
            "figure",
            _figure_name(breakdown, criterion.target, criterion.ref) or s.label,
            s.actual,
            s.required,
            s.gap,
            steps=steps,
        )
    weight = breakdown.areas[s.area].weight
    # The one rule of a share of a weight: a failing area never reads as its minimum.
    percent = share_of_weight(s.actual, weight) if weight and s.actual is not None else Decimal(100)
    return ShortfallRow(
        plan,
        "area",
        s.label,
        s.actual,
        s.required,
        s.gap,
        weight=weight,
        percent=percent,
        min_percent=criterion.min_percent,
        steps=steps,
    )


@dataclass
class AreaRow:
    area: AreaResult
    cells: list[tuple[Decimal, Decimal]]  # (score, weight) per PEMENUHAN/REFORM column
    section: AssessmentSection | None


@dataclass
class HasilRow:
    part: PartResult
    items: list[HasilItemResult]


@dataclass
class Overview:
    programme: Programme
    assessment: Assessment
    spec: FrameworkSpec
    layers: AnswerLayers
    breakdown: Breakdown  # effective answers
    unit_breakdown: Breakdown
    tpi_breakdown: Breakdown
    predicates: list[PredicateView]
    summaries: list[SectionSummary]
    missing_evidence: list[tuple[AssessmentSection, list[QuestionSpec]]]
    gains: list[QuestionGain]
    layer: Layer = "effective"
    shown: Breakdown | None = None  # the breakdown of ``layer``
    shown_predicates: list[PredicateView] = field(default_factory=list)
    area_parts: list[PartResult] = field(default_factory=list)  # the columns of the area table
    area_rows: list[AreaRow] = field(default_factory=list)
    hasil_rows: list[HasilRow] = field(default_factory=list)

    @property
    def sections(self) -> list[AssessmentSection]:
        return [summary.section for summary in self.summaries]

    @property
    def missing_evidence_count(self) -> int:
        return sum(len(questions) for _section, questions in self.missing_evidence)


def predicate_views(
    spec: FrameworkSpec,
    breakdown: Breakdown,
    answers: Mapping[int, AnswerInput],
    survey_fed: frozenset[int] = frozenset(),
) -> tuple[list[PredicateView], list[QuestionGain]]:
    gains = question_gains(spec, answers)
    views = []
    for p in breakdown.predicates.values():
        plans = plan_shortfalls(spec, breakdown, gains, p.code)
        views.append(
            PredicateView(
                code=p.code,
                name=p.name,
                meets=p.meets,
                plans=plans,
                rows=[_shortfall_row(spec, breakdown, plan, survey_fed) for plan in plans],
            )
        )
    return views, gains


def overview(programme: Programme, assessment: Assessment, layer: Layer = "effective") -> Overview:
    """The whole worksheet at a glance: scores by layer, the predicate check with the cheapest
    shortfalls first, completeness per section, and the questions still without evidence.

    ``layer`` chooses the answers the breakdown and predicate check are shown for ("shown");
    completeness and the what-if always work on the answers in force.
    """
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; use one of {', '.join(LAYERS)}")
    spec = programme.framework.spec
    layers = answer_layers(programme)
    effective = layers.layer("effective")
    breakdown = score(spec, effective, holds_wbk=programme.holds_wbk)
    predicates, gains = predicate_views(spec, breakdown, effective, layers.survey_fed)
    unit_breakdown = score(spec, layers.unit, holds_wbk=programme.holds_wbk)
    tpi_breakdown = score(spec, layers.tpi, holds_wbk=programme.holds_wbk)
    shown = {"effective": breakdown, "unit": unit_breakdown, "tpi": tpi_breakdown}[layer]
    shown_predicates = predicates
    if layer != "effective":
        shown_predicates, _gains = predicate_views(
            spec, shown, layers.layer(layer), layers.survey_fed
        )
    sections = list(assessment.sections.all())
    pokjas = {p.area_code: p for p in Pokja.objects.filter(programme=programme)}
    by_section: dict[str, list[QuestionSpec]] = defaultdict(list)
    for q in spec.questions:
        by_section[q.area or q.component].append(q)
    summaries = []
    missing = []
    for section in sections:
        questions = by_section.get(section.code, [])
        score_, weight = section_score(breakdown, section.code)
        summaries.append(
            SectionSummary(
                section=section,
                pokja=pokjas.get(section.code),
                total=len(questions),
                answered=sum(1 for q in questions if effective[q.number].value is not None),
                with_evidence=sum(1 for q in questions if effective[q.number].has_evidence),
                reviewed=sum(
                    1
                    for q in questions
                    if q.number not in layers.survey_fed and layers.tpi[q.number].value is not None
                ),
                score=score_,
                weight=weight,
            )
        )
        lacking = [
            q
            for q in questions
            if q.number not in layers.survey_fed and not effective[q.number].has_evidence
        ]
        if lacking:
            missing.append((section, lacking))
    area_parts = [p for p in shown.parts.values() if p.has_areas]
    by_code = {section.code: section for section in sections}
    area_rows = [
        AreaRow(
            area=area,
            cells=[(area.parts[p.code], area.part_weights[p.code]) for p in area_parts],
            section=by_code.get(area.code),
        )
        for area in shown.areas.values()
    ]
    hasil_rows = [
        HasilRow(
            part=part,
            items=[i for i in shown.hasil_items.values() if i.part == part.code],
        )
        for part in shown.parts.values()
        if not part.has_areas
    ]
    return Overview(
        programme=programme,
        assessment=assessment,
        spec=spec,
        layers=layers,
        breakdown=breakdown,
        unit_breakdown=unit_breakdown,
        tpi_breakdown=tpi_breakdown,
        predicates=predicates,
        summaries=summaries,
        missing_evidence=missing,
        gains=gains,
        area_parts=area_parts,
        area_rows=area_rows,
        hasil_rows=hasil_rows,
        layer=layer,
        shown=shown,
        shown_predicates=shown_predicates,
    )


__all__ = [
    "AreaRow",
    "ClosingStep",
    "HasilRow",
    "Overview",
    "PredicateView",
    "ShortfallRow",
    "overview",
    "predicate_views",
]
