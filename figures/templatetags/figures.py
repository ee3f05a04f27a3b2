"""Template filters of ``figures.formatting``: ``{% load figures %}``.

``{{ score|number }}`` 7,50 · ``{{ n|whole }}`` 342 · ``{{ 60|constant }}`` 60 ·
``{{ value|percent }}`` 55,88% · ``{{ score|weight_share:weight }}`` 55,88% ·
``{{ part|share:whole }}`` 50,00% · ``{{ score|plain }}`` 7.50 · ``{{ date|day }}`` 21 Mar 2018 ·
``{{ date|long_day }}`` 21 Maret 2018 · ``{{ when|moment }}`` 3 Des 2026 15:38.
"""

from __future__ import annotations

from django import template

from figures import formatting
from figures.rounding import PLACES

register = template.Library()

# Where the formatting function takes what a template gives it, it is the filter itself.
register.filter("whole", formatting.whole)
register.filter("constant", formatting.constant)
register.filter("weight_share", formatting.weight_share_text)
register.filter("share", formatting.share_text)
register.filter("long_day", formatting.long_day)
register.filter("moment", formatting.moment)


def _places_filter(format_figure):
    """A formatting function as a filter whose places may come as text: ``number:"1"``."""

    def figure_filter(value, places=PLACES) -> str:
        return format_figure(value, int(places))

    return figure_filter


register.filter("number", _places_filter(formatting.number))
register.filter("percent", _places_filter(formatting.percent))
register.filter("plain", _places_filter(formatting.plain))


@register.filter
def day(value) -> str:
    # Not formatting.day itself: its second argument, the format, is not a template's to choose.
    return formatting.day(value)
