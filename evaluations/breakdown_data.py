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

from decimal import Decimal
from typing import Any

from evaluations.scoring import (
    AnswerValue,
    AreaResult,
    Breakdown,
    Completeness,
    ComponentResult,
    HasilItemResult,
    PartResult,
    PredicateResult,
    Shortfall,
    SubAreaResult,
    display,
)

FORMAT = 1  # bump when the shape changes; readers refuse a format they do not know


class BreakdownDataError(ValueError):
    """Stored breakdown data of an unknown format."""


def _d(value: Decimal) -> str:
    return str(value)


def _shown(value: Decimal) -> str:
    return format(display(value), "f")


def _completeness(c: Completeness) -> dict[str, int]:
    return {"answered": c.answered, "total": c.total, "with_evidence": c.with_evidence}


def _answer(value: AnswerValue) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, int):
        return {"int": value}
    return {"key": str(value)}


def _read_answer(data: dict[str, Any] | None) -> AnswerValue:
    if data is None:
        return None
    if "decimal" in data:
        return Decimal(data["decimal"])
    if "int" in data:
        return int(data["int"])
    return str(data["key"])


def _optional(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _read_optional(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def breakdown_to_data(b: Breakdown) -> dict[str, Any]:
    """The whole breakdown as JSON-native data (exact figures as strings)."""
    return {
        "format": FORMAT,
        "framework": b.framework,
        "framework_version": b.framework_version,
        "total": _d(b.total),
        "total_weight": _d(b.total_weight),
        "completeness": _completeness(b.completeness),
        "components": {
            code: {
                "name": c.name,
                "weight": _d(c.weight),
                "score": _d(c.score),
                "parts": list(c.parts),
                "completeness": _completeness(c.completeness),
            }
            for code, c in b.components.items()
        },
        "parts": {
            code: {
                "name": p.name,
                "component": p.component,
                "has_areas": p.has_areas,
                "weight": _d(p.weight),
                "score": _d(p.score),
                "completeness": _completeness(p.completeness),
            }
            for code, p in b.parts.items()
        },
        "areas": {
            code: {
                "name": a.name,
                "pokja": a.pokja,
                "weight": _d(a.weight),
                "total": _d(a.total),
                "parts": {k: _d(v) for k, v in a.parts.items()},
                "part_weights": {k: _d(v) for k, v in a.part_weights.items()},
                "percent": _d(a.percent),
                "completeness": _completeness(a.completeness),
            }
            for code, a in b.areas.items()
        },
        "sub_areas": {
            code: {
                "name": s.name,
                "area": s.area,
                "part": s.part,
                "parent": s.parent,
                "is_group": s.is_group,
                "weight": _d(s.weight),
                "score": _d(s.score),
                "completeness": _completeness(s.completeness),
            }
            for code, s in b.sub_areas.items()
        },
        "hasil_items": {
            code: {
                "name": h.name,
                "part": h.part,
                "question": h.question,
                "answer": _answer(h.answer),
                "weight": _d(h.weight),
                "score": _d(h.score),
            }
            for code, h in b.hasil_items.items()
        },
        "predicates": {
            code: {
                "name": p.name,
                "meets": p.meets,
                "shortfalls": [
                    {
                        "criterion": s.criterion,
                        "label": s.label,
                        "area": s.area,
                        "actual": _optional(s.actual),
                        "required": _optional(s.required),
                        "gap": _optional(s.gap),
                        "message": s.message,
                    }
                    for s in p.shortfalls
                ],
            }
            for code, p in b.predicates.items()
        },
    }


def _read_completeness(data: dict[str, int]) -> Completeness:
    return Completeness(data["answered"], data["total"], data["with_evidence"])


def breakdown_from_data(data: dict[str, Any]) -> Breakdown:
    """The breakdown ``breakdown_to_data`` wrote, equal to the one computed."""
    if data.get("format") != FORMAT:
        raise BreakdownDataError(f"unknown stored breakdown format {data.get('format')!r}")
    return Breakdown(
        framework=data["framework"],
        framework_version=data["framework_version"],
        total=Decimal(data["total"]),
        total_weight=Decimal(data["total_weight"]),
        completeness=_read_completeness(data["completeness"]),
        components={
            code: ComponentResult(
                code=code,
                name=c["name"],
                weight=Decimal(c["weight"]),
                score=Decimal(c["score"]),
                parts=tuple(c["parts"]),
                completeness=_read_completeness(c["completeness"]),
            )
            for code, c in data["components"].items()
        },
        parts={
            code: PartResult(
                code=code,
                name=p["name"],
                component=p["component"],
                has_areas=p["has_areas"],
                weight=Decimal(p["weight"]),
                score=Decimal(p["score"]),
                completeness=_read_completeness(p["completeness"]),
            )
            for code, p in data["parts"].items()
        },
        areas={
            code: AreaResult(
                code=code,
                name=a["name"],
                pokja=a["pokja"],
                weight=Decimal(a["weight"]),
                total=Decimal(a["total"]),
                parts={k: Decimal(v) for k, v in a["parts"].items()},
                part_weights={k: Decimal(v) for k, v in a["part_weights"].items()},
                percent=Decimal(a["percent"]),
                completeness=_read_completeness(a["completeness"]),
            )
            for code, a in data["areas"].items()
        },
        sub_areas={
            code: SubAreaResult(
                code=code,
                name=s["name"],
                area=s["area"],
                part=s["part"],
                parent=s["parent"],
                is_group=s["is_group"],
                weight=Decimal(s["weight"]),
                score=Decimal(s["score"]),
                completeness=_read_completeness(s["completeness"]),
            )
            for code, s in data["sub_areas"].items()
        },
        hasil_items={
            code: HasilItemResult(
                code=code,
                name=h["name"],
                part=h["part"],
                question=h["question"],
                answer=_read_answer(h["answer"]),
                weight=Decimal(h["weight"]),
                score=Decimal(h["score"]),
            )
            for code, h in data["hasil_items"].items()
        },
        predicates={
            code: PredicateResult(
                code=code,
                name=p["name"],
                meets=p["meets"],
                shortfalls=tuple(
                    Shortfall(
                        predicate=code,
                        criterion=s["criterion"],
                        label=s["label"],
                        area=s["area"],
                        actual=_read_optional(s["actual"]),
                        required=_read_optional(s["required"]),
                        gap=_read_optional(s["gap"]),
                        message=s["message"],
                    )
                    for s in p["shortfalls"]
                ),
            )
            for code, p in data["predicates"].items()
        },
    )


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
