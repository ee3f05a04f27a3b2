"""Advice that can be acted on: every closing step names each answer its item needs, with
values that reach the item's best, and trying them in the what-if closes the gap."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from evaluations.loader import load_bundled_framework
from evaluations.models import Answer
from evaluations.scoring import AnswerInput, question_gains
from evaluations.selectors import answer_input, programme_what_if
from pokja.models import User


@pytest.fixture
def spec(db):
    return load_bundled_framework("lke-2021").spec


def needs_of(spec, answers: dict, lever: int) -> dict:
    full = {n: AnswerInput(None) for n in spec.numbers}
    full.update({n: AnswerInput(v) for n, v in answers.items()})
    gain = next(g for g in question_gains(spec, full) if g.number == lever)
    return dict(gain.needs), gain


def test_a_ratio_with_its_denominator_unanswered_needs_both_counts(spec):
    # MP.R.i, q89 / q88 (changes per change agent), nothing answered: the item counts 0; q89
    # alone changes nothing, so the step needs q88 too. 1 change agent, 1 change: 100%.
    # Its points: MP.R.i weighs 2 over two items (q89/q88, q91/q90): 1.00.
    needs, gain = needs_of(spec, {}, 89)
    assert needs == {88: 1, 89: 1}
    assert gain.questions == (89, 88)
    assert gain.points == Decimal("1")


def test_a_ratio_keeps_the_counts_given_and_raises_its_lever(spec):
    # 5 change agents, 2 changes: 40%; the best needs 5 changes, q88 stays.
    assert needs_of(spec, {88: 5, 89: 2}, 89)[0] == {89: 5}
    # 10 changes and no agent count: answering q88 (1, or any count up to 10) is enough.
    assert needs_of(spec, {89: 10}, 89)[0] == {88: 1}
    # No change agents appointed (0): the rule gives 0, so the item needs one appointed.
    assert needs_of(spec, {88: 0, 89: 0}, 89)[0] == {88: 1, 89: 1}


def test_a_fall_in_violations_needs_none_this_year(spec):
    # SDM.R.iii, (q102 - q103) / q102: 14 last year, 11 this year -> 3/14; best: q103 = 0.
    assert needs_of(spec, {102: 14, 103: 11}, 103)[0] == {103: 0}
    # none last year, 3 this year: the zero-denominator rule gives 0; with none this year, 1.
    assert needs_of(spec, {102: 0, 103: 3}, 103)[0] == {103: 0}


def test_nothing_owed_keeps_its_rule(spec):
    # PW.R.ii, q112 / q110: no complaints to follow up (q110 = 0) is 1 once q112 is answered.
    assert needs_of(spec, {110: 0}, 112)[0] == {112: 0}
    # LHKPN q116 / (q113 + q114 + q115): 6 obliged, the other two counts unanswered (0).
    assert needs_of(spec, {113: 6}, 116)[0] == {114: 0, 115: 0, 116: 6}


def test_a_choice_needs_its_best_option_and_an_index_its_top(spec):
    assert needs_of(spec, {109: "C"}, 109)[0] == {109: "A"}
    assert needs_of(spec, {}, 125)[0] == {125: Decimal("4")}


def test_every_suggestion_of_the_demo_closes_its_gap_when_tried(demo):
    """Each closable shortfall of the demo programme, for both predicates: its steps' answers
    applied together in the what-if (stored nothing) take it off the predicate check."""
    programme = demo.programme
    before = list(Answer.objects.order_by("pk").values_list("unit_value", "tpi_value"))
    real = programme_what_if(programme, None)
    tried = []
    for view in real.real_predicates:
        for row in view.rows:
            if not row.steps:
                continue
            raw = {n: answer_input(v) for n, v in row.answers.items()}
            result = programme_what_if(programme, raw)
            assert not result.errors, [i.error for i in result.errors]
            assert result.hypothetical is not None
            after = next(p for p in result.hypothetical_predicates if p.code == view.code)
            shortfall = row.plan.shortfall
            left = [
                r.plan.shortfall
                for r in after.rows
                if (r.plan.shortfall.criterion, r.plan.shortfall.area)
                == (shortfall.criterion, shortfall.area)
            ]
            assert left == [], f"{view.code} {shortfall.message} still open after {raw}"
            tried.append((view.code, shortfall.criterion, shortfall.area))
    # WBK: MP, TL, PW, SDM, total, pengungkit; WBBM: q127, four areas, total, pengungkit.
    assert len(tried) >= 12
    assert ("WBK", "area", "MP") in tried
    assert list(Answer.objects.order_by("pk").values_list("unit_value", "tpi_value")) == before


def test_the_dashboard_names_q88_and_q89_and_its_link_closes_the_gap(client, demo):
    programme = demo.programme
    client.force_login(User.objects.get(username="koordinator"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("programme_dashboard", kwargs=programme.url_kwargs()))
    html = re.sub(r"\s+", " ", page.content.decode())
    mp = re.search(r'data-criterion="area" data-area="MP">(.*?)</li>', html).group(1)
    # MP 4,47 of 8: q89 alone would change nothing (q88 unanswered); both are named.
    assert "4,47 dari 8,00 (55,88%); WBK memerlukan 60% = 4,80 (+0,33)" in mp
    step = re.sub(
        r"<[^>]+>", "", re.search(r'data-testid="step-q89"[^>]*>(.*?)</span></span>', mp).group(1)
    )
    assert step == "q88 = 1, q89 = 1 (+1,00)"
    link = re.search(r'href="([^"]*\?q88=1&amp;q89=1#what-if)"', mp).group(1).replace("&amp;", "&")
    tried = client.get(link.split("#")[0])
    tried_html = re.sub(r"\s+", " ", tried.content.decode())
    result = re.search(r'data-testid="what-if-result"(.*?)</section>', tried_html).group(1)
    assert "q88 — → 1; q89 — → 1" in result
    wbk = re.search(r'data-testid="predicate-WBK"(.*?)(data-testid="predicate-WBBM"|$)', result)
    assert 'data-area="MP"' not in wbk.group(1)  # closed
    assert 'data-area="TL"' in wbk.group(1)  # the others remain


def test_the_what_if_shows_a_survey_index_to_two_decimals_and_keeps_it(client, demo):
    programme = demo.programme
    client.force_login(User.objects.get(username="koordinator"))
    url = reverse("lke_overview", kwargs=programme.url_kwargs())
    html = client.get(url).content.decode()
    fields = dict(re.findall(r'name="q(12[57])" id="wi-q12[57]" value="([^"]*)"', html))
    assert set(fields) == {"125", "127"}
    for value in fields.values():
        assert re.fullmatch(r"\d\.\d\d", value), value  # e.g. 3.29, not 3.2854647099...
    # Sent back as shown, the index is not a change: nothing to calculate.
    what_if = reverse("lke_what_if", kwargs=programme.url_kwargs())
    response = client.post(what_if, {"q125": fields["125"], "q127": fields["127"]})
    assert 'data-testid="what-if-result"' not in response.content.decode()


def test_the_steps_of_a_what_if_result_keep_the_answers_tried(demo):
    """After trying q88 = q89 = 1, WBBM's MP gap (5,47 of the 6,00 it needs) is closed by
    q90 and q91 on top of them: the result's link tries all four, and that closes it."""
    programme = demo.programme
    first = programme_what_if(programme, {88: "1", 89: "1"})
    wbbm = next(p for p in first.hypothetical_predicates if p.code == "WBBM")
    mp = next(r for r in wbbm.rows if r.plan.shortfall.area == "MP")
    assert mp.try_query == "q88=1&q89=1&q90=1&q91=1"
    raw = {int(k[1:]): v for k, v in (pair.split("=") for pair in mp.try_query.split("&"))}
    again = programme_what_if(programme, raw)
    after = next(p for p in again.hypothetical_predicates if p.code == "WBBM")
    assert not [r for r in after.rows if r.plan.shortfall.area == "MP"]
