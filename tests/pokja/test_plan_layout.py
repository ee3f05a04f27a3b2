"""Reading a unit's own rencana aksi workbook, without the database: the header under title
rows, loose headers, a month grid (marks and fills), merged area cells, loose statuses and
dates, rows of another Pokja, item codes."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pokja.plan_columns import recognise
from pokja.plan_import import PlanImportContext, check_table
from pokja.plan_layout import (
    Area,
    area_of,
    find_layout,
    guess_field,
    is_marked,
    loose_date,
    loose_period,
    loose_status,
    month_of,
)
from pokja.spreadsheets import read_table
from tests.pokja.plan_books import dated_workbook, grid_workbook

AREAS = (
    Area(1, "MP", "Manajemen Perubahan"),
    Area(2, "TL", "Penataan Tatalaksana"),
    Area(3, "SDM", "Penataan Sistem Manajemen SDM Aparatur"),
)
CONTEXT = PlanImportContext(
    sub_areas={"mp.p.i": 1, "mp.p.ii": 2},
    sub_area_codes=["MP.P.i", "MP.P.ii"],
    questions={1: {}, 2: {}},
    members={"ketua1": 7, "anggota1": 8},
    member_names={"siti aminah": 8, "budi santoso": 7},
    year=2026,
    number=1,
    areas=AREAS,
    sub_area_names={"penyusunantimkerja": 1},
)


def _read(data: bytes):
    filled: set = set()
    table = read_table(SimpleUploadedFile("rencana.xlsx", data), filled=filled)
    return table, filled, find_layout(table, recognise)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("No", ""),
        ("Area Perubahan", "area"),
        ("POKJA", "area"),
        ("Kegiatan", "judul"),
        ("Rencana Aksi", "judul"),
        ("Uraian Kegiatan", "uraian"),
        ("Output", "keluaran"),
        ("Keluaran", "keluaran"),
        ("Target", "keluaran"),
        ("Target Waktu", "tanggal_selesai"),
        ("Batas Waktu", "tanggal_selesai"),
        ("Tenggat", "tanggal_selesai"),
        ("Waktu Mulai", "tanggal_mulai"),
        ("Tanggal Mulai", "tanggal_mulai"),
        ("Penanggung Jawab", "penanggung_jawab"),
        ("PIC", "penanggung_jawab"),
        ("Status", "status"),
        ("Keterangan", "status"),
        ("Januari", "bulan_1"),
        ("Des", "bulan_12"),
        ("Agt", "bulan_8"),
        ("Kode", "kode"),
        ("Waktu Pelaksanaan", "waktu"),
        ("Jadwal", "waktu"),
        ("Sub-area LKE", "sub_area"),  # the template's own header
        ("Terlambat", ""),  # what an export adds: read and ignored
        ("Warna", None),
    ],
)
def test_loose_headers_are_recognised(header, field):
    assert guess_field(header, recognise) == field


def test_a_month_grid_under_title_rows_reads_into_dates_statuses_and_owners():
    table, filled, layout = _read(grid_workbook())
    assert layout.header_row == 5 and layout.data_index == 6  # the months are on row 6
    fields = [c.field for c in layout.columns]
    assert fields[:5] == ["", "area", "judul", "keluaran", "penanggung_jawab"]
    assert fields[5:17] == [f"bulan_{m}" for m in range(1, 13)] and fields[17] == "status"
    rows, errors = check_table(
        table, CONTEXT, layout, layout.guessed(), default_sub_area_id=2, filled=filled
    )
    assert errors == []
    assert [(r.row, r.start_date, r.due_date, r.status, r.progress) for r in rows] == [
        (7, datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), "selesai", 100),
        (8, datetime.date(2026, 2, 1), datetime.date(2026, 4, 30), "berjalan", 0),
        # Marked by colour only.
        (9, datetime.date(2026, 6, 1), datetime.date(2026, 7, 31), "belum_mulai", 0),
        (10, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), "berjalan", 50),
    ]
    assert [r.owner_ids for r in rows] == [(7,), (8,), (), (7, 8)]
    assert {r.sub_area_id for r in rows} == {2}  # the sub-area chosen for rows without one


def test_a_row_of_another_pokja_is_refused_naming_the_area_and_merged_cells_carry_it():
    rows = [
        ("Penataan Tata Laksana", "Menyusun SOP", "SOP", "", {3: "x"}, ""),
        (None, "Reviu SOP", "Laporan", "", {4: "x"}, ""),  # merged: still Pokja 2
        ("I", "Rapat tim", "Notulen", "", {5: "x"}, ""),  # roman numeral: Pokja 1
    ]
    table, filled, layout = _read(grid_workbook(rows))
    found, errors = check_table(
        table, CONTEXT, layout, layout.guessed(), default_sub_area_id=1, filled=filled
    )
    assert [(e.row, e.column, e.value) for e in errors] == [
        (7, "Area Perubahan", "Penataan Tata Laksana"),
        (8, "Area Perubahan", "Pokja 2 · Penataan Tatalaksana"),
    ]
    assert "Pokja 2 · Penataan Tatalaksana" in errors[0].message
    assert [r.title for r in found] == ["Rapat tim"]


def test_a_heading_row_naming_only_an_area_is_skipped():
    table = [
        ["Pokja", "Kegiatan", "Tanggal Mulai", "Batas Waktu"],
        ["1. Manajemen Perubahan", None, None, None],
        [None, "Rapat", "2026-01-05", "2026-01-06"],
        [None, "II. PENATAAN TATALAKSANA", None, None],  # a heading in the activity column
        [None, "Menyusun SOP", "2026-01-05", "2026-01-06"],
    ]
    layout = find_layout(table, recognise)
    rows, errors = check_table(table, CONTEXT, layout, layout.guessed(), default_sub_area_id=1)
    assert [r.title for r in rows] == ["Rapat"]
    assert [(e.row, e.message[:20]) for e in errors] == [(5, "This row is of Pokja")]


def test_loose_dates_and_a_changed_mapping():
    data = dated_workbook(
        [
            ("1", "Sosialisasi", "Foto", "ketua1", "1 Maret 2026", "Juni", "Belum dimulai"),
            ("", "Reviu", "Laporan", "anggota1", "Mei 2026", "15/07/2026", "Sedang berjalan"),
        ]
    )
    table, _filled, layout = _read(data)
    assert layout.header_row == 2
    rows, errors = check_table(table, CONTEXT, layout, layout.guessed(), default_sub_area_id=1)
    assert errors == []
    assert [(r.start_date, r.due_date, r.status) for r in rows] == [
        (datetime.date(2026, 3, 1), datetime.date(2026, 6, 30), "belum_mulai"),
        (datetime.date(2026, 5, 1), datetime.date(2026, 7, 15), "berjalan"),
    ]
    # The person says "Keterangan" is a description, not a status: every row is Belum mulai.
    mapping = {**layout.guessed(), 7: "uraian"}
    rows, errors = check_table(table, CONTEXT, layout, mapping, default_sub_area_id=1)
    assert errors == []
    assert [(r.description, r.status) for r in rows] == [
        ("Belum dimulai", "belum_mulai"),
        ("Sedang berjalan", "belum_mulai"),
    ]


def test_mapping_problems_are_named_on_the_header_row():
    table = [["Judul kegiatan", "Tenggat", "Catatan"], ["A", "2026-01-01", "x"]]
    layout = find_layout(table, recognise)
    _rows, errors = check_table(table, CONTEXT, layout, {0: "judul", 1: "judul"})
    assert [(e.row, e.column) for e in errors] == [
        (1, "Judul kegiatan, Tenggat"),  # two columns for one field
        (1, "Start date"),
        (1, "Due date"),
        (1, "LKE sub-area"),  # no column, no sub-area chosen
    ]


def test_unknown_owners_and_statuses_are_row_errors_that_say_what_is_allowed():
    table = [
        ["Kegiatan", "PIC", "Mulai", "Selesai", "Status", "Sub Area"],
        ["A", "Joko", "2026-01-01", "2026-01-02", "kurang tahu", "Penyusunan Tim Kerja"],
        ["B", "", "2026-01-01", "2026-01-02", "Diverifikasi", "MP.P.ix"],
    ]
    layout = find_layout(table, recognise)
    _rows, errors = check_table(table, CONTEXT, layout, layout.guessed())
    found = [(e.row, e.column, e.value) for e in errors]
    assert found == [
        (2, "PIC", "Joko"),
        (2, "Status", "kurang tahu"),
        (3, "Sub Area", "MP.P.ix"),
        (3, "Status", "Diverifikasi"),  # a new item is not verified by an import
    ]
    assert "choose “ignore” for this column" in errors[0].message
    assert "Sedang berjalan" in errors[1].message


def test_item_codes_name_items_of_this_pokja_once():
    table = [
        ["Kode", "Kegiatan", "Mulai", "Selesai"],
        ["RA 1.2", "A", "2026-01-01", "2026-01-02"],
        ["RA 3.1", "B", "2026-01-01", "2026-01-02"],
        ["ra1.2", "C", "2026-01-01", "2026-01-02"],
        ["kode?", "D", "2026-01-01", "2026-01-02"],
        ["", "E", "2026-01-01", "2026-01-02"],
    ]
    layout = find_layout(table, recognise)
    rows, errors = check_table(table, CONTEXT, layout, layout.guessed(), default_sub_area_id=1)
    assert [(r.title, r.item_number) for r in rows] == [("A", 2), ("E", None)]
    assert [(e.row, e.value) for e in errors] == [(3, "RA 3.1"), (4, "ra1.2"), (5, "kode?")]
    assert "Pokja 3" in errors[0].message and "Row 2" in errors[1].message


def test_a_striped_row_does_not_mark_every_month():
    table = [["Kegiatan", *["Jan", "Feb", "Mar"]], ["A", None, None, None]]
    layout = find_layout(table, recognise)
    striped = {(1, 1), (1, 2), (1, 3)}
    _rows, errors = check_table(
        table, CONTEXT, layout, layout.guessed(), default_sub_area_id=1, filled=striped
    )
    assert [e.column for e in errors] == ["Start date", "Due date"]
    rows, errors = check_table(
        table, CONTEXT, layout, layout.guessed(), default_sub_area_id=1, filled={(1, 2)}
    )
    assert (rows[0].start_date, rows[0].due_date) == (
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 28),
    )


def test_no_header_in_the_first_rows_is_no_layout():
    assert find_layout([["Laporan"], ["x", "y"], [1, 2]], recognise) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Belum", ("belum_mulai", None)),
        ("Belum dimulai", ("belum_mulai", None)),
        ("Proses", ("berjalan", None)),
        ("Sedang Berjalan", ("berjalan", None)),
        ("On Progress", ("berjalan", None)),
        ("Selesai", ("selesai", None)),
        ("Done", ("selesai", None)),
        ("Terverifikasi", ("diverifikasi", None)),
        ("0%", ("belum_mulai", 0)),
        ("75%", ("berjalan", 75)),
        ("100 %", ("selesai", 100)),
        (0.4, ("berjalan", 40)),
        ("150%", None),
        ("entah", None),
    ],
)
def test_loose_statuses(value, expected):
    assert loose_status(value) == expected


def test_loose_months_marks_dates_and_areas():
    assert [month_of(t) for t in ("Januari", "PEB", "Mei", "Nop", "Okt.", "x")] == [
        1,
        2,
        5,
        11,
        10,
        None,
    ]
    assert [is_marked(v) for v in ("x", "v", "✓", 1, "●", None, "", "-", 0)] == [
        *[True] * 5,
        *[False] * 4,
    ]
    assert loose_date("Februari", 2028, end=True) == datetime.date(2028, 2, 29)
    assert loose_date("31 Desember 2026", None, end=False) == datetime.date(2026, 12, 31)
    assert loose_date("30 Februari 2026", None, end=False) is None
    assert loose_date("Triwulan I", 2026, end=True) is None
    named = [area_of(t, AREAS) for t in ("Pokja 2", "3", "TL", "Area I. Manajemen", "Lain", "")]
    assert [a.number if a else None for a in named] == [2, 3, 2, 1, None, None]


@pytest.mark.parametrize(
    ("text", "start", "due"),
    [
        ("Januari - Maret", (2026, 1, 1), (2026, 3, 31)),
        ("Jan s.d. Mar 2027", (2027, 1, 1), (2027, 3, 31)),
        ("Maret s/d Juni", (2026, 3, 1), (2026, 6, 30)),
        ("Oktober", (2026, 10, 1), (2026, 10, 31)),  # "to" inside a month is no range
        ("Triwulan II", (2026, 4, 1), (2026, 6, 30)),
        ("TW IV", (2026, 10, 1), (2026, 12, 31)),
        ("Semester I", (2026, 1, 1), (2026, 6, 30)),
        ("Setiap bulan", (2026, 1, 1), (2026, 12, 31)),
        ("Mei sampai dengan Juli", (2026, 5, 1), (2026, 7, 31)),
        ("2026-03-01", (2026, 3, 1), (2026, 3, 1)),
    ],
)
def test_loose_periods(text, start, due):
    assert loose_period(text, 2026) == (datetime.date(*start), datetime.date(*due))


@pytest.mark.parametrize("text", ["x", "Maret - Januari", "Triwulan V", "1 - 2 - 3"])
def test_what_is_no_period(text):
    assert loose_period(text, 2026) is None


def test_a_period_column_gives_the_dates_and_a_bad_one_says_what_is_allowed():
    table = [
        ["No", "Uraian Kegiatan", "Rencana Aksi", "Waktu Pelaksanaan", "PIC"],
        [1, "", "Sosialisasi", "Februari - April", "ketua1"],
        [2, "", "Reviu", "akhir tahun", ""],
    ]
    layout = find_layout(table, recognise)
    assert [c.field for c in layout.columns] == ["", "uraian", "judul", "waktu", "penanggung_jawab"]
    rows, errors = check_table(table, CONTEXT, layout, layout.guessed(), default_sub_area_id=1)
    assert [(r.start_date, r.due_date) for r in rows] == [
        (datetime.date(2026, 2, 1), datetime.date(2026, 4, 30))
    ]
    assert [(e.row, e.column, e.value) for e in errors] == [(3, "Waktu Pelaksanaan", "akhir tahun")]
    assert "Triwulan II" in errors[0].message
