"""Small spreadsheets in and out: reading uploaded CSV/XLSX tables safely, writing XLSX/CSV.
Every import and export of the project goes through here: its CSV reader and encoding
policy (`decode_csv`, `csv_records`), its cell writer (`fill_cell`, used by every XLSX the
application makes, the LKE workbook's own layout included) and its CSV writers
(`write_csv`, `csv_rows`, `csv_response`, `csv_streaming_response`). A test makes every
export from hostile stored text and scans the files for live formulas.

No ORM here. Uploads are untrusted: an XLSX file is a ZIP archive whose parts can inflate to
gigabytes, so the archive goes through the shared guard (`pokja.uploads.inspect_archive`:
entry count, unpacked size, entry names, macros, DTDs) before openpyxl opens it.

Text typed by users (titles, notes, names, survey comments) can start with `=`, `+`, `-`,
`@`, a tab or a carriage return; a spreadsheet program opening a naive export would run it
as a formula ("formula injection", e.g. `=HYPERLINK(...)` or DDE commands). So:
- XLSX (`write_xlsx`, or `xlsx_workbook`/`xlsx_sheet`/`xlsx_append` to stream rows): every
  text value is stored as a text cell, never as a formula or an error code; formula-like text
  also gets Excel's "quote prefix", so that editing the cell keeps it text. Numbers, dates
  and decimals stay numbers and dates.
- CSV (`write_csv`, `csv_rows`, `csv_response`, `csv_streaming_response`): a CSV cell has no
  type, so formula-like text is written with a leading apostrophe (`safe_cell`), as OWASP
  recommends; reading strips it again (`strip_csv_guard`).

CSV files are read as UTF-8 (with or without the byte-order mark Excel writes), else as
Windows-1252, what Excel's plain "CSV" saves on Windows; UTF-16 text and workbooks saved
under a .csv name are refused with how to save the file instead.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from pokja.uploads import (
    ArchiveProblem,
    archive_problem_message,
    inspect_archive,
    safe_display_name,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_XLSX_ENTRIES = 200
MAX_XLSX_UNCOMPRESSED_BYTES = 30 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 50
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | datetime.date | datetime.datetime | None
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
_ILLEGAL_XLSX_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class SpreadsheetError(ValueError):
    """The upload cannot be read as a table; the message says why and what is accepted.
    ``line``: the line of a CSV file the problem is on, when it is on one; ``reason``: the
    message without the line, for callers that name the line themselves."""

    def __init__(self, message: str, *, line: int | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.reason = reason or message


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def safe_cell(value: Any) -> Any:
    """`value` for a cell without type (CSV): formula-like text gets a leading apostrophe.

    Numbers, dates and other non-text values are returned unchanged (a negative number is a
    number, not a formula).
    """
    if looks_like_formula(value):
        return "'" + value
    return value


csv_safe = safe_cell


def strip_csv_guard(value: str) -> str:
    """Undo `csv_safe` on a value read back from a CSV file."""
    if value.startswith("'") and looks_like_formula(value[1:]):
        return value[1:]
    return value


# --------------------------------------------------------------------------- reading


def read_table(
    uploaded, *, max_rows: int = MAX_ROWS, filled: set[tuple[int, int]] | None = None
) -> list[list[Cell]]:
    """The first sheet of an uploaded .xlsx or .csv file as rows of cells (header first).
    `filled`, if given, receives the (row, column) indexes of the empty cells of an .xlsx
    sheet that have a coloured fill (a month grid marked by colour).

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
        rows = _read_xlsx(data, max_rows, filled)
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
    """Refuse an XLSX archive that is not a safe workbook (`pokja.uploads.inspect_archive`)."""
    try:
        inspect_archive(
            io.BytesIO(data),
            max_entries=MAX_XLSX_ENTRIES,
            max_uncompressed_bytes=MAX_XLSX_UNCOMPRESSED_BYTES,
            workbook=True,
        )
    except ArchiveProblem as problem:
        if problem.kind == ArchiveProblem.TOO_MANY_ENTRIES:
            message = _("The workbook has %(count)d parts; at most %(limit)d are accepted.") % {
                "count": problem.count,
                "limit": problem.limit,
            }
        elif problem.kind == ArchiveProblem.TOO_LARGE_UNPACKED:
            message = _(
                "The workbook would unpack to %(size)d MB; at most %(limit)d MB are accepted. "
                "Save only the plan's sheet and try again."
            ) % {"size": problem.count // 1_048_576, "limit": problem.limit // 1_048_576}
        elif problem.kind == ArchiveProblem.NOT_AN_ARCHIVE:
            message = _("The file is not a valid .xlsx workbook.")
        else:
            message = archive_problem_message(problem, kind="XLSX")
        raise SpreadsheetError(message) from None


_NO_COLOUR = ("FFFFFFFF", "00000000")


def _is_filled(cell) -> bool:
    fill = getattr(cell, "fill", None)
    if fill is None or fill.fill_type != "solid":
        return False
    color = fill.fgColor
    white = color is not None and color.type == "rgb" and str(color.rgb).upper() in _NO_COLOUR
    return color is not None and not white


def _read_xlsx(
    data: bytes, max_rows: int, filled: set[tuple[int, int]] | None = None
) -> list[list[Cell]]:
    check_xlsx_archive(data)
    import openpyxl  # imported here: only imports need it

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise SpreadsheetError(_("The file is not a valid .xlsx workbook.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[Cell]] = []
        for cells in sheet.iter_rows(values_only=filled is None):
            if len(rows) > max_rows:
                raise SpreadsheetError(
                    _("The file has more than %(limit)d rows; split it into several files.")
                    % {"limit": max_rows}
                )
            if filled is None:
                rows.append(list(cells))
                continue
            values = []
            for index, cell in enumerate(cells[:MAX_COLUMNS]):
                value = getattr(cell, "value", None)
                if value in (None, "") and _is_filled(cell):
                    filled.add((len(rows), index))
                values.append(value)
            rows.append(values)
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(_("The file is not a valid .xlsx workbook.")) from None
    finally:
        workbook.close()
    return rows


def decode_csv(data: bytes) -> str:
    """The text of an uploaded CSV file (the encoding policy in the module's notes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError(_("The file is UTF-16 text; save it as “CSV UTF-8”."))
    if data.startswith(b"PK\x03\x04"):
        raise SpreadsheetError(
            _("This is a spreadsheet workbook (.xlsx), not CSV; save the sheet as “CSV UTF-8”.")
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError as error:
            position = error.start
    else:
        # Bytes that are neither UTF-8 nor Windows-1252: name the line of the first one.
        line = data.count(b"\n", 0, position) + 1
        raise SpreadsheetError(
            _("The file is not UTF-8 text (line %(line)d); save it as “CSV UTF-8”.")
            % {"line": line},
            line=line,
            reason=_("The file is not UTF-8 text; save it as “CSV UTF-8”."),
        )
    if "\x00" in text:
        raise SpreadsheetError(_("This is not a CSV text file."))
    return text


def csv_records(text: str, *, max_rows: int | None = None) -> list[tuple[int, list[str]]]:
    """The records of CSV text, each with the file line it starts on (a quoted cell may span
    lines). Comma, semicolon or tab separated, whichever the first line uses most
    (spreadsheet programs set to Indonesian save CSV with semicolons); the apostrophe our
    exports put before formula-like text is taken off again."""
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    end_of_previous = 0
    try:
        for values in reader:
            if max_rows is not None and len(records) > max_rows:
                raise SpreadsheetError(
                    _("The file has more than %(limit)d rows; split it into several files.")
                    % {"limit": max_rows}
                )
            records.append((end_of_previous + 1, [strip_csv_guard(v) for v in values]))
            end_of_previous = reader.line_num
    except csv.Error as exc:
        raise SpreadsheetError(
            _("The CSV file could not be read (line %(line)d).") % {"line": reader.line_num},
            line=reader.line_num,
            reason=_("The CSV file could not be read (%(error)s).") % {"error": exc},
        ) from exc
    return records


def _read_csv(data: bytes, max_rows: int) -> list[list[Cell]]:
    return [cells for _line, cells in csv_records(decode_csv(data), max_rows=max_rows)]


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
        sheet = workbook.create_sheet(title=safe_sheet_title(spec.title))
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
    fill_cell(cell, value)
    if isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _clean_text(text: str) -> str:
    # Control characters other than tab, newline and CR cannot be stored in XLSX at all.
    return _ILLEGAL_XLSX_CHARACTERS.sub("", text)[:MAX_CELL_CHARS]


def fill_cell(cell, value: Any) -> None:
    """Put `value` in an openpyxl cell: text as text (never a formula or an error code, and
    formula-like text with the quote prefix), numbers and dates as such; aware datetimes in
    the site's time zone (XLSX has no zones). Every XLSX cell the application writes."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    if value is None or isinstance(
        value, bool | int | float | Decimal | datetime.date | datetime.time
    ):
        cell.value = value
        return
    text = _clean_text(value if isinstance(value, str) else str(value))
    cell.value = text
    # openpyxl itself writes strings starting with "=" as formulas, "#N/A" as errors.
    cell.data_type = "s"
    if looks_like_formula(text):
        cell.quotePrefix = True


def write_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([csv_safe(v) for v in header])
    for row in rows:
        writer.writerow([csv_safe("" if v is None else v) for v in row])
    return out.getvalue()


def csv_rows(rows: Iterable[Iterable[Any]]) -> str:
    """CSV text with a byte-order mark (so Excel reads UTF-8), every cell made safe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


# --------------------------------------------------------------------------- streaming


def safe_sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", _clean_text(title)).strip().strip("'")
    return cleaned[:31] or "Sheet"


def xlsx_workbook():
    """A new write-only workbook (streams rows; add sheets with `xlsx_sheet`)."""
    import openpyxl

    return openpyxl.Workbook(write_only=True)


def xlsx_sheet(workbook, title: str):
    return workbook.create_sheet(title=safe_sheet_title(title))


def xlsx_append(sheet, values: Iterable[Any]) -> None:
    """Append one row to a write-only sheet; text is written as text."""
    from openpyxl.cell import WriteOnlyCell

    row = []
    for value in values:
        cell = WriteOnlyCell(sheet)
        fill_cell(cell, value)
        row.append(cell)
    sheet.append(row)


def xlsx_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, safe_display_name(filename))
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(workbook_or_bytes, filename: str) -> HttpResponse:
    """A download of a workbook (or the bytes of one, e.g. from `write_xlsx`)."""
    data = (
        workbook_or_bytes if isinstance(workbook_or_bytes, bytes) else xlsx_bytes(workbook_or_bytes)
    )
    return _attachment(HttpResponse(data, content_type=XLSX_CONTENT_TYPE), filename)


def csv_response(rows: Iterable[Iterable[Any]], filename: str) -> HttpResponse:
    return _attachment(
        HttpResponse(csv_rows(rows), content_type="text/csv; charset=utf-8"), filename
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return safe_cell(value)


def csv_streaming_response(rows: Iterable[Iterable[Any]], filename: str) -> StreamingHttpResponse:
    """A CSV download written row by row (long tables), with a byte-order mark for Excel and
    every cell made safe, as `csv_rows`."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")

    def lines():
        yield "\ufeff"
        for row in rows:
            yield writer.writerow([_csv_value(value) for value in row])

    return _attachment(
        StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8"), filename
    )
