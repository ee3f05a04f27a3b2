"""A score breakdown as JSON data, for the stored scores and their daily snapshots.

Pure Python, no Django. Two forms:

- ``breakdown_to_data`` / ``breakdown_from_data``: the whole breakdown, lossless. Every figure
  is the engine's exact ``Decimal`` written as a string, so the breakdown read back is equal to
  the one computed and every figure rounds to what the live pages show.
- ``breakdown_figures``: the compact form that lists and trends read (one programme per row,
  many rows at once): the two-decimal figures a user sees, as strings, keyed by the framework's
  codes::

    {"total": "68.12", "total_weight": "100.00",
     "completeness": {"answered": 120, "total": 127, "with_evidence": 96},
     "components": {"pengungkit": {"name": "Pengungkit", "score": "45.12", "weight": "60.00"}},
     "parts": {"pemenuhan": {"name": .., "component": "pengungkit", "score": .., "weight": ..}},
     "areas": {"MP": {"name": .., "pokja": 1, "score": "6.10", "weight": "8.00",
                      "parts": {"pemenuhan": "3.00", "reform": "3.10"},
                      "answered": 18, "questions": 18, "with_evidence": 3}},
     "hasil_items": {"ipak": {"name": .., "question": 125, "score": "15.31", "weight": "17.50"}},
     "predicates": {"WBK": {"name": .., "meets": false, "shortfalls": 3}}}
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from evaluations.scoring import (
    AnswerValue,
    Breakdown,
    Completeness,
    Shortfall,
    display,
)

FORMAT = 1  # bump when the shape changes; readers refuse a format they do not know


class BreakdownDataError(ValueError):
    """Stored breakdown data of an unknown format."""


def _shown(value: Decimal) -> str:
    return format(display(value), "f")


def _completeness(c: Completeness) -> dict[str, int]:
    return {"answered": c.answered, "total": c.total, "with_evidence": c.with_evidence}


# The stored form follows the dataclasses of the engine, field by field, so a field added to
# one of them is stored and read back without a line here. Two things are not repeated: a
# result held in a mapping by its code does not store its code again, and a shortfall does not
# store the predicate whose shortfall it is (the code of the result holding it).
_HELD_BY_CODE = "code"
_CODE_OF_HOLDER = {Shortfall: "predicate"}
_ANSWER_TYPES = frozenset(get_args(AnswerValue))


def _encode(value: Any, tp: Any) -> Any:
    if value is None:
        return None
    args = get_args(tp)
    if frozenset(args) == _ANSWER_TYPES:
        if isinstance(value, Decimal):
            return {"decimal": str(value)}
        if isinstance(value, int):
            return {"int": value}
        return {"key": str(value)}
    origin = get_origin(tp)
    if origin in (Union, UnionType):  # X | None
        (inner,) = [a for a in args if a is not type(None)]
        return _encode(value, inner)
    if dataclasses.is_dataclass(tp):
        return _encode_dataclass(value, skip=())
    if origin is dict:
        item_type = args[1]
        if dataclasses.is_dataclass(item_type):
            return {k: _encode_dataclass(v, skip=(_HELD_BY_CODE,)) for k, v in value.items()}
        return {k: _encode(v, item_type) for k, v in value.items()}
    if origin is tuple:
        return [_encode(v, args[0]) for v in value]
    if tp is Decimal:
        return str(value)
    return value


def _encode_dataclass(obj: Any, *, skip: tuple[str, ...]) -> dict[str, Any]:
    hints = get_type_hints(type(obj))
    skip = (*skip, *([_CODE_OF_HOLDER[type(obj)]] if type(obj) in _CODE_OF_HOLDER else []))
    return {
        f.name: _encode(getattr(obj, f.name), hints[f.name])
        for f in dataclasses.fields(obj)
        if f.name not in skip
    }


def _decode(data: Any, tp: Any, *, holder_code: str | None = None) -> Any:
    if data is None:
        return None
    args = get_args(tp)
    if frozenset(args) == _ANSWER_TYPES:
        if "decimal" in data:
            return Decimal(data["decimal"])
        if "int" in data:
            return int(data["int"])
        return str(data["key"])
    origin = get_origin(tp)
    if origin in (Union, UnionType):
        (inner,) = [a for a in args if a is not type(None)]
        return _decode(data, inner, holder_code=holder_code)
    if dataclasses.is_dataclass(tp):
        return _decode_dataclass(data, tp, implied={})
    if origin is dict:
        item_type = args[1]
        if dataclasses.is_dataclass(item_type):
            return {
                k: _decode_dataclass(v, item_type, implied={_HELD_BY_CODE: k})
                for k, v in data.items()
            }
        return {k: _decode(v, item_type) for k, v in data.items()}
    if origin is tuple:
        item_type = args[0]
        if item_type in _CODE_OF_HOLDER:
            implied = {_CODE_OF_HOLDER[item_type]: holder_code}
            return tuple(_decode_dataclass(v, item_type, implied=implied) for v in data)
        return tuple(_decode(v, item_type) for v in data)
    if tp is Decimal:
        return Decimal(data)
    return data


def _decode_dataclass(data: dict[str, Any], cls: type, *, implied: dict[str, Any]) -> Any:
    hints = get_type_hints(cls)
    code = implied.get(_HELD_BY_CODE)
    values = {
        f.name: implied[f.name]
        if f.name in implied
        else _decode(data[f.name], hints[f.name], holder_code=code)
        for f in dataclasses.fields(cls)
    }
    return cls(**values)


def breakdown_to_data(b: Breakdown) -> dict[str, Any]:
    """The whole breakdown as JSON-native data (exact figures as strings)."""
    return {"format": FORMAT, **_encode_dataclass(b, skip=())}


def breakdown_from_data(data: dict[str, Any]) -> Breakdown:
    """The breakdown ``breakdown_to_data`` wrote, equal to the one computed."""
    if data.get("format") != FORMAT:
        raise BreakdownDataError(f"unknown stored breakdown format {data.get('format')!r}")
    return _decode_dataclass(data, Breakdown, implied={})


def breakdown_figures(b: Breakdown) -> dict[str, Any]:
    """The compact two-decimal figures of a breakdown (see the module docstring)."""
    return {
        "total": _shown(b.total),
        "total_weight": _shown(b.total_weight),
        "completeness": _completeness(b.completeness),
        "components": {
            code: {"name": c.name, "score": _shown(c.score), "weight": _shown(c.weight)}
            for code, c in b.components.items()
        },
        "parts": {
            code: {
                "name": p.name,
                "component": p.component,
                "score": _shown(p.score),
                "weight": _shown(p.weight),
            }
            for code, p in b.parts.items()
        },
        "areas": {
            code: {
                "name": a.name,
                "pokja": a.pokja,
                "score": _shown(a.total),
                "weight": _shown(a.weight),
                "parts": {k: _shown(v) for k, v in a.parts.items()},
                "answered": a.completeness.answered,
                "questions": a.completeness.total,
                "with_evidence": a.completeness.with_evidence,
            }
            for code, a in b.areas.items()
        },
        "hasil_items": {
            code: {
                "name": h.name,
                "question": h.question,
                "score": _shown(h.score),
                "weight": _shown(h.weight),
            }
            for code, h in b.hasil_items.items()
        },
        "predicates": {
            code: {"name": p.name, "meets": p.meets, "shortfalls": len(p.shortfalls)}
            for code, p in b.predicates.items()
        },
    }
