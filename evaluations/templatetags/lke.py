"""Showing LKE answers. Figures go through ``figures.formatting`` (``{% load figures %}``);
``points`` and ``plain`` are the same helpers under the names the worksheet templates use."""

from __future__ import annotations

from decimal import Decimal

from django import template

from evaluations import wording
from figures import formatting

register = template.Library()


@register.filter
def points(value) -> str:
    """A score as users see it: half up to two decimals (7,50 in Indonesian)."""
    return formatting.number(value)


@register.filter
def plain(value) -> str:
    """Two decimals with a dot, for HTML attributes (<meter value="7.50">)."""
    return formatting.plain(value) or "0"


@register.filter
def answer_text(value) -> str:
    """An answer as text: an option key, a count, or an index to two decimals ("3,29")."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return formatting.number(value)
    return str(value)


@register.filter
def shortfall_text(row, predicate: str) -> str:
    """A shortfall as every page and export words it (``evaluations.wording``)."""
    return wording.shortfall_text(row, predicate)
