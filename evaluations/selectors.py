"""Reads of the LKE worksheet: answers by layer, scores, and what the pages show.

Every read here runs a fixed number of queries however many answers and evidence there are.
Answers are read back through the framework (``normalize_answer``), and the survey-fed
questions (q125, q127) always take the figure in force from
``surveys.selectors.lke_survey_figures``: where no figure exists the item is unanswered.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from audit.models import AuditEntry
from evaluations.breakdown_data import BreakdownDataError, breakdown_from_data
from evaluations.framework_spec import (
    CHOICE,
    INDEX,
    FrameworkSpec,
    OptionSpec,
    QuestionSpec,
    SubAreaSpec,
)
from evaluations.models import (
    Answer,
    AnswerEvidence,
    Assessment,
    AssessmentSection,
    ProgrammeScore,
    ScoreSnapshot,
)
from evaluations.scoring import (
    AnswerError,
    AnswerInput,
    AnswerValue,
    AreaResult,
    Breakdown,
    Completeness,
    HasilItemResult,
    PartResult,
    QuestionGain,
    RatioValue,
    effective_answers,
    normalize_answer,
    question_gains,
    ratio_values,
    score,
)
from evaluations.shortfalls import ShortfallPlan, plan_shortfalls
from evaluations.wording import bad_answer
from figures.formatting import plain
from figures.rounding import share_of_weight
from pokja.models import Evidence, Pokja, Programme, User
from surveys.selectors import LkeSurveyFigure, lke_survey_figures

logger = logging.getLogger(__name__)

Layer = Literal["effective", "unit", "tpi"]
LAYERS: tuple[Layer, ...] = ("effective", "unit", "tpi")


# --------------------------------------------------------------------------- answers


def answer_input(value: AnswerValue) -> str:
    """An answer as a form field holds it: an option key, a count, or an index to two
    decimals with a dot ("3.29"), the precision every page shows it with."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def read_stored_value(spec: FrameworkSpec, number: int, text: str) -> AnswerValue:
    """A stored answer text back in its normal form (None for blank or unreadable)."""
    if not text:
        return None
    try:
        return normalize_answer(spec, number, text)
    except AnswerError:
        logger.error("stored answer %r of question %s does not fit %s", text, number, spec.slug)
        return None


def survey_values(
    spec: FrameworkSpec, figures: Mapping[int, LkeSurveyFigure]
) -> dict[int, AnswerValue]:
    """The survey-fed index questions of this framework and the value each takes now."""
    values: dict[int, AnswerValue] = {}
    for number, figure in figures.items():
        question = spec.questions_by_number.get(number)
        if question is None or question.kind != INDEX:
            continue
        value = None
        if figure.index is not None:
            try:
                value = normalize_answer(spec, number, figure.index)
            except AnswerError:
                logger.error("survey figure %s for question %s is out of range", figure, number)
        values[number] = value
    return values


@dataclass(frozen=True)
class AnswerLayers:
    """The unit's and the TPI's answers of one programme, and the survey figures in force."""

    spec: FrameworkSpec
    unit: dict[int, AnswerInput]
    tpi: dict[int, AnswerInput]
    figures: dict[int, LkeSurveyFigure]
    survey_fed: frozenset[int]

    def layer(self, layer: Layer) -> dict[int, AnswerInput]:
        if layer == "unit":
            return self.unit
        if layer == "tpi":
            return self.tpi
        if layer == "effective":
            return effective_answers(self.unit, self.tpi)
        raise ValueError(f"unknown layer {layer!r}; use one of {', '.join(LAYERS)}")


def answer_layers(programme: Programme) -> AnswerLayers:
    """Both answer layers of the programme in one query (plus the survey figures)."""
    spec = programme.framework.spec
    rows = (
        Answer.objects.filter(assessment__programme=programme)
        .annotate(has_evidence=Exists(AnswerEvidence.objects.filter(answer_id=OuterRef("pk"))))
        .values_list("number", "unit_value", "tpi_value", "has_evidence")
    )
    unit: dict[int, AnswerInput] = {n: AnswerInput(None, False) for n in spec.numbers}
    tpi: dict[int, AnswerInput] = dict(unit)
    for number, unit_text, tpi_text, has_evidence in rows:
        if number not in unit:
            continue
        unit[number] = AnswerInput(read_stored_value(spec, number, unit_text), has_evidence)
        tpi[number] = AnswerInput(read_stored_value(spec, number, tpi_text), has_evidence)
    figures = lke_survey_figures(programme)
    fed = survey_values(spec, figures)
    for number, value in fed.items():
        evidence = unit[number].has_evidence
        unit[number] = AnswerInput(value, evidence)
        tpi[number] = AnswerInput(value, evidence)
    return AnswerLayers(spec, unit, tpi, figures, frozenset(fed))


def programme_answers(programme: Programme, layer: Layer = "effective") -> dict[int, AnswerInput]:
    """Every question of the programme's framework -> its answer in ``layer``: "unit" (the
    unit's own), "tpi" (the TPI's alone) or "effective" (the TPI's where given, else the
    unit's). Survey-fed questions take the survey figure in every layer."""
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; use one of {', '.join(LAYERS)}")
    return answer_layers(programme).layer(layer)


def programme_breakdown(programme: Programme, layer: Layer = "effective") -> Breakdown:
    """The full score breakdown of the programme's answers in ``layer`` (see
    ``programme_answers``), with the predicate check for what the unit already holds."""
    answers = programme_answers(programme, layer)
    return score(programme.framework.spec, answers, holds_wbk=programme.holds_wbk)


# --------------------------------------------------------------------------- the pages


@dataclass
class QuestionRow:
    """One question as the worksheet shows it."""

    spec: QuestionSpec
    answer: Answer
    unit_value: AnswerValue
    tpi_value: AnswerValue
    effective_value: AnswerValue
    evidence: list[Evidence]
    ratio: RatioValue | None  # the percentage item in force (the TPI's counts where given)
    survey: LkeSurveyFigure | None  # set for survey-fed questions
    # The same item from each side's own counts: the unit's answers alone, the TPI's alone.
    unit_ratio: RatioValue | None = None
    tpi_ratio: RatioValue | None = None
    tpi_counted: bool = False  # the TPI gave one of the item's counts

    @property
    def number(self) -> int:
        return self.spec.number

    @property
    def is_choice(self) -> bool:
        return self.spec.kind == CHOICE

    @property
    def kriteria_in_options(self) -> bool:
        """The options already spell out the criteria (a./b./c. ...), so it can fold away."""
        return self.spec.kind == CHOICE and any(o.label != o.key for o in self.spec.options)

    @property
    def is_count(self) -> bool:
        return self.spec.kind == "count"

    def _option(self, value: AnswerValue) -> OptionSpec | None:
        if self.spec.kind != CHOICE or value is None:
            return None
        return self.spec.option(str(value))

    @property
    def unit_option(self) -> OptionSpec | None:
        return self._option(self.unit_value)

    @property
    def tpi_option(self) -> OptionSpec | None:
        return self._option(self.tpi_value)

    @property
    def answered(self) -> bool:
        return self.effective_value is not None

    @property
    def reviewed(self) -> bool:
        return self.survey is None and self.tpi_value is not None


@dataclass
class Block:
    """A sub-area (or a HASIL item) with its score, completeness and questions."""

    code: str
    numbering: str
    name: str
    weight: Decimal
    score: Decimal
    completeness: Completeness
    depth: int
    ancestors: tuple[str, ...]
    questions: list[QuestionRow] = field(default_factory=list)
    children: list[Block] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return "sa-" + self.code.replace(".", "-")

    @property
    def reviewed(self) -> int:
        return sum(1 for q in self.all_questions if q.reviewed)

    @property
    def all_questions(self) -> list[QuestionRow]:
        return [*self.questions, *(q for c in self.children for q in c.all_questions)]

    @property
    def percent(self) -> Decimal:
        return self.score * 100 / self.weight if self.weight else Decimal(100)


@dataclass
class PartBlock:
    code: str
    numbering: str
    name: str
    weight: Decimal  # the area's weight in this part (or the HASIL part's weight)
    score: Decimal
    blocks: list[Block]


@dataclass
class SectionSummary:
    """How far one section is: for the overview's table and the area page's header."""

    section: AssessmentSection
    pokja: Pokja | None
    total: int
    answered: int
    with_evidence: int
    reviewed: int
    score: Decimal
    weight: Decimal

    @property
    def percent(self) -> Decimal:
        return self.score * 100 / self.weight if self.weight else Decimal(100)


@dataclass
class SectionPage:
    programme: Programme
    assessment: Assessment
    section: AssessmentSection
    sections: list[AssessmentSection]
    pokja: Pokja | None
    layers: AnswerLayers
    breakdown: Breakdown
    summary: SectionSummary
    parts: list[PartBlock]
    rows: dict[int, QuestionRow]

    def part_of(self, number: int) -> PartBlock | None:
        for part in self.parts:
            for block in part.blocks:
                if any(q.number == number for q in block.all_questions):
                    return part
        return None

    def block_chain(self, number: int) -> list[Block]:
        """The blocks holding question ``number``, innermost first (for in-place updates)."""
        found: list[Block] = []

        def walk(block: Block, trail: list[Block]) -> bool:
            trail = [block, *trail]
            if any(q.number == number for q in block.questions):
                found.extend(trail)
                return True
            return any(walk(child, trail) for child in block.children)

        for part in self.parts:
            for block in part.blocks:
                if walk(block, []):
                    return found
        return found


def _rows(
    answers: Iterable[Answer],
    layers: AnswerLayers,
    evidence: Mapping[int, list[Evidence]],
) -> dict[int, QuestionRow]:
    spec = layers.spec
    effective = layers.layer("effective")
    # Each layer's derived value from that layer's own counts: the unit's side shows 7 of 8
    # when the unit answered 8 and 7, whatever the TPI re-answered.
    ratios = ratio_values(spec, effective)
    unit_ratios = ratio_values(spec, layers.unit)
    tpi_ratios = ratio_values(spec, layers.tpi)
    rows = {}
    for answer in answers:
        q = spec.questions_by_number.get(answer.number)
        if q is None:
            continue
        ratio = None if q.information_only else ratios.get(q.number)
        rows[answer.number] = QuestionRow(
            spec=q,
            answer=answer,
            unit_value=layers.unit[q.number].value,
            tpi_value=None if q.number in layers.survey_fed else layers.tpi[q.number].value,
            effective_value=effective[q.number].value,
            evidence=evidence.get(answer.pk, []),
            ratio=ratio,
            survey=layers.figures.get(q.number) if q.number in layers.survey_fed else None,
            unit_ratio=None if ratio is None else unit_ratios.get(q.number),
            tpi_ratio=None if ratio is None else tpi_ratios.get(q.number),
            tpi_counted=ratio is not None
            and any(layers.tpi[n].value is not None for n in ratio.questions),
        )
    return rows


def _evidence_by_answer(assessment: Assessment, section_code: str | None = None):
    links = AnswerEvidence.objects.filter(answer__assessment=assessment).select_related("evidence")
    if section_code is not None:
        links = links.filter(answer__section_code=section_code)
    by_answer: dict[int, list[Evidence]] = defaultdict(list)
    for link in links.order_by("added_at", "pk"):
        by_answer[link.answer_id].append(link.evidence)
    return by_answer


def _summary(
    section: AssessmentSection,
    pokja: Pokja | None,
    breakdown: Breakdown,
    spec: FrameworkSpec,
    section_rows: list[QuestionRow],
) -> SectionSummary:
    if section.code in breakdown.areas:
        area = breakdown.areas[section.code]
        score_, weight = area.total, area.weight
    else:
        component = breakdown.components[section.code]
        score_, weight = component.score, component.weight
    return SectionSummary(
        section=section,
        pokja=pokja,
        total=len(section_rows),
        answered=sum(1 for r in section_rows if r.answered),
        with_evidence=sum(1 for r in section_rows if r.evidence),
        reviewed=sum(1 for r in section_rows if r.reviewed),
        score=score_,
        weight=weight,
    )


def _area_parts(
    spec: FrameworkSpec, breakdown: Breakdown, code: str, rows: Mapping[int, QuestionRow]
) -> list[PartBlock]:
    def block(sub: SubAreaSpec, depth: int, ancestors: tuple[str, ...]) -> Block:
        result = breakdown.sub_areas[sub.code]
        return Block(
            code=sub.code,
            numbering=sub.numbering,
            name=sub.name,
            weight=sub.weight,
            score=result.score,
            completeness=result.completeness,
            depth=depth,
            ancestors=ancestors,
            questions=[rows[n] for n in sub.questions if n in rows],
            children=[
                block(spec.sub_area(c), depth + 1, (*ancestors, sub.code)) for c in sub.children
            ],
        )

    parts = []
    area = spec.area(code)
    for part_code in area.part_weights:
        part = spec.part(part_code)
        parts.append(
            PartBlock(
                code=part.code,
                numbering=part.numbering,
                name=part.name,
                weight=area.part_weights[part_code],
                score=breakdown.areas[code].parts[part_code],
                blocks=[block(s, 0, ()) for s in spec.sub_areas_of(code, part_code)],
            )
        )
    return parts


def _component_parts(
    spec: FrameworkSpec, breakdown: Breakdown, code: str, rows: Mapping[int, QuestionRow]
) -> list[PartBlock]:
    parts = []
    for part_code in spec.component(code).parts:
        part = spec.part(part_code)
        blocks = []
        for item_code in part.hasil_items:
            item = spec.hasil_item(item_code)
            result = breakdown.hasil_items[item_code]
            row = rows.get(item.question)
            answered = int(row is not None and row.answered)
            blocks.append(
                Block(
                    code=item.code,
                    numbering="",
                    name=item.name,
                    weight=item.weight,
                    score=result.score,
                    completeness=Completeness(
                        answered, 1, int(row is not None and bool(row.evidence))
                    ),
                    depth=0,
                    ancestors=(),
                    questions=[row] if row is not None else [],
                )
            )
        parts.append(
            PartBlock(
                code=part.code,
                numbering=part.numbering,
                name=part.name,
                weight=part.weight,
                score=breakdown.parts[part_code].score,
                blocks=blocks,
            )
        )
    return parts


def section_page(programme: Programme, assessment: Assessment, code: str) -> SectionPage | None:
    """Everything one section's page shows; None if the framework has no such section."""
    sections = list(assessment.sections.all())
    section = next((s for s in sections if s.code == code), None)
    if section is None:
        return None
    spec = programme.framework.spec
    layers = answer_layers(programme)
    breakdown = score(spec, layers.layer("effective"), holds_wbk=programme.holds_wbk)
    answers = list(
        Answer.objects.filter(assessment=assessment, section_code=code).select_related(
            "unit_by", "tpi_by"
        )
    )
    rows = _rows(answers, layers, _evidence_by_answer(assessment, code))
    pokja = None
    if section.pokja_number is not None:
        pokja = Pokja.objects.filter(programme=programme, area_code=code).first()
    if code in breakdown.areas:
        parts = _area_parts(spec, breakdown, code, rows)
    else:
        parts = _component_parts(spec, breakdown, code, rows)
    return SectionPage(
        programme=programme,
        assessment=assessment,
        section=section,
        sections=sections,
        pokja=pokja,
        layers=layers,
        breakdown=breakdown,
        summary=_summary(section, pokja, breakdown, spec, list(rows.values())),
        parts=parts,
        rows=rows,
    )


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
        if section.code in breakdown.areas:
            area = breakdown.areas[section.code]
            score_, weight = area.total, area.weight
        else:
            component = breakdown.components[section.code]
            score_, weight = component.score, component.weight
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


# --------------------------------------------------------------------------- what-if


@dataclass
class WhatIfItem:
    """One question in the what-if form: its answer in force and the hypothetical one."""

    spec: QuestionSpec
    current: AnswerValue
    value: AnswerValue  # what the form shows: the hypothetical answer, else the current one
    raw: str | None = None  # the text as typed, when it could not be read
    error: str | None = None
    survey_fed: bool = False

    @property
    def changed(self) -> bool:
        return self.error is None and self.value != self.current

    @property
    def number(self) -> int:
        return self.spec.number

    @property
    def shown(self) -> str:
        """The value for a text/number input (dot decimals, as HTML wants; an index to the two
        decimals every page shows it with)."""
        if self.raw is not None:
            return self.raw
        return answer_input(self.value)


@dataclass
class WhatIf:
    real: Breakdown
    real_predicates: list[PredicateView]
    hypothetical: Breakdown | None  # None until something valid was changed
    hypothetical_predicates: list[PredicateView]
    items: dict[int, WhatIfItem]
    focus: list[WhatIfItem]  # the questions that close the shortfalls cheapest
    groups: list[tuple[str, str, list[WhatIfItem]]]  # (section code, name, items)
    submitted: bool

    @property
    def changed(self) -> list[WhatIfItem]:
        return [item for item in self.items.values() if item.changed]

    @property
    def errors(self) -> list[WhatIfItem]:
        return [item for item in self.items.values() if item.error]

    @property
    def total_delta(self) -> Decimal:
        if self.hypothetical is None:
            return Decimal(0)
        return self.hypothetical.total - self.real.total


FOCUS_SIZE = 12


def what_if_from(
    *,
    spec: FrameworkSpec,
    effective: Mapping[int, AnswerInput],
    survey_fed: frozenset[int],
    holds_wbk: bool,
    real: Breakdown,
    real_predicates: list[PredicateView],
    target: str,
    raw: Mapping[int, str] | None,
) -> WhatIf:
    """Score hypothetical answers over the ones in force. Stores nothing.

    ``raw`` maps question numbers to the text submitted (blank: unanswered); questions not in
    it keep their answer. An unreadable value is reported on its question and nothing is scored.
    """
    items: dict[int, WhatIfItem] = {}
    for q in spec.questions:
        current = effective[q.number].value
        items[q.number] = WhatIfItem(q, current, current, survey_fed=q.number in survey_fed)
    for number, text in (raw or {}).items():
        item = items.get(number)
        if item is None:
            continue
        if text.strip() == answer_input(item.current):
            continue  # the field as the form showed it (an index to two decimals): unchanged
        try:
            item.value = normalize_answer(spec, number, text)
        except AnswerError:
            item.raw, item.error = text, bad_answer(spec, number, text)
    hypothetical = None
    hypothetical_predicates: list[PredicateView] = []
    changed = [i for i in items.values() if i.changed]
    if changed and not any(i.error for i in items.values()):
        answers = dict(effective)
        for item in changed:
            answers[item.number] = AnswerInput(item.value, effective[item.number].has_evidence)
        hypothetical = score(spec, answers, holds_wbk=holds_wbk)
        hypothetical_predicates, _gains = predicate_views(spec, hypothetical, answers, survey_fed)
        tried = {item.number: item.value for item in changed}
        for view in hypothetical_predicates:
            for row in view.rows:
                row.tried = tried  # its steps come on top of what is tried already
    order = sorted(real_predicates, key=lambda p: p.code != target)
    focus: dict[int, WhatIfItem] = {}
    for predicate in order:
        for plan in predicate.plans:
            for gain in plan.steps:
                if len(focus) < FOCUS_SIZE:
                    for number in gain.questions:  # every answer the step needs (q88, q89)
                        focus.setdefault(number, items[number])
    for item in changed:  # what the user changed stays in view
        focus.setdefault(item.number, item)
    groups: dict[str, list[WhatIfItem]] = defaultdict(list)
    for q in spec.questions:
        if q.number not in focus:  # one field per question, or the form would send it twice
            groups[q.area or q.component].append(items[q.number])
    named = [
        (
            code,
            spec.area(code).name if code in spec.area_codes else spec.component(code).name,
            members,
        )
        for code, members in groups.items()
    ]
    return WhatIf(
        real=real,
        real_predicates=real_predicates,
        hypothetical=hypothetical,
        hypothetical_predicates=hypothetical_predicates,
        items=items,
        focus=list(focus.values()),
        groups=named,
        submitted=raw is not None,
    )


def programme_what_if(
    programme: Programme, raw: Mapping[int, str] | None, *, base: Overview | None = None
) -> WhatIf:
    """The what-if of a programme: hypothetical answers over its effective answers."""
    if base is None:
        layers = answer_layers(programme)
        spec = layers.spec
        effective = layers.layer("effective")
        real = score(spec, effective, holds_wbk=programme.holds_wbk)
        real_predicates, _gains = predicate_views(spec, real, effective, layers.survey_fed)
    else:
        layers, spec = base.layers, base.spec
        effective = layers.layer("effective")
        real, real_predicates = base.breakdown, base.predicates
    return what_if_from(
        spec=spec,
        effective=effective,
        survey_fed=layers.survey_fed,
        holds_wbk=programme.holds_wbk,
        real=real,
        real_predicates=real_predicates,
        target=programme.target,
        raw=raw,
    )


@dataclass(frozen=True)
class StatusMove:
    """One change of a section's status, with the note written with it."""

    at: datetime.datetime
    actor: str
    old: str  # a Status value
    new: str
    note: str

    @property
    def new_label(self) -> str:
        return str(AssessmentSection.Status(self.new).label)


def section_status_moves(section: AssessmentSection, limit: int = 5) -> list[StatusMove]:
    """The section's latest status changes, newest first, with who made them and their note
    (why it was returned, what the TPI said when reviewing): shown to everyone who reads the
    section, its Pokja first of all (two queries: the entries, the people's names)."""
    entries = list(
        AuditEntry.objects.filter(
            object_type=AssessmentSection._meta.label_lower,
            object_id=str(section.pk),
            changes__has_key="status",
        ).order_by("-id")[:limit]
    )
    actor_ids = {e.actor_id for e in entries if e.actor_id}
    names = (
        {u.pk: u.display_name for u in User.objects.filter(pk__in=actor_ids)} if actor_ids else {}
    )
    return [
        StatusMove(
            at=entry.at,
            actor=names.get(entry.actor_id, entry.actor_username),
            old=entry.changes["status"][0],
            new=entry.changes["status"][1],
            note=entry.note,
        )
        for entry in entries
    ]


def section_history(page: SectionPage, limit: int = 30):
    """The latest audit entries about the section and its answers (one query)."""
    answer_ids = [str(row.answer.pk) for row in page.rows.values()]
    return list(
        AuditEntry.objects.filter(
            Q(object_type=Answer._meta.label_lower, object_id__in=answer_ids)
            | Q(object_type=AssessmentSection._meta.label_lower, object_id=str(page.section.pk))
        ).order_by("-id")[:limit]
    )


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
