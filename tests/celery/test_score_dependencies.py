"""Every change the stored score depends on marks it stale: the LKE's own changes (answers,
evidence, programme settings: tests/evaluations/test_stored_scores.py) and the surveys' ones
(responses, survey settings, official figures), which reach evaluations through pokja.hooks."""

from __future__ import annotations

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

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


def test_a_survey_response_makes_the_score_stale_and_the_run_counts_it(
    world, django_capture_on_commit_callbacks
):
    p = world.programme
    survey = make_survey(p, "spak-2021")  # feeds LKE question 125 (IPAK)
    assert is_stale(p)  # a new survey may become the one in force
    assert refreshed(p).surveys["125"]["respondents"] == 0
    token = "t" * 20
    with django_capture_on_commit_callbacks(execute=True):  # told once it has committed
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


def score_row_writes(queries) -> list[str]:
    table = ProgrammeScore._meta.db_table
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and table in q["sql"]]


def test_responses_while_a_run_is_queued_leave_the_score_row_alone_and_the_run_counts_them(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    """A burst of respondents: the first one marks the score stale and queues a run; while
    that run has not started, the others only read the row (no write, so no lock that all
    of them wait on); the run then counts every one of them."""
    from evaluations import tasks

    sent = []
    monkeypatch.setattr(services, "publish", lambda task, *args, **kw: sent.append(args) or True)
    p = world.programme
    survey = make_survey(p, "spak-2021")
    refreshed(p)
    generation = ProgrammeScore.objects.get(programme=p).generation

    def respond(value: int, token: str) -> list[str]:
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),  # as after the commit
        ):
            response_submit(survey=survey, answers=one_answer(survey, value), browser_token=token)
        return score_row_writes(queries.captured_queries)

    assert len(respond(4, "a" * 20)) == 2  # marked stale, run claimed
    assert sent == [(p.pk,)]
    assert [respond(2, f"{n}" * 20) for n in range(1, 4)] == [[], [], []]
    assert sent == [(p.pk,)]  # one run for the burst
    assert ProgrammeScore.objects.get(programme=p).generation == generation + 1

    tasks.recompute_programme_score(p.pk)  # the queued run, as the worker runs it
    stored = ProgrammeScore.objects.get(programme=p)
    assert not stored.is_stale
    assert stored.surveys["125"]["respondents"] == 4
    assert Decimal(stored.surveys["125"]["index"]) == Decimal("2.5")  # (4 + 2 + 2 + 2) / 4

    # With no run queued, the next respondent marks it stale again and queues one.
    assert len(respond(4, "z" * 20)) == 2
    assert sent == [(p.pk,), (p.pk,)]
    assert is_stale(p)


def test_a_queued_run_lost_long_ago_no_longer_holds_off_a_respondent(
    world, django_capture_on_commit_callbacks
):
    p = world.programme
    survey = make_survey(p, "spak-2021")
    refreshed(p)
    long_ago = timezone.now() - services.SCORE_QUEUE_TIMEOUT - datetime.timedelta(seconds=1)
    ProgrammeScore.objects.filter(programme=p).update(queued_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(survey=survey, answers=one_answer(survey), browser_token="q" * 20)
    assert is_stale(p)


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
