"""Survey arithmetic, checked against hand-computed figures."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.indices import (
    ItemAggregate,
    RespondentAggregate,
    _t_quantile,
    aggregate_answers,
    confidence_interval,
    ikm,
    lke_score,
    nrr,
    perception_index,
    respondent_mean,
    round_display,
    sample_size,
    sample_stddev,
    survey_results,
    target_sample,
)
from surveys.instrument_spec import INSTRUMENTS_DIR, InstrumentSpec, load_instrument_file

D = Decimal
SKM = load_instrument_file(INSTRUMENTS_DIR / "skm-2017.json")
SPAK = load_instrument_file(INSTRUMENTS_DIR / "spak-2021.json")
SPKP = load_instrument_file(INSTRUMENTS_DIR / "spkp-2021.json")
U = SKM.item_codes  # U1..U9


def nrr_map(*values: str | None) -> dict[str, Decimal | None]:
    return {
        code: None if value is None else D(value) for code, value in zip(U, values, strict=True)
    }


# --- display rounding --------------------------------------------------------------------


def test_round_display_is_half_up_from_the_exact_value() -> None:
    assert round_display(D("76.605")) == D("76.61")
    assert round_display(D("76.6049999")) == D("76.60")
    assert round_display(D("-1.005")) == D("-1.01")  # half away from zero
    assert round_display(100) == D("100.00")
    # 2/3 = 0.6666...: exact, not a truncated decimal expansion
    assert round_display(Fraction(2, 3)) == D("0.67")
    # 0.125 is representable; 0.125 -> 0.13 (half up, not banker's 0.12)
    assert round_display(Fraction(1, 8)) == D("0.13")


def test_round_display_refuses_floats() -> None:
    with pytest.raises(TypeError, match="expected Decimal, Fraction or int, got float"):
        round_display(76.605)  # type: ignore[arg-type]


@given(st.decimals(min_value=-1000, max_value=1000, places=6))
def test_round_display_agrees_with_decimal_half_up(value: Decimal) -> None:
    assert round_display(value) == value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


# --- NRR, respondent mean, stddev ----------------------------------------------------------


def test_nrr() -> None:
    assert nrr(14, 4) == D("3.5")
    assert nrr(8, 3) == D("2.666666666666666666666666667")  # 28 significant digits
    assert nrr(0, 0) is None  # nobody answered the item


def test_nrr_refuses_impossible_input() -> None:
    with pytest.raises(ValueError, match="total 5 with nobody answering"):
        nrr(5, 0)
    with pytest.raises(ValueError, match="answered must be a whole number >= 0"):
        nrr(5, -1)


def test_respondent_mean_skips_unanswered_items() -> None:
    assert respondent_mean([4, 3, None, 4]) == D(11) / D(3)  # (4 + 3 + 4) / 3
    assert respondent_mean({"U1": 4, "U2": 2, "U3": None}) == D(3)
    assert respondent_mean([None, None]) is None
    with pytest.raises(TypeError):
        respondent_mean([3.5])  # type: ignore[list-item]


def test_sample_stddev() -> None:
    # answers 4, 3, 3, 2, 4: n 5, sum 16, sum of squares 16+9+9+4+16 = 54
    # variance = (54 - 16^2/5) / 4 = (54 - 51.2) / 4 = 0.7
    assert sample_stddev(5, 16, 54) == D("0.7").sqrt()
    assert sample_stddev(1, 3, 9) is None
    with pytest.raises(ValueError, match="too small"):
        sample_stddev(2, 6, 17)  # two values summing to 6 have squares >= 18


# --- IKM -------------------------------------------------------------------------------------

# Four respondents, all nine elements:
#        U1 U2 U3 U4 U5 U6 U7 U8 U9
#   R1    4  3  3  4  3  3  4  2  3
#   R2    3  3  4  4  3  4  4  3  3
#   R3    3  2  3  4  4  3  3  3  2
#   R4    4  3  3  3  3  4  4  4  3
HAND_SET = [
    [4, 3, 3, 4, 3, 3, 4, 2, 3],
    [3, 3, 4, 4, 3, 4, 4, 3, 3],
    [3, 2, 3, 4, 4, 3, 3, 3, 2],
    [4, 3, 3, 3, 3, 4, 4, 4, 3],
]


def test_ikm_hand_computed() -> None:
    # totals 14 11 13 15 13 14 15 12 11 (sum 118); NRR = total / 4:
    #   3.5 2.75 3.25 3.75 3.25 3.5 3.75 3.0 2.75, sum 29.5
    # IKM = 29.5 x 1/9 x 25 = 737.5 / 9 = 81.9444... -> 81.94 -> B Baik
    items, respondents = aggregate_answers(
        [dict(zip(U, row, strict=True)) for row in HAND_SET], SKM
    )
    assert [items[c].total for c in U] == [14, 11, 13, 15, 13, 14, 15, 12, 11]
    result = survey_results(SKM, items=items, respondents=respondents)
    assert [r.mean for r in result.items] == [
        D(x) for x in ("3.5", "2.75", "3.25", "3.75", "3.25", "3.5", "3.75", "3", "2.75")
    ]
    assert result.ikm is not None
    assert result.ikm.value == D("737.5") / D(9)
    assert (result.ikm.shown, result.ikm.quality, result.ikm.category.id) == (
        D("81.94"),
        "B",
        "Baik",
    )
    assert result.index == D("29.5") / D(9)  # IKM / 25


def test_ikm_with_a_skipped_answer() -> None:
    # R4 leaves U8 empty: U8 NRR = (2 + 3 + 3) / 3 = 8/3 (the empty cell is not a zero)
    # sum NRR = 29.5 - 3 + 8/3 = 87.5/3; IKM = 87.5/3 x 25/9 = 2187.5/27 = 81.0185... -> 81.02 B
    rows: list[dict[str, int | None]] = [dict(zip(U, row, strict=True)) for row in HAND_SET]
    rows[3]["U8"] = None
    items, respondents = aggregate_answers(rows, SKM)
    result = survey_results(SKM, items=items, respondents=respondents)
    assert result.items[7].answered == 3
    assert result.ikm is not None
    assert result.ikm.shown == D("81.02")
    assert result.ikm.value == (D("2187.5") / D(27))


@pytest.mark.parametrize(
    ("u9", "ikm_shown", "quality", "category"),
    [
        # U1..U8 at 3.0 (sum 24): IKM = (24 + U9) x 25 / 9
        ("3.5796", "76.61", "B", "Baik"),  # 27.5796 x 25 = 689.49; / 9 = 76.61 exactly
        ("3.576", "76.60", "C", "Kurang Baik"),  # 27.576 x 25 = 689.4; / 9 = 76.60
        ("3.5778", "76.61", "B", "Baik"),  # exactly 76.605: shown 76.61, so B
        ("3.577764", "76.60", "C", "Kurang Baik"),  # 76.6049: shown 76.60, so C
    ],
)
def test_ikm_at_the_b_c_boundary(u9: str, ikm_shown: str, quality: str, category: str) -> None:
    result = ikm(nrr_map("3", "3", "3", "3", "3", "3", "3", "3", u9), SKM)
    assert result is not None
    assert (result.shown, result.quality, result.category.id) == (D(ikm_shown), quality, category)


@pytest.mark.parametrize(
    ("u9", "ikm_shown", "quality"),
    [
        # U1..U8 at 3.5 (sum 28): IKM = (28 + U9) x 25 / 9
        ("3.7916", "88.31", "A"),  # 31.7916 x 25 = 794.79; / 9 = 88.31
        ("3.788", "88.30", "B"),  # 31.788 x 25 = 794.7; / 9 = 88.30
        ("3.7898", "88.31", "A"),  # exactly 88.305 -> 88.31
    ],
)
def test_ikm_at_the_a_b_boundary(u9: str, ikm_shown: str, quality: str) -> None:
    result = ikm(nrr_map("3.5", "3.5", "3.5", "3.5", "3.5", "3.5", "3.5", "3.5", u9), SKM)
    assert result is not None
    assert (result.shown, result.quality) == (D(ikm_shown), quality)


def test_ikm_at_the_c_d_boundary_and_the_ends() -> None:
    # U1..U8 at 2.5 (sum 20): 23.3964 x 25 / 9 = 64.99; 23.4 x 25 / 9 = 65.00
    low = ikm(nrr_map(*["2.5"] * 8, "3.3964"), SKM)
    high = ikm(nrr_map(*["2.5"] * 8, "3.4"), SKM)
    assert low is not None and (low.shown, low.quality) == (D("64.99"), "D")
    assert high is not None and (high.shown, high.quality) == (D("65.00"), "C")
    best = ikm(nrr_map(*["4"] * 9), SKM)
    worst = ikm(nrr_map(*["1"] * 9), SKM)
    # exactly 1/9 per element: all 4s give 100, not the 99.9 of "0.111"
    assert best is not None and (best.value, best.shown, best.quality) == (D(100), D("100.00"), "A")
    assert worst is not None and (worst.shown, worst.quality) == (D("25.00"), "D")


def test_ikm_exactly_on_the_rounding_edge_from_aggregates() -> None:
    # U1..U3: 3 answers (4, 3, 3) each, NRR 10/3; U4..U8: 3 answers of 3, NRR 3;
    # U9: 5000 answers, 2111 twos and 2889 threes, total 12889, NRR 2.5778.
    # sum NRR = 10 + 15 + 2.5778 = 27.5778; IKM = 27.5778 x 25 / 9 = 689.445 / 9 = 76.605
    # exactly, shown 76.61 -> B.
    items = {code: ItemAggregate(3, 10, 34) for code in U[:3]}
    items |= {code: ItemAggregate(3, 9, 27) for code in U[3:8]}
    items["U9"] = ItemAggregate(5000, 12889, 2111 * 4 + 2889 * 9)
    result = survey_results(SKM, items=items, respondents=RespondentAggregate(5000, None, None))
    assert result.ikm is not None
    assert (result.ikm.shown, result.ikm.quality) == (D("76.61"), "B")
    # The regulation's formula taken literally in 28-digit Decimals, sum(NRR x 1/9) x 25,
    # lands just below the edge (1/9 and 10/3 are cut short) and would show 76.60, grade C:
    # the reason the indices are computed in Fractions.
    one_ninth = D(1) / D(9)
    nrrs = [D(10) / D(3)] * 3 + [D(3)] * 5 + [D(12889) / D(5000)]
    naive = sum((value * one_ninth for value in nrrs), D(0)) * 25
    assert naive.quantize(D("0.01"), rounding=ROUND_HALF_UP) == D("76.60")


def test_ikm_needs_every_element() -> None:
    # Project rule: an element nobody answered blocks the IKM instead of re-weighting.
    assert ikm(nrr_map("3", "3", "3", "3", "3", "3", "3", None, "3"), SKM) is None
    items, respondents = aggregate_answers([{code: 3 for code in U if code != "U8"}] * 3, SKM)
    result = survey_results(SKM, items=items, respondents=respondents)
    assert (result.ikm, result.index, result.interval) == (None, None, None)
    assert result.unanswered_items == ("U8",)
    assert result.items[7].mean is None


def test_ikm_refuses_wrong_input() -> None:
    with pytest.raises(ValueError, match=r"missing: U9; unknown: -"):
        ikm({code: D(3) for code in U[:8]}, SKM)
    with pytest.raises(ValueError, match=r"NRR of U2 is 4\.5, outside the scale 1\.\.4"):
        ikm(nrr_map("3", "4.5", "3", "3", "3", "3", "3", "3", "3"), SKM)
    with pytest.raises(ValueError, match="spak-2021 is a perception instrument"):
        ikm({code: D(3) for code in SPAK.item_codes}, SPAK)


# --- perception index and LKE score --------------------------------------------------------


def test_perception_index_is_the_mean_of_item_means() -> None:
    # (3.5 + 3.7 + 3.6) / 3 = 3.6
    assert perception_index({"K1": D("3.5"), "K2": D("3.7"), "K3": D("3.6")}) == D("3.6")
    assert perception_index({"K1": D("3.5"), "K2": None}) is None
    with pytest.raises(ValueError, match="no items"):
        perception_index({})


@pytest.mark.parametrize(
    ("index", "score"),
    [
        ("3.60", "15.75"),  # 3.60 / 4 x 17.5: the WBK/WBBM anti-corruption threshold
        ("3.20", "14.00"),  # the WBK service-quality threshold
        ("4", "17.5"),
        ("0", "0"),
        ("2.5", "10.9375"),  # exact, not rounded
    ],
)
def test_lke_score(index: str, score: str) -> None:
    assert lke_score(D(index), D("17.5")) == D(score)


def test_lke_score_refuses_an_index_off_the_scale() -> None:
    with pytest.raises(ValueError, match=r"index 4.01 outside 0..4"):
        lke_score(D("4.01"), D("17.5"))


def test_perception_results_from_responses() -> None:
    # Five SPAK respondents answer every item 4, 4, 4, 3, 3: each item mean 18/5 = 3.6,
    # IPAK 3.6, LKE q125 score 3.6 / 4 x 17.5 = 15.75.
    rows = [dict.fromkeys(SPAK.item_codes, answer) for answer in (4, 4, 4, 3, 3)]
    items, respondents = aggregate_answers(rows, SPAK)
    result = survey_results(SPAK, items=items, respondents=respondents, lke_weight=D("17.5"))
    assert (result.index, result.lke_question, result.lke_score) == (D("3.6"), 125, D("15.75"))
    assert result.ikm is None
    assert result.meets_minimum is False  # 5 < 30
    # respondent means 4, 4, 4, 3, 3: mean 3.6, s = sqrt((3 x 0.16 + 2 x 0.36) / 4) = sqrt(0.3)
    # margin = t(0.975, 4) x s / sqrt(5) = 2.776445 x 0.547723 / 2.236068 = 0.680087
    # -> 2.9199 .. 4.2801, clipped to the scale: 2.9199 .. 4
    assert respondents.stddev == D("0.3").sqrt()
    assert result.interval is not None
    assert result.interval.low == pytest.approx(D("2.919913"), abs=D("0.000001"))
    assert result.interval.high == 4


def test_skm_feeds_no_lke_question() -> None:
    items, respondents = aggregate_answers(
        [dict(zip(U, row, strict=True)) for row in HAND_SET], SKM
    )
    with pytest.raises(ValueError, match="skm-2017 feeds no LKE question"):
        survey_results(SKM, items=items, respondents=respondents, lke_weight=D("17.5"))


# --- confidence interval ----------------------------------------------------------------


def test_t_quantiles_match_the_published_table() -> None:
    for df, p, expected in [
        (1, 0.975, 12.7062),
        (4, 0.975, 2.7764),
        (9, 0.975, 2.2622),
        (29, 0.975, 2.0452),
        (120, 0.975, 1.9799),
        (10, 0.95, 1.8125),
        (5, 0.995, 4.0321),
        (1_000_000, 0.975, 1.9600),
    ]:
        assert _t_quantile(p, df) == pytest.approx(expected, abs=1e-4), df


def test_confidence_interval_hand_computed() -> None:
    # respondent means 3, 3.5, 4, 2.5, 3: mean 3.2; deviations -0.2 0.3 0.8 -0.7 -0.2,
    # squares sum 1.30, sample variance 1.30 / 4 = 0.325, s = 0.570088
    # margin = t(0.975, 4) x s / sqrt(5) = 2.776445 x 0.570088 / 2.236068 = 0.707857
    interval = confidence_interval(5, D("3.2"), D("0.325").sqrt(), lower=1, upper=4)
    assert interval is not None
    assert interval.margin == pytest.approx(D("0.707857"), abs=D("0.000001"))
    assert interval.low == pytest.approx(D("2.492143"), abs=D("0.000001"))
    assert interval.high == pytest.approx(D("3.907857"), abs=D("0.000001"))
    assert (interval.level, interval.n, interval.method) == (D("0.95"), 5, "student-t")


def test_confidence_interval_is_clipped_and_needs_two_respondents() -> None:
    interval = confidence_interval(5, D("3.9"), D("0.5"), lower=1, upper=4)
    assert interval is not None and interval.high == 4 and interval.low < D("3.9")
    assert confidence_interval(1, D("3.9"), D("0"), lower=1, upper=4) is None
    with pytest.raises(ValueError, match="level 95 must lie strictly between 0 and 1"):
        confidence_interval(5, D("3"), D("1"), 95, lower=1, upper=4)


def test_ikm_interval_is_on_the_25_to_100_scale() -> None:
    # HAND_SET respondent means: 29/9, 32/9, 27/9, 31/9 (mean 119/36); IKM 81.94.
    # The interval is 25 x the one on 1..4, centred on the IKM.
    items, respondents = aggregate_answers(
        [dict(zip(U, row, strict=True)) for row in HAND_SET], SKM
    )
    result = survey_results(SKM, items=items, respondents=respondents)
    assert result.ikm is not None and result.interval is not None and respondents.stddev is not None
    plain = confidence_interval(4, result.ikm.value / 25, respondents.stddev, lower=1, upper=4)
    assert plain is not None
    assert result.interval.margin == pytest.approx(plain.margin * 25, abs=D("1e-9"))
    assert result.interval.low < result.ikm.value < result.interval.high <= 100


# --- sample size --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "size"),
    [
        (100, 80),  # 96.025 / 1.20775 = 79.51 -> 80
        (1000, 278),  # 960.25 / 3.45775 = 277.71 -> 278
        (10000, 370),  # 9602.5 / 25.95775 = 369.93 -> 370
        (0, 0),
        (1, 1),  # 0.96025 / 0.96025
        (10, 10),  # 9.6025 / 0.98275 = 9.77 -> 10
        (30, 28),  # 28.80750 / 1.03275 = 27.89 -> 28
        (50, 45),  # 48.0125 / 1.08275 = 44.34 -> 45 (Krejcie-Morgan's printed table rounds to 44)
        (1_000_000, 384),
    ],
)
def test_sample_size_krejcie_morgan(population: int, size: int) -> None:
    assert sample_size(population) == size


@pytest.mark.parametrize(
    ("population", "target"),
    [
        (10000, 370),
        (100, 80),
        (35, 33),  # 33.60875 / 1.04525 = 32.15 -> 33, above the minimum
        (31, 30),  # Krejcie-Morgan gives 29; the minimum of 30 applies
        (30, 30),
        (20, 20),  # fewer service users than the minimum: all of them
        (0, 0),
    ],
)
def test_target_sample_applies_the_minimum_within_the_population(
    population: int, target: int
) -> None:
    assert target_sample(population, minimum=SKM.minimum_respondents) == target


def test_sample_size_refuses_negative_population() -> None:
    with pytest.raises(ValueError, match="population must be a whole number >= 0"):
        sample_size(-1)


@given(st.integers(min_value=0, max_value=2_000_000))
def test_sample_size_never_exceeds_the_population_and_grows(population: int) -> None:
    size = sample_size(population)
    assert size <= population
    assert size <= sample_size(population + 1)
    assert min(population, 30) <= target_sample(population, minimum=30) <= population


# --- aggregate validation -----------------------------------------------------------------


def test_survey_results_refuses_impossible_aggregates() -> None:
    ok = RespondentAggregate(10, None, None)
    with pytest.raises(ValueError, match="skm-2017 has no item\\(s\\) U10"):
        survey_results(SKM, items={"U10": ItemAggregate(1, 3, 9)}, respondents=ok)
    with pytest.raises(ValueError, match=r"item U1: sum 50 impossible for 10 answers in 1\.\.4"):
        survey_results(SKM, items={"U1": ItemAggregate(10, 50, 250)}, respondents=ok)
    with pytest.raises(ValueError, match="item U1: 11 answers from 10 respondents"):
        survey_results(SKM, items={"U1": ItemAggregate(11, 33, 99)}, respondents=ok)
    with pytest.raises(ValueError, match="item U1: sum of squares 80 impossible"):
        survey_results(SKM, items={"U1": ItemAggregate(10, 30, 80)}, respondents=ok)


def test_aggregate_answers_refuses_answers_off_the_scale() -> None:
    with pytest.raises(ValueError, match=r"response 2, item U3: 5 is not in 1\.\.4"):
        aggregate_answers([{"U3": 4}, {"U3": 5}], SKM)
    with pytest.raises(ValueError, match="response 1: unknown item\\(s\\) X1"):
        aggregate_answers([{"X1": 4}], SKM)


# --- properties over any valid responses ----------------------------------------------------

answer = st.one_of(st.none(), st.integers(min_value=1, max_value=4))


def responses_for(
    spec: InstrumentSpec, *, skips: bool
) -> st.SearchStrategy[list[dict[str, int | None]]]:
    value = answer if skips else st.integers(min_value=1, max_value=4)
    row = st.fixed_dictionaries(dict.fromkeys(spec.item_codes, value))
    return st.lists(row, min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(responses_for(SKM, skips=True))
def test_ikm_is_always_within_25_and_100_and_graded_by_its_shown_value(
    rows: list[dict[str, int | None]],
) -> None:
    items, respondents = aggregate_answers(rows, SKM)
    result = survey_results(SKM, items=items, respondents=respondents)
    if result.unanswered_items:
        assert result.ikm is None
        return
    assert result.ikm is not None and SKM.ikm is not None
    assert 25 <= result.ikm.value <= 100
    assert 25 <= result.ikm.shown <= 100
    band = next(b for b in SKM.ikm.bands if b.min <= result.ikm.shown <= b.max)
    assert result.ikm.quality == band.quality
    if result.interval is not None:
        assert 25 <= result.interval.low <= result.ikm.value <= result.interval.high <= 100


@settings(max_examples=200, deadline=None)
@given(responses_for(SPKP, skips=False))
def test_without_skips_the_index_is_the_mean_of_respondent_means(
    rows: list[dict[str, int | None]],
) -> None:
    items, respondents = aggregate_answers(rows, SPKP)
    result = survey_results(SPKP, items=items, respondents=respondents, lke_weight=D("17.5"))
    assert result.index == respondents.mean
    assert result.index is not None and result.lke_score is not None
    assert 1 <= result.index <= 4
    assert 0 <= result.lke_score <= D("17.5")
