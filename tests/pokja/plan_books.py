"""Rencana aksi workbooks as units keep them, built with openpyxl: title rows above the header,
loose Indonesian headers, a month grid headed on two rows and marked with "x", "v", "✓", 1 or
a fill, an area column merged over its rows, statuses written loosely."""

from __future__ import annotations

import io
import itertools

from openpyxl import Workbook
from openpyxl.styles import PatternFill

MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
YELLOW = PatternFill(fill_type="solid", fgColor="FFFFFF00")

# (area, activity, output, owner, months marked -> mark, status)
GRID_ROWS = [
    (
        "Manajemen Perubahan",
        "Menyusun SK Tim Pokja ZI",
        "SK Kapolres",
        "ketua1",
        {1: "x"},
        "Selesai",
    ),
    (
        None,
        "Sosialisasi ZI ke seluruh Polsek",
        "Notulen, foto",
        "Siti Aminah",
        {2: "v", 3: "✓", 4: 1},
        "Proses",
    ),
    (None, "Survei budaya kerja", "Laporan survei", "", {6: "fill", 7: "fill"}, "Belum"),
    (
        None,
        "Monitoring dan evaluasi bulanan",
        "Laporan monev",
        "ketua1; Siti Aminah",
        dict.fromkeys(range(1, 13), "x"),
        "50%",
    ),
]


def _save(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def grid_workbook(rows=GRID_ROWS, *, status_header="Status", title_rows=3, signature=True) -> bytes:
    """Title rows, then "No | Area Perubahan | Rencana Aksi | Output | Penanggung Jawab |
    Waktu Pelaksanaan (Jan..Des on the row below) | Status"; the area merged down; the
    signature block under the table."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Rencana Aksi"
    titles = ["RENCANA AKSI PEMBANGUNAN ZONA INTEGRITAS", "POLRES LABUHANBATU", "TAHUN 2026"]
    for text in titles[:title_rows]:
        sheet.append([text])
    sheet.append([])
    header = sheet.max_row + 1
    sheet.append(
        [
            "No",
            "Area Perubahan",
            "Rencana Aksi",
            "Output",
            "Penanggung Jawab",
            "Waktu Pelaksanaan",
            *[None] * 11,
            status_header,
        ]
    )
    sheet.append([None] * 5 + MONTHS + [None])
    sheet.merge_cells(start_row=header, start_column=6, end_row=header, end_column=17)
    first = sheet.max_row + 1
    for number, (area, title, output, owner, marks, status) in enumerate(rows, start=1):
        cells = [number, area, title, output, owner]
        months = [None] * 12
        for month, mark in marks.items():
            months[month - 1] = None if mark == "fill" else mark
        sheet.append([*cells, *months, status])
        for month, mark in marks.items():
            if mark == "fill":
                sheet.cell(row=sheet.max_row, column=5 + month).fill = YELLOW
    # Each area's cell merged over its rows, as units lay them out.
    starts = [first + i for i, row in enumerate(rows) if row[0]] + [sheet.max_row + 1]
    for start, end in itertools.pairwise(starts):
        if end - 1 > start:
            sheet.merge_cells(start_row=start, start_column=2, end_row=end - 1, end_column=2)
    if signature:  # under the table, in the owner's column, as units sign their plans
        sheet.append([])
        for line in SIGNATURE:
            sheet.append([None] * 4 + [line])
    return _save(book)


SIGNATURE = [
    "Labuhanbatu, 2 Januari 2026",
    "Mengetahui,",
    "KAPOLRES LABUHANBATU",
    None,
    "AKBP Budi Santoso, S.I.K.",
    "NRP 78010123",
]


def dated_workbook(rows, *, header=None) -> bytes:
    """One title row, then loose headers with dates: "No | Pokja | Kegiatan | Keluaran | PIC |
    Tanggal Mulai | Batas Waktu | Keterangan"."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Rencana Aksi ZI 2026"])
    sheet.append(
        header
        or [
            "No",
            "Pokja",
            "Kegiatan",
            "Keluaran",
            "PIC",
            "Tanggal Mulai",
            "Batas Waktu",
            "Keterangan",
        ]
    )
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    return _save(book)


def preview_choices(html: str) -> dict[str, str]:
    """The preview form's values as the page shows them: the hidden token and signature, and
    the option selected in each select (the first when none is)."""
    import re

    form = html[html.index('data-testid="import-preview"') :]
    form = form[: form.index("</form>")]
    values = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    for name, body in re.findall(r'<select name="(\w+)"[^>]*>(.*?)</select>', form, re.S):
        options = re.findall(r'<option value="([^"]*)"( selected)?', body)
        chosen = [value for value, selected in options if selected]
        values[name] = chosen[0] if chosen else (options[0][0] if options else "")
    return {k: v.replace("&quot;", '"').replace("&amp;", "&") for k, v in values.items()}


def confirm_import(client, url: str, preview_response, *, action="import", **changes):
    """Post the preview's form back, with `changes` (field name -> value), as the button
    `action` ("import" or "preview") does."""
    values = preview_choices(preview_response.content.decode())
    values.update(changes)
    return client.post(url, {**values, "action": action})


def row_actions(html: str) -> list[str]:
    """What the preview's table says of each row: new, update or unchanged."""
    import re

    table = html[html.index('data-testid="import-rows"') :]
    table = table[: table.index("</table>")]
    return re.findall(r'<tr data-row="\d+" data-action="(\w+)"', table)
