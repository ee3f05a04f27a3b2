"""Enqueuing background work never breaks the user's save."""

import logging

import pytest
from django.db import transaction

from tests.brokers import broker
from zi_tracker.celery import app, enqueue_on_commit, publish


@app.task(name="tests.record_call")
def record_call(value):  # pragma: no cover - only published, never run here
    return value


@pytest.mark.django_db(transaction=True)
def test_publishing_waits_for_the_commit(monkeypatch):
    sent = []
    monkeypatch.setattr(record_call, "apply_async", lambda args, kwargs, retry: sent.append(args))
    with transaction.atomic():
        enqueue_on_commit(record_call, 7)
        assert sent == []
    assert sent == [(7,)]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_enqueues_nothing(monkeypatch):
    sent = []
    monkeypatch.setattr(record_call, "apply_async", lambda args, kwargs, retry: sent.append(args))
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(record_call, 8)
        raise RuntimeError("the save failed")
    assert sent == []


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_broker_is_logged_not_raised(caplog):
    # A real connection attempt to a port where nothing listens.
    with (
        broker("redis://127.0.0.1:1/0"),
        caplog.at_level(logging.WARNING, logger="zi_tracker.tasks"),
        transaction.atomic(),
    ):
        enqueue_on_commit(record_call, 9)
    assert "could not enqueue tests.record_call" in caplog.text


def test_publish_reports_an_unreachable_broker(caplog):
    with broker("redis://127.0.0.1:1/0"), caplog.at_level(logging.WARNING, "zi_tracker.tasks"):
        assert publish(record_call, 10, countdown=1) is False
    assert "could not enqueue tests.record_call(10,)" in caplog.text


def test_publish_sends_with_a_countdown(monkeypatch):
    sent = []
    monkeypatch.setattr(record_call, "apply_async", lambda **options: sent.append(options))
    assert publish(record_call, 11, countdown=2) is True
    assert sent == [{"args": (11,), "kwargs": {}, "retry": False, "countdown": 2}]
