"""The one palette of every chart: the dashboards' (Chart.js), the survey pages' and the PDF
report's (SVG drawn on the server).

A colour is chosen for what it means, never by a series' position: green is done and checked,
red and orange warn (late, low answers), blue is neutral (on track, the parts of an area).
Colour never carries the meaning alone: each tone has its own fill pattern, every series is
named in a legend or beside its bar, and every chart has a table with the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

# Fill patterns charts.js and ``figures.svg`` draw over a tone's colour.
SOLID, STRIPES, DOTS, CROSSHATCH, GRID = "solid", "stripes", "dots", "crosshatch", "grid"


@dataclass(frozen=True)
class Tone:
    colour: str  # fill and line colour (contrast at least 3:1 on white)
    pattern: str  # one of the patterns above, drawn in white over the colour

    def as_json(self) -> dict[str, str]:
        return {"colour": self.colour, "pattern": self.pattern}


TONES: dict[str, Tone] = {
    # Action plans: verified > done > on track; late warns.
    "verified": Tone("#146c43", SOLID),
    "done": Tone("#4f8f65", STRIPES),
    "on_track": Tone("#2f5f8a", DOTS),
    "late": Tone("#b02a37", CROSSHATCH),
    # Parts of a score (PEMENUHAN, REFORM, ...) in the framework's order: neutral blues.
    "part-1": Tone("#2f5f8a", SOLID),
    "part-2": Tone("#6b8fb3", STRIPES),
    "part-3": Tone("#45617a", DOTS),
    "part-4": Tone("#8aa6c1", GRID),
    # A single series (the total over time, survey indices, means).
    "series": Tone("#2f5f8a", SOLID),
    # Answer values on a survey scale, from the worst to the best.
    "scale-1": Tone("#b02a37", CROSSHATCH),
    "scale-2": Tone("#b35c00", STRIPES),
    "scale-3": Tone("#4f8f65", DOTS),
    "scale-4": Tone("#146c43", SOLID),
    "scale-5": Tone("#0b4a2d", GRID),
}

# Threshold lines (the predicates' minimums), in the predicates' order: colour and dash.
LINES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("#0b5ed7", (6, 4)),
    ("#6f42c1", (2, 3)),
    ("#343a40", (8, 3, 2, 3)),
)


def tone(name: str) -> Tone:
    return TONES[name]


def part_tone(position: int) -> Tone:
    """The tone of the part at ``position`` (from 0) of a score's parts."""
    return TONES[f"part-{position % 4 + 1}"]


def scale_tone(value: int, top: int) -> Tone:
    """The tone of answer ``value`` on a scale 1..``top``: the worst red, the best green."""
    if top <= 1:
        return TONES["scale-4"]
    steps = ("scale-1", "scale-2", "scale-3", "scale-4", "scale-5")
    if top <= 4:
        steps = ("scale-1", "scale-2", "scale-3", "scale-4")
    position = round((value - 1) * (len(steps) - 1) / (top - 1))
    return TONES[steps[max(0, min(len(steps) - 1, position))]]


def line(position: int) -> dict[str, object]:
    colour, dash = LINES[position % len(LINES)]
    return {"colour": colour, "dash": list(dash)}
