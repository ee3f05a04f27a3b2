"""What people get while a service the application uses is away (without stopping one: the
fault tests in tests/faults do that with real servers)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import OperationalError

from pokja import rate_limits

pytestmark = pytest.mark.django_db

NOBODY_LISTENS = "redis://127.0.0.1:1/0"


def _fail_in_a_middleware(monkeypatch, exc: Exception) -> None:
    def broken(self, request):
        raise exc

    monkeypatch.setattr("zi_tracker.middleware.LanguageMiddleware.__call__", broken)


def test_the_database_away_anywhere_in_a_request_gives_the_503_page(client, monkeypatch):
    _fail_in_a_middleware(monkeypatch, OperationalError("could not connect to server"))
    client.raise_request_exception = False
    response = client.get("/accounts/login/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert "Layanan sedang tidak tersedia" in text
    assert "Service temporarily unavailable" in text
    assert "could not connect" not in text


def test_the_database_away_behind_another_error_is_still_told_as_such(client, monkeypatch):
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError as cause:
        wrapped = RuntimeError("while rendering")
        wrapped.__cause__ = cause
    _fail_in_a_middleware(monkeypatch, wrapped)
    client.raise_request_exception = False
    assert client.get("/accounts/login/").status_code == 503


def test_any_other_error_keeps_the_500_page(client, monkeypatch):
    _fail_in_a_middleware(monkeypatch, ValueError("a bug"))
    client.raise_request_exception = False
    response = client.get("/accounts/login/")
    assert response.status_code == 500
    assert "Terjadi kesalahan" in response.content.decode()
    assert "Retry-After" not in response


@pytest.fixture
def cache_away(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "zi_tracker.cache.TolerantRedisCache",
            "LOCATION": NOBODY_LISTENS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


def test_with_redis_away_the_cache_reads_as_a_miss_and_writes_are_skipped(cache_away):
    assert cache.get("page", "default") == "default"
    assert cache.get("page") is None
    cache.set("page", "html", 60)
    assert cache.add("page", "html") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]
    cache.delete("page")
    with pytest.raises(ValueError, match="not found"):
        cache.incr("counter")


def test_with_redis_away_the_rate_limits_count_in_the_database(settings):
    settings.REDIS_URL = NOBODY_LISTENS
    assert [rate_limits.hit("survey", "10.0.0.1", window=600) for _ in range(3)] == [1, 2, 3]
    assert rate_limits.hits("survey", "10.0.0.1", window=600) == 3
    assert rate_limits.hit("survey", "10.0.0.2", window=600) == 1
