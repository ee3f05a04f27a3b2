"""The pure modules stay pure (HOUSE_STYLE.md): LKE scoring, the framework spec and survey
indices import no Django at all; the plan-workbook readers import no ORM. Checked on every
module of a package, so a module split off later is held to the same rule."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Plain Python: arithmetic and data-file specs, importable without Django.
NO_DJANGO = (
    "evaluations/scoring",
    "evaluations/framework_spec",
    "surveys/indices.py",
    "figures/rounding.py",
)
# May use Django's translation and formatting, never the database.
NO_ORM = (
    "pokja/plan_layout.py",
    "pokja/plan_import.py",
    "pokja/plan_columns.py",
)
# Modules of the apps that talk to the database.
ORM_MODULES = ("models", "selectors", "services", "access", "tasks", "views", "admin")


def _files(entry: str) -> list[Path]:
    path = ROOT / entry
    if path.is_dir():
        return sorted(path.rglob("*.py"))
    candidates = [path] if path.exists() else []
    package = path.with_suffix("")
    if package.is_dir():
        candidates += sorted(package.rglob("*.py"))
    return candidates


def _imports(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


def _is_orm(name: str) -> bool:
    parts = name.split(".")
    return name == "django.db" or name.startswith("django.db.") or parts[-1] in ORM_MODULES


def _imports_django(name: str) -> bool:
    return name == "django" or name.startswith("django.") or _is_orm(name)


@pytest.mark.parametrize(
    ("entry", "refused", "what"),
    [
        *((entry, _imports_django, "Django") for entry in NO_DJANGO),
        *((entry, _is_orm, "the ORM") for entry in NO_ORM),
    ],
)
def test_pure_module_imports_nothing_it_must_not(entry, refused, what):
    files = _files(entry)
    assert files, f"{entry} does not exist"
    offenders = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in files
        for name in _imports(path)
        if refused(name)
    ]
    assert not offenders, f"{entry} must not import {what}: " + "; ".join(offenders)


def test_scoring_loads_without_django():
    code = (
        "import sys, evaluations.scoring, surveys.indices; "
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout
