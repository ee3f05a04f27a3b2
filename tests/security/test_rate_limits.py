"""The shared rate counters (`pokja.rate_limits`): in the database without Redis, in Redis
with it; per scope, client and window; clients never stored as typed."""

from __future__ import annotations

import time

import pytest

from pokja import rate_limits
from pokja.models import RateCounter

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_redis(settings):
    settings.REDIS_URL = None


def test_hits_are_counted_per_scope_and_client(without_redis):
    assert [rate_limits.hit("demo", "10.0.0.1", window=600) for _ in range(3)] == [1, 2, 3]
    assert rate_limits.hits("demo", "10.0.0.1", window=600) == 3  # looking does not count
    assert rate_limits.hits("demo", "10.0.0.1", window=600) == 3
    assert rate_limits.hit("demo", "10.0.0.2", window=600) == 1
    assert rate_limits.hit("other", "10.0.0.1", window=600) == 1
    assert rate_limits.hits("demo", "10.0.0.9", window=600) == 0
    assert RateCounter.objects.count() == 3


def test_a_new_window_starts_at_one_and_removes_the_rows_of_windows_gone(without_redis):
    window = 1
    rate_limits.hit("demo", "a", window=window)
    rate_limits.hit("demo", "a", window=window)
    time.sleep(1.1)
    assert rate_limits.hit("demo", "a", window=window) == 1
    assert RateCounter.objects.count() == 1  # the passed window's row is gone


def test_clients_are_stored_hashed(without_redis):
    rate_limits.hit("password-reset:account", "koordinator@example.test", window=3600)
    (key,) = RateCounter.objects.values_list("key", flat=True)
    assert "koordinator" not in key and "example" not in key


@pytest.mark.redis
def test_with_redis_the_counts_live_there(settings):
    import os

    settings.REDIS_URL = os.environ["REDIS_URL"]
    assert [rate_limits.hit("demo-redis", "10.0.0.1", window=600) for _ in range(2)] == [1, 2]
    assert rate_limits.hits("demo-redis", "10.0.0.1", window=600) == 2
    assert not RateCounter.objects.exists()
