"""The demo worksheet of Polres Labuhanbatu: partly filled, realistic, and blocked for WBK."""

from __future__ import annotations

import pytest

from dashboards.demo import seed_demo
from evaluations.models import Answer, AnswerEvidence
from evaluations.selectors import overview, programme_breakdown
from evaluations.services import assessment_for

pytestmark = pytest.mark.django_db


def test_the_demo_worksheet_is_partly_filled_and_shows_what_blocks_wbk(demo):
    programme = demo.programme
    answers = Answer.objects.filter(assessment__programme=programme)
    filled = answers.exclude(unit_value="").count()
    assert 80 < filled < 127
    assert answers.exclude(tpi_value="").count() == 5
    assert AnswerEvidence.objects.filter(answer__assessment__programme=programme).count() > 40
    assert programme.evidence.filter(kind="file").count() == 4
    summaries = {
        s.section.code: s for s in overview(programme, assessment_for(programme)).summaries
    }
    assert summaries["AK"].section.status == "submitted"
    assert summaries["AK"].answered == summaries["AK"].total  # complete
    assert summaries["SDM"].answered < summaries["SDM"].total / 2 + 3  # weak
    assert summaries["MP"].section.status == "draft"  # Pokja 1 still takes 88-91 from the register
    breakdown = programme_breakdown(programme)
    wbk = breakdown.predicates["WBK"]
    assert not wbk.meets
    weak = {s.area for s in wbk.shortfalls if s.area}
    assert {"SDM", "PW", "TL"} <= weak and "AK" not in weak and "PP" not in weak
    # q88-q91 are left to the change-agent register
    assert set(
        answers.filter(number__in=[88, 89, 90, 91]).values_list("unit_value", flat=True)
    ) == {""}


def test_seeding_again_changes_nothing(demo):
    programme = demo.programme
    before = list(Answer.objects.order_by("pk").values_list("unit_value", "tpi_value", "unit_note"))
    seed_demo()
    after = list(Answer.objects.order_by("pk").values_list("unit_value", "tpi_value", "unit_note"))
    assert after == before
    assert Answer.objects.filter(assessment__programme=programme).count() == 127
