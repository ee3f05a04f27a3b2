"""The survey figures in force on the coordinator's dashboard and the surveys of the programme."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from evaluations.selectors import StoredScore
from pokja.models import Programme
from surveys.models import Survey, localized

# --------------------------------------------------------------------------- surveys


@dataclass(frozen=True)
class FigureInForce:
    """The survey index an LKE question takes now (as stored with the score)."""

    question: int
    name: str
    index: Decimal | None
    score: Decimal | None
    weight: Decimal | None
    source: str  # "official", "survey", "none"
    label: str
    respondents: int


@dataclass(frozen=True)
class SurveyRow:
    survey: Survey
    instrument: str
    respondents: int
    target: int
    index: Decimal | None
    ikm: Decimal | None
    quality: str | None
    category: str
    lke_question: int | None
    computed: bool

    @property
    def target_reached(self) -> bool:
        return self.respondents >= self.target


def figures_in_force(stored: StoredScore | None) -> list[FigureInForce]:
    if stored is None:
        return []
    items = {h["question"]: h for h in (stored.figures.get("hasil_items") or {}).values()}
    rows = []
    for key, figure in sorted(stored.surveys.items(), key=lambda kv: int(kv[0])):
        number = int(key)
        item = items.get(number, {})
        rows.append(
            FigureInForce(
                question=number,
                name=item.get("name", f"q{number}"),
                index=None if figure.get("index") is None else Decimal(figure["index"]),
                score=Decimal(item["score"]) if "score" in item else None,
                weight=Decimal(item["weight"]) if "weight" in item else None,
                source=figure.get("source", "none"),
                label=figure.get("label", ""),
                respondents=figure.get("respondents") or 0,
            )
        )
    return rows


def survey_rows(programme: Programme) -> list[SurveyRow]:
    """The programme's surveys with their stored results summary (one query): respondents
    against the target, the index, and for an SKM the IKM with its quality and category."""
    rows = []
    surveys = (
        Survey.objects.filter(programme=programme)
        .exclude(status=Survey.Status.DRAFT)
        .select_related("instrument")
        .order_by("-end_date", "-pk")
    )
    for survey in surveys:
        results = survey.results or {}
        quality = results.get("quality")
        category = ""
        if quality:
            table = survey.instrument.spec.ikm
            band = next((b for b in table.bands if b.quality == quality), None) if table else None
            category = localized(band.category) if band else ""
        rows.append(
            SurveyRow(
                survey=survey,
                instrument=survey.instrument.title,
                respondents=results.get("respondents", 0),
                target=survey.target_sample,
                index=Decimal(results["index"]) if results.get("index") else None,
                ikm=Decimal(results["ikm"]) if results.get("ikm") else None,
                quality=quality,
                category=category,
                lke_question=survey.instrument.lke_question,
                computed=survey.results_computed_at is not None,
            )
        )
    return rows


__all__ = [
    "FigureInForce",
    "SurveyRow",
    "figures_in_force",
    "survey_rows",
]
