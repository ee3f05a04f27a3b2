"""Reading a filled LKE workbook in the official layout and planning what it changes.

The workbook's answer sheet (the framework's ``excel`` sheet, "Jawaban") holds each question
on its row (``excel_row``): the unit's answer and note in columns K and L, the TPI's answer and
note in N and Q (lke-2021). Evidence links (column M) are not imported: evidence is uploaded or
linked in the worksheet, where it is checked.

Rules of an import (project rules, stated in the README):
- an empty cell keeps what is stored (an import adds and corrects; it never clears);
- questions fed by the surveys (q125, q127 once a survey instrument feeds them) are shown in
  the export but never imported: a value there is ignored and listed as such;
- every cell is checked (answer allowed by the framework, the person's role, the section's
  status) before anything is written, and the whole file is refused if one cell is wrong.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from evaluations.framework_spec import CHOICE, FrameworkSpec, QuestionSpec
from evaluations.models import Answer, AssessmentSection
from evaluations.scoring import AnswerError, AnswerValue, normalize_answer
from evaluations.selectors import read_stored_value
from evaluations.services import section_rights, survey_fed_numbers
from evaluations.wording import allowed_answers
from pokja.access import programme_access
from pokja.models import Pokja, Programme, User
from pokja.spreadsheets import SpreadsheetError, check_xlsx_archive
from reports.workbook import EXPORT_MARKER
from surveys.selectors import lke_survey_figures

UNIT, TPI = "unit", "tpi"
MAX_NOTE_CHARS = 10_000


@dataclass(frozen=True)
class CellError:
    """One refused cell (or, without a row, the file as a whole)."""

    sheet: str
    row: int | None
    column: str | None
    value: Any
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return _("Sheet %(sheet)s, row %(row)s, column %(column)s (“%(value)s”): %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "value": "" if self.value is None else self.value,
            "message": self.message,
        }


class ImportRefused(Exception):
    """The file is refused as a whole; ``errors`` say where and why."""

    def __init__(self, errors: list[CellError]):
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Change:
    """One value the import changes."""

    number: int
    side: str  # UNIT or TPI
    what: str  # "answer" or "note"
    row: int
    column: str
    before: Any
    after: Any


@dataclass
class ImportPlan:
    """What a file would change; nothing is written until it is applied."""

    sheet: str
    changes: list[Change] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    ignored: list[CellError] = field(default_factory=list)  # survey-fed values, not imported
    # (number, side) -> (answer, note) as they will be stored after the import
    targets: dict[tuple[int, str], tuple[AnswerValue, str]] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- reading


def read_answer_cells(data: bytes, spec: FrameworkSpec) -> dict[tuple[int, str], Any]:
    """The answer and note cells of every question row: {(row, column letter): value}.

    Raises ImportRefused for a file that is not a workbook or not in the LKE layout.
    """
    first = spec.questions[0].excel
    sheet_name = first.sheet
    try:
        check_xlsx_archive(data)
    except SpreadsheetError as exc:
        raise ImportRefused([CellError(sheet_name, None, None, None, str(exc))]) from None
    import openpyxl  # imported here: only imports need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise ImportRefused(
            [CellError(sheet_name, None, None, None, _("The file is not a valid .xlsx workbook."))]
        ) from None
    try:
        if sheet_name not in workbook.sheetnames:
            raise ImportRefused(
                [
                    CellError(
                        sheet_name,
                        None,
                        None,
                        None,
                        _(
                            "The workbook has no sheet “%(sheet)s” (it has: %(sheets)s); "
                            "use the LKE workbook exported from this application or the "
                            "official LKE spreadsheet."
                        )
                        % {"sheet": sheet_name, "sheets": ", ".join(workbook.sheetnames)},
                    )
                ]
            )
        sheet = workbook[sheet_name]
        # This application's own export: its column A must still number every question row.
        # (The official spreadsheet's column A is not relied on.)
        ours = EXPORT_MARKER in (workbook.properties.keywords or "")
        rows = {q.excel.row: q for q in spec.questions}
        last = max(rows)
        columns = {
            letter: _column_index(letter)
            for letter in (
                "A",
                first.unit_answer,
                first.unit_note,
                first.tpi_answer,
                first.tpi_note,
            )
        }
        width = max(columns.values())
        cells: dict[tuple[int, str], Any] = {}
        layout: list[CellError] = []
        for row_number, values in enumerate(
            sheet.iter_rows(min_row=1, max_row=last, max_col=width, values_only=True), start=1
        ):
            q = rows.get(row_number)
            if q is None:
                continue
            for letter, index in columns.items():
                value = values[index - 1] if index - 1 < len(values) else None
                if isinstance(value, str):
                    value = value.strip() or None
                cells[(row_number, letter)] = value
            shown = cells[(row_number, "A")]
            if ours and shown != q.number:
                layout.append(
                    CellError(
                        sheet_name,
                        row_number,
                        "A",
                        shown,
                        _(
                            "this row holds question %(number)s in the official layout; the "
                            "sheet is not in the LKE layout (rows moved or added?)."
                        )
                        % {"number": q.number},
                    )
                )
        if layout:
            raise ImportRefused(layout[:10])
        if all(value is None for (row, letter), value in cells.items() if letter != "A"):
            raise ImportRefused(
                [
                    CellError(
                        sheet_name,
                        None,
                        None,
                        None,
                        _(
                            "Sheet “%(sheet)s” has no answer or note on any question row "
                            "(columns %(columns)s); it is not a filled LKE in the official "
                            "layout."
                        )
                        % {
                            "sheet": sheet_name,
                            "columns": ", ".join(
                                (
                                    first.unit_answer,
                                    first.unit_note,
                                    first.tpi_answer,
                                    first.tpi_note,
                                )
                            ),
                        },
                    )
                ]
            )
        return cells
    except ImportRefused:
        raise
    except Exception:
        raise ImportRefused(
            [CellError(sheet_name, None, None, None, _("The file is not a valid .xlsx workbook."))]
        ) from None
    finally:
        workbook.close()


def _column_index(letter: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(letter)


# --------------------------------------------------------------------------- planning


def _cell_value(q: QuestionSpec, raw: Any) -> Any:
    """A spreadsheet value as the framework reads it: a whole float is a whole number."""
    if isinstance(raw, float) and raw.is_integer() and q.kind != CHOICE:
        return int(raw)
    if isinstance(raw, float | int) and q.kind == CHOICE:
        return str(raw)  # refused below with the options it should have been
    return raw


def _same_number(raw: Any, index: Decimal | None) -> bool:
    """The cell shows the survey figure as the export wrote it (a float of the exact index)."""
    if index is None or not isinstance(raw, int | float):
        return raw is None and index is None
    return abs(Decimal(repr(raw)) - index) < Decimal("1e-9")


def _shown(value: AnswerValue) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def plan_import(
    programme: Programme, actor: User | None, cells: dict[tuple[int, str], Any]
) -> ImportPlan:
    """Check every cell and work out what would change (reads only)."""
    spec = programme.framework.spec
    first = spec.questions[0].excel
    plan = ImportPlan(sheet=first.sheet)
    stored = {
        a.number: a
        for a in Answer.objects.filter(assessment__programme=programme).only(
            "number", "unit_value", "unit_note", "tpi_value", "tpi_note", "section_code"
        )
    }
    fed = survey_fed_numbers(programme, spec)
    figures = lke_survey_figures(programme) if fed else {}
    sections = {
        s.code: s for s in AssessmentSection.objects.filter(assessment__programme=programme)
    }
    pokja_ids = dict(Pokja.objects.filter(programme=programme).values_list("area_code", "pk"))
    access = programme_access(actor, programme) if actor is not None else None
    rights = {
        code: section_rights(access, section, pokja_ids.get(code)) if access else None
        for code, section in sections.items()
    }
    for q in spec.questions:
        row = q.excel.row
        answer = stored.get(q.number)
        for side, answer_col, note_col in (
            (UNIT, q.excel.unit_answer, q.excel.unit_note),
            (TPI, q.excel.tpi_answer, q.excel.tpi_note),
        ):
            raw = cells.get((row, answer_col))
            note_raw = cells.get((row, note_col))
            if q.number in fed:
                figure = figures.get(q.number)
                exported = side == UNIT and _same_number(raw, figure.index if figure else None)
                if raw is not None and not exported:
                    plan.ignored.append(
                        CellError(
                            plan.sheet,
                            row,
                            answer_col,
                            raw,
                            _("question %(number)s takes its value from the surveys; ignored.")
                            % {"number": q.number},
                        )
                    )
                continue
            before_value = (
                read_stored_value(spec, q.number, getattr(answer, f"{side}_value"))
                if answer
                else None
            )
            before_note = getattr(answer, f"{side}_note") if answer else ""
            after_value, after_note = before_value, before_note
            if raw is not None:
                try:
                    after_value = normalize_answer(spec, q.number, _cell_value(q, raw))
                except AnswerError:
                    plan.errors.append(
                        CellError(
                            plan.sheet,
                            row,
                            answer_col,
                            raw,
                            _("not allowed for question %(number)s; allowed: %(allowed)s.")
                            % {"number": q.number, "allowed": allowed_answers(spec, q.number)},
                        )
                    )
                    continue
            if note_raw is not None:
                after_note = str(note_raw)
                if len(after_note) > MAX_NOTE_CHARS:
                    plan.errors.append(
                        CellError(
                            plan.sheet,
                            row,
                            note_col,
                            after_note[:40] + "…",
                            _("a note may have at most %(limit)d characters.")
                            % {"limit": MAX_NOTE_CHARS},
                        )
                    )
                    continue
            changes = []
            if after_value != before_value:
                changes.append(
                    Change(
                        q.number,
                        side,
                        "answer",
                        row,
                        answer_col,
                        _shown(before_value),
                        _shown(after_value),
                    )
                )
            if after_note != before_note:
                changes.append(
                    Change(q.number, side, "note", row, note_col, before_note, after_note)
                )
            if not changes:
                continue
            problem = _refusal(sections.get(q.area or q.component), rights, side, access)
            if problem:
                plan.errors.extend(
                    CellError(plan.sheet, c.row, c.column, c.after, problem) for c in changes
                )
                continue
            plan.changes.extend(changes)
            plan.targets[(q.number, side)] = (after_value, after_note)
    return plan


def _refusal(section, rights, side: str, access) -> str | None:
    """Why this person may not change this side of the section now (None: they may)."""
    if section is None:
        return None
    if access is not None:
        own = rights[section.code]
        if side == UNIT and not own.unit_role:
            return _(
                "only the Pokja of %(section)s and the coordinator answer these questions."
            ) % {"section": section.name}
        if side == TPI and not own.tpi_role:
            return _("only the internal assessors (TPI) fill the TPI columns.")
    if side == UNIT and section.unit_locked:
        return _("%(section)s is %(status)s: the unit's answers and notes are locked.") % {
            "section": section.name,
            "status": section.get_status_display().lower(),
        }
    if side == TPI and section.tpi_locked:
        return _("%(section)s is %(status)s: the TPI answers and notes are locked.") % {
            "section": section.name,
            "status": section.get_status_display().lower(),
        }
    return None
