"""Translated wording for answers the framework does not allow.

The pure scoring module explains a bad value in English for commands and logs; the pages say
the same in the reader's language: which question, and what is allowed.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from evaluations.framework_spec import CHOICE, COUNT, FrameworkSpec


def allowed_answers(spec: FrameworkSpec, number: int) -> str:
    """What question ``number`` accepts, e.g. "one of A, B, C"."""
    q = spec.question(number)
    if q.kind == CHOICE:
        return _("one of %(keys)s") % {"keys": ", ".join(q.option_keys)}
    if q.kind == COUNT:
        return _("a whole number, 0 or more")
    low, high = q.index_range  # type: ignore[misc]
    return _("a number from %(low)s to %(high)s") % {
        "low": number_format(low),
        "high": number_format(high),
    }


def bad_answer(spec: FrameworkSpec, number: int, raw) -> str:
    """Question 2: “Z” is not allowed; allowed: one of A, B, C."""
    return _("Question %(number)s: “%(value)s” is not allowed; allowed: %(allowed)s.") % {
        "number": number,
        "value": raw,
        "allowed": allowed_answers(spec, number),
    }
