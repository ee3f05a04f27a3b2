"""Indonesian is the default language: every interface string must have its translation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The project's own apps (every top-level folder with an apps.py), its wiring and templates.
SOURCE_DIRS = sorted(
    [path.parent.name for path in ROOT.glob("*/apps.py")] + ["zi_tracker", "templates"]
)


@pytest.fixture
def gettext_tools():
    if not (shutil.which("xgettext") and shutil.which("msgfmt")):
        pytest.skip("needs GNU gettext (apt-get install gettext)")


def test_every_string_of_the_interface_is_translated_to_indonesian(tmp_path, gettext_tools):
    # Extract the strings from a copy of the sources, as `make messages` would.
    for name in SOURCE_DIRS:
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "id", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=300,
    )
    po = tmp_path / "locale" / "id" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    stats = result.stderr.strip()
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"locale/id is incomplete ({stats}); run `make messages` and translate the new strings"
    )


def test_the_compiled_catalogue_matches_its_source(tmp_path, gettext_tools):
    po = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(po)], check=True)
    committed = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.mo"
    assert committed.read_bytes() == compiled.read_bytes(), (
        "run `make messages` to compile locale/id"
    )
