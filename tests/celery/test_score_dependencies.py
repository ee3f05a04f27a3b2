"""Every change the stored score depends on marks it stale: the LKE's own changes (answers,
evidence, programme settings: tests/evaluations/test_stored_scores.py) and the surveys' ones
(responses, survey settings, official figures), which reach evaluations through pokja.hooks."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from evaluations import services
from evaluations.models import ProgrammeScore
from surveys.models import Survey
from surveys.services import (
    Answers,
    Outcome,
    official_figure_clear,
    official_figure_set,
    response_submit,
    responses_import,
    survey_update,
)
from tests.surveys.factories import make_survey

pytestmark = pytest.mark.django_db

PAPER = "service;P1;P2;P3;P4;P5;P6;P7;P8;P9\nsim;4;4;3;4;3;4;4;3;4\n"


def refreshed(programme) -> ProgrammeScore:
    return services.score_refresh(programme_id=programme.pk, force=True)


def is_stale(programme) -> bool:
    return ProgrammeScore.objects.get(programme=programme).is_stale


def one_answer(survey: Survey, value: int = 4) -> Answers:
    import uuid

    return Answers(
        submission_id=uuid.uuid4(),
        items=dict.fromkeys(survey.spec.item_codes, value),
        service="sim",
    )


def test_a_survey_response_makes_the_score_stale_and_the_run_counts_it(world):
    p = world.programme
    survey = make_survey(p, "spak-2021")  # feeds LKE question 125 (IPAK)
    assert is_stale(p)  # a new survey may become the one in force
    assert refreshed(p).surveys["125"]["respondents"] == 0
    token = "t" * 20
    outcome = response_submit(survey=survey, answers=one_answer(survey), browser_token=token)
    assert outcome == Outcome.ACCEPTED
    assert is_stale(p)
    stored = refreshed(p)
    assert stored.surveys["125"]["respondents"] == 1
    assert stored.surveys["125"]["index"] == "4"  # every item answered 4
    # the same browser again is refused: nothing changed, nothing to recompute
    again = response_submit(survey=survey, answers=one_answer(survey, 1), browser_token=token)
    assert again == Outcome.ALREADY_ANSWERED
    assert not is_stale(p)


def test_paper_responses_survey_settings_and_official_figures_make_it_stale(world):
    p = world.programme
    survey = make_survey(p, "spkp-2021")  # feeds question 127 (IPKP)
    refreshed(p)
    responses_import(actor=world.coordinator, survey=survey, content=PAPER.encode(), file_name="k")
    assert is_stale(p)
    assert refreshed(p).surveys["127"]["respondents"] == 1

    survey_update(actor=world.coordinator, survey=survey, status=Survey.Status.DRAFT)
    assert is_stale(p)
    assert refreshed(p).surveys["127"]["respondents"] == 0  # a draft is never in force

    official_figure_set(
        actor=world.coordinator, programme=p, question=127, index=Decimal("3.5"), source="BPS"
    )
    assert is_stale(p)
    assert Decimal(refreshed(p).surveys["127"]["index"]) == Decimal("3.5")
    official_figure_clear(actor=world.coordinator, programme=p, question=127)
    assert is_stale(p)
    assert refreshed(p).surveys["127"]["index"] is None


def test_surveys_never_import_evaluations():
    """The dependency graph: evaluations reads surveys, never the other way round."""
    offenders = []
    for path in sorted((Path(settings.BASE_DIR) / "surveys").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "evaluations"]
    assert offenders == []
