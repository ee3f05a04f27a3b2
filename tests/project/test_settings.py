"""Settings come from the environment; bad values stop start-up with a clear message."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7Gk2pQ9vLm4Rt8Zw1Yc6Nb3Hd5Jf0Sa-production-like-secret-key-0123456789",
    "DJANGO_ALLOWED_HOSTS": "zi.example.go.id",
    "ZI_SITE_URL": "https://zi.example.go.id",
}


CONFIG_PREFIXES = ("DJANGO_", "ZI_", "DATABASE_URL", "REDIS_URL", "CELERY_", "EMAIL_")


def clean_environ() -> dict[str, str]:
    """The test process's environment without any of the application's configuration."""
    return {k: v for k, v in os.environ.items() if not k.startswith(CONFIG_PREFIXES)}


def run_django(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = clean_environ()
    clean.update(env)
    clean.setdefault("ZI_VAR_DIR", "/tmp/zi-settings-test")
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "zi_tracker.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_development_defaults_need_nothing():
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CELERY_BROKER_URL, "
        "s.LANGUAGE_CODE, s.TIME_ZONE, s.EMAIL_BACKEND)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "django.db.backends.sqlite3",
        "filesystem://",
        "id",
        "Asia/Jakarta",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_a_fresh_clone_gets_its_embedded_database_folder(tmp_path):
    var = tmp_path / "fresh" / "var"
    result = run_django(
        "from django.db import connection; connection.ensure_connection(); print('connected')",
        ZI_VAR_DIR=str(var),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["connected"]
    assert (var / "zi_tracker.sqlite3").exists()


def test_database_and_redis_urls_are_used():
    result = run_django(
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'], s.CELERY_BROKER_URL, s.CACHES['default']['BACKEND'])",
        DATABASE_URL="postgres://zi:secret@db.internal:5432/zi",
        REDIS_URL="redis://cache.internal:6379/2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "zi",
        "db.internal",
        "redis://cache.internal:6379/2",
        "django.core.cache.backends.redis.RedisCache",
    ]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG='maybe' is not a boolean"),
        (
            {"DATABASE_URL": "mysql://x"},
            "DATABASE_URL='mysql://x' is not a URL of the expected form",
        ),
        ({"REDIS_URL": "localhost:6379"}, "REDIS_URL='localhost:6379' is not a URL"),
        ({"ZI_EVIDENCE_MAX_MB": "twenty"}, "ZI_EVIDENCE_MAX_MB='twenty' is not a whole number"),
        ({"ZI_EVIDENCE_MAX_MB": "0"}, "ZI_EVIDENCE_MAX_MB=0 must be at least 1"),
        ({"DJANGO_ALLOWED_HOSTS": "a,,b"}, "DJANGO_ALLOWED_HOSTS='a,,b' has an empty item"),
        (
            {"DJANGO_MEDIA_ROOT": "relative/path"},
            "DJANGO_MEDIA_ROOT='relative/path' must be an absolute path",
        ),
        ({"DJANGO_DEBUG": "false"}, "DJANGO_SECRET_KEY must be set"),
        (
            {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "short"},
            "DJANGO_SECRET_KEY must be a random string of at least 50 characters",
        ),
        (
            {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": PRODUCTION_ENV["DJANGO_SECRET_KEY"]},
            "DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG=false",
        ),
    ],
)
def test_bad_environment_stops_start_up_naming_the_variable(env, expected):
    result = run_django("pass", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert expected in result.stderr


def test_production_settings_pass_check_deploy_without_warnings():
    clean = clean_environ()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV, "ZI_VAR_DIR": "/tmp/zi-settings-test"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_hardening_is_on():
    result = run_django(
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS > 0, s.STORAGES['staticfiles']['BACKEND'].startswith('whitenoise'))",
        **PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "True", "True"]
