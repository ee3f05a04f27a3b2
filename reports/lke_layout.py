"""Finding the LKE in a workbook a unit keeps: its question sheet, columns and rows.

Three layouts are read:

- this application's export and the official 2026 spreadsheet: the framework's answer sheet
  ("Jawaban") with every question on its ``excel_row`` and the framework's columns;
- the appendix table of PermenPANRB 90/2021 (Lampiran III) as units fill it by hand: any sheet
  name, a header row (``Penilaian | Bobot | Penjelasan | Pilihan Jawaban | Jawaban | Nilai | % |
  Catatan ...``), rows shifted against the master list. Each column is taken from its header,
  each question's row from its text (normalised: case, spaces, punctuation, numbering) in the
  master list's order; a question whose text is not found between its neighbours is listed as
  not placed, never guessed.

Only reading happens here (openpyxl, cached values of formula cells); what the values change
is decided by ``reports.lke_import``.
"""

from __future__ import annotations

import difflib
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from evaluations.framework_spec import FrameworkSpec

EXPORT, OFFICIAL, RECOGNISED = "export", "official", "recognised"

# Column roles of the answer sheet.
UNIT_ANSWER, UNIT_NOTE, EVIDENCE, LINK = "unit_answer", "unit_note", "evidence", "link"
TPI_ANSWER, TPI_NOTE, TYPE, SCORE = "tpi_answer", "tpi_note", "type", "score"

HEADER_SCAN_ROWS = 40  # a header row lies in the first rows of its sheet
MAX_ROWS = 2000  # the LKE has ~250 rows; a sheet longer than this is not read past it
MAX_COLUMNS = 40
CLOSE_TEXT = 0.86  # similarity of two normalised texts taken as the same question
URL = re.compile(r"https?://\S+", re.IGNORECASE)
_NUMBERING = re.compile(
    r"^\s*(?:\(?(?:\d{1,3}(?:\.\d{1,3})*|[a-z]|[ivxl]{1,6})[.)]|\(\s*(?:\d{1,3}|[a-z])\s*\))\s*",
    re.IGNORECASE,
)
_NOT_WORD = re.compile(r"[\W_]+")


def normal_text(value: Any) -> str:
    """A text as compared with the master list: case, width, spacing, punctuation and a
    leading numbering ("1.", "a.", "iv.", "(2)") do not count."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value)).casefold().strip()
    for _i in range(3):  # "A. 1. ..." has two numberings
        stripped = _NUMBERING.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return _NOT_WORD.sub(" ", text).strip()


@dataclass(frozen=True)
class Placement:
    """Where one question was read."""

    number: int
    row: int
    how: str  # "row" (its official row), "text" (same text), "close" (nearly the same text)
    text: str  # what the sheet says there (shortened)


@dataclass(frozen=True)
class Heading:
    """A component, part, area or sub-area heading row, with the workbook's own score."""

    code: str  # component/part code, "AREA@part" for an area in a part, or a sub-area code
    kind: str  # "component", "part", "area_part", "sub_area", "total"
    name: str
    row: int
    value: Decimal | None  # the cached score in the score column
    formula: str | None  # the formula of that cell (None: a constant or empty)


@dataclass
class SheetRead:
    """What was read from a workbook's answer sheet."""

    sheet: str
    layout: str  # EXPORT, OFFICIAL or RECOGNISED
    columns: dict[str, str]  # role -> column letter
    header_row: int | None = None
    placements: dict[int, Placement] = field(default_factory=dict)
    unplaced: list[int] = field(default_factory=list)
    cells: dict[int, dict[str, Any]] = field(default_factory=dict)  # number -> role -> value
    formulas: dict[int, dict[str, str]] = field(default_factory=dict)  # number -> role -> formula
    headings: list[Heading] = field(default_factory=list)
    summary: list[tuple[str, str, str, Decimal]] = field(default_factory=list)
    # (code, sheet, cell, value) read from a summary sheet such as "Utama"
    rows_text: dict[int, str] = field(default_factory=dict)  # row -> its text (for messages)

    def column(self, number: int, role: str) -> str | None:
        return self.columns.get(role)

    def row_of(self, number: int) -> int | None:
        placement = self.placements.get(number)
        return placement.row if placement else None


class LayoutError(Exception):
    """The workbook holds no LKE this module can read; the message says what it looked for."""


# --------------------------------------------------------------------------- values


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def as_decimal(value: Any) -> Decimal | None:
    """A cached cell value as a number (None when it is not one)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        try:
            return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return None
    if isinstance(value, str):
        text = value.strip().replace(",", ".") if value.count(",") == 1 else value.strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _formula(value: Any) -> str | None:
    return value if isinstance(value, str) and value.startswith("=") else None


# --------------------------------------------------------------------------- reading a book


def _sheet_rows(sheet) -> list[tuple]:
    rows = []
    for index, values in enumerate(
        sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True), start=1
    ):
        rows.append(tuple(values))
        if index >= MAX_ROWS:
            break
    return rows


def _at(rows: list[tuple], row: int, col: int) -> Any:
    if row - 1 >= len(rows):
        return None
    values = rows[row - 1]
    return values[col - 1] if col - 1 < len(values) else None


def read_fixed(values_book, formula_book, spec: FrameworkSpec, *, ours: bool) -> SheetRead | None:
    """The framework's own answer sheet, each question on its official row (None: absent)."""
    first = spec.questions[0].excel
    if first.sheet not in values_book.sheetnames:
        return None
    columns = {
        UNIT_ANSWER: first.unit_answer,
        UNIT_NOTE: first.unit_note,
        TPI_ANSWER: first.tpi_answer,
        TPI_NOTE: first.tpi_note,
    }
    if not ours:
        # The official spreadsheet's evidence column holds the unit's links; this
        # application's export writes there the links it already has.
        columns[LINK] = first.unit_evidence
    read = SheetRead(sheet=first.sheet, layout=EXPORT if ours else OFFICIAL, columns=columns)
    rows = _sheet_rows(values_book[first.sheet])
    from openpyxl.utils import column_index_from_string

    for q in spec.questions:
        row = q.excel.row
        read.placements[q.number] = Placement(q.number, row, "row", "")
        read.cells[q.number] = {
            role: _clean(_at(rows, row, column_index_from_string(letter)))
            for role, letter in columns.items()
        }
        read.cells[q.number]["A"] = _clean(_at(rows, row, 1))
    return read


def _header_roles(texts: dict[int, str], below: dict[int, str]) -> dict[str, int]:
    """Column roles from a header row's normalised texts (and the row below, where a merged
    "Jawaban" heading splits into "Unit | TPI")."""
    roles: dict[str, int] = {}
    for col in sorted(texts):
        text = texts[col]
        sub = below.get(col, "")
        tpi = "tpi" in text.split() or "tpi" in sub.split()
        if text.startswith("pilihan jawaban") or text in ("jenis jawaban", "tipe jawaban"):
            roles.setdefault(TYPE, col)
        elif text.startswith("jawaban") or (text == "" and sub.startswith("jawaban")):
            roles.setdefault(TPI_ANSWER if tpi else UNIT_ANSWER, col)
        elif text.startswith("nilai") and "tpi" not in text:
            roles.setdefault(SCORE, col)
        elif any(w in text for w in ("link", "tautan", "url", "alamat bukti")):
            roles.setdefault(LINK, col)
        elif any(w in text for w in ("bukti", "data dukung", "uraian", "deskripsi", "dokumen")):
            roles.setdefault(EVIDENCE, col)
        elif text.startswith("catatan") or text.startswith("keterangan"):
            roles.setdefault(TPI_NOTE if tpi else UNIT_NOTE, col)
        elif text in ("penilaian", "komponen", "uraian penilaian"):
            roles.setdefault("text", col)
        elif text == "bobot":
            roles.setdefault("weight", col)
    return roles


def _find_header(rows: list[tuple]) -> tuple[int, dict[str, int]] | None:
    for index, values in enumerate(rows[:HEADER_SCAN_ROWS], start=1):
        texts = {c: normal_text(v) for c, v in enumerate(values, start=1) if isinstance(v, str)}
        words = set(texts.values())
        if "jawaban" not in words and not any(t.startswith("jawaban") for t in words):
            continue
        if not ({"penilaian", "bobot", "nilai"} & words):
            continue
        below = {}
        if index < len(rows):
            below = {
                c: normal_text(v) for c, v in enumerate(rows[index], start=1) if isinstance(v, str)
            }
        roles = _header_roles(texts, below)
        if UNIT_ANSWER in roles:
            return index, roles
    return None


def _row_texts(values: tuple, before: int) -> list[str]:
    return [
        normal_text(v)
        for v in values[: before - 1]
        if isinstance(v, str) and len(normal_text(v)) >= 3
    ]


def _close(a: str, b: str) -> bool:
    if not a or not b:
        return False
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 25 and longer.startswith(shorter):
        return True
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= CLOSE_TEXT and matcher.ratio() >= CLOSE_TEXT


def _heading_match(name: str, texts: list[str]) -> bool:
    for text in texts:
        if text == name:
            return True
        shorter, longer = sorted((text, name), key=len)
        if len(shorter) >= 8 and longer.startswith(shorter):
            return True
    return False


def _place_questions(
    spec: FrameworkSpec, rows: list[tuple], header_row: int, answer_col: int
) -> tuple[dict[int, Placement], list[int], dict[int, list[str]]]:
    """Each question's row: the first row after the previous question's with the same text;
    then, for the rest, the one row between its placed neighbours with nearly the same text."""
    texts = {
        r: _row_texts(values, answer_col)
        for r, values in enumerate(rows, start=1)
        if r > header_row
    }
    by_text: dict[str, list[int]] = {}
    for r, row_texts in texts.items():
        for t in set(row_texts):
            by_text.setdefault(t, []).append(r)
    placements: dict[int, Placement] = {}
    last = header_row
    for q in spec.questions:
        candidates = [r for r in by_text.get(normal_text(q.text), []) if r > last]
        if candidates:
            last = candidates[0]
            placements[q.number] = Placement(q.number, last, "text", "")
    used = {p.row for p in placements.values()}
    numbers = [q.number for q in spec.questions]
    for i, q in enumerate(spec.questions):
        if q.number in placements:
            continue
        lo = max((placements[n].row for n in numbers[:i] if n in placements), default=header_row)
        hi = min(
            (placements[n].row for n in numbers[i + 1 :] if n in placements),
            default=len(rows) + 1,
        )
        wanted = normal_text(q.text)
        found = [
            r
            for r in range(lo + 1, hi)
            if r not in used and any(_close(wanted, t) for t in texts.get(r, []))
        ]
        if len(found) == 1:
            placements[q.number] = Placement(q.number, found[0], "close", "")
            used.add(found[0])
    unplaced = [n for n in numbers if n not in placements]
    return placements, unplaced, texts


def _spec_headings(spec: FrameworkSpec) -> list[tuple[str, str, str, int | None]]:
    """(code, kind, name, first question) of every heading, in sheet order."""
    out: list[tuple[str, str, str, int | None]] = []

    def first_of(sub_codes) -> int | None:
        for code in sub_codes:
            qs = spec.questions_of(code)
            if qs:
                return qs[0].number
        return None

    for component in spec.components:
        comp_first = None
        items: list[tuple[str, str, str, int | None]] = []
        for part_code in component.parts:
            part = spec.part(part_code)
            if part.has_areas:
                part_items = []
                for ap in part.areas:
                    first = first_of(ap.sub_areas)
                    part_items.append(
                        (f"{ap.area}@{part.code}", "area_part", spec.area(ap.area).name, first)
                    )
                    for sub in spec.sub_areas_of(ap.area, part.code, nested=True):
                        part_items.append((sub.code, "sub_area", sub.name, first_of([sub.code])))
                pfirst = next((f for *_x, f in part_items if f), None)
            else:
                part_items = []
                pfirst = spec.hasil_item(part.hasil_items[0]).question if part.hasil_items else None
            items.append((part.code, "part", part.name, pfirst))
            items.extend(part_items)
            comp_first = comp_first or pfirst
        out.append((component.code, "component", component.name, comp_first))
        out.extend(items)
    return out


_TOTAL_LABELS = ("total", "nilai total", "total nilai", "nilai akhir", "jumlah nilai", "nilai lke")


def _place_headings(
    spec: FrameworkSpec,
    rows: list[tuple],
    formulas: list[tuple],
    texts: dict[int, list[str]],
    placements: dict[int, Placement],
    header_row: int,
    score_col: int | None,
) -> list[Heading]:
    """Heading rows, each searched only between the question before it and its first
    question (a heading is never taken from another part of the sheet)."""
    if score_col is None:
        return []
    order = [q.number for q in spec.questions]
    position = {n: i for i, n in enumerate(order)}
    headings: list[Heading] = []
    used: set[int] = set()
    lo = header_row
    for code, kind, name, first in _spec_headings(spec):
        if first is None or first not in placements:
            continue
        hi = placements[first].row
        before = [placements[n].row for n in order[: position[first]] if n in placements]
        lo = max([header_row, *before, *(h.row for h in headings if h.row < hi)])
        wanted = normal_text(name)
        for r in range(lo + 1, hi):
            if r in used or not _heading_match(wanted, texts.get(r, [])):
                continue
            used.add(r)
            headings.append(
                Heading(
                    code,
                    kind,
                    name,
                    r,
                    as_decimal(_at(rows, r, score_col)),
                    _formula(_at(formulas, r, score_col)),
                )
            )
            break
    last_question = max((p.row for p in placements.values()), default=header_row)
    for r in range(last_question + 1, len(rows) + 1):
        if any(t in _TOTAL_LABELS for t in texts.get(r, [])):
            value = as_decimal(_at(rows, r, score_col))
            if value is not None:
                headings.append(
                    Heading(
                        "total",
                        "total",
                        _("Total"),
                        r,
                        value,
                        _formula(_at(formulas, r, score_col)),
                    )
                )
                break
    return headings


_SUMMARY_LABELS = {
    "pengungkit": "pengungkit",
    "komponen pengungkit": "pengungkit",
    "hasil": "hasil",
    "komponen hasil": "hasil",
    **dict.fromkeys(_TOTAL_LABELS, "total"),
    "nilai evaluasi": "total",
    "total nilai evaluasi": "total",
}


def _summary(values_book, skip: str) -> list[tuple[str, str, str, Decimal]]:
    """Totals a summary sheet ("Utama") states: a label, then its number to the right."""
    found: list[tuple[str, str, str, Decimal]] = []
    seen: set[str] = set()
    for name in values_book.sheetnames:
        if name == skip:
            continue
        rows = _sheet_rows(values_book[name])[:200]
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                code = _SUMMARY_LABELS.get(normal_text(value)) if isinstance(value, str) else None
                if code is None or code in seen:
                    continue
                for c2 in range(c + 1, min(len(values), c + 6) + 1):
                    number = as_decimal(values[c2 - 1])
                    if number is not None:
                        seen.add(code)
                        found.append((code, name, f"{get_column_letter(c2)}{r}", number))
                        break
    return found


def read_recognised(values_book, formula_book, spec: FrameworkSpec) -> SheetRead:
    """The sheet whose header row and question texts match the master list best."""
    best: tuple[int, str, int, dict[str, int], list[tuple]] | None = None
    for name in values_book.sheetnames:
        rows = _sheet_rows(values_book[name])
        header = _find_header(rows)
        if header is None:
            continue
        header_row, roles = header
        placements, _unplaced, _texts = _place_questions(spec, rows, header_row, roles[UNIT_ANSWER])
        if best is None or len(placements) > best[0]:
            best = (len(placements), name, header_row, roles, rows)
    if best is None or best[0] == 0:
        raise LayoutError(
            _(
                "no sheet has the LKE header row (“Penilaian | Bobot | … | Pilihan Jawaban | "
                "Jawaban | Nilai | … | Catatan”) above the master list's questions"
            )
        )
    _count, name, header_row, roles, rows = best
    formulas = _sheet_rows(formula_book[name]) if formula_book is not None else []
    answer_col = roles[UNIT_ANSWER]
    placements, unplaced, texts = _place_questions(spec, rows, header_row, answer_col)
    # A link column without a heading: the column right of the answer where links are.
    if LINK not in roles:
        counts: dict[int, int] = {}
        for p in placements.values():
            for c, v in enumerate(rows[p.row - 1], start=1):
                if c > answer_col and isinstance(v, str) and URL.search(v):
                    counts[c] = counts.get(c, 0) + 1
        if counts:
            roles[LINK] = max(counts, key=counts.get)
    if LINK in roles and EVIDENCE not in roles:
        left = roles[LINK] - 1
        if left > answer_col and left not in roles.values():
            roles[EVIDENCE] = left
    columns = {
        role: get_column_letter(col)
        for role, col in roles.items()
        if role not in ("text", "weight")
    }
    read = SheetRead(sheet=name, layout=RECOGNISED, columns=columns, header_row=header_row)
    for number, p in placements.items():
        shown = next((t for t in texts.get(p.row, []) if t), "")
        read.placements[number] = Placement(number, p.row, p.how, shown[:80])
        read.cells[number] = {
            role: _clean(_at(rows, p.row, col))
            for role, col in roles.items()
            if role not in ("text", "weight")
        }
        read.formulas[number] = {
            role: f
            for role, col in roles.items()
            if (f := _formula(_at(formulas, p.row, col))) is not None
        }
    read.unplaced = unplaced
    read.headings = _place_headings(
        spec, rows, formulas, texts, placements, header_row, roles.get(SCORE)
    )
    read.rows_text = {r: (t[0] if t else "") for r, t in texts.items()}
    read.summary = _summary(values_book, name)
    return read


def open_books(data: bytes):
    """The workbook twice: with the cached values of its formulas, and with the formulas."""
    import openpyxl

    values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:
        formulas = None
    return values, formulas
