"""Exact LKE scoring: sub-area, area, part, component and total scores, predicate checks.

Pure Python, no Django. Everything the arithmetic needs (weights, values, thresholds, the
zero-denominator rule of each ratio item) comes from the framework spec.

Exactness. Means of three items (1/3) and ratios of counts (7/13) do not terminate in decimal,
so the engine adds exact rationals: every contribution is an integer over one common
denominator (fixed per spec, times the ratio denominators met in one scoring), so totals are
integer sums and nothing is ever rounded before it is added. Each reported figure is then one
``Decimal``: the exact value when it terminates within 34 significant digits, otherwise that
value truncated (rounded toward minus infinity) at 34 digits. Truncation keeps the two-decimal
figure a user sees correct: a half-up boundary k/200 sits on the 34-digit grid, so no boundary
can fall between the truncated and the exact value. Never add up the ``Decimal`` figures of a
breakdown yourself; every sum you need is in it.

Display. ``display(d)`` rounds half up to two decimals (``figures.rounding``, the one rule of
every figure shown). Predicate thresholds compare the two-decimal figures a user sees:
``display(actual) >= display(required)``. For the per-area criterion the required figure is
``display(area weight x percent / 100)`` (PW, 60%: 9.00) and the actual one the area's
two-decimal score: 8.995 shows 9.00 and meets it, 8.99 fails by 0.01. The percentage quoted
in that shortfall is the two-decimal score over the weight, rounded half up to two decimals
(``figures.rounding.share_of_weight``): 8.99 of 15 reads 59.93%, never "60%".

The package: ``results`` (the answer and result records, ``display``), ``answers``
(validating and merging answers), ``breakdown`` (the compiled plan, ``score``, predicate checks,
the JSON contract) and ``gains`` (what each item would add at its best, ratio item values).
"""

# The package's names are those its modules list in their ``__all__``.
from evaluations.scoring import answers, breakdown, gains, results
from evaluations.scoring.answers import *  # noqa: F403
from evaluations.scoring.breakdown import *  # noqa: F403
from evaluations.scoring.gains import *  # noqa: F403
from evaluations.scoring.results import *  # noqa: F403

__all__ = [*answers.__all__, *breakdown.__all__, *gains.__all__, *results.__all__]
