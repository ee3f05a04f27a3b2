"""Planning what a filled LKE workbook changes, and checking every cell of it.

The workbook is read by ``reports.lke_layout`` (this application's export, the official
"Jawaban" sheet, or the Lampiran III table a unit keeps, found by its header and texts); here
each value read is checked against the framework, the person's role and the section's status.

Rules of an import (project rules, stated in the README):
- an empty cell keeps what is stored (an import adds and corrects; it never clears);
- links (http/https) in the link column become link evidence on the unit's answer, titled by
  the evidence description; a link already attached is not added again; links come in only
  when a person imports (evidence is always someone's);
- questions fed by the surveys (q125, q127 once a survey instrument feeds them) are never
  imported as answers: the unit's value there is offered as the official figure, entered only
  when the person chooses it; the TPI's value there is ignored and listed as such;
- every cell is checked (answer allowed by the framework, the person's role, the section's
  status) before anything is written, and the whole file is refused if one cell is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from evaluations.framework_spec import CHOICE, FrameworkSpec, QuestionSpec
from evaluations.models import Answer, AnswerEvidence, AssessmentSection
from evaluations.scoring import AnswerError, AnswerValue, normalize_answer
from evaluations.selectors import read_stored_value
from evaluations.services import section_rights, survey_fed_numbers
from evaluations.wording import allowed_answers
from pokja.access import programme_access
from pokja.models import Evidence, Pokja, Programme, User
from pokja.spreadsheets import SpreadsheetError, check_xlsx_archive
from reports.lke_layout import (
    EVIDENCE,
    LINK,
    TPI_ANSWER,
    TPI_NOTE,
    UNIT_ANSWER,
    UNIT_NOTE,
    URL,
    LayoutError,
    SheetRead,
    as_decimal,
    open_books,
    read_fixed,
    read_recognised,
)
from reports.workbook import EXPORT_MARKER
from surveys.selectors import lke_survey_figures

UNIT, TPI = "unit", "tpi"
MAX_NOTE_CHARS = 10_000
MAX_URL_CHARS = 500  # Evidence.url


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


@dataclass(frozen=True)
class LinkChange:
    """A link in the file that becomes link evidence on the unit's answer."""

    number: int
    row: int
    column: str
    url: str
    title: str


@dataclass(frozen=True)
class SurveyOffer:
    """A survey-fed value (q125, q127) in the file, offered as the official figure."""

    number: int
    row: int
    column: str
    index: Decimal
    current: Decimal | None  # the figure in force now
    current_source: str
    source: str  # what the official figure will say it comes from


@dataclass
class ImportPlan:
    """What a file would change; nothing is written until it is applied."""

    sheet: str
    read: SheetRead | None = None
    links: list[LinkChange] = field(default_factory=list)
    offers: list[SurveyOffer] = field(default_factory=list)
    reconciliation: Any = None  # reports.lke_reconcile.Reconciliation, for the preview
    changes: list[Change] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    ignored: list[CellError] = field(default_factory=list)  # cells read but not imported
    # (number, side) -> (answer, note) as they will be stored after the import
    targets: dict[tuple[int, str], tuple[AnswerValue, str]] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def has_work(self) -> bool:
        return bool(self.changes or self.links or self.offers)


# --------------------------------------------------------------------------- reading


def _refused(sheet: str, message: str) -> ImportRefused:
    return ImportRefused([CellError(sheet, None, None, None, message)])


def read_workbook(data: bytes, spec: FrameworkSpec) -> SheetRead:
    """Find the LKE in the workbook and read every placed question's cells.

    Raises ImportRefused for a file that is not a workbook or holds no LKE it can read.
    """
    sheet_name = spec.questions[0].excel.sheet
    try:
        check_xlsx_archive(data)
    except SpreadsheetError as exc:
        raise _refused(sheet_name, str(exc)) from None
    try:
        values_book, formula_book = open_books(data)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise _refused(sheet_name, _("The file is not a valid .xlsx workbook.")) from None
    try:
        ours = EXPORT_MARKER in (values_book.properties.keywords or "")
        read = read_fixed(values_book, formula_book, spec, ours=ours)
        if read is None:
            try:
                read = read_recognised(values_book, formula_book, spec)
            except LayoutError as exc:
                raise _refused(
                    sheet_name,
                    _(
                        "The workbook has no sheet “%(sheet)s” (it has: %(sheets)s), and %(why)s; "
                        "use the LKE workbook exported from this application, the official LKE "
                        "spreadsheet, or the LKE table of PermenPANRB 90/2021 (Lampiran III)."
                    )
                    % {
                        "sheet": sheet_name,
                        "sheets": ", ".join(values_book.sheetnames),
                        "why": str(exc),
                    },
                ) from None
        else:
            _check_fixed(read, spec, ours=ours)
        return read
    except ImportRefused:
        raise
    except Exception:
        raise _refused(sheet_name, _("The file is not a valid .xlsx workbook.")) from None
    finally:
        values_book.close()
        if formula_book is not None:
            formula_book.close()


def _check_fixed(read: SheetRead, spec: FrameworkSpec, *, ours: bool) -> None:
    """The framework's own sheet must be in its layout and hold something."""
    layout: list[CellError] = []
    if ours:
        # This application's own export: its column A must still number every question row.
        # (The official spreadsheet's column A is not relied on.)
        for q in spec.questions:
            shown = read.cells[q.number].get("A")
            if shown != q.number:
                layout.append(
                    CellError(
                        read.sheet,
                        q.excel.row,
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
    roles = (UNIT_ANSWER, UNIT_NOTE, TPI_ANSWER, TPI_NOTE)
    if all(cells.get(role) is None for cells in read.cells.values() for role in roles):
        raise _refused(
            read.sheet,
            _(
                "Sheet “%(sheet)s” has no answer or note on any question row "
                "(columns %(columns)s); it is not a filled LKE in the official "
                "layout."
            )
            % {"sheet": read.sheet, "columns": ", ".join(read.columns[r] for r in roles)},
        )


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


def _links(raw: Any) -> list[str]:
    if not isinstance(raw, str):
        return []
    return [m.group(0).rstrip(".,;)") for m in URL.finditer(raw)]


def plan_import(programme: Programme, actor: User | None, read: SheetRead) -> ImportPlan:
    """Check every cell and work out what would change (reads only)."""
    spec = programme.framework.spec
    plan = ImportPlan(sheet=read.sheet, read=read)
    stored = {
        a.number: a
        for a in Answer.objects.filter(assessment__programme=programme).only(
            "number", "unit_value", "unit_note", "tpi_value", "tpi_note", "section_code"
        )
    }
    linked: dict[int, set[str]] = {}
    for number, url in AnswerEvidence.objects.filter(
        answer__assessment__programme=programme, evidence__kind=Evidence.Kind.LINK
    ).values_list("answer__number", "evidence__url"):
        linked.setdefault(number, set()).add(url)
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
        placement = read.placements.get(q.number)
        if placement is None:
            continue
        row = placement.row
        cells = read.cells.get(q.number, {})
        answer = stored.get(q.number)
        section = sections.get(q.area or q.component)
        for side, answer_role, note_role in (
            (UNIT, UNIT_ANSWER, UNIT_NOTE),
            (TPI, TPI_ANSWER, TPI_NOTE),
        ):
            answer_col = read.columns.get(answer_role)
            note_col = read.columns.get(note_role)
            if answer_col is None and note_col is None:
                continue
            raw = cells.get(answer_role)
            note_raw = cells.get(note_role)
            if q.number in fed:
                figure = figures.get(q.number)
                exported = side == UNIT and _same_number(raw, figure.index if figure else None)
                if raw is None or exported:
                    continue
                offer = _survey_offer(plan, q, raw, row, answer_col, figure, side, read)
                if offer is not None:
                    plan.offers.append(offer)
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
            problem = _refusal(section, rights, side, access)
            if problem:
                plan.errors.extend(
                    CellError(plan.sheet, c.row, c.column, c.after, problem) for c in changes
                )
                continue
            plan.changes.extend(changes)
            plan.targets[(q.number, side)] = (after_value, after_note)
        _plan_links(
            plan, q.number, row, read, cells, linked.get(q.number, set()), section, rights, access
        )
    return plan


def _plan_links(plan, number, row, read, cells, known, section, rights, access) -> None:
    """The unit's evidence links of one question: each new one becomes link evidence."""
    column = read.columns.get(LINK)
    raw = cells.get(LINK)
    if column is None or raw is None:
        return
    urls = _links(raw)
    if not urls:
        plan.ignored.append(
            CellError(
                plan.sheet,
                row,
                column,
                raw,
                _("no link (starting with http:// or https://) in this cell; not imported."),
            )
        )
        return
    description = cells.get(EVIDENCE)
    title = str(description)[:200] if description is not None else ""
    validate = URLValidator(schemes=["http", "https"])
    new = []
    for url in dict.fromkeys(urls):
        if url in known:
            continue
        try:
            if len(url) > MAX_URL_CHARS:
                raise ValidationError("too long")
            validate(url)
        except ValidationError:
            plan.errors.append(
                CellError(
                    plan.sheet,
                    row,
                    column,
                    url[:80],
                    _(
                        "not a link this application can keep (http:// or https://, at most "
                        "%(limit)d characters)."
                    )
                    % {"limit": MAX_URL_CHARS},
                )
            )
            continue
        new.append(LinkChange(number, row, column, url, title or url[:200]))
    if not new:
        return
    if access is None:
        # Evidence is always someone's: the command imports links only with --user.
        plan.ignored.extend(
            CellError(
                plan.sheet,
                row,
                column,
                n.url,
                _("evidence links are imported only by a person (manage.py import_lke --user)."),
            )
            for n in new
        )
        return
    problem = _refusal(section, rights, UNIT, access)
    if problem:
        plan.errors.extend(CellError(plan.sheet, row, column, n.url, problem) for n in new)
        return
    plan.links.extend(new)


def _survey_offer(plan, q, raw, row, column, figure, side, read) -> SurveyOffer | None:
    """A survey-fed value in the file: offered as the official figure, never an answer."""
    index = as_decimal(raw)
    low, high = q.index_range or (Decimal(0), Decimal(4))
    if side == TPI or index is None or not low <= index <= high:
        plan.ignored.append(
            CellError(
                plan.sheet,
                row,
                column,
                raw,
                _("question %(number)s takes its value from the surveys; ignored.")
                % {"number": q.number},
            )
        )
        return None
    return SurveyOffer(
        number=q.number,
        row=row,
        column=column,
        index=index,
        current=figure.index if figure else None,
        current_source=figure.label if figure else "",
        source=_("LKE workbook imported (sheet %(sheet)s, cell %(cell)s)")
        % {"sheet": read.sheet, "cell": f"{column}{row}"},
    )


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
