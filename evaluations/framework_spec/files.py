"""Framework files: reading one from disk, and the frameworks shipped with the app."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

from evaluations.framework_spec.nodes import FrameworkError, FrameworkSpec
from evaluations.framework_spec.parser import parse_framework

__all__ = ["BUILTIN_DIR", "builtin_framework_path", "load_framework_file"]

BUILTIN_DIR: Final = Path(__file__).resolve().parents[1] / "frameworks"


def load_framework_file(path: str | Path) -> FrameworkSpec:
    """Read and parse a framework JSON file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FrameworkError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FrameworkError(
            f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    try:
        return parse_framework(data)
    except FrameworkError as exc:
        raise FrameworkError(f"{path.name}: {exc}") from None


def builtin_framework_path(slug: str) -> Path:
    """Path of a framework shipped with the app (``evaluations/frameworks/<slug>.json``)."""
    return BUILTIN_DIR / f"{slug}.json"
