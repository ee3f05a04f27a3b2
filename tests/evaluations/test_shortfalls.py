"""Ranking what blocks a predicate by how cheaply it closes, worked by hand (no Django)."""

from __future__ import annotations

from decimal import Decimal

from evaluations.framework_spec import CHOICE, COUNT, builtin_framework_path, load_framework_file
from evaluations.scoring import AnswerInput, display, question_gains, ratio_values, score
from evaluations.shortfalls import plan_shortfalls

SPEC = load_framework_file(builtin_framework_path("lke-2021"))
BEST_COUNTS = {103: 0, 116: 3, 120: 3}  # every other count 1: each ratio at 1


def best() -> dict[int, object]:
    values: dict[int, object] = {}
    for q in SPEC.questions:
        if q.kind == CHOICE:
            values[q.number] = max(q.options, key=lambda o: o.value).key
        elif q.kind == COUNT:
            values[q.number] = BEST_COUNTS.get(q.number, 1)
        else:
            values[q.number] = Decimal(4)
    return values


def worst(number: int) -> str:
    return min(SPEC.question(number).options, key=lambda o: o.value).key


def scenario():
    # Everything best, except q126 E (0 points) and PW PEMENUHAN (q51..q68) all at their worst:
    # PW = 0 + 7.5 = 7.50 of 15 (50%); total 100 - 5 - 7.5 = 87.50; pengungkit 52.50.
    values = best()
    values[126] = "E"
    for number in range(51, 69):
        values[number] = worst(number)
    answers = {n: AnswerInput(v) for n, v in values.items()}
    return answers, score(SPEC, answers, holds_wbk=False)


def test_wbk_shortfalls_cheapest_first():
    answers, breakdown = scenario()
    assert display(breakdown.total) == Decimal("87.50")
    plans = plan_shortfalls(SPEC, breakdown, question_gains(SPEC, answers), "WBK")
    # bersih dan akuntabel 17.50 of 18.25 (+0.75) and capaian 0.00 of 2.50 (+2.50) each close
    # with q126 alone (+5); the smaller gap first. PW needs +1.50: the two largest PW gains are
    # PW.P.i's items, 1.5 / 2 = 0.75 each -> 7.50 + 1.50 = 9.00 closes it with two questions.
    assert [(p.shortfall.criterion, p.cost, [g.number for g in p.steps]) for p in plans] == [
        ("bersih_akuntabel", 1, [126]),
        ("capaian_kinerja", 1, [126]),
        ("area", 2, [51, 52]),
    ]
    assert plans[2].shortfall.gap == Decimal("1.50")
    assert plans[2].step_points == Decimal("1.50")
    assert all(p.closable for p in plans)


def test_wbbm_needs_more_and_holding_wbk_comes_last():
    answers, breakdown = scenario()
    plans = plan_shortfalls(SPEC, breakdown, question_gains(SPEC, answers), "WBBM")
    # PW needs 11.25 (+3.75): 0.75 + 0.75 (PW.P.i) + 3 x 0.5 (PW.P.iv) = 3.00, then two of
    # PW.P.ii's 1.5 / 4 = 0.375 -> 3.75: seven questions.
    assert [(p.shortfall.criterion, p.cost, [g.number for g in p.steps]) for p in plans] == [
        ("bersih_akuntabel", 1, [126]),  # 17.50 of 19.50 (+2.00)
        ("capaian_kinerja", 1, [126]),  # 0.00 of 3.75
        ("area", 7, [51, 52, 61, 62, 63, 53, 54]),
        ("held", 0, []),
    ]
    assert not plans[-1].closable and plans[-1].available == 0


def test_an_area_exactly_at_its_threshold_after_the_steps():
    # Only one PW.P.i item fixed: 7.50 + 0.75 = 8.25, WBK still needs +0.75: one question.
    answers, _ = scenario()
    answers[51] = AnswerInput("A")
    breakdown = score(SPEC, answers, holds_wbk=True)
    plans = plan_shortfalls(SPEC, breakdown, question_gains(SPEC, answers), "WBK")
    area = next(p for p in plans if p.shortfall.criterion == "area")
    assert area.shortfall.gap == Decimal("0.75")
    assert [g.number for g in area.steps] == [52]


def test_ratio_values_show_the_percentage_of_counts():
    answers = {
        88: AnswerInput(4),
        89: AnswerInput(3),
        102: AnswerInput(0),
        103: AnswerInput(0),
        110: AnswerInput(5),
    }
    ratios = ratio_values(SPEC, answers)
    assert ratios[88] is ratios[89]
    assert (ratios[89].numerator, ratios[89].denominator, ratios[89].percent) == (
        3,
        4,
        Decimal("75.00"),
    )
    # (q102 - q103) / q102 with nothing before and nothing now: the zero-denominator rule, 1
    assert ratios[103].value == 1 and ratios[103].zero_denominator
    assert ratios[110].value is None  # q112 missing: the item is unanswered
    assert 104 not in ratios and 111 not in ratios  # information only
