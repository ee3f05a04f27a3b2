"""Answers by layer: the unit's, the TPI's and the effective ones, the survey-fed questions
and the breakdown they score to."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from django.db.models import Exists, OuterRef

from evaluations.framework_spec import INDEX, FrameworkSpec
from evaluations.models import Answer, AnswerEvidence
from evaluations.scoring import (
    AnswerError,
    AnswerInput,
    AnswerValue,
    Breakdown,
    effective_answers,
    normalize_answer,
    score,
)
from figures.formatting import plain
from pokja.models import Programme
from surveys.selectors import LkeSurveyFigure, lke_survey_figures

logger = logging.getLogger(__name__)

Layer = Literal["effective", "unit", "tpi"]
LAYERS: tuple[Layer, ...] = ("effective", "unit", "tpi")


# --------------------------------------------------------------------------- answers


def answer_input(value: AnswerValue) -> str:
    """An answer as a form field holds it: an option key, a count, or an index to two
    decimals with a dot ("3.29"), the precision every page shows it with."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def read_stored_value(spec: FrameworkSpec, number: int, text: str) -> AnswerValue:
    """A stored answer text back in its normal form (None for blank or unreadable)."""
    if not text:
        return None
    try:
        return normalize_answer(spec, number, text)
    except AnswerError:
        logger.error("stored answer %r of question %s does not fit %s", text, number, spec.slug)
        return None


def survey_values(
    spec: FrameworkSpec, figures: Mapping[int, LkeSurveyFigure]
) -> dict[int, AnswerValue]:
    """The survey-fed index questions of this framework and the value each takes now."""
    values: dict[int, AnswerValue] = {}
    for number, figure in figures.items():
        question = spec.questions_by_number.get(number)
        if question is None or question.kind != INDEX:
            continue
        value = None
        if figure.index is not None:
            try:
                value = normalize_answer(spec, number, figure.index)
            except AnswerError:
                logger.error("survey figure %s for question %s is out of range", figure, number)
        values[number] = value
    return values


@dataclass(frozen=True)
class AnswerLayers:
    """The unit's and the TPI's answers of one programme, and the survey figures in force."""

    spec: FrameworkSpec
    unit: dict[int, AnswerInput]
    tpi: dict[int, AnswerInput]
    figures: dict[int, LkeSurveyFigure]
    survey_fed: frozenset[int]

    def layer(self, layer: Layer) -> dict[int, AnswerInput]:
        if layer == "unit":
            return self.unit
        if layer == "tpi":
            return self.tpi
        if layer == "effective":
            return effective_answers(self.unit, self.tpi)
        raise ValueError(f"unknown layer {layer!r}; use one of {', '.join(LAYERS)}")


def answer_layers(programme: Programme) -> AnswerLayers:
    """Both answer layers of the programme in one query (plus the survey figures)."""
    spec = programme.framework.spec
    rows = (
        Answer.objects.filter(assessment__programme=programme)
        .annotate(has_evidence=Exists(AnswerEvidence.objects.filter(answer_id=OuterRef("pk"))))
        .values_list("number", "unit_value", "tpi_value", "has_evidence")
    )
    unit: dict[int, AnswerInput] = {n: AnswerInput(None, False) for n in spec.numbers}
    tpi: dict[int, AnswerInput] = dict(unit)
    for number, unit_text, tpi_text, has_evidence in rows:
        if number not in unit:
            continue
        unit[number] = AnswerInput(read_stored_value(spec, number, unit_text), has_evidence)
        tpi[number] = AnswerInput(read_stored_value(spec, number, tpi_text), has_evidence)
    figures = lke_survey_figures(programme)
    fed = survey_values(spec, figures)
    for number, value in fed.items():
        evidence = unit[number].has_evidence
        unit[number] = AnswerInput(value, evidence)
        tpi[number] = AnswerInput(value, evidence)
    return AnswerLayers(spec, unit, tpi, figures, frozenset(fed))


def programme_answers(programme: Programme, layer: Layer = "effective") -> dict[int, AnswerInput]:
    """Every question of the programme's framework -> its answer in ``layer``: "unit" (the
    unit's own), "tpi" (the TPI's alone) or "effective" (the TPI's where given, else the
    unit's). Survey-fed questions take the survey figure in every layer."""
    if layer not in LAYERS:
        raise ValueError(f"unknown layer {layer!r}; use one of {', '.join(LAYERS)}")
    return answer_layers(programme).layer(layer)


def programme_breakdown(programme: Programme, layer: Layer = "effective") -> Breakdown:
    """The full score breakdown of the programme's answers in ``layer`` (see
    ``programme_answers``), with the predicate check for what the unit already holds."""
    answers = programme_answers(programme, layer)
    return score(programme.framework.spec, answers, holds_wbk=programme.holds_wbk)


__all__ = [
    "LAYERS",
    "AnswerLayers",
    "Layer",
    "answer_input",
    "answer_layers",
    "programme_answers",
    "programme_breakdown",
    "read_stored_value",
    "survey_values",
]
