"""Survey arithmetic: NRR, IKM, perception indices, LKE scores, intervals, sample sizes.

Plain Python with no ORM import. The Django layer aggregates stored responses in the
database (per item: count, sum, sum of squares; per response: its mean) and passes the
aggregates to ``survey_results``; the CLI builds the same aggregates from a CSV with
``aggregate_answers``. Thresholds and labels come from the instrument spec, never from here.

Exactness
    Indices are computed exactly with ``fractions.Fraction`` from integer counts and sums
    and handed out as ``Decimal`` (exact when the value terminates, else 28 significant
    digits). A figure is rounded to two decimals, half up, only for display, and always from
    its exact value: an IKM of exactly 76.605 shows as 76.61 (quality B) even though
    dividing by 3 and by 9 on the way would leave 76.6049999... in decimal arithmetic.

Unanswered items (project rule)
    An empty answer is left out of that item's NRR/mean: PermenPANRB 14/2017 divides by the
    answers actually given for the element. When an item has no answers at all, the index is
    not computed (None) and ``SurveyResult.unanswered_items`` names the item. The regulation's
    IKM weights each of the nine elements by exactly 1/9; averaging over the answered elements
    only would silently re-weight them, and a score must not guess.

Confidence interval
    Student t with n - 1 degrees of freedom on respondent-level means: index +/- t x s / sqrt(n),
    s being the sample standard deviation (n - 1 denominator) of the respondent means. It is
    centred on the exact index (which equals the mean of respondent means when nobody skips an
    item) and clipped to the answer scale, or to scale x 25 for the IKM. Statistical, so
    computed in floating point; it is an estimate, not a score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction

from figures.rounding import half_up
from surveys.instrument_spec import InstrumentSpec, Text

Number = Decimal | Fraction | int

DECIMAL_DIGITS = 28  # significant digits of a non-terminating exact value handed out


# ---------------------------------------------------------------------------------------
# Exact numbers and display rounding.


def _exact(value: Number, what: str) -> Fraction:
    # Floats are refused: 0.1 is not one tenth, and these figures feed thresholds.
    if isinstance(value, bool) or not isinstance(value, (Decimal, Fraction, int)):
        raise TypeError(f"{what}: expected Decimal, Fraction or int, got {type(value).__name__}")
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{what}: expected a finite number, got {value}")
    return Fraction(value)


def _decimal(value: Fraction) -> Decimal:
    with localcontext() as context:
        context.prec = DECIMAL_DIGITS
        return Decimal(value.numerator) / Decimal(value.denominator)


def round_display(value: Number) -> Decimal:
    """Two decimals, half up (away from zero), from the exact value: the figure users see
    (``figures.rounding``, the one rule)."""
    return half_up(_exact(value, "value"))


def _mean(total: Number, count: int, what: str) -> Fraction | None:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"{what}: answered must be a whole number >= 0, got {count!r}")
    exact_total = _exact(total, what)
    if count == 0:
        if exact_total != 0:
            raise ValueError(f"{what}: total {total} with nobody answering")
        return None
    return exact_total / count


# ---------------------------------------------------------------------------------------
# Per item and per respondent.


def nrr(total: int | Decimal, answered: int) -> Decimal | None:
    """Nilai rata-rata of one item: sum of its scores / respondents who answered it.

    None when nobody answered the item.
    """
    value = _mean(total, answered, "nrr")
    return None if value is None else _decimal(value)


def respondent_mean(answers: Mapping[str, int | None] | Iterable[int | None]) -> Decimal | None:
    """Mean of one response's given answers (the value stored per response).

    Empty answers (None) are left out; None when the response answers nothing. Accepts the
    answers by item code or as a plain sequence.
    """
    values = answers.values() if isinstance(answers, Mapping) else answers
    given = [value for value in values if value is not None]
    for value in given:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"respondent_mean: answers are whole numbers, got {value!r}")
    if not given:
        return None
    return _decimal(Fraction(sum(given), len(given)))


def sample_stddev(count: int, total: Number, sum_squares: Number) -> Decimal | None:
    """Sample standard deviation (n - 1 denominator) from count, sum and sum of squares.

    None below two values, where a sample spread does not exist.
    """
    if count < 2:
        return None
    variance = _variance(count, _exact(total, "total"), _exact(sum_squares, "sum_squares"))
    with localcontext() as context:
        context.prec = DECIMAL_DIGITS
        return _decimal(variance).sqrt()


def _variance(count: int, total: Fraction, sum_squares: Fraction) -> Fraction:
    variance = (sum_squares - total * total / count) / (count - 1)
    if variance < 0:
        raise ValueError(
            f"sum of squares {sum_squares} is too small for {count} values summing to {total}"
        )
    return variance


# ---------------------------------------------------------------------------------------
# Indices.


@dataclass(frozen=True)
class Ikm:
    value: Decimal  # exact IKM on 25..100
    shown: Decimal  # two decimals, half up: what users see and what the band is read from
    quality: str  # A..D
    category: Text  # e.g. Baik / Good


def _mean_of(values: Mapping[str, Number | None], what: str) -> Fraction | None:
    if not values:
        raise ValueError(f"{what}: no items")
    exact = [
        _exact(value, f"{what}[{code}]") for code, value in values.items() if value is not None
    ]
    if len(exact) < len(values):
        return None
    return sum(exact, Fraction(0)) / len(exact)


def _ikm_from_mean(mean_nrr: Fraction, spec: InstrumentSpec) -> tuple[Fraction, Ikm]:
    table = spec.ikm
    if table is None:
        raise ValueError(f"{spec.slug} is a {spec.kind} instrument; IKM needs an skm instrument")
    # IKM = sum(NRR x 1/n) x factor, i.e. factor x mean NRR with each element weighted
    # exactly 1/n (not 0.111, which would cap the IKM below 100).
    exact = Fraction(table.conversion_factor) * mean_nrr
    shown = round_display(exact)
    band = table.band_for(shown)  # thresholds compare the two-decimal value users see
    return exact, Ikm(
        value=_decimal(exact), shown=shown, quality=band.quality, category=band.category
    )


def ikm(item_nrr: Mapping[str, Number | None], spec: InstrumentSpec) -> Ikm | None:
    """Indeks Kepuasan Masyarakat from each element's NRR.

    ``item_nrr`` has one entry per item of the skm instrument (one item per element); None
    when any element has no answers (see the module notes).
    """
    expected = set(spec.item_codes)
    if set(item_nrr) != expected:
        missing = ", ".join(sorted(expected - set(item_nrr))) or "-"
        unknown = ", ".join(sorted(set(item_nrr) - expected)) or "-"
        raise ValueError(
            f"ikm: NRR per item of {spec.slug} needed (missing: {missing}; unknown: {unknown})"
        )
    for code, value in item_nrr.items():
        if (
            value is not None
            and not spec.scale.min <= _exact(value, f"ikm[{code}]") <= spec.scale.max
        ):
            raise ValueError(
                f"ikm: NRR of {code} is {value}, outside the scale {spec.scale.min}..{spec.scale.max}"
            )
    mean_nrr = _mean_of(item_nrr, "ikm")
    return None if mean_nrr is None else _ikm_from_mean(mean_nrr, spec)[1]


def perception_index(item_means: Mapping[str, Number | None]) -> Decimal | None:
    """IPAK/IPKP: the mean over items of each item's mean score.

    None when any item has no answers (see the module notes).
    """
    value = _mean_of(item_means, "perception_index")
    return None if value is None else _decimal(value)


def lke_score(index: Number, weight: Number, scale_max: int = 4) -> Decimal:
    """Score of an LKE survey question (q125, q127): index / scale_max x the question's weight.

    The weight lives in the LKE framework (17.5 in PermenPANRB 90/2021), so it is passed in.
    """
    exact_index = _exact(index, "index")
    exact_weight = _exact(weight, "weight")
    if not 0 <= exact_index <= scale_max:
        raise ValueError(f"lke_score: index {index} outside 0..{scale_max}")
    if exact_weight < 0:
        raise ValueError(f"lke_score: weight {weight} is negative")
    return _decimal(exact_index / scale_max * exact_weight)


# ---------------------------------------------------------------------------------------
# Confidence interval.


@dataclass(frozen=True)
class ConfidenceInterval:
    level: Decimal  # e.g. 0.95
    low: Decimal  # clipped to the scale
    high: Decimal  # clipped to the scale
    margin: Decimal  # t x s / sqrt(n), before clipping
    n: int
    method: str = "student-t"


def confidence_interval(
    n: int,
    mean: Number | float,
    stddev: Number | float,
    level: float | Decimal = 0.95,
    *,
    lower: Number,
    upper: Number,
) -> ConfidenceInterval | None:
    """Interval for a mean of n respondent-level values: mean +/- t(level, n - 1) x s / sqrt(n).

    ``stddev`` is the sample standard deviation (n - 1 denominator; Django's
    ``StdDev(..., sample=True)``). The result is clipped to lower..upper (the answer scale,
    or the IKM's 25..100). None when n < 2: one answer has no spread to estimate from.
    """
    if not 0 < level < 1:
        raise ValueError(f"confidence_interval: level {level} must lie strictly between 0 and 1")
    if n < 2:
        return None
    if stddev < 0:
        raise ValueError(f"confidence_interval: stddev {stddev} is negative")
    t = _t_quantile((1 + float(level)) / 2, n - 1)
    margin = Decimal(repr(t * float(stddev) / math.sqrt(n)))
    centre = Decimal(repr(mean)) if isinstance(mean, float) else _decimal(_exact(mean, "mean"))
    low_bound, high_bound = _decimal(_exact(lower, "lower")), _decimal(_exact(upper, "upper"))
    return ConfidenceInterval(
        level=Decimal(str(level)),
        low=max(low_bound, centre - margin),
        high=min(high_bound, centre + margin),
        margin=margin,
        n=n,
    )


def _t_quantile(p: float, df: int) -> float:
    """x with P(T <= x) = p for Student's t with df degrees of freedom, 0.5 < p < 1.

    Bisection on the CDF: no SciPy in this project, and a few hundred CDF evaluations per
    report cost nothing.
    """
    low, high = 0.0, 1.0
    while _t_cdf(high, df) < p:
        low, high = high, high * 2
    while high - low > 1e-12 * high:
        middle = (low + high) / 2
        if _t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return (low + high) / 2


def _t_cdf(x: float, df: int) -> float:
    """P(T <= x) for x >= 0, through the regularized incomplete beta function."""
    return 1 - 0.5 * _incomplete_beta(df / 2, 0.5, df / (df + x * x))


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b) by Lentz's continued fraction.

    The fraction converges fast for x < (a + 1) / (a + b + 2); beyond that the symmetry
    I_x(a, b) = 1 - I_(1-x)(b, a) is used.
    """
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1 - front * _beta_fraction(b, a, 1 - x) / b


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    # Needs about sqrt(max(a, b)) terms; the cap covers a million respondents.
    for m in range(1, 10_000):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            step = c * d
            result *= step
        if abs(step - 1) < 1e-15:
            return result
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


# ---------------------------------------------------------------------------------------
# Sample size.

# Krejcie & Morgan (1970), the table PermenPANRB 14/2017 refers to: chi-square 3.841
# (1 degree of freedom, 95%), population proportion P = 0.5, margin of error d = 0.05.
_CHI_SQUARE = Fraction("3.841")
_P_Q = Fraction(1, 2) * Fraction(1, 2)
_D_SQUARED = Fraction("0.05") ** 2


def sample_size(population: int) -> int:
    """Krejcie-Morgan S = X2 N P(1-P) / (d2 (N - 1) + X2 P(1-P)), rounded up."""
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        raise ValueError(f"sample_size: population must be a whole number >= 0, got {population!r}")
    if population == 0:
        return 0
    size = _CHI_SQUARE * population * _P_Q / (_D_SQUARED * (population - 1) + _CHI_SQUARE * _P_Q)
    return math.ceil(size)


def target_sample(population: int, *, minimum: int) -> int:
    """Respondents to aim for: Krejcie-Morgan, at least ``minimum``, never above the population.

    ``minimum`` is the instrument's ``minimum_respondents`` (30, PermenPANRB 90/2021).
    """
    if minimum < 1:
        raise ValueError(f"target_sample: minimum must be at least 1, got {minimum}")
    return min(population, max(minimum, sample_size(population)))


# ---------------------------------------------------------------------------------------
# Aggregates in, structured result out: the entry point for the Django layer and the CLI.


@dataclass(frozen=True)
class ItemAggregate:
    """One item over all responses: answers given, their sum and their sum of squares."""

    count: int
    total: int
    sum_squares: int


@dataclass(frozen=True)
class RespondentAggregate:
    """Respondent-level means: how many responses, their mean and sample stddev."""

    n: int
    mean: Decimal | None
    stddev: Decimal | None  # sample (n - 1) standard deviation; None below 2 responses


@dataclass(frozen=True)
class ItemResult:
    code: str
    dimension: str
    answered: int
    mean: Decimal | None  # the NRR for SKM; None when nobody answered
    stddev: Decimal | None  # sample standard deviation of the answers


@dataclass(frozen=True)
class SurveyResult:
    instrument: str
    kind: str
    respondents: int
    meets_minimum: bool  # respondents >= the instrument's minimum_respondents
    respondent_mean: Decimal | None  # mean of respondent means, as passed in
    items: tuple[ItemResult, ...]  # in instrument order
    unanswered_items: tuple[str, ...]  # items nobody answered; they block the index
    index: Decimal | None  # mean of item means on the answer scale (for SKM: IKM / 25)
    ikm: Ikm | None  # skm only
    lke_question: int | None
    lke_score: Decimal | None  # perception only, when a weight is given
    interval: ConfidenceInterval | None  # on the IKM scale for skm, the answer scale otherwise


def survey_results(
    spec: InstrumentSpec,
    *,
    items: Mapping[str, ItemAggregate],
    respondents: RespondentAggregate,
    lke_weight: Number | None = None,
    level: float | Decimal = 0.95,
) -> SurveyResult:
    """Everything a report shows about one survey, from database-style aggregates.

    ``items`` is keyed by item code; an item left out counts as answered by nobody (a GROUP BY
    over stored answers has no row for it). ``lke_weight`` is the weight of the LKE question
    the instrument feeds (perception instruments only).
    """
    unknown = sorted(set(items) - set(spec.item_codes))
    if unknown:
        raise ValueError(f"survey_results: {spec.slug} has no item(s) {', '.join(unknown)}")
    if lke_weight is not None and spec.kind != "perception":
        raise ValueError(
            f"survey_results: {spec.slug} feeds no LKE question; lke_weight is for perception surveys"
        )
    _check_respondents(respondents, spec)

    item_results = []
    means: dict[str, Fraction | None] = {}
    for item in spec.items:
        aggregate = items.get(item.code, ItemAggregate(0, 0, 0))
        _check_aggregate(item.code, aggregate, respondents.n, spec)
        mean = _mean(aggregate.total, aggregate.count, item.code)
        means[item.code] = mean
        item_results.append(
            ItemResult(
                code=item.code,
                dimension=item.dimension,
                answered=aggregate.count,
                mean=None if mean is None else _decimal(mean),
                stddev=sample_stddev(aggregate.count, aggregate.total, aggregate.sum_squares),
            )
        )

    unanswered = tuple(code for code, mean in means.items() if mean is None)
    index = _mean_of(means, "index")
    ikm_value: Ikm | None = None
    score: Decimal | None = None
    interval: ConfidenceInterval | None = None
    if index is not None:
        stddev = respondents.stddev
        if spec.ikm is not None:
            exact_ikm, ikm_value = _ikm_from_mean(index, spec)
            factor = spec.ikm.conversion_factor
            if stddev is not None:
                interval = confidence_interval(
                    respondents.n,
                    exact_ikm,
                    stddev * factor,
                    level,
                    lower=spec.scale.min * factor,
                    upper=spec.scale.max * factor,
                )
        else:
            if lke_weight is not None:
                score = lke_score(index, lke_weight, scale_max=spec.scale.max)
            if stddev is not None:
                interval = confidence_interval(
                    respondents.n, index, stddev, level, lower=spec.scale.min, upper=spec.scale.max
                )

    return SurveyResult(
        instrument=spec.slug,
        kind=spec.kind,
        respondents=respondents.n,
        meets_minimum=respondents.n >= spec.minimum_respondents,
        respondent_mean=respondents.mean,
        items=tuple(item_results),
        unanswered_items=unanswered,
        index=None if index is None else _decimal(index),
        ikm=ikm_value,
        lke_question=spec.lke_question,
        lke_score=score,
        interval=interval,
    )


def _check_respondents(respondents: RespondentAggregate, spec: InstrumentSpec) -> None:
    if respondents.n < 0:
        raise ValueError(f"respondents: n {respondents.n} is negative")
    if respondents.mean is not None and not spec.scale.min <= respondents.mean <= spec.scale.max:
        raise ValueError(
            f"respondents: mean {respondents.mean} outside the scale {spec.scale.min}..{spec.scale.max}"
        )
    if respondents.stddev is not None and respondents.stddev < 0:
        raise ValueError(f"respondents: stddev {respondents.stddev} is negative")


def _check_aggregate(
    code: str, aggregate: ItemAggregate, respondents: int, spec: InstrumentSpec
) -> None:
    """Refuse aggregates no set of answers on the scale could produce: they mean a bug upstream."""
    count, total, squares = aggregate.count, aggregate.total, aggregate.sum_squares
    low, high = spec.scale.min, spec.scale.max
    if not 0 <= count <= respondents:
        raise ValueError(f"item {code}: {count} answers from {respondents} respondents")
    if not count * low <= total <= count * high:
        raise ValueError(
            f"item {code}: sum {total} impossible for {count} answers in {low}..{high}"
        )
    # Cauchy-Schwarz bounds the sum of squares from below; the scale bounds it from above.
    if squares * count < total * total or squares > count * high * high:
        raise ValueError(
            f"item {code}: sum of squares {squares} impossible for {count} answers summing to {total}"
        )


def aggregate_answers(
    responses: Iterable[Mapping[str, int | None]], spec: InstrumentSpec
) -> tuple[dict[str, ItemAggregate], RespondentAggregate]:
    """The aggregates the database would compute, from answers in memory (CLI, tests).

    Each response maps item codes to an answer or None. Responses that answer nothing have no
    respondent mean and are not counted, as the Django layer stores none for them.
    """
    codes = spec.item_codes
    counts = dict.fromkeys(codes, 0)
    totals = dict.fromkeys(codes, 0)
    squares = dict.fromkeys(codes, 0)
    respondent_means: list[Fraction] = []
    for number, response in enumerate(responses, start=1):
        unknown = sorted(set(response) - set(codes))
        if unknown:
            raise ValueError(f"response {number}: unknown item(s) {', '.join(unknown)}")
        given = []
        for code, answer in response.items():
            if answer is None:
                continue
            if (
                isinstance(answer, bool)
                or not isinstance(answer, int)
                or answer not in spec.scale.values
            ):
                raise ValueError(
                    f"response {number}, item {code}: {answer!r} is not in {spec.scale.min}..{spec.scale.max}"
                )
            counts[code] += 1
            totals[code] += answer
            squares[code] += answer * answer
            given.append(answer)
        if given:
            respondent_means.append(Fraction(sum(given), len(given)))

    n = len(respondent_means)
    mean = sum(respondent_means, Fraction(0)) / n if n else None
    stddev: Decimal | None = None
    if n >= 2:
        assert mean is not None
        variance = sum(((value - mean) ** 2 for value in respondent_means), Fraction(0)) / (n - 1)
        with localcontext() as context:
            context.prec = DECIMAL_DIGITS
            stddev = _decimal(variance).sqrt()
    items = {code: ItemAggregate(counts[code], totals[code], squares[code]) for code in codes}
    return items, RespondentAggregate(
        n=n, mean=None if mean is None else _decimal(mean), stddev=stddev
    )
