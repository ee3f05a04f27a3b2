"""The records of LKE scoring: answers going in, the breakdown coming out, and ``display``.

Shared by every module of the package (see ``evaluations.scoring``); no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Context, Decimal
from typing import Final

from figures.rounding import half_up

__all__ = [
    "AnswerError",
    "AnswerInput",
    "AnswerValue",
    "AreaResult",
    "Breakdown",
    "Completeness",
    "ComponentResult",
    "HasilItemResult",
    "PartResult",
    "PredicateResult",
    "QuestionGain",
    "Shortfall",
    "SubAreaResult",
    "display",
]

AnswerValue = str | int | Decimal | None

_HUNDRED: Final = Decimal(100)
# Truncating context for turning exact rationals into Decimal (see the module docstring).
_EXACT: Final = Context(prec=34, rounding=ROUND_FLOOR)


class AnswerError(ValueError):
    """An answer value the framework does not allow; the message names the question."""

    def __init__(self, message: str, *, question: int | None = None) -> None:
        super().__init__(message)
        self.question = question


@dataclass(frozen=True, slots=True)
class AnswerInput:
    """One answer: ``value`` is an option key (choice), an int (count), a Decimal (index) or
    None (unanswered), already normalised by ``normalize_answer``."""

    value: AnswerValue = None
    has_evidence: bool = False


def display(value: Decimal) -> Decimal:
    """The figure a user sees: half up to two decimals (``figures.rounding``, the one rule)."""
    return half_up(value)


# --------------------------------------------------------------------------- results
# Result records are slotted but not frozen: a scoring builds ~130 of them and the frozen
# __init__ (object.__setattr__ per field) made up half the time of a scoring. Treat them as
# read-only; they are rebuilt from the answers on every call.


@dataclass(slots=True)
class Completeness:
    answered: int  # questions with a value
    total: int  # questions
    with_evidence: int  # questions whose answer has evidence attached

    @property
    def percent(self) -> Decimal:
        """Answered questions as a percentage (exact; display() it)."""
        if not self.total:
            return _HUNDRED
        return _EXACT.divide(Decimal(self.answered * 100), Decimal(self.total))


@dataclass(slots=True)
class SubAreaResult:
    code: str
    name: str
    area: str
    part: str
    parent: str | None
    is_group: bool
    weight: Decimal
    score: Decimal
    completeness: Completeness


@dataclass(slots=True)
class AreaResult:
    code: str
    name: str
    pokja: int
    weight: Decimal
    total: Decimal
    parts: dict[str, Decimal]  # part code -> score, e.g. {"pemenuhan": .., "reform": ..}
    part_weights: dict[str, Decimal]
    percent: Decimal  # total / weight x 100, exact
    completeness: Completeness


@dataclass(slots=True)
class PartResult:
    code: str
    name: str
    component: str
    has_areas: bool  # True for PEMENUHAN/REFORM, False for the HASIL sub-components
    weight: Decimal
    score: Decimal
    completeness: Completeness


@dataclass(slots=True)
class ComponentResult:
    code: str
    name: str
    weight: Decimal
    score: Decimal
    parts: tuple[str, ...]
    completeness: Completeness


@dataclass(slots=True)
class HasilItemResult:
    code: str
    name: str
    part: str
    question: int
    answer: AnswerValue
    weight: Decimal
    score: Decimal  # e.g. q125: index / 4 x 17.5


@dataclass(slots=True)
class Shortfall:
    predicate: str  # "WBK"
    criterion: str  # criterion code from the data ("total", "area", "ipak", ...) or "held"
    label: str
    area: str | None  # area code for the per-area criterion
    actual: Decimal | None  # two-decimal figures; None for "held"
    required: Decimal | None
    gap: Decimal | None  # required - actual
    message: str  # "Penguatan Pengawasan 8.10 of 15 (54.0%); WBK needs 60% = 9.00 (+0.90)"


@dataclass(slots=True)
class PredicateResult:
    code: str
    name: str
    meets: bool  # score thresholds only; an unheld required predicate does not change it
    shortfalls: tuple[Shortfall, ...]


@dataclass(slots=True)
class Breakdown:
    framework: str  # slug
    framework_version: str
    total: Decimal
    total_weight: Decimal
    completeness: Completeness
    components: dict[str, ComponentResult]
    parts: dict[str, PartResult]
    areas: dict[str, AreaResult]
    sub_areas: dict[str, SubAreaResult]  # every sub-area, groups and their children, in order
    hasil_items: dict[str, HasilItemResult]
    predicates: dict[str, PredicateResult]


@dataclass(frozen=True, slots=True)
class QuestionGain:
    number: int  # the question an action plan works on (a ratio item's lever)
    answer: AnswerValue  # its current answer
    value: Decimal  # current value of the scored item, 0..1
    best_value: Decimal
    points: Decimal  # points the total would gain with the item at its best value
    part: str
    area: str | None
    sub_area: str | None
    hasil_item: str | None
    label: str  # question text, or the ratio item's label
    # Every answer the item needs to reach its best value, over the current answers: the best
    # option, the top of an index, or for a ratio item each count it lacks or must change
    # (q88 and q89 when both are unanswered). Applied together they add ``points``.
    needs: tuple[tuple[int, AnswerValue], ...] = ()

    @property
    def questions(self) -> tuple[int, ...]:
        """The questions to answer, the lever first."""
        numbers = [n for n, _value in self.needs]
        if self.number in numbers:
            numbers.remove(self.number)
            numbers.insert(0, self.number)
        return tuple(numbers) or (self.number,)
