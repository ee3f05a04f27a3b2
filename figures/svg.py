"""Charts drawn on the server as inline SVG (the PDF report: WeasyPrint runs no script).

Geometry is written with ``plain`` numbers (dot decimals, never localized: "127.5"), the text
a reader sees with ``figures.formatting`` (the active language: "3,65"). Row labels wrap onto
as many lines as they need instead of being cut; each bar's value is written beside it, and
each tone fills with its colour and its pattern (``figures.palette``).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from figures.formatting import plain
from figures.palette import CROSSHATCH, DOTS, GRID, SOLID, STRIPES, Tone

FONT = 8.5  # user units; the SVG is scaled to the page width
LINE = 10.5  # one line of a row label
LABEL_WIDTH = 170  # the label column
LABEL_CHARS = 36  # characters of a label line at FONT in LABEL_WIDTH
BAR_HEIGHT = 14
GAP = 8  # between rows
VALUE_ROOM = 48  # after the longest bar, for its value


@dataclass(frozen=True)
class BarRow:
    label: str
    value: Decimal | None  # on the chart's scale; None draws no bar
    text: str  # the value as the reader sees it ("3,65"); written beside the bar
    tone: Tone


@dataclass(frozen=True)
class Marker:
    """A vertical line across the bars (a threshold), with its label at the top."""

    value: Decimal
    label: str
    colour: str
    dash: tuple[int, ...]


def _pattern(tone: Tone, pattern_id: str) -> str:
    size = 6
    marks = {
        SOLID: "",
        STRIPES: f'<path d="M0,{size} L{size},0" stroke="#fff" stroke-width="1.4"/>',
        DOTS: '<circle cx="3" cy="3" r="1.1" fill="#fff"/>',
        CROSSHATCH: (
            f'<path d="M0,{size} L{size},0 M0,0 L{size},{size}" stroke="#fff" stroke-width="1.1"/>'
        ),
        GRID: (f'<path d="M3,0 L3,{size} M0,3 L{size},3" stroke="#fff" stroke-width="0.9"/>'),
    }[tone.pattern]
    return (
        f'<pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="{size}" '
        f'height="{size}"><rect width="{size}" height="{size}" fill="{tone.colour}"/>'
        f"{marks}</pattern>"
    )


def horizontal_bars(
    rows: Sequence[BarRow],
    *,
    maximum: Decimal,
    ticks: Sequence[tuple[Decimal, str]],
    title: str,
    markers: Sequence[Marker] = (),
    width: int = 300,
) -> SafeString:
    """A horizontal bar chart: one row per ``rows`` entry, bars to scale against ``maximum``,
    the scale's ``ticks`` (value, text) on top, and ``markers`` as dashed lines."""
    tones: dict[tuple[str, str], str] = {}
    for row in rows:
        tones.setdefault((row.tone.colour, row.tone.pattern), f"zi-fill-{len(tones)}")
    top = 16 + (LINE if markers else 0)
    parts: list[str] = []
    y = top
    for row in rows:
        lines = textwrap.wrap(row.label, LABEL_CHARS) or [""]
        height = max(BAR_HEIGHT, len(lines) * LINE)
        first = y + (height - len(lines) * LINE) / 2 + FONT
        tspans = "".join(
            f'<tspan x="{-6}" y="{plain(Decimal(str(first + i * LINE)), 1)}">{escape(text)}</tspan>'
            for i, text in enumerate(lines)
        )
        parts.append(f'<text font-size="{FONT}" text-anchor="end" fill="#111">{tspans}</text>')
        bar_y = y + (height - BAR_HEIGHT) / 2
        length = Decimal(0)
        if row.value is not None and maximum:
            length = min(Decimal(row.value), maximum) / maximum * width
        fill = tones[(row.tone.colour, row.tone.pattern)]
        if length > 0:
            parts.append(
                f'<rect x="0" y="{plain(Decimal(str(bar_y)), 1)}" width="{plain(length, 1)}" '
                f'height="{BAR_HEIGHT}" fill="url(#{fill})" stroke="{row.tone.colour}" '
                'stroke-width="0.6"/>'
            )
        parts.append(
            f'<text x="{plain(length + 4, 1)}" y="{plain(Decimal(str(bar_y + BAR_HEIGHT - 4)), 1)}"'
            f' font-size="{FONT}" fill="#111">{escape(row.text)}</text>'
        )
        y += height + GAP
    bottom = y - GAP
    grid = []
    for value, text in ticks:
        x = plain(Decimal(value) / maximum * width, 1) if maximum else "0"
        grid.append(
            f'<line x1="{x}" y1="{top - 4}" x2="{x}" y2="{plain(Decimal(str(bottom)), 1)}" '
            'stroke="#ccc" stroke-width="0.6"/>'
            f'<text x="{x}" y="{top - 7}" font-size="8" text-anchor="middle" fill="#555">'
            f"{escape(text)}</text>"
        )
    for marker in markers:
        x = plain(Decimal(marker.value) / maximum * width, 1) if maximum else "0"
        dash = ",".join(str(d) for d in marker.dash)
        grid.append(
            f'<line x1="{x}" y1="{top - 4}" x2="{x}" y2="{plain(Decimal(str(bottom)), 1)}" '
            f'stroke="{marker.colour}" stroke-width="1.2" stroke-dasharray="{dash}"/>'
            f'<text x="{x}" y="{top - 7 - LINE}" font-size="8" text-anchor="middle" '
            f'fill="{marker.colour}">{escape(marker.label)}</text>'
        )
    defs = "".join(_pattern(Tone(c, p), i) for (c, p), i in tones.items())
    view_width = LABEL_WIDTH + width + VALUE_ROOM
    view_height = bottom + 4
    # Every text above is escaped; every number is our own.
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="zi-chart" width="100%" '
        f'viewBox="{-LABEL_WIDTH} 0 {view_width} {plain(Decimal(str(view_height)), 1)}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f"<defs>{defs}</defs>{''.join(grid)}{''.join(parts)}</svg>"
    )
