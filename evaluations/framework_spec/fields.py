"""Reading one field of a framework data node: its type, its bounds, the message naming the
node when it is wrong."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from evaluations.framework_spec.nodes import FrameworkError

_DECIMAL_RE: Final = re.compile(r"^-?\d+(\.\d+)?$")

_ZERO: Final = Decimal(0)


def _fmt(d: Decimal) -> str:
    """A decimal as people write it: 2, 1.5, 0.25 (no exponent, no trailing zeros)."""
    return format(d.normalize(), "f")


def _keys(
    node: Any, where: str, required: Sequence[str], optional: Sequence[str] = ()
) -> dict[str, Any]:
    if not isinstance(node, dict):
        raise FrameworkError(f"{where}: must be an object, got {type(node).__name__}")
    for key in required:
        if key not in node:
            raise FrameworkError(f"{where}: missing required field {key!r}")
    allowed = (*required, *optional)
    for key in node:
        if key not in allowed:
            raise FrameworkError(f"{where}: unknown field {key!r} (allowed: {', '.join(allowed)})")
    return node


def _str(node: dict[str, Any], key: str, where: str, *, empty: bool = False) -> str:
    value = node[key]
    if not isinstance(value, str):
        raise FrameworkError(f"{where}: field {key!r} must be a string, got {value!r}")
    if not empty and not value.strip():
        raise FrameworkError(f"{where}: field {key!r} must not be empty")
    return value


def _int(node: dict[str, Any], key: str, where: str, *, minimum: int = 1) -> int:
    value = node[key]
    if isinstance(value, bool) or not isinstance(value, int):
        raise FrameworkError(f"{where}: field {key!r} must be an integer, got {value!r}")
    if value < minimum:
        raise FrameworkError(f"{where}: field {key!r} must be at least {minimum}, got {value}")
    return value


def _bool(node: dict[str, Any], key: str, where: str) -> bool:
    value = node.get(key, False)
    if not isinstance(value, bool):
        raise FrameworkError(f"{where}: field {key!r} must be true or false, got {value!r}")
    return value


def _list(node: dict[str, Any], key: str, where: str, *, empty: bool = False) -> list[Any]:
    value = node[key]
    if not isinstance(value, list):
        raise FrameworkError(f"{where}: field {key!r} must be a list, got {type(value).__name__}")
    if not empty and not value:
        raise FrameworkError(f"{where}: field {key!r} must not be empty")
    return value


def _dec_value(value: Any, label: str, where: str) -> Decimal:
    # Strings only: a JSON float such as 0.67 would already be a binary approximation.
    if not isinstance(value, str) or not _DECIMAL_RE.match(value):
        raise FrameworkError(f'{where}: {label} must be a decimal string like "0.5", got {value!r}')
    try:
        return Decimal(value)
    except InvalidOperation:  # pragma: no cover - the regex already guarantees a number
        raise FrameworkError(f"{where}: {label} is not a number: {value!r}") from None


def _dec(
    node: dict[str, Any],
    key: str,
    where: str,
    *,
    low: Decimal | None = _ZERO,
    high: Decimal | None = None,
) -> Decimal:
    value = _dec_value(node[key], f"field {key!r}", where)
    if low is not None and value < low:
        raise FrameworkError(
            f"{where}: field {key!r} must be at least {_fmt(low)}, got {node[key]}"
        )
    if high is not None and value > high:
        raise FrameworkError(
            f"{where}: field {key!r} must be at most {_fmt(high)}, got {node[key]}"
        )
    return value


def _check_sum(where: str, what: str, parts: Sequence[Decimal], expected: Decimal) -> None:
    total = sum(parts, _ZERO)
    if total != expected:
        raise FrameworkError(
            f"{where}: weights of {what} add up to {_fmt(total)}, expected {_fmt(expected)}"
        )
