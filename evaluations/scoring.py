"""Exact LKE scoring: sub-area, area, part, component and total scores, predicate checks.

Pure Python, no Django. Everything the arithmetic needs (weights, values, thresholds, the
zero-denominator rule of each ratio item) comes from the framework spec.

Exactness. Means of three items (1/3) and ratios of counts (7/13) do not terminate in decimal,
so the engine adds exact rationals: every contribution is an integer over one common
denominator (fixed per spec, times the ratio denominators met in one scoring), so totals are
integer sums and nothing is ever rounded before it is added. Each reported figure is then one
``Decimal``: the exact value when it terminates within 34 significant digits, otherwise that
value truncated (rounded toward minus infinity) at 34 digits. Truncation keeps the two-decimal
figure a user sees correct: a half-up boundary k/200 sits on the 34-digit grid, so no boundary
can fall between the truncated and the exact value. Never add up the ``Decimal`` figures of a
breakdown yourself; every sum you need is in it.

Display. ``display(d)`` rounds half up to two decimals (``figures.rounding``, the one rule of
every figure shown). Predicate thresholds compare the two-decimal figures a user sees:
``display(actual) >= display(required)``. For the per-area criterion the required figure is
``display(area weight x percent / 100)`` (PW, 60%: 9.00) and the actual one the area's
two-decimal score: 8.995 shows 9.00 and meets it, 8.99 fails by 0.01. The percentage quoted
in that shortfall is the two-decimal score over the weight, rounded half up to two decimals
(``figures.rounding.share_of_weight``): 8.99 of 15 reads 59.93%, never "60%".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Context, Decimal, InvalidOperation
from fractions import Fraction
from math import gcd, lcm
from typing import Any, Final

from evaluations.framework_spec import (
    CHOICE,
    COUNT,
    FrameworkSpec,
    QuestionItem,
    QuestionSpec,
    RatioItem,
)
from figures.rounding import half_up, share_of_weight

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
    "RatioValue",
    "Shortfall",
    "SubAreaResult",
    "contract_dict",
    "display",
    "effective_answers",
    "normalize_answer",
    "question_gains",
    "ratio_values",
    "score",
]

AnswerValue = str | int | Decimal | None

_HUNDRED: Final = Decimal(100)
# Counts are people, complaints, services: far below this. The cap keeps a typo or a hostile
# "1E+999999" from turning into an enormous integer.
_MAX_COUNT: Final = 10**12
_PLAIN_NUMBER: Final = re.compile(r"^[+-]?\d+(\.\d*)?$")
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


# --------------------------------------------------------------------------- answers


def _allowed(q: QuestionSpec) -> str:
    if q.kind == CHOICE:
        return "one of " + ", ".join(q.option_keys)
    if q.kind == COUNT:
        return "a whole number, 0 or more"
    low, high = q.index_range  # type: ignore[misc]
    return f"a number from {low} to {high}"


def _bad(q: QuestionSpec, what: str) -> AnswerError:
    return AnswerError(
        f"question {q.number} ({q.scheme}): {what}; allowed: {_allowed(q)}", question=q.number
    )


def normalize_answer(spec: FrameworkSpec, number: int, raw: Any) -> AnswerValue:
    """Validate a raw answer (from JSON, a form or a spreadsheet) and return its normal form.

    None or a blank string means unanswered. Choice keys match case-insensitively and come back
    as the framework's key ("ya" -> "Ya"). Counts: int or digit string. Index: int, Decimal,
    float or numeric string (a decimal comma is accepted: "3,61"). Booleans are never numbers.
    """
    if isinstance(number, bool) or not isinstance(number, int):
        raise AnswerError(f"question number must be an integer, got {number!r}")
    q = spec.questions_by_number.get(number)
    if q is None:
        numbers = spec.numbers
        raise AnswerError(
            f"question {number} does not exist in framework {spec.slug} "
            f"(questions are numbered {min(numbers)}..{max(numbers)})",
            question=number,
        )
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if q.kind == CHOICE:
        if not isinstance(raw, str):
            raise _bad(q, f"{raw!r} is not an option key")
        text = raw.strip()
        for key in q.option_keys:
            if key == text or key.casefold() == text.casefold():
                return key
        raise _bad(q, f"{raw!r} is not an option")
    if isinstance(raw, bool):
        raise _bad(q, f"{raw!r} is not a number")
    if q.kind == COUNT:
        return _count(q, raw)
    return _index(q, raw)


def _count(q: QuestionSpec, raw: Any) -> int:
    if isinstance(raw, int):
        value = raw
    else:
        if isinstance(raw, str):
            if not _PLAIN_NUMBER.match(raw.strip()):
                raise _bad(q, f"{raw!r} is not a number")
            number = Decimal(raw.strip())
        elif isinstance(raw, (float, Decimal)):
            number = Decimal(repr(raw)) if isinstance(raw, float) else raw
        else:
            raise _bad(q, f"{raw!r} is not a number")
        if not number.is_finite() or number != number.to_integral_value():
            raise _bad(q, f"{raw!r} is not a whole number")
        if abs(number) > _MAX_COUNT:  # before int(): Decimal("1E+999999") is a huge int
            raise _bad(q, f"{raw!r} is too large (at most {_MAX_COUNT:,})")
        value = int(number)
    if value < 0:
        raise _bad(q, f"{raw!r} is negative")
    if value > _MAX_COUNT:
        raise _bad(q, f"{raw!r} is too large (at most {_MAX_COUNT:,})")
    return value


def _index(q: QuestionSpec, raw: Any) -> Decimal:
    try:
        if isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, int):
            value = Decimal(raw)
        elif isinstance(raw, float):
            value = Decimal(repr(raw))  # repr: 3.61 stays 3.61, not its binary expansion
        elif isinstance(raw, str):
            text = raw.strip()
            if text.count(",") == 1 and "." not in text:
                text = text.replace(",", ".")
            value = Decimal(text)
        else:
            raise _bad(q, f"{raw!r} is not a number")
    except InvalidOperation:
        raise _bad(q, f"{raw!r} is not a number") from None
    low, high = q.index_range  # type: ignore[misc]
    if not value.is_finite() or not low <= value <= high:
        raise _bad(q, f"{raw!r} is out of range")
    return value


def effective_answers(
    unit: Mapping[int, AnswerInput], tpi: Mapping[int, AnswerInput]
) -> dict[int, AnswerInput]:
    """The answers that count: the TPI's value wins wherever the TPI gave one; the evidence
    flag always comes from the unit's answer (the TPI does not attach evidence)."""
    result: dict[int, AnswerInput] = {}
    for number in unit.keys() | tpi.keys():
        own = unit.get(number)
        review = tpi.get(number)
        evidence = own.has_evidence if own is not None else False
        if review is not None and review.value is not None:
            result[number] = AnswerInput(review.value, evidence)
        elif own is not None:
            result[number] = own
        else:
            result[number] = AnswerInput(None, False)
    return result


# --------------------------------------------------------------------------- the plan
# Item tuples (tuples, not objects: this loop runs thousands of times a second). A "slot" is a
# question's position in spec.questions; answers are read into a list by slot once per scoring.
#   (_CHOICE, slot, number, {key: points}, unanswered_points)
#   (_INDEX, slot, number, full_points, low_num, low_den, span_num, span_den, unanswered_points,
#    low, high)
#   (_RATIO, ((slot, sign, number), ...), ((slot, number), ...), full_points, zero_points_num0,
#    zero_points_num1, unanswered_points)
# "points" are integers in units of 1/D0 (D0 is the spec's common denominator).
_CHOICE, _INDEX, _RATIO = 0, 1, 2


@dataclass(frozen=True, slots=True)
class _Plan:
    d0: int
    numbers: frozenset[int]
    node_codes: tuple[str, ...]  # sub-area codes, then hasil item codes
    leaves: tuple[tuple[int, tuple[tuple[Any, ...], ...]], ...]  # (node, items)
    slots: tuple[tuple[int, int], ...]  # (question number, node) in spec.questions order
    groups: tuple[tuple[int, tuple[int, ...]], ...]  # (node, children), children before parents
    area_parts: tuple[tuple[str, str, tuple[int, ...]], ...]  # (area, part, top-level nodes)
    counts: tuple[int, ...]  # questions under each node
    hasil_nodes: dict[str, int]  # hasil item code -> node
    sub_area_info: tuple[tuple[Any, ...], ...]  # (code, name, area, part, parent, is_group, weight)
    area_weights: dict[str, Fraction]


def _plan(spec: FrameworkSpec) -> _Plan:
    plan = spec._cache.get("scoring_plan")
    if plan is None:
        plan = _compile(spec)
        spec._cache["scoring_plan"] = plan
    return plan


def _leaf_factors(
    spec: FrameworkSpec,
) -> list[tuple[int, Fraction, tuple[Any, ...], tuple[int, ...]]]:
    """(node, points of one item at value 1, items, questions) for every scored node."""
    result = []
    for node, sub_area in enumerate(spec.sub_areas):
        if not sub_area.is_group:
            factor = Fraction(sub_area.weight) / len(sub_area.items)
            result.append((node, factor, sub_area.items, sub_area.questions))
    offset = len(spec.sub_areas)
    for i, item in enumerate(spec.hasil_items):
        result.append(
            (offset + i, Fraction(item.weight), (QuestionItem(item.question),), (item.question,))
        )
    return result


def _compile(spec: FrameworkSpec) -> _Plan:
    unanswered = Fraction(spec.unanswered_item_value)
    leaves = _leaf_factors(spec)
    # Every fixed contribution must be an integer number of 1/D0 units.
    denominators = {1}
    for _, factor, items, _ in leaves:
        denominators.add((factor * unanswered).denominator)
        denominators.add(factor.denominator)
        for item in items:
            if isinstance(item, QuestionItem):
                for option in spec.question(item.question).options:
                    denominators.add((factor * Fraction(option.value)).denominator)
            else:
                for value in (
                    item.value_if_zero_denominator_numerator_zero,
                    item.value_if_zero_denominator_numerator_nonzero,
                ):
                    denominators.add((factor * Fraction(value)).denominator)
    d0 = lcm(*denominators)

    def points(fraction: Fraction) -> int:
        scaled = fraction * d0
        assert scaled.denominator == 1
        return scaled.numerator

    slot_of = {q.number: i for i, q in enumerate(spec.questions)}
    node_of: dict[int, int] = {}
    compiled = []
    for node, factor, items, questions in leaves:
        for number in questions:
            node_of[number] = node
        plans: list[tuple[Any, ...]] = []
        for item in items:
            if isinstance(item, RatioItem):
                plans.append(
                    (
                        _RATIO,
                        tuple((slot_of[t.question], t.sign, t.question) for t in item.numerator),
                        tuple((slot_of[n], n) for n in item.denominator),
                        points(factor),
                        points(factor * Fraction(item.value_if_zero_denominator_numerator_zero)),
                        points(factor * Fraction(item.value_if_zero_denominator_numerator_nonzero)),
                        points(factor * unanswered),
                    )
                )
                continue
            q = spec.question(item.question)
            if q.kind == CHOICE:
                table = {o.key: points(factor * Fraction(o.value)) for o in q.options}
                plans.append(
                    (_CHOICE, slot_of[q.number], q.number, table, points(factor * unanswered))
                )
            else:
                low, high = q.index_range  # type: ignore[misc]
                low_f = Fraction(low)
                span = Fraction(high) - low_f
                # value = (x - low) / span; as integers so the hot loop needs no Fraction objects.
                plans.append(
                    (
                        _INDEX,
                        slot_of[q.number],
                        q.number,
                        points(factor),
                        low_f.numerator,
                        low_f.denominator,
                        span.numerator,
                        span.denominator,
                        points(factor * unanswered),
                        low,
                        high,
                    )
                )
        compiled.append((node, tuple(plans), questions))

    index_of = {s.code: i for i, s in enumerate(spec.sub_areas)}
    groups = tuple(
        (index_of[s.code], tuple(index_of[c] for c in s.children))
        for s in reversed(spec.sub_areas)
        if s.is_group
    )
    area_parts = tuple(
        (ap.area, ap.part, tuple(index_of[c] for c in ap.sub_areas))
        for part in spec.parts
        for ap in part.areas
    )
    counts = [0] * (len(spec.sub_areas) + len(spec.hasil_items))
    for node, _, questions in compiled:
        counts[node] = len(questions)
    for node, children in groups:
        counts[node] = sum(counts[c] for c in children)
    offset = len(spec.sub_areas)
    return _Plan(
        d0=d0,
        counts=tuple(counts),
        hasil_nodes={h.code: offset + i for i, h in enumerate(spec.hasil_items)},
        numbers=frozenset(spec.numbers),
        node_codes=(*(s.code for s in spec.sub_areas), *(h.code for h in spec.hasil_items)),
        leaves=tuple((node, items) for node, items, _ in compiled),
        slots=tuple((q.number, node_of[q.number]) for q in spec.questions),
        sub_area_info=tuple(
            (s.code, s.name, s.area, s.part, s.parent, s.is_group, s.weight) for s in spec.sub_areas
        ),
        area_weights={a.code: Fraction(a.weight) for a in spec.areas},
        groups=groups,
        area_parts=area_parts,
    )


def _reject(spec: FrameworkSpec, number: int, value: Any) -> AnswerError:
    """Explain a value that reached score() without passing normalize_answer."""
    try:
        normalize_answer(spec, number, value)
    except AnswerError as exc:
        return exc
    q = spec.question(number)
    return _bad(q, f"{value!r} is not normalised (use normalize_answer)")


# --------------------------------------------------------------------------- scoring


def score(
    spec: FrameworkSpec,
    answers: Mapping[int, AnswerInput],
    *,
    holds_wbk: bool | None = None,
    held: Mapping[str, bool] | None = None,
) -> Breakdown:
    """Score one set of answers (use ``effective_answers`` to merge unit and TPI answers).

    ``holds_wbk``: whether the unit already holds WBK (None = unknown); a predicate that
    ``requires_held`` WBK lists "does not yet hold WBK" as a shortfall when it is False, but its
    ``meets`` only reflects the score thresholds. ``held`` states the same for any predicate code.
    """
    plan = _plan(spec)
    unknown = answers.keys() - plan.numbers
    if unknown:
        number = sorted(unknown, key=str)[0]
        raise AnswerError(
            f"question {number} does not exist in framework {spec.slug}", question=number
        )

    n_nodes = len(plan.node_codes)
    sums = [0] * n_nodes
    answered = [0] * n_nodes
    evidenced = [0] * n_nodes
    fractions: list[tuple[int, int, int]] = []  # (node, p, q): p/q units of 1/D0 that do not divide
    get = answers.get

    values: list[AnswerValue] = []
    append = values.append
    for number, node in plan.slots:
        answer = get(number)
        if answer is None:
            append(None)
            continue
        value = answer.value
        append(value)
        if value is not None:
            answered[node] += 1
        if answer.has_evidence:
            evidenced[node] += 1

    for node, items in plan.leaves:
        subtotal = 0
        for item in items:
            kind = item[0]
            if kind == _CHOICE:
                value = values[item[1]]
                if value is None:
                    subtotal += item[4]
                else:
                    points = item[3].get(value) if isinstance(value, str) else None
                    if points is None:
                        raise _reject(spec, item[2], value)
                    subtotal += points
            elif kind == _RATIO:
                numerator = 0
                denominator = 0
                missing = False
                for slot, sign, number in item[1]:
                    value = values[slot]
                    if value is None:
                        missing = True
                        break
                    if type(value) is not int or value < 0:
                        raise _reject(spec, number, value)
                    numerator += sign * value
                if not missing:
                    for slot, number in item[2]:
                        value = values[slot]
                        if value is None:
                            missing = True
                            break
                        if type(value) is not int or value < 0:
                            raise _reject(spec, number, value)
                        denominator += value
                if missing:
                    subtotal += item[6]
                elif denominator == 0:
                    subtotal += item[4] if numerator == 0 else item[5]
                elif numerator >= denominator:
                    subtotal += item[3]
                elif numerator > 0:
                    p = item[3] * numerator
                    divisor = gcd(p, denominator)
                    if divisor == denominator:
                        subtotal += p // divisor
                    else:
                        fractions.append((node, p // divisor, denominator // divisor))
                # numerator <= 0: the item is worth 0 (clamped)
            else:  # _INDEX
                value = values[item[1]]
                if value is None:
                    subtotal += item[8]
                else:
                    if (
                        not isinstance(value, Decimal)
                        or not value.is_finite()
                        or not item[9] <= value <= item[10]
                    ):
                        raise _reject(spec, item[2], value)
                    p, q = value.as_integer_ratio()
                    # points x (p/q - low_n/low_d) / (span_n/span_d)
                    p = item[3] * (p * item[5] - item[4] * q) * item[7]
                    q = q * item[5] * item[6]
                    divisor = gcd(p, q)
                    if divisor == q:
                        subtotal += p // divisor
                    else:
                        fractions.append((node, p // divisor, q // divisor))
        sums[node] = subtotal

    # One common denominator for this scoring: D0 x lcm of the leftover denominators.
    if fractions:
        scale = lcm(*{q for _, _, q in fractions})
        nums = [s * scale for s in sums]
        for node, p, q in fractions:
            nums[node] += p * (scale // q)
    else:
        scale = 1
        nums = sums
    common = plan.d0 * scale
    common_decimal = Decimal(common)

    def exact(numerator: int) -> Decimal:
        return _EXACT.divide(Decimal(numerator), common_decimal)

    counts = plan.counts
    for node, children in plan.groups:
        n = a = e = 0
        for c in children:
            n += nums[c]
            a += answered[c]
            e += evidenced[c]
        nums[node] = n
        answered[node] = a
        evidenced[node] = e

    sub_areas: dict[str, SubAreaResult] = {}
    for node, (code, name, area, part, parent, is_group, weight) in enumerate(plan.sub_area_info):
        sub_areas[code] = SubAreaResult(
            code=code,
            name=name,
            area=area,
            part=part,
            parent=parent,
            is_group=is_group,
            weight=weight,
            score=exact(nums[node]),
            completeness=Completeness(answered[node], counts[node], evidenced[node]),
        )

    # Sums over the tree, all on integer numerators: (points, answered, questions, with evidence).
    area_part: dict[tuple[str, str], tuple[int, int, int, int]] = {}
    for area, part, tops in plan.area_parts:
        n = a = t = e = 0
        for c in tops:
            n += nums[c]
            a += answered[c]
            t += counts[c]
            e += evidenced[c]
        area_part[(area, part)] = (n, a, t, e)

    areas: dict[str, AreaResult] = {}
    for spec_area in spec.areas:
        n = a = t = e = 0
        by_part: dict[str, Decimal] = {}
        for part_code in spec_area.part_weights:
            pn, pa, pt, pe = area_part[(spec_area.code, part_code)]
            n += pn
            a += pa
            t += pt
            e += pe
            by_part[part_code] = exact(pn)
        weight = plan.area_weights[spec_area.code]
        areas[spec_area.code] = AreaResult(
            code=spec_area.code,
            name=spec_area.name,
            pokja=spec_area.pokja,
            weight=spec_area.weight,
            total=exact(n),
            parts=by_part,
            part_weights=dict(spec_area.part_weights),
            percent=_EXACT.divide(
                Decimal(n * 100 * weight.denominator), Decimal(common * weight.numerator)
            )
            if weight
            else _HUNDRED,
            completeness=Completeness(a, t, e),
        )

    hasil_items: dict[str, HasilItemResult] = {}
    for h in spec.hasil_items:
        node = plan.hasil_nodes[h.code]
        answer = get(h.question)
        hasil_items[h.code] = HasilItemResult(
            code=h.code,
            name=h.name,
            part=h.part,
            question=h.question,
            answer=None if answer is None else answer.value,
            weight=h.weight,
            score=exact(nums[node]),
        )

    parts: dict[str, PartResult] = {}
    part_sums: dict[str, tuple[int, int, int, int]] = {}
    for part_spec in spec.parts:
        n = a = t = e = 0
        if part_spec.has_areas:
            for ap in part_spec.areas:
                pn, pa, pt, pe = area_part[(ap.area, part_spec.code)]
                n += pn
                a += pa
                t += pt
                e += pe
        else:
            for code in part_spec.hasil_items:
                node = plan.hasil_nodes[code]
                n += nums[node]
                a += answered[node]
                t += counts[node]
                e += evidenced[node]
        part_sums[part_spec.code] = (n, a, t, e)
        parts[part_spec.code] = PartResult(
            code=part_spec.code,
            name=part_spec.name,
            component=part_spec.component,
            has_areas=part_spec.has_areas,
            weight=part_spec.weight,
            score=exact(n),
            completeness=Completeness(a, t, e),
        )

    components: dict[str, ComponentResult] = {}
    total_num = total_answered = total_questions = total_evidenced = 0
    for component in spec.components:
        n = a = t = e = 0
        for code in component.parts:
            pn, pa, pt, pe = part_sums[code]
            n += pn
            a += pa
            t += pt
            e += pe
        total_num += n
        total_answered += a
        total_questions += t
        total_evidenced += e
        components[component.code] = ComponentResult(
            code=component.code,
            name=component.name,
            weight=component.weight,
            score=exact(n),
            parts=component.parts,
            completeness=Completeness(a, t, e),
        )

    total = exact(total_num)
    held_map = dict(held or {})
    if holds_wbk is not None:
        held_map.setdefault("WBK", holds_wbk)
    predicates = {
        p.code: _check_predicate(
            spec, p.code, total, components, parts, areas, hasil_items, held_map
        )
        for p in spec.predicates
    }
    return Breakdown(
        framework=spec.slug,
        framework_version=spec.version,
        total=total,
        total_weight=spec.total_weight,
        completeness=Completeness(total_answered, total_questions, total_evidenced),
        components=components,
        parts=parts,
        areas=areas,
        sub_areas=sub_areas,
        hasil_items=hasil_items,
        predicates=predicates,
    )


def _fmt(d: Decimal) -> str:
    return format(d.normalize(), "f")


def _check_predicate(
    spec: FrameworkSpec,
    code: str,
    total: Decimal,
    components: dict[str, ComponentResult],
    parts: dict[str, PartResult],
    areas: dict[str, AreaResult],
    hasil_items: dict[str, HasilItemResult],
    held: Mapping[str, bool],
) -> PredicateResult:
    predicate = spec.predicate(code)
    shortfalls: list[Shortfall] = []
    for criterion in predicate.criteria:
        if criterion.target == "each_area":
            percent = criterion.min_percent
            assert percent is not None
            for area in areas.values():
                actual = display(area.total)
                required = display(area.weight * percent / _HUNDRED)
                if actual >= required:
                    continue
                gap = required - actual
                # The shown score over the weight, two decimals: a failing area never reads as
                # its minimum (8.99 of 15 is 59.93%).
                shown = share_of_weight(actual, area.weight) if area.weight else _HUNDRED
                shortfalls.append(
                    Shortfall(
                        predicate=code,
                        criterion=criterion.code,
                        label=area.name,
                        area=area.code,
                        actual=actual,
                        required=required,
                        gap=gap,
                        message=(
                            f"{area.name} {actual} of {_fmt(area.weight)} ({shown}%); "
                            f"{code} needs {_fmt(percent)}% = {required} (+{gap})"
                        ),
                    )
                )
            continue
        if criterion.target == "total":
            value = total
        elif criterion.target == "component":
            value = components[criterion.ref].score  # type: ignore[index]
        elif criterion.target == "part":
            value = parts[criterion.ref].score  # type: ignore[index]
        else:
            value = hasil_items[criterion.ref].score  # type: ignore[index]
        actual = display(value)
        required = display(criterion.minimum)  # type: ignore[arg-type]
        if actual >= required:
            continue
        gap = required - actual
        shortfalls.append(
            Shortfall(
                predicate=code,
                criterion=criterion.code,
                label=criterion.label,
                area=None,
                actual=actual,
                required=required,
                gap=gap,
                message=f"{criterion.label} {actual}; {code} needs {required} (+{gap})",
            )
        )
    meets = not shortfalls
    if predicate.requires_held is not None and held.get(predicate.requires_held) is False:
        shortfalls.append(
            Shortfall(
                predicate=code,
                criterion="held",
                label=f"holds {predicate.requires_held}",
                area=None,
                actual=None,
                required=None,
                gap=None,
                message=f"does not yet hold {predicate.requires_held}",
            )
        )
    return PredicateResult(
        code=code, name=predicate.name, meets=meets, shortfalls=tuple(shortfalls)
    )


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


# --------------------------------------------------------------------------- contract


def contract_dict(breakdown: Breakdown) -> dict[str, Any]:
    """The CLI/API contract: two-decimal JSON numbers keyed by the framework's codes.

    For lke-2021: ``{"framework", "total", "pengungkit", "pemenuhan", "reform", "hasil",
    "areas": {"MP": {"pemenuhan", "reform", "total", "weight"}, ...}, "hasil_items": {"ipak",
    "capaian_kinerja", "ipkp", "bersih_akuntabel", "pelayanan_prima"}, "meets": {"WBK",
    "WBBM"}, "shortfalls": {"WBK": [message], "WBBM": [message]}}``.
    """

    def number(value: Decimal) -> float:
        # float of a two-decimal Decimal prints back as the same two decimals in JSON.
        return float(display(value))

    result: dict[str, Any] = {"framework": breakdown.framework, "total": number(breakdown.total)}
    for component in breakdown.components.values():
        result[component.code] = number(component.score)
        for code in component.parts:
            part = breakdown.parts[code]
            if part.has_areas:
                result[code] = number(part.score)
    result["areas"] = {
        area.code: {
            **{code: number(value) for code, value in area.parts.items()},
            "total": number(area.total),
            "weight": number(area.weight),
        }
        for area in breakdown.areas.values()
    }
    hasil: dict[str, float] = {
        code: number(item.score) for code, item in breakdown.hasil_items.items()
    }
    for part in breakdown.parts.values():
        if not part.has_areas:
            hasil[part.code] = number(part.score)
    result["hasil_items"] = hasil
    result["meets"] = {code: p.meets for code, p in breakdown.predicates.items()}
    result["shortfalls"] = {
        code: [s.message for s in p.shortfalls] for code, p in breakdown.predicates.items()
    }
    return result
