"""The repository holds source, never what running the application writes."""

from __future__ import annotations

import fnmatch
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# What the application, its worker, its tests and its tools write while they run.
RUNTIME_PATTERNS = (
    "var/*",
    "control/*",
    "media/*",
    "staticfiles/*",
    "test-artifacts/*",
    "*.sqlite3",
    "*.sqlite3-journal",
    "*.pyc",
    "*/__pycache__/*",
    "*.exchange",
    "*.log",
    "bench-results.json",
    ".env",
    "secrets/*",
    "celerybeat-schedule*",
)


def _tracked_files() -> list[str]:
    if not shutil.which("git") or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return out.splitlines()


def runtime_files(paths: list[str]) -> list[str]:
    return [p for p in paths if any(fnmatch.fnmatch(p, pat) for pat in RUNTIME_PATTERNS)]


def test_the_patterns_catch_what_a_worker_started_from_the_checkout_used_to_leave():
    assert runtime_files(
        ["control/celery.exchange", "pokja/models.py", "var/db.sqlite3", "README.md"]
    ) == ["control/celery.exchange", "var/db.sqlite3"]


def test_no_runtime_artefact_is_committed():
    assert runtime_files(_tracked_files()) == []


def test_the_filesystem_queue_keeps_its_exchange_tables_under_var(tmp_path):
    # The embedded default (no Redis): settings read in a fresh interpreter.
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
    env.update(DJANGO_SETTINGS_MODULE="zi_tracker.settings", ZI_VAR_DIR=str(tmp_path))
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BROKER_TRANSPORT_OPTIONS['control_folder'])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()
    assert Path(out).is_relative_to(tmp_path)
