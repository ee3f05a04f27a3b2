"""Settings come from the environment; bad values stop start-up with a clear message."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    # Made afresh for each run: a key written here would be public, and production refuses it.
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
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
        "zi_tracker.cache.TolerantRedisCache",
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
            {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "a" * 60},
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


# --- secret keys that are public ---------------------------------------------------------

# Written in this file, so public: the application must refuse it in production.
COMMITTED_KEY = "q9Vb2LkT4wXz7Rn1Hs6Jd3Fp8Gc5Ym0Ue-committed-to-the-repository-Aa7Bb8Cc9"
GENERATE = "python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def production_with_key(key: str | None, *args: str) -> subprocess.CompletedProcess:
    env = {**clean_environ(), **PRODUCTION_ENV, "ZI_VAR_DIR": "/tmp/zi-settings-test"}
    if key is None:
        env.pop("DJANGO_SECRET_KEY")
    else:
        env["DJANGO_SECRET_KEY"] = key
    return subprocess.run(
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def example_env() -> dict[str, str]:
    """The variables of .env.example, as a copied-but-unchanged .env would give them."""
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("dev-only-insecure-key-do-not-use-in-production", "is the development key"),
        (COMMITTED_KEY, "appears in tests/project/test_settings.py"),
        (None, "DJANGO_SECRET_KEY must be set"),
    ],
)
def test_a_public_secret_key_is_refused_saying_how_to_make_one(key, expected):
    for command in (("check",), ("check", "--deploy")):
        result = production_with_key(key, *command)
        assert result.returncode != 0
        assert expected in result.stderr, result.stderr[-2000:]
        assert f"Generate one with: {GENERATE}" in result.stderr


def test_a_copied_but_unchanged_env_example_does_not_start():
    example = example_env()
    result = production_with_key(example["DJANGO_SECRET_KEY"] or None, "check", "--deploy")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
    assert GENERATE in (ROOT / ".env.example").read_text()  # the file says how, too


def test_every_key_like_value_in_the_repository_is_refused():
    """Whatever a file of the tree assigns to DJANGO_SECRET_KEY is public."""
    from zi_tracker.published_keys import secret_key_problem

    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = 0
    for name in tracked:
        path = ROOT / name
        try:
            text = path.read_text()
        except (UnicodeDecodeError, OSError):
            continue
        for match in re.finditer(r"""SECRET_KEY["']?\s*[:=]\s*["']?([A-Za-z0-9_\-]{20,})""", text):
            found += 1
            assert secret_key_problem(match.group(1), ROOT), f"{name}: {match.group(1)}"
    assert found, "the scan found no key at all (this file assigns one)"


def test_the_search_skips_the_real_configuration_and_working_folders(tmp_path):
    from zi_tracker.published_keys import published_in

    key = secrets.token_urlsafe(50)
    (tmp_path / ".env").write_text(f"DJANGO_SECRET_KEY={key}\n")
    (tmp_path / ".env.production").write_text(f"DJANGO_SECRET_KEY={key}\n")
    for folder in ("var", ".git", "staticfiles", "data"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "copy.txt").write_text(key)
    assert published_in(key, tmp_path, skip=[tmp_path / "data"]) is None
    (tmp_path / "data" / "copy.txt").unlink()
    (tmp_path / ".env.example").write_text(f"DJANGO_SECRET_KEY={key}\n")
    assert published_in(key, tmp_path) == Path(".env.example")
    (tmp_path / ".env.example").unlink()
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "deploy.md").write_text(f"export DJANGO_SECRET_KEY='{key}'")
    assert published_in(key, tmp_path) == Path("docs/deploy.md")


def test_a_key_of_ones_own_passes_and_reading_the_tree_is_quick():
    import time

    from zi_tracker.published_keys import secret_key_problem

    started = time.perf_counter()
    assert secret_key_problem(secrets.token_urlsafe(50), ROOT) is None
    assert time.perf_counter() - started < 2
