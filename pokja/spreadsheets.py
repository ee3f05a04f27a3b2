"""Small spreadsheets in and out: reading uploaded CSV/XLSX tables safely, writing XLSX/CSV.

No ORM here. Uploads are untrusted: an XLSX file is a ZIP archive whose parts can inflate to
gigabytes, so the archive's entry count and total uncompressed size are checked before openpyxl
opens it (Python's zipfile never inflates an entry past the size its header declares, so the
declared sizes bound the work). XML entity expansion is refused by the expat parser itself
(expat >= 2.4). Anything written out that a spreadsheet program could take for a formula
(a text starting with = + - @, a tab or a carriage return) is written as text.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_XLSX_ENTRIES = 200
MAX_XLSX_UNCOMPRESSED_BYTES = 30 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 50
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | datetime.date | datetime.datetime | None


class SpreadsheetError(ValueError):
    """The upload cannot be read as a table; the message says why and what is accepted."""


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def csv_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet program will show as text, not run as a formula."""
    if looks_like_formula(value):
        return "'" + value
    return value


def strip_csv_guard(value: str) -> str:
    """Undo `csv_safe` on a value read back from a CSV file."""
    if value.startswith("'") and looks_like_formula(value[1:]):
        return value[1:]
    return value


# --------------------------------------------------------------------------- reading


def read_table(uploaded, *, max_rows: int = MAX_ROWS) -> list[list[Cell]]:
    """The first sheet of an uploaded .xlsx or .csv file as rows of cells (header first).

    Raises SpreadsheetError with a message for the person who uploaded it.
    """
    name = PurePath(getattr(uploaded, "name", "") or "").suffix.lower()
    size = getattr(uploaded, "size", None)
    if size is None or size == 0:
        raise SpreadsheetError(_("The file is empty."))
    if size > MAX_UPLOAD_BYTES:
        raise SpreadsheetError(
            _("The file is %(size).1f MB; the limit for an import is %(limit)d MB.")
            % {"size": size / 1_048_576, "limit": MAX_UPLOAD_BYTES // 1_048_576}
        )
    uploaded.seek(0)
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if name == ".xlsx":
        rows = _read_xlsx(data, max_rows)
    elif name == ".csv":
        rows = _read_csv(data, max_rows)
    else:
        raise SpreadsheetError(
            _("Upload the template as an .xlsx (Excel) or .csv file; “%(suffix)s” is not accepted.")
            % {"suffix": name or _("(no extension)")}
        )
    return [_trim(row) for row in rows]


def _trim(row: Sequence[Cell]) -> list[Cell]:
    cells = [c.strip() if isinstance(c, str) else c for c in row[:MAX_COLUMNS]]
    while cells and cells[-1] in (None, ""):
        cells.pop()
    return cells


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an XLSX archive that is not a ZIP file or would inflate beyond the limits."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(_("The file is not a valid .xlsx workbook."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SpreadsheetError(_("The file is not a valid .xlsx workbook.")) from None
    if len(entries) > MAX_XLSX_ENTRIES:
        raise SpreadsheetError(
            _("The workbook has %(count)d parts; at most %(limit)d are accepted.")
            % {"count": len(entries), "limit": MAX_XLSX_ENTRIES}
        )
    total = sum(entry.file_size for entry in entries)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise SpreadsheetError(
            _(
                "The workbook would unpack to %(size)d MB; at most %(limit)d MB are accepted. "
                "Save only the plan's sheet and try again."
            )
            % {
                "size": total // 1_048_576,
                "limit": MAX_XLSX_UNCOMPRESSED_BYTES // 1_048_576,
            }
        )


def _read_xlsx(data: bytes, max_rows: int) -> list[list[Cell]]:
    check_xlsx_archive(data)
    import openpyxl  # imported here: only imports need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise SpreadsheetError(_("The file is not a valid .xlsx workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[Cell]] = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) > max_rows:
                raise SpreadsheetError(
                    _("The file has more than %(limit)d rows; split it into several files.")
                    % {"limit": max_rows}
                )
            rows.append(list(values))
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(_("The file is not a valid .xlsx workbook.")) from None
    finally:
        workbook.close()
    return rows


def _read_csv(data: bytes, max_rows: int) -> list[list[Cell]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything; kept for safety
        raise SpreadsheetError(_("The CSV file must be saved as UTF-8 text."))
    if "\x00" in text:
        raise SpreadsheetError(_("This is not a CSV text file."))
    first_line = text.split("\n", 1)[0]
    # Spreadsheet programs set to Indonesian save CSV with semicolons.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows: list[list[Cell]] = []
    try:
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) > max_rows:
                raise SpreadsheetError(
                    _("The file has more than %(limit)d rows; split it into several files.")
                    % {"limit": max_rows}
                )
            rows.append([strip_csv_guard(v) for v in values])
    except csv.Error as exc:
        raise SpreadsheetError(
            _("The CSV file could not be read (line %(line)d).") % {"line": len(rows) + 1}
        ) from exc
    return rows


# --------------------------------------------------------------------------- writing


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]] = ()
    widths: Sequence[int] = field(default_factory=tuple)


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """A workbook with one sheet per `Sheet`; the header bold and frozen, text kept as text."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(title=spec.title[:31])
        for column, title in enumerate(spec.header, start=1):
            _write_cell(sheet, 1, column, title).font = bold
        for row_number, row in enumerate(spec.rows, start=2):
            for column, value in enumerate(row, start=1):
                _write_cell(sheet, row_number, column, value)
        for column, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(column)].width = width
        if spec.header:
            sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_cell(sheet, row: int, column: int, value: Any):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        # openpyxl itself writes strings starting with "=" as formulas.
        cell.value = "".join(ch for ch in value if ch in "\t\n\r" or ch >= " ")
        if looks_like_formula(value):
            cell.data_type = "s"
            cell.quotePrefix = True
    else:
        cell.value = value
        if isinstance(value, datetime.date):
            cell.number_format = "yyyy-mm-dd"
    return cell


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(v) for v in header])
    for row in rows:
        writer.writerow([csv_safe("" if v is None else v) for v in row])
    return out.getvalue()
