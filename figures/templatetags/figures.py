"""Template filters of ``figures.formatting``: ``{% load figures %}``.

``{{ score|number }}`` 7,50 · ``{{ n|whole }}`` 342 · ``{{ 60|constant }}`` 60 ·
``{{ value|percent }}`` 55,88% · ``{{ score|weight_share:weight }}`` 55,88% ·
``{{ part|share:whole }}`` 50,00% · ``{{ score|plain }}`` 7.50 · ``{{ date|day }}`` 21 Mar 2018 ·
``{{ date|long_day }}`` 21 Maret 2018 · ``{{ when|moment }}`` 3 Des 2026 15:38.
"""

from __future__ import annotations

from django import template

from figures import formatting

register = template.Library()


@register.filter
def number(value, places=2) -> str:
    return formatting.number(value, int(places))


@register.filter
def whole(value) -> str:
    return formatting.whole(value)


@register.filter
def constant(value) -> str:
    return formatting.constant(value)


@register.filter
def percent(value, places=2) -> str:
    return formatting.percent(value, int(places))


@register.filter
def weight_share(score, weight) -> str:
    return formatting.weight_share_text(score, weight)


@register.filter
def share(part, whole_value) -> str:
    return formatting.share_text(part, whole_value)


@register.filter
def plain(value, places=2) -> str:
    return formatting.plain(value, int(places))


@register.filter
def day(value) -> str:
    return formatting.day(value)


@register.filter
def long_day(value) -> str:
    return formatting.long_day(value)


@register.filter
def moment(value) -> str:
    return formatting.moment(value)
