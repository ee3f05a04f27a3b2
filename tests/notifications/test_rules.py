"""Who is reminded when, and what the digest says: worked examples, no database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from notifications.rules import (
    COORDINATOR,
    DUE_IN_1,
    DUE_IN_7,
    ESCALATION,
    KETUA,
    OVERDUE,
    OWNERS,
    DigestFacts,
    PokjaLate,
    SurveyProgress,
    digest_of,
    plan_item_reminders,
)

DUE = datetime.date(2026, 12, 10)


def on(day: int, month: int = 12) -> list[tuple[str, str]]:
    return plan_item_reminders(DUE, datetime.date(2027 if month == 1 else 2026, month, day))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ((2, 12), []),  # 8 days ahead
        ((3, 12), [(DUE_IN_7, OWNERS)]),
        ((4, 12), []),
        ((9, 12), [(DUE_IN_1, OWNERS)]),
        ((10, 12), []),  # the due day itself: not late until midnight WIB
        ((11, 12), [(OVERDUE, OWNERS)]),  # 1 day
        ((12, 12), [(OVERDUE, OWNERS)]),  # 2 days
        ((13, 12), [(OVERDUE, OWNERS), (ESCALATION, KETUA)]),  # day 3
        ((16, 12), [(OVERDUE, OWNERS), (ESCALATION, KETUA)]),  # day 6
        ((17, 12), [(OVERDUE, OWNERS), (ESCALATION, KETUA), (ESCALATION, COORDINATOR)]),
        ((9, 1), [(OVERDUE, OWNERS), (ESCALATION, KETUA), (ESCALATION, COORDINATOR)]),
    ],
)
def test_reminders_by_day(today, expected):
    day, month = today
    assert on(day, month) == expected


def test_due_in_seven_days_across_a_month_end():
    assert plan_item_reminders(datetime.date(2026, 12, 3), datetime.date(2026, 11, 26)) == [
        (DUE_IN_7, OWNERS)
    ]


def facts(**changes) -> DigestFacts:
    values = {
        "programme": "Polres Alpha 2026",
        "target": "WBK",
        "total": Decimal("72.40"),
        "total_week_ago": Decimal("70.15"),
        "meets": {"WBK": False, "WBBM": False},
        "late": [
            PokjaLate(1, "Manajemen Perubahan", 2),
            PokjaLate(2, "Tata Laksana", 0),
            PokjaLate(5, "Penguatan Pengawasan", 3),
        ],
        "surveys": [SurveyProgress("SPAK", 150, 400), SurveyProgress("SPKP", 0, None)],
        "shortfalls": 4,
    }
    return DigestFacts(**(values | changes))


def test_the_digest_of_a_week():
    digest = digest_of(facts())
    assert digest.total == Decimal("72.40")
    assert digest.change == Decimal("2.25") and digest.sign == "+"
    assert digest.meets_target is False and digest.shortfalls == 4
    assert [(p.number, p.late) for p in digest.late] == [(1, 2), (5, 3)]  # Pokja 2 not listed
    assert digest.late_total == 5
    assert [s.percent for s in digest.surveys] == [37, None]  # 150 / 400 = 37.5 % rounded down


def test_a_fall_a_first_week_and_a_target_met():
    fall = digest_of(facts(total=Decimal("69.00"), meets={"WBK": True, "WBBM": False}))
    assert fall.change == Decimal("-1.15") and fall.sign == ""
    assert fall.meets_target is True and fall.shortfalls is None  # met: nothing short
    assert digest_of(facts(target="WBBM", meets={"WBK": True})).meets_target is False
    first = digest_of(facts(total_week_ago=None))
    assert first.change is None and first.sign == ""
    never = digest_of(facts(total=None, late=[], surveys=[]))
    assert never.total is None and never.change is None
    assert never.late == [] and never.late_total == 0
