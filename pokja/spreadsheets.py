"""Spreadsheet exports that never turn user text into formulas. Every export uses these.

Text typed by users (titles, notes, names, survey comments) can start with `=`, `+`, `-`,
`@`, a tab or a carriage return; a spreadsheet program opening a naive export would run it
as a formula ("formula injection", e.g. `=HYPERLINK(...)` or DDE commands).

- XLSX (`xlsx_workbook`, `xlsx_append`, `xlsx_response`): every text value is stored as a
  text cell, never as a formula or an error code; text that looks like a formula also gets
  Excel's "quote prefix", so that editing the cell keeps it text. Numbers, dates and
  decimals stay numbers and dates.
- CSV (`csv_response`, `csv_rows`): a CSV cell has no type, so text that looks like a
  formula is written with a leading apostrophe (`safe_cell`), as OWASP recommends.
"""

from __future__ import annotations

import csv
import datetime
import io
import math
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from pokja.uploads import safe_display_name

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def safe_cell(value: Any) -> Any:
    """`value` for a cell without type (CSV): formula-like text gets a leading apostrophe.

    Numbers, dates and other non-text values are returned unchanged (a negative number is a
    number, not a formula).
    """
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


def _clean_text(text: str) -> str:
    # Control characters other than tab, newline and CR cannot be stored in XLSX at all.
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_CHARS]


def safe_sheet_title(title: str) -> str:
    cleaned = _SHEET_TITLE_FORBIDDEN.sub(" ", _clean_text(title)).strip().strip("'")
    return cleaned[:31] or "Sheet"


def xlsx_workbook() -> Workbook:
    """A new write-only workbook (streams rows; add sheets with `xlsx_sheet`)."""
    return Workbook(write_only=True)


def xlsx_sheet(workbook: Workbook, title: str):
    return workbook.create_sheet(title=safe_sheet_title(title))


def _xlsx_cell(sheet, value: Any):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)  # XLSX has no time zones
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    if value is None or isinstance(
        value, bool | int | float | Decimal | datetime.date | datetime.time
    ):
        return WriteOnlyCell(sheet, value=value)
    text = _clean_text(value if isinstance(value, str) else str(value))
    cell = WriteOnlyCell(sheet, value=text)
    # Text stays text: never a formula (=...) nor an error code (#N/A ...).
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    return cell


def xlsx_append(sheet, values: Iterable[Any]) -> None:
    """Append one row; text is written as text (see the module's doc)."""
    sheet.append([_xlsx_cell(sheet, value) for value in values])


def xlsx_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = content_disposition_header(True, safe_display_name(filename))
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_response(workbook: Workbook, filename: str) -> HttpResponse:
    return _attachment(HttpResponse(xlsx_bytes(workbook), content_type=XLSX_CONTENT_TYPE), filename)


def csv_rows(rows: Iterable[Iterable[Any]]) -> str:
    """CSV text (with a byte-order mark, so Excel reads UTF-8) with every cell made safe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def csv_response(rows: Iterable[Iterable[Any]], filename: str) -> HttpResponse:
    return _attachment(
        HttpResponse(csv_rows(rows), content_type="text/csv; charset=utf-8"), filename
    )
