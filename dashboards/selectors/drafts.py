"""Reads that compose several apps: LKE gains turned into draft action plans, and the
change-agent register set beside the LKE answers it feeds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext

from evaluations.scoring import QuestionGain, display, question_gains
from evaluations.selectors import programme_answers
from pokja.models import ActionPlanItem, Pokja, Programme
from pokja.selectors import CHANGE_AGENT_QUESTIONS, ChangeAgentCounts, change_agent_counts


@dataclass(frozen=True)
class PlanDraft:
    """A proposed activity for a question of the Pokja's area that loses points now."""

    number: int  # the question an activity would work on
    label: str  # its text (or the ratio item's label)
    sub_area: str  # sub-area code
    answer: object  # the current answer (option key, count, index) or None
    value: Decimal  # the scored item's current value, 0..1
    points: Decimal  # points the total would gain at the item's best value (exact)
    planned: bool  # the Pokja's plan already has an item for this question
    also: tuple[int, ...] = ()  # the other answers its item needs (q88 for q89 / q88)

    @property
    def points_display(self) -> Decimal:
        return display(self.points)

    @property
    def value_display(self) -> Decimal:
        return display(self.value)


def rank_drafts(
    gains: Iterable[QuestionGain], area: str, planned: Iterable[int] = ()
) -> list[PlanDraft]:
    """The gains of `area` that are worth points, most points first, then by question.

    A question scored in more than one item appears once, with the points added up.
    """
    planned = set(planned)
    by_number: dict[int, list[QuestionGain]] = {}
    for gain in gains:
        if gain.area == area and gain.points > 0 and gain.sub_area:
            by_number.setdefault(gain.number, []).append(gain)
    drafts = [
        PlanDraft(
            number=number,
            label=entries[0].label,
            sub_area=entries[0].sub_area or "",
            answer=entries[0].answer,
            value=min(e.value for e in entries),
            points=_total(e.points for e in entries),
            planned=number in planned,
            also=tuple(sorted({n for e in entries for n in e.questions if n != number})),
        )
        for number, entries in by_number.items()
    ]
    drafts.sort(key=lambda d: (-d.points, d.number))
    return drafts


def _total(points: Iterable[Decimal]) -> Decimal:
    """Points of one question's items added without rounding them again (the default context
    keeps 28 digits; the figures carry 34)."""
    with localcontext(Context(prec=100)):
        return sum(points, Decimal(0))


def plan_drafts(programme: Programme, pokja: Pokja) -> list[PlanDraft]:
    """Draft activities for `pokja` from the programme's current (effective) LKE answers."""
    spec = programme.framework.spec
    gains = question_gains(spec, programme_answers(programme, layer="effective"))
    planned = ActionPlanItem.questions.through.objects.filter(
        actionplanitem__pokja=pokja
    ).values_list("frameworkquestion__number", flat=True)
    return rank_drafts(gains, pokja.area_code, planned)


@dataclass(frozen=True)
class ChangeAgentAnswers:
    """The register's counts beside the unit's current LKE answers to questions 88-91."""

    counts: ChangeAgentCounts
    register: dict[int, int]
    worksheet: dict[int, object]  # question -> the unit's current answer (None: unanswered)

    @property
    def rows(self) -> list[tuple[int, int, object]]:
        return [(n, self.register[n], self.worksheet.get(n)) for n in sorted(self.register)]

    @property
    def in_step(self) -> bool:
        return all(self.worksheet.get(n) == v for n, v in self.register.items())


def change_agent_answers(programme: Programme) -> ChangeAgentAnswers:
    counts = change_agent_counts(programme)
    unit = programme_answers(programme, layer="unit")
    register = counts.lke_answers()
    return ChangeAgentAnswers(
        counts=counts,
        register=register,
        worksheet={n: unit[n].value if n in unit else None for n in register},
    )


__all__ = [
    "CHANGE_AGENT_QUESTIONS",
    "ChangeAgentAnswers",
    "PlanDraft",
    "change_agent_answers",
    "plan_drafts",
    "rank_drafts",
]
