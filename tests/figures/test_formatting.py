"""The one rounding rule and the figures' wording in both languages, by hand-computed examples."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from figures import formatting
from figures.palette import TONES, scale_tone
from figures.rounding import half_up, share_of_weight


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("2.675"), Decimal("2.68")),  # the half goes up (a float would give 2.67)
        (Decimal("2.674999"), Decimal("2.67")),
        (Decimal("-0.125"), Decimal("-0.13")),  # away from zero
        (Fraction(1, 3), Decimal("0.33")),
        (Fraction(2, 3), Decimal("0.67")),
        (Fraction(76605, 1000), Decimal("76.61")),  # exactly 76.605: IKM band B, not C
        (Fraction(6, 7) * 100, Decimal("85.71")),  # 85.714285...
        (7, Decimal("7.00")),
    ],
)
def test_half_up_from_the_exact_value(value, shown):
    assert half_up(value) == shown
    assert str(half_up(value)) == str(shown)


def test_half_up_refuses_floats():
    with pytest.raises(TypeError):
        half_up(2.675)


@pytest.mark.parametrize(
    ("score", "weight", "shown"),
    [
        # MP 4.47 of 8: 447 / 8 = 55.875 -> 55.88 (the dashboard said 55.8, the LKE page 55.9)
        (Decimal("4.47"), Decimal("8"), Decimal("55.88")),
        # an exact score of 4.4722 shows 4.47 and its share is taken from that: 55.88 again
        (Decimal("4.4722"), Decimal("8"), Decimal("55.88")),
        # TL 3.305 of 7 shows 3.31 (half up): 331 / 7 = 47.2857 -> 47.29
        (Decimal("3.305"), Decimal("7"), Decimal("47.29")),
        # PW 8.99 of 15 fails 60% (9.00): 59.9333 -> 59.93, never "60"
        (Decimal("8.99"), Decimal("15"), Decimal("59.93")),
        # 8.995 shows 9.00 and meets 60%: 60.00
        (Decimal("8.995"), Decimal("15"), Decimal("60.00")),
        (Decimal("0"), Decimal("5"), Decimal("0.00")),
    ],
)
def test_the_share_of_a_weight_is_taken_from_the_shown_score(score, weight, shown):
    assert share_of_weight(score, weight) == shown


def test_no_share_of_a_zero_weight():
    assert share_of_weight(Decimal("1"), Decimal("0")) is None


WORDING = [
    # (function, value, Indonesian, English)
    (formatting.number, Decimal("7.5"), "7,50", "7.50"),
    (formatting.number, Decimal("64.374999"), "64,37", "64.37"),
    (formatting.number, Decimal("3.2854647099930118798043"), "3,29", "3.29"),
    (formatting.number, "18.25", "18,25", "18.25"),
    (formatting.number, 0.875, "0,88", "0.88"),  # JSON data: the float's decimal, half up
    (formatting.number, None, "—", "—"),
    (formatting.whole, 342, "342", "342"),
    (formatting.constant, Decimal("60"), "60", "60"),
    (formatting.constant, Decimal("18.250"), "18,25", "18.25"),
    (formatting.constant, Decimal("3.6"), "3,6", "3.6"),
    (formatting.percent, Decimal("50"), "50,00%", "50.00%"),
    (formatting.percent, Fraction(600, 7), "85,71%", "85.71%"),
    (formatting.plain, Decimal("127.456"), "127.46", "127.46"),
]


@pytest.mark.parametrize(("function", "value", "indonesian", "english"), WORDING)
def test_figures_read_in_the_active_language(function, value, indonesian, english):
    with translation.override("id"):
        assert function(value) == indonesian
    with translation.override("en"):
        assert function(value) == english


def test_shares_of_counts():
    # TLHP: 3 of 6 findings settled -> 50,00% (Indonesian pages said "(50.00%)")
    with translation.override("id"):
        assert formatting.share_text(3, 6) == "50,00%"
        assert formatting.share_text(2, 3) == "66,67%"
        assert formatting.share_text(0, 0) == "—"
        assert formatting.weight_share_text(Decimal("4.47"), Decimal("8")) == "55,88%"
    with translation.override("en"):
        assert formatting.share_text(1, 8) == "12.50%"


def test_dates_read_in_the_active_language():
    day = datetime.date(2018, 3, 21)
    moment = timezone.make_aware(datetime.datetime(2026, 12, 3, 8, 38), datetime.UTC)
    with translation.override("id"):
        assert formatting.day(day) == "21 Mar 2018"
        assert formatting.long_day(day) == "21 Maret 2018"
        assert formatting.day(datetime.date(2026, 12, 3)) == "3 Des 2026"
        assert formatting.axis_day(datetime.date(2026, 8, 6)) == "6 Agu"
        assert formatting.moment(moment) == "3 Des 2026 15:38"  # WIB
    with translation.override("en"):
        assert formatting.long_day(day) == "21 March 2018"
        assert formatting.day(datetime.date(2026, 12, 3)) == "3 Dec 2026"
        assert formatting.axis_day(datetime.date(2026, 8, 6)) == "6 Aug"
    assert formatting.day(None) == "—"


def test_the_template_filters_are_the_same_helpers():
    template = Template(
        "{% load figures %}{{ s|number }} {{ s|weight_share:w }} {{ p|share:q }} {{ d|day }} "
        "{{ s|plain }} {{ n|whole }} {{ m|constant }}"
    )
    context = Context(
        {
            "s": Decimal("4.47"),
            "w": Decimal("8"),
            "p": 3,
            "q": 6,
            "d": datetime.date(2018, 3, 21),
            "n": 12,
            "m": Decimal("60"),
        }
    )
    with translation.override("id"):
        assert template.render(context) == "4,47 55,88% 50,00% 21 Mar 2018 4.47 12 60"
    with translation.override("en"):
        assert template.render(context) == "4.47 55.88% 50.00% 21 Mar 2018 4.47 12 60"


def test_tones_carry_meaning_and_never_colour_alone():
    # late warns (red), verified is green; every tone of a chart has its own pattern
    assert TONES["late"].colour == "#b02a37" and TONES["verified"].colour == "#146c43"
    plans = [TONES[name] for name in ("verified", "done", "on_track", "late")]
    assert len({t.colour for t in plans}) == 4 and len({t.pattern for t in plans}) == 4
    assert scale_tone(1, 4) == TONES["scale-1"] and scale_tone(4, 4) == TONES["scale-4"]
    assert scale_tone(5, 5) == TONES["scale-5"] and scale_tone(3, 5) == TONES["scale-3"]
