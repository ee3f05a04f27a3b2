"""Figures and dates as text in the active language: pages, chart labels, PDF, workbook, e-mail.

One place decides how a figure reads, so the same figure reads the same everywhere: rounded by
``figures.rounding`` (half up, two decimals, from the exact value) and written with the active
language's decimal separator (7,50 in Indonesian, 7.50 in English). Dates use the language's
month names (21 Mar 2018 / 21 Mar 2018, 3 Des 2026 / 3 Dec 2026); never ISO on a page.

``plain`` is the exception for machines: dot decimals for HTML attributes, SVG geometry and
form inputs.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from django.utils.formats import date_format, number_format

from figures.rounding import PLACES, half_up, share_of_weight

EMPTY = "—"

Number = Decimal | Fraction | int

DAY = "j M Y"  # 21 Mar 2018
LONG_DAY = "j F Y"  # 21 Maret 2018
MOMENT = "j M Y H:i"  # 3 Des 2026 15:38
AXIS_DAY = "j M"  # 3 Des, under a chart's axis


def _exact(value) -> Number:
    if isinstance(value, float):  # JSON data: its repr is the decimal it was written from
        return Decimal(repr(value))
    if isinstance(value, str):
        return Decimal(value)
    return value


def number(value, places: int = PLACES) -> str:
    """A figure rounded half up to ``places`` decimals, in the active language: "7,50"."""
    if value is None or value == "":
        return EMPTY
    return number_format(half_up(_exact(value), places), places)


def whole(value) -> str:
    """A count: "342"."""
    if value is None or value == "":
        return EMPTY
    return number_format(int(value))


def constant(value) -> str:
    """A number the framework or an instrument states (60, 18.25, 3.6): as written, without
    padding zeros: "60", "18,25", "3,6"."""
    if value is None or value == "":
        return EMPTY
    exact = _exact(value)
    if isinstance(exact, int):
        return number_format(exact)
    text = format(Decimal(exact).normalize(), "f")
    places = len(text.split(".")[1]) if "." in text else 0
    return number_format(Decimal(text), places or None)


def percent(value, places: int = PLACES) -> str:
    """A percentage (already times 100): "55,88%"."""
    if value is None or value == "":
        return EMPTY
    return f"{number(value, places)}%"


def share_text(part, whole_value, places: int = PLACES) -> str:
    """``part`` of ``whole_value`` as a percentage: "50,00%"; "—" when nothing is owed."""
    if whole_value is None or not whole_value:
        return EMPTY
    return percent(Fraction(_exact(part)) * 100 / Fraction(_exact(whole_value)), places)


def weight_share(score, weight) -> Decimal | None:
    """The share of its weight a score reaches (see ``figures.rounding.share_of_weight``)."""
    if score is None or score == "" or weight is None or weight == "":
        return None
    return share_of_weight(Decimal(_exact(score)), Decimal(_exact(weight)))


def weight_share_text(score, weight) -> str:
    return percent(weight_share(score, weight))


def plain(value, places: int = PLACES) -> str:
    """Rounded like ``number`` but always with a dot and no grouping: "7.50" (attributes, SVG,
    ``<input type="number">``)."""
    if value is None or value == "":
        return ""
    return format(half_up(_exact(value), places), "f")


def day(value: datetime.date | None, fmt: str = DAY) -> str:
    """A date in the active language: "21 Mar 2018"."""
    if value is None:
        return EMPTY
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, fmt)


def long_day(value: datetime.date | None) -> str:
    """A date with the month's full name: "21 Maret 2018"."""
    return day(value, LONG_DAY)


def moment(value: datetime.datetime | None) -> str:
    """A moment in the site's time zone: "3 Des 2026 15:38"."""
    return day(value, MOMENT)


def axis_day(value: datetime.date) -> str:
    """A date under a chart's axis: "3 Des"."""
    return date_format(value, AXIS_DAY)
