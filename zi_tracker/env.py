"""Typed reading of environment variables.

Every helper names the variable and the expected form when a value is malformed, so a
misconfigured deployment stops at start-up with a message an operator can act on.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def env_str(name: str, default: str | None = None, *, required: bool = False) -> str | None:
    value = _raw(name)
    if value is None:
        if required:
            raise ImproperlyConfigured(f"{name} must be set (a non-empty string).")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} is not a boolean; use one of true/false, 1/0, yes/no, on/off."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    """A comma-separated list: ``a.example,b.example``."""
    value = _raw(name)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ImproperlyConfigured(
            f"{name}={value!r} has an empty item; use a comma-separated list like 'a,b'."
        )
    return items


def env_path(name: str, default: Path) -> Path:
    value = _raw(name)
    if value is None:
        return default
    path = Path(value)
    if not path.is_absolute():
        raise ImproperlyConfigured(f"{name}={value!r} must be an absolute path.")
    return path


def env_url(name: str, default: str | None, *, schemes: tuple[str, ...]) -> str | None:
    value = _raw(name)
    if value is None:
        return default
    scheme, sep, _ = value.partition("://")
    if not sep or scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a URL of the expected form; "
            f"it must start with one of: {', '.join(s + '://' for s in schemes)}."
        )
    return value
