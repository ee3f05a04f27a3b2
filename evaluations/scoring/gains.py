"""What each scored item would add at its best value (the plans drawn from an LKE), and the
current value of the percentage items built from counts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from evaluations.framework_spec import CHOICE, FrameworkSpec, QuestionItem, RatioItem
from evaluations.scoring.answers import _reject, normalize_answer
from evaluations.scoring.results import _EXACT, _HUNDRED, AnswerInput, AnswerValue, QuestionGain

__all__ = ["RatioValue", "question_gains", "ratio_values"]

# --------------------------------------------------------------------------- gains


def _item_value(
    spec: FrameworkSpec, item: QuestionItem | RatioItem, answers: Mapping[int, AnswerInput]
) -> Fraction | None:
    """Exact value 0..1 of one scored item; None when unanswered."""

    def raw(number: int) -> AnswerValue:
        answer = answers.get(number)
        value = None if answer is None else answer.value
        # As strict as score(): only normalised values ("B", not "b").
        if value is not None:
            normal = normalize_answer(spec, number, value)
            if normal != value or type(normal) is not type(value):
                raise _reject(spec, number, value)
        return value

    if isinstance(item, QuestionItem):
        q = spec.question(item.question)
        value = raw(q.number)
        if value is None:
            return None
        if q.kind == CHOICE:
            assert isinstance(value, str)  # raw() let only normalised values through
            return Fraction(q.option(value).value)
        assert isinstance(value, Decimal) and q.index_range is not None
        low, high = q.index_range
        return (Fraction(value) - Fraction(low)) / (Fraction(high) - Fraction(low))
    counts: dict[int, int] = {}
    for number in item.questions:
        value = raw(number)
        if value is None:
            return None
        assert isinstance(value, int)
        counts[number] = value
    numerator = sum(t.sign * counts[t.question] for t in item.numerator)
    denominator = sum(counts[n] for n in item.denominator)
    if denominator == 0:
        if numerator == 0:
            return Fraction(item.value_if_zero_denominator_numerator_zero)
        return Fraction(item.value_if_zero_denominator_numerator_nonzero)
    return min(Fraction(1), max(Fraction(0), Fraction(numerator, denominator)))


def question_gains(spec: FrameworkSpec, answers: Mapping[int, AnswerInput]) -> list[QuestionGain]:
    """For every scored item, the points the total gains if that item reached its best value.

    One entry per scored item, under the question an action plan works on: the question itself,
    or a ratio item's ``lever`` (e.g. q103, violations this year, for SDM.R.iii). Counts that
    are only denominators or information do not appear. Entries add up: the sum of ``points``
    is the best reachable total minus the current total. Sorted by points, largest first, then
    by question number.
    """
    unanswered = Fraction(spec.unanswered_item_value)
    gains: list[QuestionGain] = []

    def add(factor: Fraction, item: QuestionItem | RatioItem, where: dict[str, Any]) -> None:
        current = _item_value(spec, item, answers)
        value = unanswered if current is None else current
        if isinstance(item, RatioItem):
            number, best, label = item.lever, Fraction(1), item.label
        else:
            q = spec.question(item.question)
            number, best, label = q.number, Fraction(q.best_value), q.text  # type: ignore[arg-type]
        needs: tuple[tuple[int, AnswerValue], ...] = ()
        if value < best:
            needs = tuple(_best_answers(spec, item, answers).items())
        answer = answers.get(number)
        gains.append(
            QuestionGain(
                number=number,
                answer=None if answer is None else answer.value,
                value=_EXACT.divide(Decimal(value.numerator), Decimal(value.denominator)),
                best_value=_EXACT.divide(Decimal(best.numerator), Decimal(best.denominator)),
                points=_as_decimal(factor * max(best - value, Fraction(0))),
                label=label,
                needs=needs,
                **where,
            )
        )

    for s in spec.sub_areas:
        if s.is_group:
            continue
        factor = Fraction(s.weight) / len(s.items)
        for item in s.items:
            add(
                factor,
                item,
                {"part": s.part, "area": s.area, "sub_area": s.code, "hasil_item": None},
            )
    for h in spec.hasil_items:
        add(
            Fraction(h.weight),
            QuestionItem(h.question),
            {"part": h.part, "area": None, "sub_area": None, "hasil_item": h.code},
        )
    gains.sort(key=lambda g: (-g.points, g.number))
    return gains


def _best_answers(
    spec: FrameworkSpec, item: QuestionItem | RatioItem, answers: Mapping[int, AnswerInput]
) -> dict[int, AnswerValue]:
    """The answers that bring ``item`` to its best value (1), changing as few as it can.

    A choice takes its best option, an index the top of its range. A ratio item needs every
    one of its counts: the denominator keeps the counts given (an unanswered one is taken as 1,
    an example to replace with the real count), the subtracted counts go to 0 and the lever
    makes the numerator reach the denominator. A denominator of 0 keeps its rule where that
    rule gives 1 (nothing was owed); where it gives 0 (no change agents appointed), a
    denominator of 1 is what the item needs.
    """
    if isinstance(item, QuestionItem):
        q = spec.question(item.question)
        if q.kind == CHOICE:
            best = max(q.options, key=lambda o: o.value)
            return {q.number: best.key}
        return {q.number: q.index_range[1]}  # type: ignore[index]

    def given(number: int) -> int | None:
        answer = answers.get(number)
        value = None if answer is None else answer.value
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    counts: dict[int, int] = {n: given(n) for n in item.denominator if given(n) is not None}  # type: ignore[misc]
    missing = [n for n in item.denominator if n not in counts]
    for i, number in enumerate(missing):
        counts[number] = 1 if i == 0 and not sum(counts.values()) else 0
    subtracted = {t.question for t in item.numerator if t.sign < 0}
    for number in subtracted:
        counts[number] = 0
    added = [t.question for t in item.numerator if t.sign > 0 and t.question not in counts]
    for number in added:
        counts.setdefault(number, given(number) or 0)
    denominator = sum(counts[n] for n in item.denominator)
    numerator = sum(t.sign * counts[t.question] for t in item.numerator)
    if denominator == 0:
        rule = (
            item.value_if_zero_denominator_numerator_zero
            if numerator == 0
            else item.value_if_zero_denominator_numerator_nonzero
        )
        if rule < 1:
            counts[item.denominator[0]] = 1
            denominator = sum(counts[n] for n in item.denominator)
            numerator = sum(t.sign * counts[t.question] for t in item.numerator)
    if denominator and numerator < denominator:
        lever = item.lever if item.lever in added else (added[0] if added else None)
        if lever is not None:
            counts[lever] += denominator - numerator
    return {n: v for n, v in counts.items() if given(n) != v}


def _as_decimal(value: Fraction) -> Decimal:
    return _EXACT.divide(Decimal(value.numerator), Decimal(value.denominator))


# --------------------------------------------------------------------------- ratio items


@dataclass(frozen=True, slots=True)
class RatioValue:
    """The current value of one percentage item built from counts (e.g. q89 / q88)."""

    sub_area: str
    label: str
    questions: tuple[int, ...]  # every count the item reads
    numerator: int | None  # None while a count is unanswered
    denominator: int | None
    value: Decimal | None  # 0..1 after clamping and the zero-denominator rule; None: unanswered

    @property
    def percent(self) -> Decimal | None:
        """The value as a percentage (exact; display() it)."""
        return None if self.value is None else self.value * _HUNDRED

    @property
    def zero_denominator(self) -> bool:
        return self.denominator == 0


def ratio_values(spec: FrameworkSpec, answers: Mapping[int, AnswerInput]) -> dict[int, RatioValue]:
    """For every count question a percentage item reads, that item's current value.

    A count read by more than one item maps to the first of them in sheet order; information-
    only counts map to nothing. Answers must be normalised, as for ``score``.
    """
    result: dict[int, RatioValue] = {}
    for s in spec.sub_areas:
        for item in s.items:
            if not isinstance(item, RatioItem):
                continue
            exact = _item_value(spec, item, answers)
            numerator = denominator = None
            if exact is not None:
                counts = {n: answers[n].value for n in item.questions}
                numerator = sum(t.sign * counts[t.question] for t in item.numerator)  # type: ignore[misc]
                denominator = sum(counts[n] for n in item.denominator)  # type: ignore[misc]
            ratio = RatioValue(
                sub_area=s.code,
                label=item.label,
                questions=item.questions,
                numerator=numerator,
                denominator=denominator,
                value=None if exact is None else _as_decimal(exact),
            )
            for number in item.questions:
                result.setdefault(number, ratio)
    return result
