"""No application module past the split point (HOUSE_STYLE.md: a module past ~800 lines becomes
a package of the same name with inner modules named for what they hold)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 800


def _tracked_python_files() -> list[Path]:
    done = subprocess.run(
        ["git", "ls-files", "-z", "--", "*.py"], capture_output=True, cwd=ROOT, timeout=60
    )
    if done.returncode != 0:  # an exported tree without .git: every file on disk
        return sorted(ROOT.rglob("*.py"))
    return [ROOT / name for name in done.stdout.decode().split("\0") if name]


def _project_folders() -> set[str]:
    folders = {"zi_tracker"}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.parent == ROOT:
            folders.add(path.name)
    return folders


def test_no_application_module_is_past_the_split_point():
    folders = _project_folders()
    assert {"pokja", "evaluations", "zi_tracker"} <= folders
    sizes = {}
    for path in _tracked_python_files():
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or parts[0] not in folders or "migrations" in parts:
            continue
        if not path.exists():  # deleted in the working tree, not yet committed
            continue
        with path.open(encoding="utf-8") as handle:
            sizes[path.relative_to(ROOT).as_posix()] = sum(1 for _ in handle)
    assert len(sizes) > 100, "the walk found too few modules"
    offenders = sorted(
        ((name, lines) for name, lines in sizes.items() if lines > MAX_LINES),
        key=lambda item: -item[1],
    )
    assert not offenders, (
        f"modules over {MAX_LINES} lines (split them into packages): "
        + ", ".join(f"{name} {lines}" for name, lines in offenders)
    )
