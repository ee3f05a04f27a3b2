"""Showing LKE figures: two decimals, half up, in the reader's number format."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from evaluations.scoring import display

register = template.Library()


@register.filter
def points(value) -> str:
    """A score as users see it: half up to two decimals (7,50 in Indonesian)."""
    if value is None or value == "":
        return "—"
    return number_format(display(Decimal(value)), 2)


@register.filter
def plain(value) -> str:
    """Two decimals with a dot, for HTML attributes (<meter value="7.50">)."""
    if value is None or value == "":
        return "0"
    return format(display(Decimal(value)), "f")


@register.filter
def percent_of(value, total) -> str:
    """value / total as a percentage with one decimal, e.g. "62,5"."""
    if not total:
        return "—"
    shown = display(Decimal(value)) * 100 / Decimal(total)
    return number_format(shown.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), 1)


@register.filter
def answer_text(value) -> str:
    """An answer value as text (a count, an option key, an index with a comma in Indonesian)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number_format(value)
    return str(value)
