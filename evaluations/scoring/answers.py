"""Answers: validating a raw answer against its question, merging unit and TPI answers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from evaluations.framework_spec import CHOICE, COUNT, FrameworkSpec, QuestionSpec
from evaluations.scoring.results import AnswerError, AnswerInput, AnswerValue

# Counts are people, complaints, services: far below this. The cap keeps a typo or a hostile
# "1E+999999" from turning into an enormous integer.
__all__ = ["effective_answers", "normalize_answer"]

_MAX_COUNT: Final = 10**12
_PLAIN_NUMBER: Final = re.compile(r"^[+-]?\d+(\.\d*)?$")


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


def _reject(spec: FrameworkSpec, number: int, value: Any) -> AnswerError:
    """Explain a value that reached score() without passing normalize_answer."""
    try:
        normalize_answer(spec, number, value)
    except AnswerError as exc:
        return exc
    q = spec.question(number)
    return _bad(q, f"{value!r} is not normalised (use normalize_answer)")
