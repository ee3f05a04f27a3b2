"""Reads of the LKE worksheet: answers by layer, scores, and what the pages show.

Every read here runs a fixed number of queries however many answers and evidence there are.
Answers are read back through the framework (``normalize_answer``), and the survey-fed
questions (q125, q127) always take the figure in force from
``surveys.selectors.lke_survey_figures``: where no figure exists the item is unanswered.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.db.models import Exists, OuterRef

from evaluations.framework_spec import (
    CHOICE,
    INDEX,
    FrameworkSpec,
    OptionSpec,
    QuestionSpec,
    SubAreaSpec,
)
from evaluations.models import Answer, AnswerEvidence, Assessment, AssessmentSection
from evaluations.scoring import (
    AnswerError,
    AnswerInput,
    AnswerValue,
    Breakdown,
    Completeness,
    QuestionGain,
    RatioValue,
    effective_answers,
    normalize_answer,
    question_gains,
    ratio_values,
    score,
)
from evaluations.shortfalls import ShortfallPlan, plan_shortfalls
from pokja.models import Evidence, Pokja, Programme
from surveys.selectors import LkeSurveyFigure, lke_survey_figures

logger = logging.getLogger(__name__)

Layer = Literal["effective", "unit", "tpi"]
LAYERS: tuple[Layer, ...] = ("effective", "unit", "tpi")


# --------------------------------------------------------------------------- answers


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
    ratio: RatioValue | None
    survey: LkeSurveyFigure | None  # set for survey-fed questions

    @property
    def number(self) -> int:
        return self.spec.number

    @property
    def is_choice(self) -> bool:
        return self.spec.kind == CHOICE

    @property
    def is_count(self) -> bool:
        return self.spec.kind == "count"

    @property
    def is_index(self) -> bool:
        return self.spec.kind == INDEX

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
    def tpi_differs(self) -> bool:
        """The TPI's answer is in force and differs from the unit's."""
        return self.tpi_value is not None and self.tpi_value != self.unit_value

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
    ratios = ratio_values(spec, effective)
    rows = {}
    for answer in answers:
        q = spec.questions_by_number.get(answer.number)
        if q is None:
            continue
        rows[answer.number] = QuestionRow(
            spec=q,
            answer=answer,
            unit_value=layers.unit[q.number].value,
            tpi_value=None if q.number in layers.survey_fed else layers.tpi[q.number].value,
            effective_value=effective[q.number].value,
            evidence=evidence.get(answer.pk, []),
            ratio=None if q.information_only else ratios.get(q.number),
            survey=layers.figures.get(q.number) if q.number in layers.survey_fed else None,
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
class PredicateView:
    code: str
    name: str
    meets: bool
    plans: list[ShortfallPlan]

    @property
    def held_missing(self) -> bool:
        return any(not p.closable and p.shortfall.required is None for p in self.plans)


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

    @property
    def missing_evidence_count(self) -> int:
        return sum(len(questions) for _section, questions in self.missing_evidence)


def predicate_views(
    spec: FrameworkSpec, breakdown: Breakdown, answers: Mapping[int, AnswerInput]
) -> tuple[list[PredicateView], list[QuestionGain]]:
    gains = question_gains(spec, answers)
    views = [
        PredicateView(
            code=p.code,
            name=p.name,
            meets=p.meets,
            plans=plan_shortfalls(spec, breakdown, gains, p.code),
        )
        for p in breakdown.predicates.values()
    ]
    return views, gains


def overview(programme: Programme, assessment: Assessment) -> Overview:
    """The whole worksheet at a glance: scores by layer, the predicate check with the cheapest
    shortfalls first, completeness per section, and the questions still without evidence."""
    spec = programme.framework.spec
    layers = answer_layers(programme)
    effective = layers.layer("effective")
    breakdown = score(spec, effective, holds_wbk=programme.holds_wbk)
    predicates, gains = predicate_views(spec, breakdown, effective)
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
    return Overview(
        programme=programme,
        assessment=assessment,
        spec=spec,
        layers=layers,
        breakdown=breakdown,
        unit_breakdown=score(spec, layers.unit, holds_wbk=programme.holds_wbk),
        tpi_breakdown=score(spec, layers.tpi, holds_wbk=programme.holds_wbk),
        predicates=predicates,
        summaries=summaries,
        missing_evidence=missing,
        gains=gains,
    )


def evidence_choices(programme: Programme, exclude: Iterable[int] = ()) -> list[Evidence]:
    """The programme's evidence to pick from, by Pokja then newest first."""
    return list(
        Evidence.objects.filter(programme=programme)
        .exclude(pk__in=list(exclude))
        .select_related("pokja")
        .order_by("pokja__number", "-uploaded_at", "pk")
    )
