"""The worksheet's section pages: a section's questions with their answers, evidence and
scores, its summary, its status changes and its history."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from audit.models import AuditEntry
from evaluations.framework_spec import CHOICE, FrameworkSpec, OptionSpec, QuestionSpec, SubAreaSpec
from evaluations.models import Answer, AnswerEvidence, Assessment, AssessmentSection
from evaluations.scoring import (
    AnswerValue,
    Breakdown,
    Completeness,
    RatioValue,
    ratio_values,
    score,
)
from evaluations.selectors.answers import AnswerLayers, answer_layers
from pokja.models import Evidence, Pokja, Programme, User
from surveys.selectors import LkeSurveyFigure

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


def section_score(breakdown: Breakdown, code: str):
    """(score, weight) of a worksheet section: an area of Pengungkit or a Hasil component."""
    if code in breakdown.areas:
        area = breakdown.areas[code]
        return area.total, area.weight
    component = breakdown.components[code]
    return component.score, component.weight


def _summary(
    section: AssessmentSection,
    pokja: Pokja | None,
    breakdown: Breakdown,
    spec: FrameworkSpec,
    section_rows: list[QuestionRow],
) -> SectionSummary:
    score_, weight = section_score(breakdown, section.code)
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


__all__ = [
    "Block",
    "PartBlock",
    "QuestionRow",
    "SectionPage",
    "SectionSummary",
    "StatusMove",
    "section_history",
    "section_page",
    "section_status_moves",
]
