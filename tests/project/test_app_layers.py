"""The apps' layers (ARCHITECTURE.md): an app imports the apps below it, never those above.
portalrb sits at the top: no other app may import it (what it adds to a lower app's work, the
demo proposal of `seed_demo` say, goes through pokja.hooks)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LOWER_APPS = (
    "figures",
    "audit",
    "pokja",
    "evaluations",
    "surveys",
    "dashboards",
    "notifications",
    "reports",
    "publicpage",
)


def _imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_no_lower_app_imports_the_portal_app():
    offenders = []
    for app in LOWER_APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            for module in _imported_modules(path):
                if module == "portalrb" or module.startswith("portalrb."):
                    offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []
