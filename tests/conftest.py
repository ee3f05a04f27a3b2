"""Shared test set-up: services the tests need, and the people of a programme.

Tests marked `postgres`, `redis`, `celery_worker` or `e2e` need real services. Locally they
are skipped with the reason when a service is missing; with CI set they must run, so a
missing service fails them instead.
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache

from tests.factories import World, build_world

if (
    os.environ.get("PYTEST_XDIST_WORKER")
    and os.environ.get("REDIS_URL")
    and not os.environ.get("ZI_TESTS_REDIS_PER_PROCESS")
):
    # Parallel test processes on one Redis database would empty each other's cache and queue.
    pytest.exit(
        "parallel test processes need a Redis database each: run them as `make test` does, "
        "python -m pytest -p tests.parallel -n N",
        returncode=4,
    )

CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("ZI_CHROMIUM", "/usr/bin/chromium")


def _postgres_missing() -> str | None:
    if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    return None


def _redis_missing() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return "needs Redis: set REDIS_URL=redis://…"
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), 2):
            return None
    except OSError as exc:
        return f"Redis at {url} is not reachable ({exc})"


def _chromium_missing() -> str | None:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"needs Chromium at {CHROMIUM} (apt-get install chromium, or set ZI_CHROMIUM)"
    return None


_REQUIREMENTS = {
    "postgres": (_postgres_missing,),
    "redis": (_redis_missing,),
    "celery_worker": (_postgres_missing, _redis_missing),
    "e2e": (_chromium_missing,),
}


def pytest_runtest_setup(item):
    for marker, checks in _REQUIREMENTS.items():
        if item.get_closest_marker(marker) is None:
            continue
        for check in checks:
            reason = check()
            if reason:
                if CI:
                    pytest.fail(f"[{marker}] required when CI is set: {reason}", pytrace=False)
                pytest.skip(f"[{marker}] {reason}")


@pytest.fixture(autouse=True, scope="session")
def _tasks_published_by_tests_stay_in_memory():
    # Without Redis the broker is a folder of the development setup (var/celery): tasks the
    # code under test publishes go to an in-memory broker instead. With Redis they go there
    # (the tests that start a worker read them).
    from tests.brokers import switch_broker

    if django_settings.CELERY_BROKER_URL.startswith("filesystem://"):
        switch_broker("memory://")
    yield


@pytest.fixture(autouse=True, scope="session")
def _flushing_the_test_database_passes_the_audit_trail():
    # Transactional tests (live server, worker) empty the test database afterwards with one
    # TRUNCATE of every table, which the audit tables refuse (audit/migrations/0003). The
    # suite connects as a superuser, who may switch triggers off for that one transaction
    # (session_replication_role): what a database administrator could do too, and no role
    # the application runs as can.
    from django.db.backends.postgresql.operations import DatabaseOperations

    flush = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, **kwargs):
        statements = flush(self, style, tables, **kwargs)
        return ["SET LOCAL session_replication_role = replica", *statements] if statements else []

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # Hashing passwords properly is slow; tests do not need it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.AUDIT_ANCHOR_DIR = tmp_path / "audit-anchors"
    # Assertions read English; the Indonesian default is tested explicitly (tests/project).
    settings.LANGUAGE_CODE = "en"
    cache.clear()


@pytest.fixture
def world(db) -> World:
    """A unit with a programme, its six Pokja, and one person in each role (plus outsiders)."""
    return build_world()


@pytest.fixture
def programme(world):
    return world.programme


@pytest.fixture
def coordinator(world):
    return world.coordinator


@pytest.fixture
def pokja_chair(world):
    return world.ketua1


@pytest.fixture
def pokja_member(world):
    return world.anggota1


@pytest.fixture
def other_pokja_member(world):
    return world.anggota2


@pytest.fixture
def tpi_reviewer(world):
    return world.tpi


@pytest.fixture
def pimpinan(world):
    return world.pimpinan


@pytest.fixture
def unit_admin(world):
    return world.unit_admin


@pytest.fixture
def site_admin(world):
    return world.site_admin


@pytest.fixture
def outsider(world):
    """Holds roles only in another unit's programme."""
    return world.outsider


@pytest.fixture
def demo(db):
    """The demo world of `seed_demo` (seeded once per session, a fresh copy for each test)."""
    from tests.demo_world import demo_world

    return demo_world()
