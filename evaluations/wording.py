"""Translated wording for answers the framework does not allow, and for shortfalls.

The pure scoring module explains a bad value or a shortfall in English for commands and logs;
the pages, the PDF report and the workbook say the same in the reader's language, with the
figures in the reader's number format (``figures.formatting``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from evaluations.framework_spec import CHOICE, COUNT, FrameworkSpec
from figures import formatting as fmt


def allowed_answers(spec: FrameworkSpec, number: int) -> str:
    """What question ``number`` accepts, e.g. "one of A, B, C"."""
    q = spec.question(number)
    if q.kind == CHOICE:
        return _("one of %(keys)s") % {"keys": ", ".join(q.option_keys)}
    if q.kind == COUNT:
        return _("a whole number, 0 or more")
    low, high = q.index_range  # type: ignore[misc]
    return _("a number from %(low)s to %(high)s") % {
        "low": fmt.constant(low),
        "high": fmt.constant(high),
    }


def bad_answer(spec: FrameworkSpec, number: int, raw) -> str:
    """Question 2: “Z” is not allowed; allowed: one of A, B, C."""
    return _("Question %(number)s: “%(value)s” is not allowed; allowed: %(allowed)s.") % {
        "number": number,
        "value": raw,
        "allowed": allowed_answers(spec, number),
    }


def shortfall_label(row) -> str:
    """What a shortfall is about, in the reader's language: the framework's own name of the
    figure (an area, "Pelayanan publik yang prima", ...), or that the unit must hold a predicate.
    ``row`` is an ``evaluations.selectors.ShortfallRow``."""
    if row.kind == "held":
        return _("The unit does not yet hold %(held)s.") % {"held": row.held}
    return row.label


def shortfall_text(row, predicate: str) -> str:
    """One shortfall as every page and export words it, figures in the reader's format:
    "Manajemen Perubahan 4,47 dari 8,00 (55,88%); WBK memerlukan 60% = 4,80 (+0,33)"."""
    if row.kind == "held":
        return shortfall_label(row)
    if row.kind == "area":
        return _(
            "%(label)s %(actual)s of %(weight)s (%(percent)s%%); %(code)s needs %(min)s%% = "
            "%(required)s (+%(gap)s)"
        ) % {
            "label": row.label,
            "actual": fmt.number(row.actual),
            "weight": fmt.number(row.weight),
            "percent": fmt.number(row.percent),
            "code": predicate,
            "min": fmt.constant(row.min_percent),
            "required": fmt.number(row.required),
            "gap": fmt.number(row.gap),
        }
    return _("%(label)s %(actual)s; %(code)s needs %(required)s (+%(gap)s)") % {
        "label": row.label,
        "actual": fmt.number(row.actual),
        "code": predicate,
        "required": fmt.number(row.required),
        "gap": fmt.number(row.gap),
    }
