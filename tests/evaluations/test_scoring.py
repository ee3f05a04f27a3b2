"""LKE scoring, worked by hand (no Django).

Every expected figure below is computed in the comment next to it from the rules in
DOMAIN.md: sub-area score = weight x mean(item values), unanswered items 0, sums of exact
values, half-up rounding to two decimals only for display.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluations.framework_spec import (
    CHOICE,
    COUNT,
    FrameworkSpec,
    QuestionItem,
    builtin_framework_path,
    load_framework_file,
)
from evaluations.scoring import (
    AnswerError,
    AnswerInput,
    contract_dict,
    display,
    effective_answers,
    normalize_answer,
    question_gains,
    score,
)

SPEC = load_framework_file(builtin_framework_path("lke-2021"))
MINI = load_framework_file(Path(__file__).parent / "data" / "mini-framework.json")


# --------------------------------------------------------------------------- helpers


def answers(
    values: dict[int, Any], evidence: set[int] | frozenset[int] = frozenset()
) -> dict[int, AnswerInput]:
    return {n: AnswerInput(v, n in evidence) for n, v in values.items()}


def as_fraction(value: Any) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(Decimal(str(value)))


def assert_exact(actual: Decimal, expected: Any) -> None:
    """``actual`` is the exact value, or (if that does not terminate) it truncated at 34 digits."""
    want = as_fraction(expected)
    got = Fraction(actual)
    if got != want:
        assert got < want < got + Fraction(1, 10**30), f"{actual} is not {want} ({float(want)})"


def shown(value: Fraction) -> Decimal:
    """Half up to two decimals straight from the exact fraction (value >= 0)."""
    return (Decimal(math.floor(value * 100 + Fraction(1, 2))) / 100).quantize(Decimal("0.01"))


def D(text: str) -> Decimal:
    return Decimal(text)


# Counts that make every percentage item 1 (e.g. SDM iii: (1 - 0) / 1).
# fmt: off
BEST_COUNTS = {
    88: 1, 89: 1, 90: 1, 91: 1, 102: 1, 103: 0, 104: 0, 105: 1, 106: 1, 110: 1, 111: 0, 112: 1,
    113: 1, 114: 1, 115: 1, 116: 3, 117: 1, 118: 1, 119: 1, 120: 3, 122: 1, 123: 1,
}
# fmt: on


def best_values(spec: FrameworkSpec = SPEC) -> dict[int, Any]:
    values: dict[int, Any] = {}
    for q in spec.questions:
        if q.kind == CHOICE:
            values[q.number] = max(q.options, key=lambda o: o.value).key
        elif q.kind == COUNT:
            values[q.number] = BEST_COUNTS[q.number]
        else:
            values[q.number] = q.index_range[1]
    return values


def worst_key(number: int) -> str:
    return min(SPEC.question(number).options, key=lambda o: o.value).key


PW_PEMENUHAN_WORST = {n: worst_key(n) for n in range(51, 69)}  # PW pemenuhan 7.5 -> 0
PW_REFORM_ZERO = {109: "E", 110: 1, 112: 0, 116: 0, 120: 0}  # PW reform 7.5 -> 0


def best_with(*overrides: dict[int, Any]) -> dict[int, AnswerInput]:
    values = best_values()
    for o in overrides:
        values.update(o)
    return answers(values)


# --------------------------------------------------------------------------- item values


def test_all_best_answers_score_100_and_meet_both_predicates():
    b = score(SPEC, best_with())
    assert b.total == 100
    assert b.components["pengungkit"].score == 60 and b.components["hasil"].score == 40
    assert all(a.total == a.weight and a.percent == 100 for a in b.areas.values())
    assert b.predicates["WBK"].meets and b.predicates["WBBM"].meets
    assert b.predicates["WBBM"].shortfalls == ()
    assert b.completeness.answered == b.completeness.total == 127


def test_nothing_answered_scores_0():
    b = score(SPEC, {})
    assert b.total == 0 and b.completeness.answered == 0 and b.completeness.total == 127
    assert not b.predicates["WBK"].meets


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # MP.P.i (weight 0.5) = q1 YA_TIDAK + q2 ABC
        ({1: "Ya", 2: "B"}, "0.375"),  # 0.5 x (1 + 0.5) / 2 = 0.375
        ({1: "Tidak", 2: "A"}, "0.25"),  # 0.5 x (0 + 1) / 2 = 0.25
        ({1: "Ya", 2: "C"}, "0.25"),  # 0.5 x (1 + 0) / 2 = 0.25
        ({1: "Ya"}, "0.25"),  # q2 unanswered counts 0: 0.5 x (1 + 0) / 2
        ({}, "0"),
    ],
)
def test_ya_tidak_and_abc(values, expected):
    sub = score(SPEC, answers(values)).sub_areas["MP.P.i"]
    assert sub.score == D(expected)
    assert sub.weight == D("0.5")
    assert sub.completeness.answered == len(values) and sub.completeness.total == 2


def test_abcd_values_are_exactly_0_67_and_0_33():
    # MP.P.iii (weight 1) = q6, q7, q8 (ABCD): B, C, D -> (0.67 + 0.33 + 0) / 3 = 1/3
    sub = score(SPEC, answers({6: "B", 7: "C", 8: "D"})).sub_areas["MP.P.iii"]
    assert_exact(sub.score, Fraction(1, 3))
    assert display(sub.score) == D("0.33")
    # A, B, B -> (1 + 0.67 + 0.67) / 3 = 2.34 / 3 = 0.78 exactly (a float mean gives 0.7799999...)
    assert score(SPEC, answers({6: "A", 7: "B", 8: "B"})).sub_areas["MP.P.iii"].score == D("0.78")


def test_abcde():
    # TL.P.i (weight 1) = q13 ABCD, q14 ABCDE, q15 ABCDE: A, D, B -> (1 + 0.25 + 0.75) / 3 = 2/3
    sub = score(SPEC, answers({13: "A", 14: "D", 15: "B"})).sub_areas["TL.P.i"]
    assert_exact(sub.score, Fraction(2, 3))
    assert display(sub.score) == D("0.67")
    # MP.R.ii (weight 1) = q92 alone: C -> 1 x 0.5
    assert score(SPEC, answers({92: "C"})).sub_areas["MP.R.ii"].score == D("0.5")


# --------------------------------------------------------------------------- percentage items

RATIO_CASES = [
    # MP.R.i (weight 2): items q89/q88 and q91/q90, 1 point each
    ("MP.R.i", {88: 10, 89: 8, 90: 8, 91: 6}, "1.55"),  # 2 x (8/10 + 6/8) / 2 = 0.8 + 0.75
    ("MP.R.i", {88: 4, 89: 6, 90: 6, 91: 6}, "2"),  # 6/4 clamps to 1; 6/6 = 1 -> 2 x 2 / 2
    ("MP.R.i", {88: 0, 89: 0, 90: 0, 91: 0}, "0"),  # no agents, no changes: both 0 (rule: 0)
    ("MP.R.i", {88: 0, 89: 3, 90: 3, 91: 3}, "1"),  # 3/0 -> 0 (rule), 3/3 = 1 -> 2 x 1 / 2
    ("MP.R.i", {88: 10, 90: 8, 91: 6}, "0.75"),  # q89 unanswered: item 1 is 0; item 2 0.75
    # SDM.R.iii (weight 2): (q102 - q103) / q102, clamped to 0..1; q104 information only
    ("SDM.R.iii", {102: 12, 103: 9, 104: 9}, "0.5"),  # (12 - 9) / 12 = 0.25 -> 2 x 0.25
    ("SDM.R.iii", {102: 3, 103: 1, 104: 0}, Fraction(4, 3)),  # 2 x (3 - 1) / 3 = 4/3
    ("SDM.R.iii", {102: 5, 103: 8, 104: 8}, "0"),  # (5 - 8) / 5 = -0.6 clamps to 0
    ("SDM.R.iii", {102: 4, 103: 0, 104: 100}, "2"),  # 4/4 = 1; q104 does not matter
    ("SDM.R.iii", {102: 0, 103: 0, 104: 0}, "2"),  # none last year, none now: nothing owed -> 1
    ("SDM.R.iii", {102: 0, 103: 2, 104: 2}, "0"),  # none last year but 2 now -> 0
    ("SDM.R.iii", {102: 4}, "0"),  # q103 unanswered: the item is unanswered -> 0
    # AK.R.i (weight 2): q106 / q105
    ("AK.R.i", {105: 8, 106: 7}, "1.75"),  # 2 x 7/8
    ("AK.R.i", {105: 5, 106: 6}, "2"),  # 6/5 clamps to 1
    ("AK.R.i", {105: 0, 106: 0}, "0"),  # no targets set: 0
    ("AK.R.i", {105: 0, 106: 2}, "0"),  # (inconsistent) 2 achieved of 0 targets: still 0
    # PW.R.ii (weight 3): q112 / q110; q111 information only
    ("PW.R.ii", {110: 7, 111: 1, 112: 6}, Fraction(18, 7)),  # 3 x 6/7 = 18/7 = 2.5714...
    ("PW.R.ii", {110: 0, 111: 0, 112: 0}, "3"),  # no complaints to handle: nothing owed -> 1
    ("PW.R.ii", {110: 0, 112: 2}, "3"),  # none to handle (2 closed anyway): still 1
    ("PW.R.ii", {110: 4, 112: 4}, "3"),  # q111 unanswered does not matter (not an item)
    ("PW.R.ii", {110: 4, 111: 0}, "0"),  # q112 unanswered -> 0
    # PW.R.iii.a (weight 1): q116 / (q113 + q114 + q115)
    ("PW.R.iii.a", {113: 1, 114: 3, 115: 0, 116: 4}, "1"),  # 4 / 4
    ("PW.R.iii.a", {113: 1, 114: 3, 115: 2, 116: 3}, "0.5"),  # 3 / 6
    ("PW.R.iii.a", {113: 0, 114: 0, 115: 0, 116: 0}, "1"),  # nobody obliged: nothing owed -> 1
    ("PW.R.iii.a", {113: 0, 114: 0, 115: 0}, "0"),  # q116 unanswered -> 0
    # PW.R.iii.b (weight 1): q120 / (q117 + q118 + q119)
    ("PW.R.iii.b", {117: 5, 118: 12, 119: 40, 120: 54}, Fraction(18, 19)),  # 54/57 = 0.947...
    ("PW.R.iii.b", {117: 0, 118: 0, 119: 0, 120: 0}, "1"),  # nobody obliged -> 1
    ("PW.R.iii.b", {117: 2, 118: 0, 119: 0, 120: 5}, "1"),  # 5/2 clamps to 1
    # PP.R.i (weight 2.5): items q121 (ABCD) and q123/q122, 1.25 points each
    ("PP.R.i", {121: "B", 122: 20, 123: 15}, "1.775"),  # 2.5 x (0.67 + 15/20) / 2 = 1.25 x 1.42
    ("PP.R.i", {121: "A", 122: 0, 123: 0}, "1.25"),  # no services registered: 0 -> 2.5 x 1 / 2
    ("PP.R.i", {122: 10, 123: 10}, "1.25"),  # q121 unanswered 0, 10/10 = 1
]


@pytest.mark.parametrize(("code", "values", "expected"), RATIO_CASES)
def test_percentage_items(code, values, expected):
    assert_exact(score(SPEC, answers(values)).sub_areas[code].score, expected)


def test_pw_iii_group_is_the_sum_of_a_and_b():
    # a: 3/6 = 0.5; b: 54/57 = 18/19 -> group 0.5 + 18/19 = 55/38 = 1.447... -> 1.45
    values = {113: 1, 114: 3, 115: 2, 116: 3, 117: 5, 118: 12, 119: 40, 120: 54}
    b = score(SPEC, answers(values, evidence={113, 117}))
    group = b.sub_areas["PW.R.iii"]
    assert group.is_group and group.weight == 2
    assert_exact(group.score, Fraction(55, 38))
    assert display(group.score) == D("1.45")
    assert (
        group.completeness.answered,
        group.completeness.total,
        group.completeness.with_evidence,
    ) == (8, 8, 2)
    assert b.sub_areas["PW.R.iii.a"].parent == "PW.R.iii"


def test_pp_r_i_rounds_half_up():
    # 1.775 shows as 1.78 (half up), not 1.77
    assert display(
        score(SPEC, answers({121: "B", 122: 20, 123: 15})).sub_areas["PP.R.i"].score
    ) == D("1.78")


# --------------------------------------------------------------------------- HASIL


def test_hasil_conversion():
    b = score(SPEC, answers({125: D("3.61"), 126: "B", 127: D("3.42")}))
    ipak = b.hasil_items["ipak"]
    # q125: 3.61 / 4 x 17.5 = 0.9025 x 17.5 = 15.79375 -> shown 15.79
    assert ipak.score == D("15.79375") and display(ipak.score) == D("15.79")
    assert ipak.question == 125 and ipak.answer == D("3.61") and ipak.weight == D("17.5")
    # q126: B = 0.75 x 5 = 3.75
    assert b.hasil_items["capaian_kinerja"].score == D("3.75")
    # q127: 3.42 / 4 x 17.5 = 0.855 x 17.5 = 14.9625 -> 14.96
    assert b.hasil_items["ipkp"].score == D("14.9625")
    # bersih dan akuntabel = 15.79375 + 3.75 = 19.54375; prima = 14.9625
    assert b.parts["bersih_akuntabel"].score == D("19.54375")
    assert b.parts["pelayanan_prima"].score == D("14.9625")
    # HASIL = 19.54375 + 14.9625 = 34.50625 -> 34.51 (the rounded parts 19.54 + 14.96 = 34.50)
    assert b.components["hasil"].score == D("34.50625") and display(
        b.components["hasil"].score
    ) == D("34.51")


@pytest.mark.parametrize(
    ("key", "points"), [("A", "5"), ("B", "3.75"), ("C", "2.5"), ("D", "1.25"), ("E", "0")]
)
def test_capaian_kinerja_values(key, points):
    assert score(SPEC, answers({126: key})).hasil_items["capaian_kinerja"].score == D(points)


@pytest.mark.parametrize(
    ("index", "points"),
    [("0", "0"), ("4", "17.5"), ("3.2", "14"), ("3.6", "15.75"), ("3.5977", "15.7399375")],
)
def test_index_values(index, points):
    # index / 4 x 17.5, e.g. 3.5977 / 4 x 17.5 = 0.899425 x 17.5 = 15.7399375
    assert score(SPEC, answers({127: D(index)})).hasil_items["ipkp"].score == D(points)


# --------------------------------------------------------------------------- predicates

# Each case starts from all-best answers (100) and changes a few; the arithmetic says why the
# criterion lands exactly on, or 0.01 below, the Tabel 6 boundary.
AK_199_200 = {105: 200, 106: 199}  # AK.R.i: 2 x 199/200 = 1.99, i.e. -0.01
THRESHOLD_CASES = [
    # total: PW pemenuhan all worst (-7.5) -> pengungkit 52.5; q127 index 0 -> HASIL 17.5 + 5 = 22.5
    ("WBK", "total", [PW_PEMENUHAN_WORST, {127: D(0)}], None),  # 52.5 + 22.5 = 75.00
    (
        "WBK",
        "total",
        [PW_PEMENUHAN_WORST, {127: D(0)}, AK_199_200],
        "Total 74.99; WBK needs 75.00 (+0.01)",
    ),
    # PW all zero (-15) -> pengungkit 45; HASIL 40
    ("WBBM", "total", [PW_PEMENUHAN_WORST, PW_REFORM_ZERO], None),  # 45 + 40 = 85.00
    (
        "WBBM",
        "total",
        [PW_PEMENUHAN_WORST, PW_REFORM_ZERO, AK_199_200],
        "Total 84.99; WBBM needs 85.00 (+0.01)",
    ),
    # pengungkit: PW -15, SDM.R.iii 0 (q103 = q102: (1 - 1) / 1) -2, MP.R.i both 0 -2,
    # AK.R.i 1/2 -1 -> 60 - 20 = 40.00
    (
        "WBK",
        "pengungkit",
        [PW_PEMENUHAN_WORST, PW_REFORM_ZERO, {103: 1, 89: 0, 91: 0, 105: 2, 106: 1}],
        None,
    ),
    # ... AK.R.i 99/200 instead: 2 x 0.495 = 0.99 (-1.01) -> 39.99
    (
        "WBK",
        "pengungkit",
        [PW_PEMENUHAN_WORST, PW_REFORM_ZERO, {103: 1, 89: 0, 91: 0, 105: 200, 106: 99}],
        "Pengungkit 39.99; WBK needs 40.00 (+0.01)",
    ),
    # PW pemenuhan -7.5, q109 E -2.5, SDM.R.iii 0 -2 -> 48.00; with AK 199/200 -> 47.99
    ("WBBM", "pengungkit", [PW_PEMENUHAN_WORST, {109: "E", 103: 1}], None),
    (
        "WBBM",
        "pengungkit",
        [PW_PEMENUHAN_WORST, {109: "E", 103: 1}, AK_199_200],
        "Pengungkit 47.99; WBBM needs 48.00 (+0.01)",
    ),
    # area PW (15): pemenuhan 7.5 + reform: q109 E 0, PW.R.ii 0/1 = 0, iii.a 1,
    # iii.b 1/2 = 0.5 -> 9.00
    ("WBK", "area", [{109: "E", 112: 0, 117: 1, 118: 1, 119: 0, 120: 1}], None),  # 9.00 = 60% of 15
    # ... iii.b 49/100 = 0.49 -> 8.99; 8.99 / 15 = 59.93% shown truncated as 59.9%
    (
        "WBK",
        "area",
        [{109: "E", 112: 0, 117: 100, 118: 0, 119: 0, 120: 49}],
        "Penguatan Pengawasan 8.99 of 15 (59.93%); WBK needs 60% = 9.00 (+0.01)",
    ),
    # reform: q109 C 2.5 x 0.5 = 1.25, PW.R.ii 3 x 1/6 = 0.5, iii.a 1, iii.b 1 -> 3.75;
    # PW 7.5 + 3.75 = 11.25 = 75%
    ("WBBM", "area", [{109: "C", 110: 6, 112: 1}], None),
    # ... iii.b 99/100 -> 11.24
    (
        "WBBM",
        "area",
        [{109: "C", 110: 6, 112: 1, 117: 100, 118: 0, 119: 0, 120: 99}],
        "Penguatan Pengawasan 11.24 of 15 (74.93%); WBBM needs 75% = 11.25 (+0.01)",
    ),
    # bersih dan akuntabel: q126 C 2.5 + q125 3.6 -> 15.75 = 18.25
    ("WBK", "bersih_akuntabel", [{126: "C", 125: D("3.6")}], None),
    # q125 3.5977 -> 0.899425 x 17.5 = 15.7399375; 2.5 + 15.7399375 = 18.2399375 -> 18.24
    (
        "WBK",
        "bersih_akuntabel",
        [{126: "C", 125: D("3.5977")}],
        "Birokrasi bersih dan akuntabel (q125 + q126) 18.24; WBK needs 18.25 (+0.01)",
    ),
    ("WBBM", "bersih_akuntabel", [{126: "B", 125: D("3.6")}], None),  # 3.75 + 15.75 = 19.50
    (
        "WBBM",
        "bersih_akuntabel",
        [{126: "B", 125: D("3.5977")}],  # 3.75 + 15.7399375 = 19.4899375 -> 19.49
        "Birokrasi bersih dan akuntabel (q125 + q126) 19.49; WBBM needs 19.50 (+0.01)",
    ),
    # q125: 3.6 / 4 x 17.5 = 15.75; 3.5977 -> 15.74
    ("WBK", "ipak", [{125: D("3.6")}], None),
    ("WBK", "ipak", [{125: D("3.5977")}], "IPAK score (q125) 15.74; WBK needs 15.75 (+0.01)"),
    ("WBBM", "ipak", [{125: D("3.6")}], None),
    ("WBBM", "ipak", [{125: D("3.5977")}], "IPAK score (q125) 15.74; WBBM needs 15.75 (+0.01)"),
    # q126 is discrete (5, 3.75, 2.5, 1.25, 0): 0.01 below cannot happen; the next value down fails
    ("WBK", "capaian_kinerja", [{126: "C"}], None),  # 2.50
    (
        "WBK",
        "capaian_kinerja",
        [{126: "D"}],
        "Capaian kinerja score (q126) 1.25; WBK needs 2.50 (+1.25)",
    ),
    ("WBBM", "capaian_kinerja", [{126: "B"}], None),  # 3.75
    (
        "WBBM",
        "capaian_kinerja",
        [{126: "C"}],
        "Capaian kinerja score (q126) 2.50; WBBM needs 3.75 (+1.25)",
    ),
    # q127: 3.2 / 4 x 17.5 = 14.00; 3.1977 / 4 x 17.5 = 13.9899375 -> 13.99
    ("WBK", "ipkp", [{127: D("3.2")}], None),
    (
        "WBK",
        "ipkp",
        [{127: D("3.1977")}],
        "Pelayanan prima, IPKP score (q127) 13.99; WBK needs 14.00 (+0.01)",
    ),
    ("WBBM", "ipkp", [{127: D("3.6")}], None),  # 15.75
    (
        "WBBM",
        "ipkp",
        [{127: D("3.5977")}],
        "Pelayanan prima, IPKP score (q127) 15.74; WBBM needs 15.75 (+0.01)",
    ),
]


@pytest.mark.parametrize(("predicate", "criterion", "overrides", "message"), THRESHOLD_CASES)
def test_thresholds_at_and_just_below_each_boundary(predicate, criterion, overrides, message):
    result = score(SPEC, best_with(*overrides)).predicates[predicate]
    found = [s for s in result.shortfalls if s.criterion == criterion]
    if message is None:
        assert found == []
    else:
        assert [s.message for s in found] == [message]
        assert found[0].gap == found[0].required - found[0].actual
        assert not result.meets


def test_the_figure_a_user_sees_decides():
    # AK.R.i 399/400: 2 x 0.9975 = 1.995 (-0.005) -> total 74.995, shown 75.00: WBK total is met
    b = score(SPEC, best_with(PW_PEMENUHAN_WORST, {127: D(0), 105: 400, 106: 399}))
    assert b.total == D("74.995") and display(b.total) == D("75.00")
    assert not [s for s in b.predicates["WBK"].shortfalls if s.criterion == "total"]
    # q125 3.599 -> 0.89975 x 17.5 = 15.745625, shown 15.75: met;
    # 3.5988 -> 0.8997 x 17.5 = 15.74475, shown 15.74: not met
    met = score(SPEC, best_with({125: D("3.599")})).predicates["WBK"]
    assert met.meets
    missed = score(SPEC, best_with({125: D("3.5988")})).predicates["WBK"]
    assert [s.message for s in missed.shortfalls] == [
        "IPAK score (q125) 15.74; WBK needs 15.75 (+0.01)"
    ]


def test_area_shortfall_is_structured():
    # PW reform: q109 E, PW.R.ii 0, iii.a 0 (q116 0), iii.b 3/5 = 0.6 -> 0.6; PW = 7.5 + 0.6 = 8.10
    b = score(SPEC, best_with({109: "E", 112: 0, 116: 0, 117: 5, 118: 0, 119: 0, 120: 3}))
    pw = b.areas["PW"]
    assert pw.total == D("8.1") and pw.percent == 54
    [short] = b.predicates["WBK"].shortfalls
    assert (short.predicate, short.criterion, short.area) == ("WBK", "area", "PW")
    assert (short.actual, short.required, short.gap) == (D("8.10"), D("9.00"), D("0.90"))
    assert short.message == "Penguatan Pengawasan 8.10 of 15 (54.00%); WBK needs 60% = 9.00 (+0.90)"


@pytest.mark.parametrize(
    ("holds", "extra"), [(None, []), (True, []), (False, ["does not yet hold WBK"])]
)
def test_wbbm_requires_holding_wbk_but_meets_ignores_it(holds, extra):
    result = score(SPEC, best_with(), holds_wbk=holds).predicates["WBBM"]
    assert result.meets
    assert [s.message for s in result.shortfalls] == extra
    if extra:
        assert result.shortfalls[0].criterion == "held" and result.shortfalls[0].actual is None
    assert score(SPEC, best_with(), holds_wbk=holds).predicates["WBK"].shortfalls == ()


# --------------------------------------------------------------------------- TPI, rounding


def test_tpi_answer_wins_and_evidence_comes_from_the_unit():
    unit = {1: AnswerInput("Tidak", True), 2: AnswerInput("A", False), 3: AnswerInput("Ya", True)}
    tpi = {1: AnswerInput("Ya"), 2: AnswerInput(None), 4: AnswerInput("B", True)}
    merged = effective_answers(unit, tpi)
    assert merged == {
        1: AnswerInput("Ya", True),  # TPI value, unit's evidence
        2: AnswerInput("A", False),  # TPI gave nothing: the unit's answer stands
        3: AnswerInput("Ya", True),
        4: AnswerInput("B", False),  # only the TPI answered; the TPI attaches no evidence
    }
    # MP.P.i (0.5): unit alone (0 + 1) / 2 x 0.5 = 0.25; with the TPI (1 + 1) / 2 x 0.5 = 0.5
    assert score(SPEC, unit).sub_areas["MP.P.i"].score == D("0.25")
    b = score(SPEC, merged)
    assert b.sub_areas["MP.P.i"].score == D("0.5")
    assert b.sub_areas["MP.P.i"].completeness.with_evidence == 1


def test_rounded_figures_are_never_added():
    # SDM.P.vi (0.25): q39 B -> 0.25 x 0.5 = 0.125, shown 0.13 (half up; half-even would say 0.12)
    # SDM.P.i (0.25): Ya, D, Ya -> 0.25 x (1 + 0 + 1) / 3 = 1/6 = 0.1666..., shown 0.17
    # SDM pemenuhan = 0.125 + 1/6 = 7/24 = 0.291666..., shown 0.29, although 0.13 + 0.17 = 0.30
    b = score(SPEC, answers({39: "B", 22: "Ya", 23: "D", 24: "Ya"}))
    assert display(b.sub_areas["SDM.P.vi"].score) == D("0.13")
    assert display(b.sub_areas["SDM.P.i"].score) == D("0.17")
    assert_exact(b.areas["SDM"].parts["pemenuhan"], Fraction(7, 24))
    assert display(b.areas["SDM"].parts["pemenuhan"]) == D("0.29")
    assert display(b.total) == D("0.29")


# --------------------------------------------------------------------------- a full assessment

# A Polres' self-assessment, every question answered (evidence on the choice questions).
# fmt: off
REALISTIC = {
    # PEMENUHAN
    1: "Ya", 2: "A",  # MP.P.i 0.5 x (1 + 1) / 2 = 0.5
    3: "Ya", 4: "A", 5: "B",  # MP.P.ii 1 x 2.5 / 3 = 0.8333...
    6: "B", 7: "A", 8: "B",  # MP.P.iii 1 x 2.34 / 3 = 0.78
    9: "Ya", 10: "A", 11: "B", 12: "B",  # MP.P.iv 1.5 x 3.17 / 4 = 1.18875
    13: "B", 14: "B", 15: "C",  # TL.P.i 1 x (0.67 + 0.75 + 0.5) / 3 = 1.92 / 3 = 0.64
    16: "B", 17: "B", 18: "A", 19: "B",  # TL.P.ii 2 x 2.5 / 4 = 1.25
    20: "A", 21: "B",  # TL.P.iii 0.5 x 1.5 / 2 = 0.375
    22: "Ya", 23: "B", 24: "Ya",  # SDM.P.i 0.25 x 2.67 / 3 = 0.2225
    25: "Ya", 26: "B", 27: "Tidak",  # SDM.P.ii 0.5 x 1.75 / 3 = 7/24 = 0.291666...
    # SDM.P.iii 1.25 x (1 + 1 + 0.67 + 0.67 + 0.33 + 1) / 6 = 1.25 x 4.67 / 6 = 0.972916...
    28: "Ya", 29: "A", 30: "B", 31: "B", 32: "C", 33: "A",
    34: "A", 35: "B", 36: "B", 37: "Ya",  # SDM.P.iv 2 x (1 + 0.67 + 0.75 + 1) / 4 = 1.71
    38: "B",  # SDM.P.v 0.75 x 0.67 = 0.5025
    39: "A",  # SDM.P.vi 0.25
    40: "A", 41: "A", 42: "B",  # AK.P.i 2.5 x 2.67 / 3 = 2.225
    # AK.P.ii 2.5 x (5 x 1 + 0.67 + 0.5 + 1) / 8 = 2.5 x 7.17 / 8 = 2.240625
    43: "Ya", 44: "Ya", 45: "Ya", 46: "B", 47: "Ya", 48: "B", 49: "Ya", 50: "A",
    51: "A", 52: "B",  # PW.P.i 1.5 x 1.67 / 2 = 1.2525
    53: "B", 54: "C", 55: "A", 56: "B",  # PW.P.ii 1.5 x (0.75 + 0.5 + 1 + 0.5) / 4 = 1.03125
    57: "A", 58: "Ya", 59: "B", 60: "B",  # PW.P.iii 1.5 x 3 / 4 = 1.125
    61: "A", 62: "B", 63: "C",  # PW.P.iv 1.5 x 1.5 / 3 = 0.75
    64: "B", 65: "B", 66: "C", 67: "A", 68: "B",  # PW.P.v 1.5 x 3.17 / 5 = 0.951
    69: "B", 70: "A", 71: "B", 72: "Ya",  # PP.P.i 1 x (0.75 + 1 + 0.67 + 1) / 4 = 0.855
    # PP.P.ii 1 x (0.75 + 1 + 0.67 + 0.67 + 0.33 + 0.5) / 6 = 3.92 / 6 = 0.65333...
    73: "B", 74: "A", 75: "B", 76: "B", 77: "C", 78: "C",
    79: "B", 80: "A", 81: "B",  # PP.P.iii 1 x 2.25 / 3 = 0.75
    82: "C", 83: "B", 84: "B",  # PP.P.iv 1 x 1.67 / 3 = 0.55666...
    85: "B", 86: "Ya", 87: "B",  # PP.P.v 1 x 2.17 / 3 = 0.72333...
    # REFORM
    88: 10, 89: 8, 90: 8, 91: 6,  # MP.R.i 2 x (8/10 + 6/8) / 2 = 1.55
    92: "B",  # MP.R.ii 0.75
    93: "B",  # MP.R.iii 0.67
    94: "B",  # TL.R.i 0.5 x 0.67 = 0.335
    95: "A", 96: "B",  # TL.R.ii 1 x 1.5 / 2 = 0.75
    97: "B", 98: "C", 99: "C",  # TL.R.iii 2 x 1.75 / 3 = 1.1666...
    100: "B",  # SDM.R.i 1.5 x 0.5 = 0.75
    101: "B",  # SDM.R.ii 0.75
    102: 12, 103: 9, 104: 9,  # SDM.R.iii 2 x (12 - 9) / 12 = 0.5
    105: 8, 106: 7,  # AK.R.i 2 x 7/8 = 1.75
    107: "B",  # AK.R.ii 1.5 x 0.67 = 1.005
    108: "A",  # AK.R.iii 1.5
    109: "B",  # PW.R.i 2.5 x 0.75 = 1.875
    110: 7, 111: 1, 112: 6,  # PW.R.ii 3 x 6/7 = 18/7 = 2.571428...
    113: 1, 114: 3, 115: 0, 116: 4,  # PW.R.iii.a 4/4 = 1
    117: 5, 118: 12, 119: 40, 120: 54,  # PW.R.iii.b 54/57 = 18/19 = 0.947368...
    121: "B", 122: 20, 123: 15,  # PP.R.i 2.5 x (0.67 + 0.75) / 2 = 1.775
    124: "A",  # PP.R.ii 2.5
    # HASIL
    125: D("3.61"),  # 3.61 / 4 x 17.5 = 15.79375
    126: "B",  # 0.75 x 5 = 3.75
    127: D("3.42"),  # 3.42 / 4 x 17.5 = 14.9625
}
# fmt: on
CHOICES = {n for n, v in REALISTIC.items() if isinstance(v, str)}

# Areas, added up by hand from the sub-areas above (pem = PEMENUHAN, ref = REFORM):
# MP  pem 0.5 + 0.8333.. + 0.78 + 1.18875 = 317/96 = 3.302083..
#     ref 1.55 + 0.75 + 0.67 = 2.97
# TL  pem 0.64 + 1.25 + 0.375 = 2.265
#     ref 0.335 + 0.75 + 1.1666.. = 2.251666..
# SDM pem 0.2225 + 7/24 + 0.972916.. + 1.71 + 0.5025 + 0.25 = 3.949583..
#     ref 0.75 + 0.75 + 0.5 = 2
# AK  pem 2.225 + 2.240625 = 4.465625
#     ref 1.75 + 1.005 + 1.5 = 4.255
# PW  pem 1.2525 + 1.03125 + 1.125 + 0.75 + 0.951 = 5.10975
#     ref 1.875 + 18/7 + 1 + 18/19 = 6.393796..
# PP  pem 0.855 + 0.65333.. + 0.75 + 0.55666.. + 0.72333.. = 3.538333..
#     ref 1.775 + 2.5 = 4.275
REALISTIC_AREAS = {
    "MP": (Fraction(317, 96), Fraction("2.97")),
    "TL": (Fraction("2.265"), Fraction("0.335") + Fraction("0.75") + Fraction(7, 6)),
    "SDM": (
        Fraction("0.2225") + Fraction(7, 24) + Fraction("5.8375") / 6 + Fraction("2.4625"),
        Fraction(2),
    ),
    "AK": (Fraction("4.465625"), Fraction("4.255")),
    "PW": (Fraction("5.10975"), Fraction("2.875") + Fraction(18, 7) + Fraction(18, 19)),
    "PP": (Fraction("1.605") + Fraction("3.92") / 6 + Fraction("3.84") / 3, Fraction("4.275")),
}
# PEMENUHAN 22.630375, REFORM 22.145463.., PENGUNGKIT 44.775838..,
# HASIL 15.79375 + 3.75 + 14.9625 = 34.50625, TOTAL 79.282088.. -> 79.28
REALISTIC_TOTAL = sum(p + r for p, r in REALISTIC_AREAS.values()) + Fraction("34.50625")


def test_full_realistic_assessment():
    b = score(SPEC, answers(REALISTIC, evidence=CHOICES), holds_wbk=True)
    for code, (pem, ref) in REALISTIC_AREAS.items():
        assert_exact(b.areas[code].parts["pemenuhan"], pem)
        assert_exact(b.areas[code].parts["reform"], ref)
        assert_exact(b.areas[code].total, pem + ref)
    assert_exact(b.parts["pemenuhan"].score, Fraction("22.630375"))
    assert_exact(b.parts["reform"].score, sum(r for _, r in REALISTIC_AREAS.values()))
    assert_exact(b.total, REALISTIC_TOTAL)
    assert Fraction(253068427, 3192000) == REALISTIC_TOTAL
    assert display(b.total) == D("79.28")
    assert display(b.components["pengungkit"].score) == D("44.78")
    assert display(b.components["hasil"].score) == D("34.51")
    # The six areas shown add up to 44.77, the pengungkit shown is 44.78: each is rounded alone.
    assert sum(display(a.total) for a in b.areas.values()) == D("44.77")

    assert b.completeness.answered == 127 and b.completeness.with_evidence == len(CHOICES) == 103
    assert b.areas["PW"].completeness.total == 18 + 12
    assert b.sub_areas["SDM.R.iii"].completeness.total == 3  # q104 counts as a question

    # WBK fails on one area only: SDM 5.949583.. shows 5.95 < 6.00
    assert not b.predicates["WBK"].meets
    assert [s.message for s in b.predicates["WBK"].shortfalls] == [
        "Penataan Sistem Manajemen SDM Aparatur 5.95 of 10 (59.50%); WBK needs 60% = 6.00 (+0.05)",
    ]
    # WBBM: total, pengungkit, TL (4.516.. shows 4.52 < 5.25), SDM (< 7.50), q127 (14.96 < 15.75);
    # bersih dan akuntabel 19.54 >= 19.50, q125 15.79 >= 15.75 and q126 3.75 >= 3.75 hold.
    assert [s.message for s in b.predicates["WBBM"].shortfalls] == [
        "Total 79.28; WBBM needs 85.00 (+5.72)",
        "Pengungkit 44.78; WBBM needs 48.00 (+3.22)",
        "Penataan Tatalaksana 4.52 of 7 (64.57%); WBBM needs 75% = 5.25 (+0.73)",
        "Penataan Sistem Manajemen SDM Aparatur 5.95 of 10 (59.50%); WBBM needs 75% = 7.50 (+1.55)",
        "Pelayanan prima, IPKP score (q127) 14.96; WBBM needs 15.75 (+0.79)",
    ]


def test_contract_dict_shape_and_values():
    b = score(SPEC, answers(REALISTIC), holds_wbk=False)
    contract = contract_dict(b)
    assert list(contract) == [
        "framework",
        "total",
        "pengungkit",
        "pemenuhan",
        "reform",
        "hasil",
        "areas",
        "hasil_items",
        "meets",
        "shortfalls",
    ]
    assert contract["framework"] == "lke-2021"
    assert (
        contract["total"],
        contract["pengungkit"],
        contract["pemenuhan"],
        contract["reform"],
        contract["hasil"],
    ) == (
        79.28,
        44.78,
        22.63,
        22.15,
        34.51,
    )
    assert contract["areas"] == {
        "MP": {"pemenuhan": 3.30, "reform": 2.97, "total": 6.27, "weight": 8.0},
        "TL": {"pemenuhan": 2.27, "reform": 2.25, "total": 4.52, "weight": 7.0},  # 2.265 half up
        "SDM": {"pemenuhan": 3.95, "reform": 2.0, "total": 5.95, "weight": 10.0},
        "AK": {"pemenuhan": 4.47, "reform": 4.26, "total": 8.72, "weight": 10.0},
        "PW": {"pemenuhan": 5.11, "reform": 6.39, "total": 11.50, "weight": 15.0},
        "PP": {"pemenuhan": 3.54, "reform": 4.28, "total": 7.81, "weight": 10.0},
    }
    assert contract["hasil_items"] == {
        "ipak": 15.79,
        "capaian_kinerja": 3.75,
        "ipkp": 14.96,
        "bersih_akuntabel": 19.54,
        "pelayanan_prima": 14.96,
    }
    assert contract["meets"] == {"WBK": False, "WBBM": False}
    assert contract["shortfalls"]["WBK"] == [
        "Penataan Sistem Manajemen SDM Aparatur 5.95 of 10 (59.50%); WBK needs 60% = 6.00 (+0.05)",
    ]
    assert contract["shortfalls"]["WBBM"][-1] == "does not yet hold WBK"
    text = json.dumps(contract)
    assert '"total": 79.28' in text and '"pemenuhan": 2.27' in text
    assert json.loads(text) == contract


# --------------------------------------------------------------------------- gains


def test_question_gains_rank_and_add_up():
    gains = question_gains(SPEC, answers(REALISTIC))
    top = [(g.number, g.points) for g in gains[:4]]
    assert top == [
        (127, D("2.5375")),  # 17.5 x (1 - 3.42/4) = 17.5 x 0.145
        (125, D("1.70625")),  # 17.5 x (1 - 0.9025)
        (103, D("1.5")),  # SDM.R.iii under its lever q103: 2 x (1 - 0.25)
        (126, D("1.25")),  # 5 x (1 - 0.75)
    ]
    by_number = {g.number: g for g in gains}
    pw_ii = by_number[112]  # PW.R.ii: 3 x (1 - 6/7) = 3/7
    assert_exact(pw_ii.points, Fraction(3, 7))
    assert (pw_ii.sub_area, pw_ii.area, pw_ii.part, pw_ii.answer) == ("PW.R.ii", "PW", "reform", 6)
    assert_exact(pw_ii.value, Fraction(6, 7))
    assert by_number[1].points == 0 and by_number[1].value == 1  # already best
    # Denominators and information-only counts are not levers.
    assert not {88, 90, 102, 104, 105, 110, 111, 113, 114, 115, 117, 118, 119, 122} & set(by_number)
    assert len(gains) == sum(len(s.items) for s in SPEC.sub_areas) + 3
    # One entry per item: the gains add up to what is missing from 100.
    missing = sum(Fraction(g.points) for g in gains)
    assert abs(missing - (100 - REALISTIC_TOTAL)) < Fraction(1, 10**28)
    points = [g.points for g in gains]
    assert points == sorted(points, reverse=True)


def test_question_gains_of_unanswered_questions():
    gains = {g.number: g for g in question_gains(SPEC, {})}
    # q1 alone in MP.P.i is one of 2 items of weight 0.5: 0.25 at stake
    assert gains[1].points == D("0.25") and gains[1].answer is None and gains[1].value == 0
    assert gains[125].points == D("17.5") and gains[125].hasil_item == "ipak"
    with pytest.raises(AnswerError, match=r"question 2 \(ABC\): 'b' is not normalised"):
        question_gains(SPEC, answers({2: "b"}))
    # Some shares are thirds (e.g. MP.P.ii: 1 / 3 per item), so add them as fractions.
    assert abs(sum(Fraction(g.points) for g in gains.values()) - 100) < Fraction(1, 10**28)


# --------------------------------------------------------------------------- answers


@pytest.mark.parametrize(
    ("number", "raw", "expected"),
    [
        (1, "Ya", "Ya"),
        (1, " ya ", "Ya"),
        (2, "b", "B"),
        (2, None, None),
        (2, "  ", None),
        (88, 12, 12),
        (88, "12", 12),
        (88, 0, 0),
        (88, 3.0, 3),
        (88, D("4"), 4),
        (125, D("3.61"), D("3.61")),
        (125, 3.61, D("3.61")),
        (125, "3,61", D("3.61")),
        (125, " 3.6 ", D("3.6")),
        (125, 4, D(4)),
        (125, 0, D(0)),
    ],
)
def test_normalize_answer(number, raw, expected):
    value = normalize_answer(SPEC, number, raw)
    assert value == expected and type(value) is type(expected)


COUNT_OK = "allowed: a whole number, 0 or more"
INDEX_OK = "allowed: a number from 0 to 4"


@pytest.mark.parametrize(
    ("number", "raw", "message"),
    [
        (
            128,
            "A",
            "question 128 does not exist in framework lke-2021 (questions are numbered 1..127)",
        ),
        (2, "D", "question 2 (ABC): 'D' is not an option; allowed: one of A, B, C"),
        (1, "A", "question 1 (YA_TIDAK): 'A' is not an option; allowed: one of Ya, Tidak"),
        (2, 1, "question 2 (ABC): 1 is not an option key; allowed: one of A, B, C"),
        (88, -1, f"question 88 (Jumlah): -1 is negative; {COUNT_OK}"),
        (88, "2.5", f"question 88 (Jumlah): '2.5' is not a whole number; {COUNT_OK}"),
        (88, 2.5, f"question 88 (Jumlah): 2.5 is not a whole number; {COUNT_OK}"),
        (88, "lots", f"question 88 (Jumlah): 'lots' is not a number; {COUNT_OK}"),
        (88, "1e3", f"question 88 (Jumlah): '1e3' is not a number; {COUNT_OK}"),
        (
            88,
            D("1E+999999"),
            "question 88 (Jumlah): Decimal('1E+999999') is too large "
            f"(at most 1,000,000,000,000); {COUNT_OK}",
        ),
        (117, True, f"question 117 (jumlah): True is not a number; {COUNT_OK}"),
        (125, D("4.01"), f"question 125 (0-4): Decimal('4.01') is out of range; {INDEX_OK}"),
        (125, -0.5, f"question 125 (0-4): -0.5 is out of range; {INDEX_OK}"),
        (125, "abc", f"question 125 (0-4): 'abc' is not a number; {INDEX_OK}"),
        (125, "NaN", f"question 125 (0-4): 'NaN' is out of range; {INDEX_OK}"),
        (127, False, f"question 127 (0-4): False is not a number; {INDEX_OK}"),
        (127, [3], f"question 127 (0-4): [3] is not a number; {INDEX_OK}"),
    ],
)
def test_normalize_answer_errors(number, raw, message):
    with pytest.raises(AnswerError) as info:
        normalize_answer(SPEC, number, raw)
    assert str(info.value) == message
    assert info.value.question == number


def test_score_rejects_unknown_questions_and_raw_values():
    with pytest.raises(AnswerError, match="question 200 does not exist in framework lke-2021"):
        score(SPEC, answers({200: "A"}))
    with pytest.raises(
        AnswerError, match=r"question 2 \(ABC\): 'b' is not normalised \(use normalize_answer\)"
    ):
        score(SPEC, answers({2: "b"}))
    with pytest.raises(AnswerError, match=r"question 2 \(ABC\): 'Z' is not an option"):
        score(SPEC, answers({2: "Z"}))
    with pytest.raises(AnswerError, match=r"question 103 \(Jumlah\): -2 is negative"):
        score(SPEC, answers({102: 3, 103: -2}))
    with pytest.raises(AnswerError, match=r"question 105 \(Jumlah\): '8' is not normalised"):
        score(SPEC, answers({105: "8", 106: 7}))
    with pytest.raises(AnswerError, match=r"question 125 \(0-4\): 3.5 is not normalised"):
        score(SPEC, answers({125: 3.5}))
    with pytest.raises(AnswerError, match=r"question 127 \(0-4\): Decimal\('5'\) is out of range"):
        score(SPEC, answers({127: D(5)}))


# --------------------------------------------------------------------------- the mini framework


# fmt: off
MINI_VALUES = {
    1: "Ya", 2: "B",  # X.P.i 12.5 x (1 + 0.5) / 2 = 9.375
    3: "B", 4: "C", 5: "A",  # X.P.ii 17.5 x (0.67 + 0.5 + 1) / 3 = 37.975 / 3 = 12.658333..
    6: "C",  # Y.P.i 10 x 0.33 = 3.3
    7: 4, 8: 3, 9: 7,  # X.R.i 20 x 3/4 = 15 (q9 information only)
    10: 0, 11: 0,  # Y.R.i.a none before, none now: 6 x 1 = 6
    12: "Tidak", 13: 0, 14: 0,  # Y.R.i.b 4 x (0 + 1) / 2 = 2 (nobody obliged -> 1)
    15: D("3.25"),  # skm: (3.25 - 1) / (4 - 1) = 0.75 -> 25 x 0.75 = 18.75
    16: "B",  # inovasi 5 x 0.5 = 2.5
}
# fmt: on
# X = 9.375 + 12.658333.. + 15 = 37.033333..; Y = 3.3 + 6 + 2 = 11.3
# pengungkit 48.333333..; hasil 21.25; total 69.583333.. -> 69.58


def test_mini_framework_scores_independently():
    lke_before = score(SPEC, answers(REALISTIC))
    b = score(MINI, answers(MINI_VALUES), held={"BAIK": False})
    assert b.framework == "mini-2030"
    assert_exact(b.sub_areas["X.P.ii"].score, Fraction("37.975") / 3)
    assert_exact(b.areas["X"].total, Fraction("24.375") + Fraction("37.975") / 3)
    assert b.areas["Y"].total == D("11.3")
    assert b.areas["Y"].parts == {"pemenuhan": D("3.3"), "reform": D("8")}
    assert b.hasil_items["skm"].score == D("18.75")
    assert_exact(b.total, Fraction("56.925") + Fraction("37.975") / 3)
    assert display(b.total) == D("69.58")
    assert b.predicates["BAIK"].meets
    assert [s.message for s in b.predicates["UNGGUL"].shortfalls] == [
        "Total 69.58; UNGGUL needs 80.00 (+10.42)",
        "Pengungkit 48.33; UNGGUL needs 56.00 (+7.67)",
        "Area Dua 11.30 of 20 (56.50%); UNGGUL needs 70% = 14.00 (+2.70)",
        "Kepuasan 21.25; UNGGUL needs 24.00 (+2.75)",
        "does not yet hold BAIK",
    ]
    contract = contract_dict(b)
    assert set(contract["areas"]) == {"X", "Y"}
    assert contract["hasil_items"] == {"skm": 18.75, "inovasi": 2.5, "kepuasan": 21.25}
    assert contract["meets"] == {"BAIK": True, "UNGGUL": False}
    # Scoring the mini framework changed nothing for lke-2021.
    assert score(SPEC, answers(REALISTIC)) == lke_before
    with pytest.raises(AnswerError, match="question 17 does not exist in framework mini-2030"):
        score(MINI, answers({17: "A"}))
    with pytest.raises(AnswerError, match=r"question 15 \(1-4\): Decimal\('0.5'\) is out of range"):
        normalize_answer(MINI, 15, D("0.5"))


# --------------------------------------------------------------------------- against a reference


def reference_scores(spec: FrameworkSpec, values: dict[int, Any]) -> dict[str, Fraction]:
    """The rules written the plain way (Fractions, mean x weight), to check the fast engine."""

    def item_value(item) -> Fraction:
        if isinstance(item, QuestionItem):
            q = spec.question(item.question)
            value = values.get(q.number)
            if value is None:
                return Fraction(0)
            if q.kind == CHOICE:
                return Fraction(q.option(value).value)
            low, high = q.index_range
            return (Fraction(value) - Fraction(low)) / (Fraction(high) - Fraction(low))
        if any(values.get(n) is None for n in item.questions):
            return Fraction(0)
        numerator = sum(t.sign * values[t.question] for t in item.numerator)
        denominator = sum(values[n] for n in item.denominator)
        if denominator == 0:
            zero = item.value_if_zero_denominator_numerator_zero
            other = item.value_if_zero_denominator_numerator_nonzero
            return Fraction(zero if numerator == 0 else other)
        return min(Fraction(1), max(Fraction(0), Fraction(numerator, denominator)))

    result: dict[str, Fraction] = {}
    for s in reversed(spec.sub_areas):
        if s.is_group:
            result[s.code] = sum(result[c] for c in s.children)
        else:
            result[s.code] = Fraction(s.weight) * sum(item_value(i) for i in s.items) / len(s.items)
    for h in spec.hasil_items:
        result[h.code] = Fraction(h.weight) * item_value(QuestionItem(h.question))
    result["total"] = sum(
        v for code, v in result.items() if code in {h.code for h in spec.hasil_items}
    ) + sum(result[s.code] for s in spec.sub_areas if s.parent is None)
    return result


def answer_sets(spec: FrameworkSpec):
    per_question = {}
    for q in spec.questions:
        if q.kind == CHOICE:
            options = st.sampled_from([o.key for o in q.options])
        elif q.kind == COUNT:
            options = st.integers(min_value=0, max_value=40)
        else:
            low, high = q.index_range
            options = st.decimals(min_value=low, max_value=high, places=4, allow_nan=False)
        per_question[q.number] = st.one_of(st.none(), options)
    return st.fixed_dictionaries(per_question)


@pytest.mark.parametrize("spec", [SPEC, MINI], ids=["lke-2021", "mini"])
def test_engine_matches_the_plain_rules(spec):
    @settings(max_examples=150, deadline=None)
    @given(answer_sets(spec))
    def check(values):
        b = score(spec, answers(values))
        expected = reference_scores(spec, values)
        for code, sub in b.sub_areas.items():
            assert_exact(sub.score, expected[code])
            assert display(sub.score) == shown(expected[code])
        for code, item in b.hasil_items.items():
            assert_exact(item.score, expected[code])
        assert_exact(b.total, expected["total"])
        assert display(b.total) == shown(expected["total"])
        gains = question_gains(spec, answers(values))
        missing = sum(Fraction(g.points) for g in gains)
        assert abs(missing - (Fraction(spec.total_weight) - expected["total"])) < Fraction(
            1, 10**27
        )

    check()


def test_display_rounds_half_up():
    assert display(D("0.125")) == D("0.13")
    assert display(D("2.265")) == D("2.27")
    assert display(D("0.124999999999")) == D("0.12")
    assert str(display(D("9"))) == "9.00"
