"""The one rounding rule of every figure a user sees (the framework's ``display-rounding``).

Pure Python, no Django, so that the scoring engine and the survey arithmetic share it: a
figure is computed exactly and rounded half up (away from zero), to two decimals unless said
otherwise, only when it is shown, and always from its exact value (never from another rounded
figure). ``Fraction`` and ``int`` are rounded exactly; a ``Decimal`` by ``quantize``, which is
exact as well.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PLACES = 2  # the framework's display precision


def half_up(value: Decimal | Fraction | int, places: int = PLACES) -> Decimal:
    """``value`` rounded half up to ``places`` decimals: 2.675 -> 2.68, -0.125 -> -0.13."""
    if isinstance(value, bool) or not isinstance(value, Decimal | Fraction | int):
        # Floats are refused: 2.675 is not two hundred sixty-seven and a half hundredths.
        raise TypeError(f"expected Decimal, Fraction or int, got {type(value).__name__}")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"expected a finite number, got {value}")
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    exact = Fraction(value)
    units = math.floor(abs(exact) * 10**places + Fraction(1, 2))
    return Decimal(-units if exact < 0 else units).scaleb(-places)


def share(part: Decimal | Fraction | int, whole: Decimal | Fraction | int) -> Fraction | None:
    """``part`` as an exact percentage of ``whole`` (None when ``whole`` is 0)."""
    if not whole:
        return None
    return Fraction(part) * 100 / Fraction(whole)


def share_of_weight(score: Decimal, weight: Decimal) -> Decimal | None:
    """The percentage of a weight that a score reaches, as every page, chart and export shows
    it: the two-decimal score a user sees over the weight, rounded half up to two decimals.

    From the shown score, not the exact one, because the framework judges thresholds on the
    shown score (``area-threshold``): an area showing 9.00 of 15 meets 60% and reads 60.00%,
    one showing 8.99 fails and reads 59.93%. A failing area never reads as its minimum.
    """
    exact = share(half_up(score), weight)
    return None if exact is None else half_up(exact)
