"""The LKE workbook in the official layout: answers, summary, evidence. No queries here.

Sheet "Jawaban" (the framework's ``excel`` sheet): every question on its row of the official
spreadsheet (``excel_row``), the unit's answer, note and evidence links and the TPI's answer
and note in the framework's columns (K, L, M, N, Q for lke-2021). Section and sub-area
headings sit on the free row above their first question, with their weight and scores beside
them; the columns A-J hold what the reader needs around an answer (number, text, criteria,
answer type, weight, the values). Sheet "Ringkasan": every sub-area, area, part, component and
the total for the three layers, then the predicate check with its shortfalls. Sheet "Bukti
Dukung": one row per piece of evidence and question, with its link.

Numbers are written as numbers (scores as shown, two decimals, half up, with a two-decimal
number format the reader's spreadsheet writes in its own language); every other text is in the
export's language; text typed by users is written as text, never as a formula
(``pokja.spreadsheets``).
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from evaluations.framework_spec import CHOICE, INDEX, FrameworkSpec, QuestionSpec
from evaluations.scoring import AnswerValue, Breakdown, RatioValue, display, ratio_values
from evaluations.selectors import predicate_views
from evaluations.wording import shortfall_label
from figures import formatting as fmt
from figures.rounding import share_of_weight
from pokja.spreadsheets import fill_cell, safe_sheet_title
from reports.selectors import LkeReport, evidence_link

Progress = Callable[[int], None]

EXPORT_MARKER = "zi-tracker-lke"
SUMMARY_SHEET = "Ringkasan"
EVIDENCE_SHEET = "Bukti Dukung"
HEADER_ROW = 1

# The reader's columns beside the official answer columns.
COL_NUMBER = "A"
COL_NUMBERING = "B"
COL_TEXT = "C"
COL_KRITERIA = "D"
COL_SCHEME = "E"
COL_WEIGHT = "F"
COL_SCORE = "G"  # in force: the TPI's where given, else the unit's
COL_UNIT_SCORE = "H"
COL_TPI_SCORE = "I"
COL_REMARK = "J"

FIGURE_FORMAT = "0.00"
MOMENT_FORMAT = "d mmm yyyy hh:mm"  # month names in the reader's spreadsheet language
BOLD = Font(bold=True)
HEADING_FILL = PatternFill("solid", fgColor="DDE7F0")
WRAP = Alignment(wrap_text=True, vertical="top")


def put(sheet, ref: str | tuple[int, int], value: Any):
    """Write `value` into a cell through the project's one cell writer
    (`pokja.spreadsheets.fill_cell`): numbers as numbers, text as text (never a formula)."""
    cell = sheet[ref] if isinstance(ref, str) else sheet.cell(row=ref[0], column=ref[1])
    fill_cell(cell, value)
    if isinstance(value, Decimal) and value.as_tuple().exponent == -2:
        # A figure as shown (two decimals): the reader's spreadsheet writes it with its own
        # decimal separator, and keeps the trailing zero (7,50).
        cell.number_format = FIGURE_FORMAT
    return cell


def item_value(q: QuestionSpec, value: AnswerValue) -> Decimal | None:
    """The 0..1 value of a choice or index answer (None for counts and blanks)."""
    if value is None:
        return None
    if q.kind == CHOICE:
        return q.option(str(value)).value
    if q.kind == INDEX and q.index_range is not None:
        low, high = q.index_range
        return (Decimal(value) - low) / (high - low)
    return None


def stored_answer(value: AnswerValue) -> Any:
    """An answer as the cell keeps it: option keys as text, counts and indices as numbers."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value.normalize() if value == value.to_integral() else value
    return value


def allowed_text(q: QuestionSpec) -> str:
    if q.kind == CHOICE:
        return " / ".join(q.option_keys)
    if q.kind == INDEX and q.index_range is not None:
        low, high = q.index_range
        return f"{low}-{high}"
    return _("whole number")


def _score(value: Decimal | None) -> Decimal | None:
    return None if value is None else display(value)


# --------------------------------------------------------------------------- headings


def heading_rows(spec: FrameworkSpec) -> dict[int, tuple[str, str, str, str]]:
    """Row -> (kind, code, numbering, name) of every heading that fits on the free row above
    its first question (or above its first sub-heading). A heading whose row is taken by a
    question or another heading is left out of "Jawaban" (the summary sheet has them all)."""
    taken = {q.excel.row for q in spec.questions}
    placed: dict[int, tuple[str, str, str, str]] = {}

    def place(first_row: int, entry: tuple[str, str, str, str]) -> int:
        row = first_row - 1
        if row > HEADER_ROW and row not in taken and row not in placed:
            placed[row] = entry
            return row
        return first_row

    def sub_area(code: str) -> int:
        sub = spec.sub_area(code)
        if sub.children:
            first = min(sub_area(child) for child in sub.children)
        else:
            first = min(spec.question(n).excel.row for n in sub.questions)
        return place(first, ("sub_area", sub.code, sub.numbering, sub.name))

    for component in spec.components:
        firsts = []
        for part_code in component.parts:
            part = spec.part(part_code)
            part_firsts = []
            if part.has_areas:
                for area_part in part.areas:
                    area = spec.area(area_part.area)
                    first = min(sub_area(code) for code in area_part.sub_areas)
                    part_firsts.append(
                        place(
                            first,
                            (
                                "area",
                                f"{area.code}@{part.code}",
                                str(area.pokja),
                                area.name,
                            ),
                        )
                    )
            else:
                part_firsts = [
                    spec.question(spec.hasil_item(code).question).excel.row
                    for code in part.hasil_items
                ]
            firsts.append(place(min(part_firsts), ("part", part.code, part.numbering, part.name)))
        place(min(firsts), ("component", component.code, component.numbering, component.name))
    return placed


def _heading_scores(
    kind: str, code: str, breakdown: Breakdown
) -> tuple[Decimal | None, Decimal | None]:
    """(weight, score) of a heading in one breakdown."""
    if kind == "sub_area":
        result = breakdown.sub_areas[code]
        return result.weight, result.score
    if kind == "area":
        area, part = code.split("@")
        result = breakdown.areas[area]
        return result.part_weights[part], result.parts[part]
    if kind == "part":
        result = breakdown.parts[code]
        return result.weight, result.score
    result = breakdown.components[code]
    return result.weight, result.score


def ratio_rows(spec: FrameworkSpec, layers) -> dict[tuple[str, RatioValue], int]:
    """(layer, percentage item) -> the row of the item's last count question."""
    rows = {}
    for kind, answers in (
        ("effective", layers.layer("effective")),
        ("unit", layers.unit),
        ("tpi", layers.tpi),
    ):
        seen = set()
        for ratio in ratio_values(spec, answers).values():
            key = (ratio.sub_area, ratio.label)
            if key in seen:
                continue
            seen.add(key)
            rows[(kind, ratio)] = max(spec.question(n).excel.row for n in ratio.questions)
    return rows


# --------------------------------------------------------------------------- the sheets


def _answers_sheet(workbook: Workbook, report: LkeReport) -> None:
    spec = report.spec
    layers = report.layers
    first = spec.questions[0].excel
    sheet = workbook.create_sheet(safe_sheet_title(first.sheet))
    headers = {
        COL_NUMBER: pgettext("question number", "No"),
        COL_NUMBERING: _("Numbering"),
        COL_TEXT: _("Component / area / question"),
        COL_KRITERIA: _("Criteria"),
        COL_SCHEME: _("Allowed answers"),
        COL_WEIGHT: _("Weight"),
        COL_SCORE: _("Score"),
        COL_UNIT_SCORE: _("Unit score"),
        COL_TPI_SCORE: _("TPI score"),
        COL_REMARK: _("Remark"),
        first.unit_answer: _("Unit answer"),
        first.unit_note: _("Unit note"),
        first.unit_evidence: _("Evidence"),
        first.tpi_answer: _("TPI answer"),
        first.tpi_note: _("TPI note"),
    }
    for column, title in headers.items():
        put(sheet, f"{column}{HEADER_ROW}", title).font = BOLD
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    for column, width in {"A": 6, "B": 6, "C": 60, "D": 40, "E": 12, "J": 24}.items():
        sheet.column_dimensions[column].width = width
    for column in (first.unit_note, first.unit_evidence, first.tpi_note):
        sheet.column_dimensions[column].width = 36

    for row, (kind, code, numbering, name) in heading_rows(spec).items():
        put(sheet, f"{COL_NUMBERING}{row}", numbering)
        put(sheet, f"{COL_TEXT}{row}", name).font = BOLD
        weight, effective = _heading_scores(kind, code, report.effective)
        put(sheet, f"{COL_WEIGHT}{row}", weight)
        put(sheet, f"{COL_SCORE}{row}", _score(effective))
        put(sheet, f"{COL_UNIT_SCORE}{row}", _score(_heading_scores(kind, code, report.unit)[1]))
        put(sheet, f"{COL_TPI_SCORE}{row}", _score(_heading_scores(kind, code, report.tpi)[1]))
        for column in ("A", "B", "C", "D", "E", "F", "G", "H", "I", "J"):
            sheet[f"{column}{row}"].fill = HEADING_FILL

    effective = layers.layer("effective")
    for q in spec.questions:
        row = q.excel.row
        stored = report.stored.get(q.number)
        fed = q.number in layers.survey_fed
        unit_value = layers.unit[q.number].value
        tpi_value = None if fed else layers.tpi[q.number].value
        put(sheet, f"{COL_NUMBER}{row}", q.number)
        put(sheet, f"{COL_TEXT}{row}", q.text).alignment = WRAP
        put(sheet, f"{COL_KRITERIA}{row}", q.kriteria)
        put(sheet, f"{COL_SCHEME}{row}", allowed_text(q))
        put(sheet, f"{COL_SCORE}{row}", item_value(q, effective[q.number].value))
        put(sheet, f"{COL_UNIT_SCORE}{row}", item_value(q, unit_value))
        put(sheet, f"{COL_TPI_SCORE}{row}", item_value(q, tpi_value))
        if fed:
            figure = layers.figures.get(q.number)
            put(
                sheet,
                f"{COL_REMARK}{row}",
                _("From the surveys: %(source)s") % {"source": figure.label if figure else ""},
            )
        elif q.information_only:
            put(sheet, f"{COL_REMARK}{row}", _("Information only (not scored)"))
        if q.hasil_item:
            item = report.effective.hasil_items[q.hasil_item]
            put(sheet, f"{COL_WEIGHT}{row}", item.weight)
            put(sheet, f"{COL_SCORE}{row}", _score(item.score))
            put(
                sheet, f"{COL_UNIT_SCORE}{row}", _score(report.unit.hasil_items[q.hasil_item].score)
            )
            put(sheet, f"{COL_TPI_SCORE}{row}", _score(report.tpi.hasil_items[q.hasil_item].score))
        put(sheet, f"{q.excel.unit_answer}{row}", stored_answer(unit_value))
        put(sheet, f"{q.excel.unit_note}{row}", stored.unit_note if stored else "")
        links = [
            evidence_link(e, site_url=report.site_url) for e in report.evidence.get(q.number, [])
        ]
        cell = put(sheet, f"{q.excel.unit_evidence}{row}", "\n".join(links))
        if len(links) == 1:
            cell.hyperlink = links[0]
        put(sheet, f"{q.excel.tpi_answer}{row}", stored_answer(tpi_value))
        put(sheet, f"{q.excel.tpi_note}{row}", stored.tpi_note if stored and not fed else "")

    # Percentage items built from counts: their value and label on the row of their last count.
    for (kind, ratio), row in ratio_rows(spec, layers).items():
        put(sheet, f"{COL_REMARK}{row}", ratio.label)
        if kind == "effective":
            put(sheet, f"{COL_SCORE}{row}", ratio.value)
        elif kind == "unit":
            put(sheet, f"{COL_UNIT_SCORE}{row}", ratio.value)
        else:
            put(sheet, f"{COL_TPI_SCORE}{row}", ratio.value)

    total_row = max(q.excel.row for q in spec.questions) + 2
    put(sheet, f"{COL_TEXT}{total_row}", _("TOTAL SCORE")).font = BOLD
    put(sheet, f"{COL_WEIGHT}{total_row}", report.effective.total_weight)
    put(sheet, f"{COL_SCORE}{total_row}", display(report.effective.total)).font = BOLD
    put(sheet, f"{COL_UNIT_SCORE}{total_row}", display(report.unit.total))
    put(sheet, f"{COL_TPI_SCORE}{total_row}", display(report.tpi.total))


def summary_rows(spec: FrameworkSpec) -> list[tuple[str, str, str, str]]:
    """(kind, code, numbering, name) of every figure of the summary, top down."""
    rows: list[tuple[str, str, str, str]] = []
    for component in spec.components:
        rows.append(("component", component.code, component.numbering, component.name))
        for part_code in component.parts:
            part = spec.part(part_code)
            rows.append(("part", part.code, part.numbering, part.name))
            if part.has_areas:
                for area_part in part.areas:
                    area = spec.area(area_part.area)
                    rows.append(("area", f"{area.code}@{part.code}", str(area.pokja), area.name))
                    rows.extend(
                        ("sub_area", sub.code, sub.numbering, sub.name)
                        for sub in spec.sub_areas_of(area.code, part.code, nested=True)
                    )
            else:
                for item_code in part.hasil_items:
                    item = spec.hasil_item(item_code)
                    rows.append(("hasil_item", item.code, "", item.name))
    return rows


def _figure(kind: str, code: str, breakdown: Breakdown) -> tuple[Decimal, Decimal]:
    if kind == "hasil_item":
        item = breakdown.hasil_items[code]
        return item.weight, item.score
    weight, value = _heading_scores(kind, code, breakdown)
    return weight, value


SUMMARY_HEADER = 7  # the table's header row, below the title lines


def _summary_sheet(workbook: Workbook, report: LkeReport) -> None:
    spec = report.spec
    programme = report.programme
    sheet = workbook.create_sheet(SUMMARY_SHEET)
    put(sheet, "A1", spec.title).font = Font(bold=True, size=13)
    put(sheet, "A2", _("Unit"))
    put(sheet, "B2", f"{programme.unit.name} ({programme.unit.code})")
    put(sheet, "A3", _("Year"))
    put(sheet, "B3", programme.year)
    put(sheet, "A4", _("Framework"))
    put(sheet, "B4", f"{spec.slug} {spec.version}")
    put(sheet, "A5", _("Exported at"))
    put(sheet, "B5", fmt.moment(timezone.now()))
    titles = (
        _("Level"),
        _("Code"),
        _("Numbering"),
        _("Name"),
        _("Weight"),
        _("Unit score"),
        _("TPI score"),
        _("Score"),
        _("% of weight"),
    )
    for column, title in enumerate(titles, start=1):
        put(sheet, (SUMMARY_HEADER, column), title).font = BOLD
    levels = {
        "component": _("component"),
        "part": _("part"),
        "area": _("area"),
        "sub_area": _("sub-area"),
        "hasil_item": _("result item"),
    }
    row = SUMMARY_HEADER
    for kind, code, numbering, name in summary_rows(spec):
        row += 1
        weight, effective = _figure(kind, code, report.effective)
        values = (
            levels[kind],
            code,
            numbering,
            name,
            weight,
            display(_figure(kind, code, report.unit)[1]),
            display(_figure(kind, code, report.tpi)[1]),
            display(effective),
            share_of_weight(effective, weight) if weight else None,
        )
        for column, value in enumerate(values, start=1):
            cell = put(sheet, (row, column), value)
            if kind in ("component", "part"):
                cell.font = BOLD
    row += 1
    for column, value in enumerate(
        (
            _("total"),
            "total",
            "",
            _("TOTAL SCORE"),
            report.effective.total_weight,
            display(report.unit.total),
            display(report.tpi.total),
            display(report.effective.total),
            share_of_weight(report.effective.total, report.effective.total_weight),
        ),
        start=1,
    ):
        put(sheet, (row, column), value).font = BOLD

    # Areas: PEMENUHAN + REFORM together, as the predicates judge them.
    row += 2
    put(sheet, (row, 1), _("Areas (all parts together)")).font = BOLD
    row += 1
    for column, title in enumerate(
        (_("Pokja"), _("Code"), _("Area"), _("Weight"), _("Score"), _("% of weight")), start=1
    ):
        put(sheet, (row, column), title).font = BOLD
    for area in report.effective.areas.values():
        row += 1
        for column, value in enumerate(
            (
                area.pokja,
                area.code,
                area.name,
                area.weight,
                display(area.total),
                share_of_weight(area.total, area.weight),
            ),
            start=1,
        ):
            put(sheet, (row, column), value)

    # The predicate check on the answers in force.
    row += 2
    put(sheet, (row, 1), _("Predicate check")).font = BOLD
    row += 1
    for column, title in enumerate(
        (_("Predicate"), _("Met"), _("Criterion"), _("Actual"), _("Required"), _("Gap")),
        start=1,
    ):
        put(sheet, (row, column), title).font = BOLD
    layers = report.layers
    views, _gains = predicate_views(
        spec, report.effective, layers.layer("effective"), layers.survey_fed
    )
    for view in views:  # the pages' order: the cheapest to close first
        row += 1
        put(sheet, (row, 1), view.code).font = BOLD
        put(sheet, (row, 2), _("yes") if view.meets else _("no"))
        for shortfall in view.rows:
            row += 1
            put(sheet, (row, 1), view.code)
            put(sheet, (row, 3), shortfall_label(shortfall))
            put(sheet, (row, 4), shortfall.actual)
            put(sheet, (row, 5), shortfall.required)
            put(sheet, (row, 6), shortfall.gap)
    for column, width in {"A": 14, "B": 16, "C": 10, "D": 60, "E": 10, "F": 10, "G": 10}.items():
        sheet.column_dimensions[column].width = width


def _evidence_sheet(workbook: Workbook, report: LkeReport) -> None:
    spec = report.spec
    sheet = workbook.create_sheet(EVIDENCE_SHEET)
    titles = (
        pgettext("question number", "No"),
        _("Area"),
        _("Title"),
        _("Kind"),
        _("File name or link"),
        _("Link"),
        _("Uploaded by"),
        _("Uploaded at"),
    )
    for column, title in enumerate(titles, start=1):
        put(sheet, (1, column), title).font = BOLD
    sheet.freeze_panes = "A2"
    row = 1
    for q in spec.questions:
        for evidence in report.evidence.get(q.number, []):
            row += 1
            link = evidence_link(evidence, site_url=report.site_url)
            uploader = evidence.uploaded_by
            values = (
                q.number,
                q.area or q.component,
                evidence.title,
                evidence.get_kind_display(),
                evidence.original_name if evidence.is_file else evidence.url,
                link,
                uploader.display_name if uploader else "",
                timezone.localtime(evidence.uploaded_at).replace(tzinfo=None),
            )
            for column, value in enumerate(values, start=1):
                cell = put(sheet, (row, column), value)
                if isinstance(value, datetime.datetime):
                    cell.number_format = MOMENT_FORMAT
            sheet.cell(row=row, column=6).hyperlink = link
    for column, width in {"A": 6, "B": 8, "C": 40, "D": 8, "E": 40, "F": 50, "G": 24}.items():
        sheet.column_dimensions[column].width = width


def lke_workbook(report: LkeReport, *, progress: Progress | None = None) -> bytes:
    """The workbook of one programme's LKE as .xlsx bytes."""
    step = progress or (lambda percent: None)
    workbook = Workbook()
    workbook.remove(workbook.active)
    _answers_sheet(workbook, report)
    step(50)
    _summary_sheet(workbook, report)
    step(70)
    _evidence_sheet(workbook, report)
    step(90)
    workbook.properties.title = f"LKE {report.programme.unit.code} {report.programme.year}"
    # Marks the file as this application's export: an import then also checks that every
    # question row still holds its question number in column A.
    workbook.properties.keywords = f"{EXPORT_MARKER} {report.spec.slug}"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
