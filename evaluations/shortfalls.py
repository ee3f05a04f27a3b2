"""Which shortfalls of a predicate are cheapest to close, and with which questions.

Pure Python, no Django. A shortfall (e.g. "Penguatan Pengawasan 8.10 of 15; WBK needs 9.00")
is closed by raising the scored items that feed its figure. ``question_gains`` says how many
points each item would add at its best answer; taking the largest gains first gives the fewest
items that close the gap, which is how cheap the shortfall is. Shortfalls that no answer can
close (the unit does not hold WBK yet, or even every item at its best falls short) come last.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from evaluations.framework_spec import FrameworkSpec
from evaluations.scoring import Breakdown, QuestionGain, Shortfall, display

__all__ = ["ShortfallPlan", "plan_shortfalls"]

_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class ShortfallPlan:
    shortfall: Shortfall
    steps: tuple[QuestionGain, ...]  # the fewest items whose best answers close the gap
    closable: bool  # False: answers alone cannot close it
    available: Decimal  # points every feeding item together could still add

    @property
    def cost(self) -> int:
        return len(self.steps)

    @property
    def step_points(self) -> Decimal:
        return sum((g.points for g in self.steps), _ZERO)


def _feeds(spec: FrameworkSpec, shortfall: Shortfall, gain: QuestionGain) -> bool:
    if shortfall.area is not None:
        return gain.area == shortfall.area
    criterion = next(
        c for c in spec.predicate(shortfall.predicate).criteria if c.code == shortfall.criterion
    )
    if criterion.target == "total":
        return True
    if criterion.target == "component":
        return spec.part(gain.part).component == criterion.ref
    if criterion.target == "part":
        return gain.part == criterion.ref
    return gain.hasil_item == criterion.ref


def _current(spec: FrameworkSpec, breakdown: Breakdown, shortfall: Shortfall) -> Decimal:
    """The exact figure the shortfall is about."""
    if shortfall.area is not None:
        return breakdown.areas[shortfall.area].total
    criterion = next(
        c for c in spec.predicate(shortfall.predicate).criteria if c.code == shortfall.criterion
    )
    if criterion.target == "total":
        return breakdown.total
    if criterion.target == "component":
        return breakdown.components[criterion.ref].score  # type: ignore[index]
    if criterion.target == "part":
        return breakdown.parts[criterion.ref].score  # type: ignore[index]
    return breakdown.hasil_items[criterion.ref].score  # type: ignore[index]


def plan_shortfalls(
    spec: FrameworkSpec,
    breakdown: Breakdown,
    gains: Sequence[QuestionGain],
    predicate: str,
) -> list[ShortfallPlan]:
    """The predicate's shortfalls, cheapest to close first (fewest items, then smallest gap).

    ``gains`` must come from ``question_gains`` over the same answers as ``breakdown``.
    """
    plans = []
    for shortfall in breakdown.predicates[predicate].shortfalls:
        if shortfall.required is None:  # "does not yet hold WBK": no answer changes that
            plans.append(ShortfallPlan(shortfall, (), False, _ZERO))
            continue
        feeding = [g for g in gains if g.points > 0 and _feeds(spec, shortfall, g)]
        feeding.sort(key=lambda g: (-g.points, g.number))
        current = _current(spec, breakdown, shortfall)
        steps: list[QuestionGain] = []
        added = _ZERO
        closed = False
        for gain in feeding:
            steps.append(gain)
            added += gain.points
            if display(current + added) >= shortfall.required:
                closed = True
                break
        available = sum((g.points for g in feeding), _ZERO)
        plans.append(ShortfallPlan(shortfall, tuple(steps) if closed else (), closed, available))
    plans.sort(
        key=lambda p: (
            not p.closable,
            p.cost,
            p.shortfall.gap if p.shortfall.gap is not None else Decimal("Infinity"),
        )
    )
    return plans
