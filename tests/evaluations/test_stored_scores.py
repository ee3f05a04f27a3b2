"""Stored scores and daily snapshots: what is stored, when it goes stale, how runs coalesce,
and that runs are safe to repeat, to overlap and to lose."""

from __future__ import annotations

import datetime
import json
import logging
from decimal import Decimal

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.breakdown_data import (
    BreakdownDataError,
    breakdown_figures,
    breakdown_from_data,
    breakdown_to_data,
)
from evaluations.models import ProgrammeScore, ScoreSnapshot
from evaluations.selectors import (
    programme_breakdown,
    score_snapshots_on,
    score_status,
    score_trend,
    stored_score,
    stored_scores,
)
from evaluations.services import answer_evidence_add, answer_set_tpi, answer_set_unit
from evaluations.tasks import nightly_scores, recompute_programme_score, repair_stale_scores
from pokja.models import Programme
from pokja.services import programme_update
from tests.brokers import broker
from tests.evaluations.test_shortfalls import best
from tests.evaluations.test_views import fill, scenario
from tests.factories import make_programme
from tests.surveys.factories import lke_surveys

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(monkeypatch):
    """The score runs sent to the workers (programme ids), instead of sending them."""
    sent = []
    monkeypatch.setattr(
        recompute_programme_score,
        "apply_async",
        lambda args, kwargs, retry, countdown: sent.append(args[0]),
    )
    return sent


def row(programme) -> ProgrammeScore:
    return ProgrammeScore.objects.get(programme=programme)


def shown_total(programme) -> Decimal:
    return programme_breakdown(programme).total.quantize(Decimal("0.01"))


# --------------------------------------------------------------------------- the data


def test_the_whole_breakdown_reads_back_equal_and_the_figures_are_as_shown(world):
    scenario(world.programme)
    # Every respondent answers every item alike, so each index is the mean of the answers:
    # IPAK (61 x 4 + 39 x 3) / 100 = 361 / 100 = 3.61; IPKP (6 x 4 + 24 x 3) / 30 = 96 / 30 = 3.2
    lke_surveys(world.programme, ipak=[4] * 61 + [3] * 39, ipkp=[4] * 6 + [3] * 24)
    fill(world.programme, {88: 3, 89: 2, 90: 2, 91: 1})  # ratios: exact thirds
    computed = programme_breakdown(world.programme)
    data = json.loads(json.dumps(breakdown_to_data(computed)))
    assert breakdown_from_data(data) == computed
    figures = breakdown_figures(computed)
    assert figures["total"] == format(computed.total.quantize(Decimal("0.01")), "f")
    assert figures["areas"]["PW"] == {
        "name": computed.areas["PW"].name,
        "pokja": 5,
        "score": "7.50",  # PEMENUHAN at its worst, REFORM at its best
        "weight": "15.00",
        "parts": {"pemenuhan": "0.00", "reform": "7.50"},
        "answered": 30,
        "questions": 30,
        "with_evidence": 0,
    }
    assert figures["hasil_items"]["ipak"]["score"] == "15.79"  # 3.61 / 4 x 17.5 = 15.79375
    assert figures["predicates"]["WBK"]["meets"] is False
    assert figures["predicates"]["WBK"]["shortfalls"] == len(computed.predicates["WBK"].shortfalls)


def test_data_of_an_unknown_format_is_refused():
    with pytest.raises(BreakdownDataError, match="format"):
        breakdown_from_data({"format": 99})


def test_a_refresh_stores_the_breakdown_of_every_layer(world):
    scenario(world.programme)
    spak = lke_surveys(world.programme)[125]  # 30 respondents, every answer 4
    answer_set_tpi(actor=world.tpi, programme=world.programme, number=2, value="B")
    answer_evidence_add(
        actor=world.coordinator, programme=world.programme, number=1, url="https://e.go.id/1"
    )
    stored = services.score_refresh(programme_id=world.programme.pk)
    live = programme_breakdown(world.programme)
    assert stored.total == live.total.quantize(Decimal("0.01"))
    assert stored.unit_total == programme_breakdown(world.programme, "unit").total.quantize(
        Decimal("0.01")
    )
    # the TPI's answers alone: the survey-fed q125 and q127 (17.5 each) and its B for q2
    assert stored.tpi_total == Decimal("35.13")
    assert (stored.answered, stored.questions, stored.with_evidence) == (127, 127, 1)
    assert stored.meets == {"WBK": False, "WBBM": False}
    assert stored.surveys["125"] == {
        "index": "4",
        "source": "survey",
        "label": f"Own survey “{spak.title}” (30 respondents)",
        "survey_id": spak.pk,
        "respondents": 30,
    }
    assert not stored.is_stale and stored.changed_at is None
    full = stored_score(world.programme)
    assert full.breakdown == live
    assert full.completeness.with_evidence == 1


# --------------------------------------------------------------------------- going stale


def test_each_change_of_what_the_score_depends_on_makes_it_stale(world):
    p = world.programme
    services.score_refresh(programme_id=p.pk)
    assert not row(p).is_stale

    def stale_after(change) -> bool:
        services.score_refresh(programme_id=p.pk)
        change()
        return row(p).is_stale

    assert stale_after(lambda: answer_set_unit(actor=None, programme=p, number=1, value="Ya"))
    assert stale_after(lambda: answer_set_tpi(actor=None, programme=p, number=1, value="Tidak"))
    assert stale_after(
        lambda: answer_evidence_add(
            actor=world.coordinator, programme=p, number=1, url="https://e.go.id/x"
        )
    )
    assert stale_after(
        lambda: programme_update(actor=world.site_admin, programme=p, holds_wbk=True)
    )
    # saving the same answer again changes nothing
    assert not stale_after(lambda: answer_set_unit(actor=None, programme=p, number=1, value="Ya"))


def test_a_new_programme_is_scored_at_once(world, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        programme = make_programme()
    assert published == [programme.pk]
    assert row(programme).is_stale


def test_a_burst_of_saves_is_scored_in_one_run(
    world, published, django_capture_on_commit_callbacks
):
    p = world.programme
    values = best()
    for number in range(1, 11):  # ten saves, each in its own transaction
        with django_capture_on_commit_callbacks(execute=True):
            answer_set_unit(actor=None, programme=p, number=number, value=values[number])
    assert published == [p.pk]
    assert row(p).generation >= 11
    # the run starts: changes from then on queue a run of their own
    assert recompute_programme_score.apply(args=[p.pk]).get() is True
    assert not row(p).is_stale
    with django_capture_on_commit_callbacks(execute=True):
        answer_set_unit(actor=None, programme=p, number=1, value="Tidak")
    assert published == [p.pk, p.pk]


def test_a_run_lost_with_its_message_no_longer_holds_off_new_runs(
    world, published, django_capture_on_commit_callbacks
):
    p = world.programme
    with django_capture_on_commit_callbacks(execute=True):
        answer_set_unit(actor=None, programme=p, number=1, value="Ya")
    ProgrammeScore.objects.filter(programme=p).update(
        queued_at=row(p).queued_at - services.SCORE_QUEUE_TIMEOUT
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer_set_unit(actor=None, programme=p, number=3, value="Ya")
    assert published == [p.pk, p.pk]


def test_an_older_run_never_overwrites_a_newer_one(world, monkeypatch):
    """Two runs overlap: the one that read the older answers finishes last and stores nothing."""
    p = world.programme
    real_layers = services.answer_layers

    def layers_then_a_newer_change_and_run(programme):
        layers = real_layers(programme)  # the older answers
        monkeypatch.setattr(services, "answer_layers", real_layers)
        answer_set_unit(actor=None, programme=p, number=1, value="Ya")
        services.score_refresh(programme_id=p.pk)  # the newer run
        return layers

    fill(p, {2: "A"})
    monkeypatch.setattr(services, "answer_layers", layers_then_a_newer_change_and_run)
    services.score_refresh(programme_id=p.pk)
    assert row(p).total == programme_breakdown(p).total.quantize(Decimal("0.01"))
    assert not row(p).is_stale


def test_a_change_during_a_run_leaves_the_score_stale_for_the_next_run(world, monkeypatch):
    p = world.programme
    real_layers = services.answer_layers

    def layers_then_a_change(programme):
        layers = real_layers(programme)
        answer_set_unit(actor=None, programme=p, number=1, value="Ya")
        return layers

    monkeypatch.setattr(services, "answer_layers", layers_then_a_change)
    services.score_refresh(programme_id=p.pk, force=True)
    assert row(p).is_stale and row(p).changed_at is not None


def test_a_programme_deleted_meanwhile_is_skipped_quietly(world, caplog):
    p = make_programme()
    programme_id = p.pk
    ProgrammeScore.objects.filter(programme_id=programme_id).delete()
    p.pokjas.all().delete()
    Programme.objects.filter(pk=programme_id).delete()
    with caplog.at_level(logging.INFO, logger="evaluations.tasks"):
        assert recompute_programme_score.apply(args=[programme_id]).get() is False
    assert "no longer exists" in caplog.text
    assert (
        services.score_snapshot_take(programme_id=programme_id, date=datetime.date.today()) is None
    )


# --------------------------------------------------------------------------- broker away


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_away_the_save_succeeds_and_the_repair_run_scores_it(client, caplog):
    from tests.factories import build_world

    world = build_world()
    services.score_refresh(programme_id=world.programme.pk, force=True)
    ProgrammeScore.objects.update(queued_at=None)  # the runs queued with the world started
    client.force_login(world.anggota1)
    path = reverse(
        "lke_answer_unit", kwargs={"unit_code": "POLRES-ALPHA", "year": 2026, "number": 1}
    )
    with (
        broker("redis://127.0.0.1:1/0"),
        caplog.at_level(logging.WARNING, logger="zi_tracker.tasks"),
    ):
        response = client.post(path, {"value": "Ya", "note": ""})
    assert response.status_code == 302
    assert "could not enqueue evaluations.recompute_programme_score" in caplog.text
    stored = row(world.programme)
    assert stored.is_stale and stored.queued_at is None  # the next change tries again
    # ... and the other programme of the world, never scored yet
    assert services.scores_to_repair() == [world.programme.pk, world.other_programme.pk]
    assert repair_stale_scores.apply().get() == 2
    assert not row(world.programme).is_stale
    assert row(world.programme).total == shown_total(world.programme) > 0


def test_the_repair_run_leaves_queued_and_closed_programmes_alone(world):
    p, other = world.programme, world.other_programme
    services.score_refresh(programme_id=p.pk)
    services.score_refresh(programme_id=other.pk)
    answer_set_unit(actor=None, programme=p, number=1, value="Ya")  # stale, not queued
    assert services.scores_to_repair() == [p.pk]
    from django.utils import timezone

    ProgrammeScore.objects.filter(programme=p).update(queued_at=timezone.now())
    assert services.scores_to_repair() == []
    closed = make_programme(status=Programme.Status.CLOSED)
    ProgrammeScore.objects.filter(programme=closed).delete()
    assert services.scores_to_repair() == []


# --------------------------------------------------------------------------- snapshots


def test_the_nightly_run_twice_keeps_one_snapshot_per_programme_and_day(world):
    at = "2026-11-27T17:30:00+00:00"  # 00:30 WIB on 28 November
    assert nightly_scores.apply(kwargs={"at": at}).get() == 2
    fill(world.programme, {1: "Ya"})
    assert nightly_scores.apply(kwargs={"at": at}).get() == 2
    snapshots = ScoreSnapshot.objects.filter(programme=world.programme)
    assert [s.date for s in snapshots] == [datetime.date(2026, 11, 28)]
    assert snapshots.get().total == shown_total(world.programme) > 0  # replaced the first
    assert ScoreSnapshot.objects.count() == 2
    assert not row(world.programme).is_stale


def test_the_nightly_run_skips_closed_programmes(world):
    programme_update(
        actor=world.site_admin, programme=world.other_programme, status=Programme.Status.CLOSED
    )
    assert nightly_scores.apply(kwargs={"at": "2026-11-28T00:30:00+07:00"}).get() == 1
    assert not ScoreSnapshot.objects.filter(programme=world.other_programme).exists()


def test_one_programmes_bad_data_does_not_stop_the_nightly_run(world, monkeypatch, caplog):
    real = services.score_snapshot_take

    def fail_for_the_first(*, programme_id, date):
        if programme_id == world.programme.pk:
            raise ValueError("bad data")
        return real(programme_id=programme_id, date=date)

    monkeypatch.setattr(services, "score_snapshot_take", fail_for_the_first)
    with caplog.at_level(logging.ERROR, logger="evaluations.tasks"):
        assert nightly_scores.apply(kwargs={"at": "2026-11-28T00:30:00+07:00"}).get() == 1
    assert f"the nightly score failed for programme {world.programme.pk}" in caplog.text


def test_a_database_outage_is_retried_and_bad_data_is_not():
    from django.db import InterfaceError, OperationalError

    for task in (recompute_programme_score, nightly_scores, repair_stale_scores):
        assert set(task.autoretry_for) == {OperationalError, InterfaceError}
        assert task.max_retries == 5 and task.retry_backoff
    assert recompute_programme_score.time_limit == 90
    assert recompute_programme_score.soft_time_limit == 60


# --------------------------------------------------------------------------- reading


def test_stored_scores_of_many_programmes_in_one_query(world, django_assert_num_queries):
    programmes = [world.programme, world.other_programme, *(make_programme() for _ in range(3))]
    for p in programmes:
        services.score_refresh(programme_id=p.pk)
    fill(world.programme, {1: "Ya"})
    with django_assert_num_queries(1):
        scores = stored_scores(Programme.objects.all())
    assert set(scores) == {p.pk for p in programmes}
    mine = scores[world.programme.pk]
    assert mine.stale and mine.total == Decimal("0.00") and mine.breakdown is None
    assert mine.figures["areas"]["MP"]["weight"] == "8.00"
    assert mine.completeness.total == 127 and mine.meets == {"WBK": False, "WBBM": False}
    with django_assert_num_queries(1):
        assert set(stored_scores([world.programme, world.other_programme.pk])) == {
            world.programme.pk,
            world.other_programme.pk,
        }
    ordered = Programme.objects.filter(pk__in=[p.pk for p in programmes]).order_by(
        "-stored_score__total", "pk"
    )
    assert ordered.count() == 5


def test_score_status_says_when_and_whether_a_run_is_due(world):
    p = make_programme()
    ProgrammeScore.objects.filter(programme=p).delete()
    assert score_status(p).computed_at is None and score_status(p).stale
    stored = services.score_refresh(programme_id=p.pk)
    assert score_status(p).computed_at == stored.computed_at and not score_status(p).stale
    fill(p, {1: "Ya"})
    assert score_status(p).stale


def test_the_trend_and_last_weeks_snapshots(world, django_assert_num_queries):
    p = world.programme
    totals = []
    for day, value in ((20, "Tidak"), (23, "Ya")):
        fill(p, {1: value})
        services.score_snapshot_take(programme_id=p.pk, date=datetime.date(2026, 11, day))
        totals.append(shown_total(p))
    services.score_snapshot_take(
        programme_id=world.other_programme.pk, date=datetime.date(2026, 11, 19)
    )
    with django_assert_num_queries(1):
        trend = score_trend(p)
    assert [(t.date.day, t.total) for t in trend] == [(20, totals[0]), (23, totals[1])]
    assert totals[0] < totals[1]
    assert score_trend(p, since=datetime.date(2026, 11, 21)) == trend[1:]
    assert score_trend(p, until=datetime.date(2026, 11, 21)) == trend[:1]
    with django_assert_num_queries(1):
        week_ago = score_snapshots_on(Programme.objects.all(), datetime.date(2026, 11, 21))
    assert week_ago[p.pk].date == datetime.date(2026, 11, 20)
    assert week_ago[world.other_programme.pk].date == datetime.date(2026, 11, 19)
    assert score_snapshots_on([p], datetime.date(2026, 11, 19)) == {}
