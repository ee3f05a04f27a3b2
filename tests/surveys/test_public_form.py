"""The quick reading of a posted form agrees with the form class it stands in for."""

from __future__ import annotations

import uuid

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from surveys.forms import PublicSurveyForm, answers_from_form, read_posted_answers
from surveys.models import Survey
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db

ODD = ["", " 4", "4 ", "04", "٤", "4.0", "-1", "0", "5", "x", "L ", "sim ", "SIM", "\x00", "9" * 9]


def _post(survey: Survey, draw) -> QueryDict:
    """A well-formed form, then zero to three of its fields spoiled or left out."""
    spec = survey.spec
    good: dict[str, list[str]] = {
        "submission": [str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)), version=4))]
    }
    for item in spec.items:
        good[item.code] = [str(v) for v in spec.scale.values]
    for field in spec.profile:
        options = (
            survey.service_codes() if field.kind == "service" else [o.code for o in field.options]
        )
        good[field.code] = [*options, ""] if field.kind == "choice" else options
    if survey.uses_codes:
        good["code"] = ["ABCD-2345", "abcd2345", "zzzz"]
    post = QueryDict(mutable=True)
    for name, values in good.items():
        post[name] = draw(st.sampled_from(values))
    for name in draw(st.lists(st.sampled_from(sorted(good)), max_size=3, unique=True)):
        if draw(st.booleans()):
            post[name] = draw(st.sampled_from(ODD))
        else:
            del post[name]
    return post


@pytest.mark.parametrize("mode", [Survey.Mode.OPEN, Survey.Mode.CODES])
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_whatever_is_read_quickly_the_form_accepts_alike(programme, mode, data):
    survey = Survey.objects.filter(programme=programme, mode=mode).first() or make_survey(
        programme, "skm-2017", mode=mode
    )
    post = _post(survey, data.draw)
    quick = read_posted_answers(post, survey, survey.spec)
    form = PublicSurveyForm(post, survey=survey, spec=survey.spec)
    event("read quickly" if quick is not None else "left to the form")
    if quick is not None:
        assert form.is_valid(), form.errors
        assert answers_from_form(form) == quick


def test_a_complete_form_is_read_quickly(programme):
    survey = make_survey(programme, "skm-2017", mode=Survey.Mode.CODES)
    post = QueryDict(mutable=True)
    post.update(
        {"submission": str(uuid.uuid4()), "service": "skck", "sex": "P", "code": "ABCD-2345"}
    )
    post.update(dict.fromkeys(survey.spec.item_codes, "3"))
    answers, code = read_posted_answers(post, survey, survey.spec)
    assert code == "ABCD-2345" and answers.service == "skck"
    assert answers.profile == {"age_band": None, "sex": "P", "education": None, "occupation": None}
