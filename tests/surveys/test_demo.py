"""The demo world's surveys: plausible, feeding q125/q127, and seeded once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dashboards.demo import seed_demo
from surveys.models import Survey, SurveyCode, SurveyResponse
from surveys.selectors import lke_survey_figures, survey_report

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_surveys_that_feed_the_lke_and_is_seeded_once(demo):
    programme = demo.programme
    counts = dict(Survey.objects.filter(programme=programme).values_list("instrument__slug", "id"))
    assert set(counts) == {"skm-2017", "spak-2021", "spkp-2021"}
    responses = SurveyResponse.objects.count()
    assert 800 <= responses <= 1200
    seed_demo()
    assert Survey.objects.count() == 3 and SurveyResponse.objects.count() == responses
    figures = lke_survey_figures(programme)
    assert figures[125].source == figures[127].source == "survey"
    assert Decimal("3.3") < figures[125].index < Decimal("4")  # IPAK above the WBK line
    assert Decimal("3.0") < figures[127].index < Decimal("3.6")
    skm = Survey.objects.get(programme=programme, instrument__slug="skm-2017")
    assert skm.mode == Survey.Mode.CODES
    assert SurveyCode.objects.filter(survey=skm, used=True).exists()
    report = survey_report(skm)
    assert report.result.ikm.quality == "B"
    assert {s.code for s in report.services if s.count} >= {"sim", "skck", "laporan"}
