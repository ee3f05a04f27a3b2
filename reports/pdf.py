"""The evaluation report as a PDF (WeasyPrint, A4, in the export's language: the language of
whoever asked for it, Indonesian by default; every figure in that language's format).

Cover (unit, year, framework); summary scores and the predicate check; the area table
(PEMENUHAN, REFORM, total); per area its weakest questions and the answers without evidence;
the survey figures with a bar chart (SVG drawn here, no script); the action plans' status per
Pokja; the audit findings' follow-up; a signature block for the coordinator and the head of
unit. The data comes from ``reports.selectors`` (a fixed number of queries).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from evaluations.framework_spec import CHOICE, INDEX
from evaluations.scoring import display
from evaluations.selectors import predicate_views
from evaluations.wording import shortfall_text
from figures import formatting as fmt
from figures import palette
from figures.svg import BarRow, horizontal_bars
from reports.selectors import PdfData
from reports.workbook import Progress, item_value

WEAKEST = 5  # questions listed per area
MISSING_SHOWN = 12  # questions without evidence listed per area (the rest counted)


@dataclass
class WeakQuestion:
    number: int
    text: str
    answer: str
    value: Decimal | None


@dataclass
class AreaFindings:
    code: str
    name: str
    pokja: int
    score: Decimal
    weight: Decimal
    percent: Decimal
    weakest: list[WeakQuestion]
    missing: list[tuple[int, str]]
    missing_total: int


@dataclass
class Bar:
    label: str
    index: Decimal | None  # exact; shown to two decimals
    score: Decimal | None
    source: str
    respondents: int


def _answer_text(value) -> str:
    if value is None or value == "":
        return fmt.EMPTY
    return fmt.number(value) if isinstance(value, Decimal) else str(value)


def area_findings(data: PdfData) -> list[AreaFindings]:
    """For each area: the scored questions with the lowest values, and those lacking evidence."""
    report = data.report
    spec = report.spec
    layers = report.layers
    effective = layers.layer("effective")
    found = []
    for area in report.effective.areas.values():
        questions = [q for q in spec.questions if q.area == area.code]
        scored = [
            q for q in questions if q.kind in (CHOICE, INDEX) and q.number not in layers.survey_fed
        ]
        ranked = sorted(
            scored, key=lambda q: (item_value(q, effective[q.number].value) or Decimal(0), q.number)
        )
        weakest = [
            WeakQuestion(
                q.number,
                q.text,
                _answer_text(effective[q.number].value),
                item_value(q, effective[q.number].value),
            )
            for q in ranked
            if (item_value(q, effective[q.number].value) or Decimal(0)) < 1
        ][:WEAKEST]
        missing = [
            (q.number, q.text)
            for q in questions
            if q.number not in layers.survey_fed and not report.evidence.get(q.number)
        ]
        found.append(
            AreaFindings(
                code=area.code,
                name=area.name,
                pokja=area.pokja,
                score=display(area.total),
                weight=area.weight,
                percent=fmt.weight_share(area.total, area.weight),
                weakest=weakest,
                missing=missing[:MISSING_SHOWN],
                missing_total=len(missing),
            )
        )
    return found


def survey_chart(bars: list[Bar]) -> str:
    """The survey indices as a bar chart (SVG made here: WeasyPrint runs no script), each
    index's bar to scale on 0..4 with its value beside it and its whole name on its row."""
    if not bars:
        return ""
    top = Decimal(4)
    return horizontal_bars(
        [
            BarRow(
                label=bar.label,
                value=bar.index,
                text=fmt.number(bar.index) if bar.index is not None else fmt.EMPTY,
                tone=palette.tone("series"),
            )
            for bar in bars
        ],
        maximum=top,
        ticks=[(Decimal(i), fmt.constant(i)) for i in range(5)],
        title=_("Survey indices (0 to 4)"),
    )


def survey_bars(data: PdfData) -> list[Bar]:
    report = data.report
    spec = report.spec
    bars = []
    for number, figure in sorted(report.layers.figures.items()):
        q = spec.question(number)
        index = figure.index
        item = report.effective.hasil_items.get(q.hasil_item) if q.hasil_item else None
        bars.append(
            Bar(
                label=item.name if item else f"q{number}",
                index=Decimal(index) if index is not None else None,
                score=item.score if item and index is not None else None,
                source=figure.label,
                respondents=figure.respondents,
            )
        )
    return bars


def report_html(data: PdfData) -> str:
    report = data.report
    effective = report.effective
    parts = [p for p in effective.parts.values() if p.has_areas]
    area_rows = [
        {
            "area": area,
            "cells": [(display(area.parts[p.code]), area.part_weights[p.code]) for p in parts],
            "total": display(area.total),
            "percent": fmt.weight_share(area.total, area.weight),
        }
        for area in effective.areas.values()
    ]
    bars = survey_bars(data)
    predicates, _gains = predicate_views(
        report.spec, effective, report.layers.layer("effective"), report.layers.survey_fed
    )
    context = {
        "language": get_language() or settings.LANGUAGE_CODE,
        "predicates": [
            (view, [shortfall_text(row, view.code) for row in view.rows]) for view in predicates
        ],
        "survey_chart": survey_chart(bars),
        "data": data,
        "programme": report.programme,
        "spec": report.spec,
        "effective": effective,
        "unit_total": display(report.unit.total),
        "tpi_total": display(report.tpi.total),
        "total": display(effective.total),
        "components": [(c, display(c.score)) for c in effective.components.values()],
        "hasil_items": [(i, display(i.score)) for i in effective.hasil_items.values()],
        "parts": parts,
        "area_rows": area_rows,
        "findings": area_findings(data),
        "bars": bars,
        "generated_at": timezone.localtime(),
    }
    return render_to_string("reports/report_pdf.html", context)


def render_report(data: PdfData):
    """The laid-out WeasyPrint document (its ``pages`` can be counted and read)."""
    from weasyprint import HTML

    return HTML(string=report_html(data), base_url=str(settings.BASE_DIR)).render()


def report_pdf(data: PdfData, *, progress: Progress | None = None) -> bytes:
    step = progress or (lambda percent: None)
    document = render_report(data)
    step(80)
    return document.write_pdf()
