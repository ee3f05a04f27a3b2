"""Importing a plan from the XLSX/CSV template: all or nothing, every bad row named, archives
checked before they are opened; templates and exports keep formula-like text as text."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from pokja import services
from pokja.models import ActionPlanItem
from pokja.plan_columns import HEADER, header_row
from pokja.plan_import import PlanImportContext, check_rows
from pokja.spreadsheets import (
    MAX_XLSX_ENTRIES,
    Sheet,
    SpreadsheetError,
    csv_safe,
    read_table,
    write_csv,
    write_xlsx,
)
from tests.factories import make_plan_item
from tests.pokja.plan_books import confirm_import

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_upload(rows, name="rencana.xlsx", header=HEADER):
    return SimpleUploadedFile(name, write_xlsx([Sheet("Rencana aksi", header, rows)]), XLSX)


def csv_upload(text: str, name="rencana.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), "text/csv")


GOOD_ROWS = [
    [
        "Menyusun SK Tim Pokja ZI",
        "SK Kapolres tentang tim pembangunan ZI",
        "MP.P.i",
        "1, 2",
        "SK yang ditandatangani",
        "Tim terbentuk dengan uraian tugas",
        "ketua1",
        datetime.date(2026, 1, 5),
        datetime.date(2026, 1, 20),
        "Selesai",
        None,
    ],
    [
        "Rapat monitoring bulanan",
        "",
        "mp.p.iii",  # codes are matched whatever their case
        "6",
        "Notulen rapat",
        "",
        "anggota1; KETUA1",
        "2026-02-01",
        "31/12/2026",
        "berjalan",
        "45%",
    ],
    ["Survei budaya kerja", "", "MP.P.iv", "", "", "", "", "2026-06-01", "2026-07-31", "", ""],
]


def plan_row(title, *, start="2026-05-01", due="2026-05-02", status="", progress=""):
    """A row of the template's columns (HEADER) in sub-area MP.P.i, the rest left empty."""
    return [title, "", "MP.P.i", "", "", "", "", start, due, status, progress]


# Two bad rows, each with one problem: the due date before the start, a progress past 100.
DUE_BEFORE_START = plan_row("Tanggal terbalik", due="2026-04-01")
PROGRESS_OVER_100 = plan_row("Progres salah", status="Berjalan", progress=150)


@pytest.mark.django_db
def test_a_good_file_imports_every_row_with_an_audit_entry_each(world):
    items = services.action_plan_import(
        actor=world.ketua1, pokja=world.pokjas[1], uploaded=xlsx_upload(GOOD_ROWS)
    )
    assert [i.number for i in items] == [1, 2, 3]
    first, second, third = (ActionPlanItem.objects.get(pk=i.pk) for i in items)
    assert (first.status, first.progress) == ("selesai", 100)
    assert sorted(first.questions.values_list("number", flat=True)) == [1, 2]
    assert list(first.owners.all()) == [world.ketua1]
    assert (second.sub_area.code, second.status, second.progress) == ("MP.P.iii", "berjalan", 45)
    assert second.due_date == datetime.date(2026, 12, 31)
    assert set(second.owners.all()) == {world.anggota1, world.ketua1}
    assert (third.status, third.progress) == ("belum_mulai", 0)
    notes = list(
        AuditEntry.objects.filter(object_type="pokja.actionplanitem").values_list("note", flat=True)
    )
    assert notes == [
        "Imported from rencana.xlsx, row 4",
        "Imported from rencana.xlsx, row 3",
        "Imported from rencana.xlsx, row 2",
    ]


@pytest.mark.django_db
def test_one_bad_row_imports_nothing_and_every_problem_is_named(world):
    make_plan_item(world.programme, 1, actor=world.ketua1)  # an item already there stays alone
    rows = [
        GOOD_ROWS[0],
        ["", "", "MP.P.i", "", "", "", "", "2026-01-01", "2026-01-02", "", ""],
        DUE_BEFORE_START,
        PROGRESS_OVER_100,
        ["Sub-area asing", "", "TL.P.i", "", "", "", "", "2026-05-01", "2026-05-02", "", ""],
        ["Pemilik asing", "", "MP.P.i", "", "", "", "anggota2", "2026-05-01", "2026-05-02", "", ""],
        ["Pertanyaan asing", "", "MP.P.i", "3", "", "", "", "2026-05-01", "2026-05-02", "", ""],
        plan_row("Verifikasi sendiri", status="Diverifikasi"),
        ["Tanggal rusak", "", "MP.P.i", "", "", "", "", "2026-02-30", "2026-05-02", "", ""],
        ["Selesai 80", "", "MP.P.i", "", "", "", "", "2026-05-01", "2026-05-02", "selesai", "80"],
    ]
    with pytest.raises(services.PlanImportError) as raised:
        services.action_plan_import(
            actor=world.ketua1, pokja=world.pokjas[1], uploaded=xlsx_upload(rows)
        )
    found = {(e.row, e.column) for e in raised.value.errors}
    assert found == {
        (3, "judul"),
        (4, "tanggal_selesai"),
        (5, "progres"),
        (6, "sub_area"),
        (7, "penanggung_jawab"),
        (8, "pertanyaan"),
        (9, "status"),
        (10, "tanggal_mulai"),
        (11, "progres"),
    }
    by_row = {e.row: e for e in raised.value.errors}
    assert by_row[6].value == "TL.P.i" and "MP.P.i" in by_row[6].message  # what is allowed
    assert by_row[7].value == "anggota2" and "anggota1" in by_row[7].message
    assert by_row[8].value == "3" and "1, 2" in by_row[8].message
    assert by_row[5].message == "A whole number from 0 to 100."
    assert ActionPlanItem.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="pokja.actionplanitem").count() == 1


@pytest.mark.django_db
def test_a_csv_saved_with_semicolons_in_windows_encoding_imports(world):
    text = (
        ";".join(HEADER)
        + "\r\n"
        + "Sosialisasi ke Polsek Bilah Hulu;Kunjungan ke 5 Polsek;MP.P.iv;9;Foto;Pegawai paham;anggota1;01/03/2026;30/04/2026;Belum mulai;\r\n"
    )
    items = services.action_plan_import(
        actor=world.anggota1,
        pokja=world.pokjas[1],
        uploaded=csv_upload(text, encoding="cp1252"),
    )
    assert items[0].title == "Sosialisasi ke Polsek Bilah Hulu"
    assert items[0].start_date == datetime.date(2026, 3, 1)


@pytest.mark.django_db
def test_header_problems_are_reported_on_row_one(world):
    upload = csv_upload("judul,tanggal_mulai,warna,judul\r\nA,2026-01-01,merah,B\r\n")
    with pytest.raises(services.PlanImportError) as raised:
        services.action_plan_import(actor=world.ketua1, pokja=world.pokjas[1], uploaded=upload)
    found = {(e.row, e.column) for e in raised.value.errors}
    # A missing field named as the template names it. An unknown column and the second of a
    # repeated one are ignored (the preview shows them so, and lets the person choose).
    assert found == {(1, "LKE sub-area"), (1, "Due date")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("rencana.txt", b"judul\n"), "is not accepted"),
        (SimpleUploadedFile("rencana.xlsx", b"not a zip at all"), "not a valid .xlsx"),
        (SimpleUploadedFile("rencana.csv", b""), "The file is empty."),
        (SimpleUploadedFile("rencana.csv", ",".join(HEADER).encode() + b"\n"), "no plan rows"),
    ],
)
def test_files_that_are_not_a_plan_are_refused(world, upload, message):
    with pytest.raises(services.PlanImportError) as raised:
        services.action_plan_import(actor=world.ketua1, pokja=world.pokjas[1], uploaded=upload)
    assert message in raised.value.errors[0].message
    assert ActionPlanItem.objects.count() == 0


def _zip(entries) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_openpyxl_sees_it(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not open this file")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    bomb = _zip([("xl/worksheets/sheet1.xml", b"\0" * (40 * 1024 * 1024))])
    assert len(bomb) < 100_000  # small on the wire
    with pytest.raises(SpreadsheetError, match="would unpack to 40 MB"):
        read_table(SimpleUploadedFile("bom.xlsx", bomb))
    many = _zip([(f"x/{i}.xml", b"<a/>") for i in range(MAX_XLSX_ENTRIES + 1)])
    with pytest.raises(SpreadsheetError, match="parts"):
        read_table(SimpleUploadedFile("many.xlsx", many))


def test_check_rows_is_pure_and_reports_blank_lines_as_nothing():
    context = PlanImportContext(
        sub_areas={"mp.p.i": 1},
        sub_area_codes=["MP.P.i"],
        questions={1: {1: 10, 2: 11}},
        members={"ketua1": 7},
    )
    table = [
        list(HEADER),
        ["A", "", "MP.P.i", "2", "", "", "ketua1", "2026-01-01", "2026-01-01", "", ""],
        [None] * len(HEADER),
        [
            "B",
            "",
            "MP.P.i",
            "1,2",
            "",
            "",
            "",
            datetime.datetime(2026, 1, 1),
            "2026-01-03",
            "Berjalan",
            3.0,
        ],
    ]
    rows, errors = check_rows(table, context)
    assert errors == []
    assert [(r.row, r.question_ids, r.owner_ids, r.progress, r.status) for r in rows] == [
        (2, (11,), (7,), 0, "belum_mulai"),
        (4, (10, 11), (), 3, "berjalan"),
    ]
    assert rows[1].start_date == datetime.date(2026, 1, 1)


# --------------------------------------------------------------------------- writing


def test_formula_like_text_is_written_as_text():
    values = ['=HYPERLINK("http://x")', "+62 812 0000", "-1+2", "@SUM(A1)", "plain"]
    book = openpyxl.load_workbook(
        io.BytesIO(write_xlsx([Sheet("S", ["h"], [[v] for v in values])]))
    )
    cells = [row[0] for row in book["S"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == values
    assert all(c.data_type == "s" for c in cells)
    assert [c.quotePrefix for c in cells] == [True, True, True, True, False]
    with zipfile.ZipFile(io.BytesIO(write_xlsx([Sheet("S", ["h"], [["=1+1"]])]))) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
    assert csv_safe("=1+1") == "'=1+1" and csv_safe("ok") == "ok" and csv_safe(5) == 5
    assert write_csv(["a"], [["@cmd"], ["-2"]]) == "a\r\n'@cmd\r\n'-2\r\n"


@pytest.mark.django_db
def test_the_template_downloads_and_imports_back_as_it_is(client, world):
    client.force_login(world.ketua1)
    kwargs = {"unit_code": world.unit.code, "year": 2026, "number": 1}
    response = client.get(reverse("pokja_plan_template", kwargs={**kwargs, "fmt": "xlsx"}))
    assert response["Content-Type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.worksheets[0][1]] == header_row()
    assert header_row()[:2] == ["Activity", "Description"]
    guide = [cell.value for row in book.worksheets[1].iter_rows() for cell in row]
    assert "MP.P.ii" in guide and "anggota1" in guide and world.anggota1.display_name in guide
    upload = SimpleUploadedFile("template.xlsx", response.content, XLSX)
    url = reverse("pokja_plan_import", kwargs=kwargs)
    response = client.post(url, {"file": upload})
    assert response.status_code == 200 and ActionPlanItem.objects.count() == 0  # a preview
    response = confirm_import(client, url, response)
    assert response.status_code == 302
    assert ActionPlanItem.objects.count() == 1
    response = client.get(reverse("pokja_plan_template", kwargs={**kwargs, "fmt": "csv"}))
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff" + ",".join(header_row()))
    assert (
        client.get(reverse("pokja_plan_template", kwargs={**kwargs, "fmt": "exe"})).status_code
        == 404
    )


@pytest.mark.django_db
def test_the_import_page_lists_every_bad_row(client, world):
    client.force_login(world.anggota1)
    url = reverse(
        "pokja_plan_import", kwargs={"unit_code": world.unit.code, "year": 2026, "number": 1}
    )
    rows = [
        DUE_BEFORE_START,
        PROGRESS_OVER_100,
    ]
    response = client.post(url, {"file": xlsx_upload(rows)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was imported: 2 problems to fix." in html
    assert "<td>tanggal_selesai</td>" in html and "<td>progres</td>" in html
    assert ActionPlanItem.objects.count() == 0


@pytest.mark.django_db
def test_the_export_has_the_template_columns_and_keeps_text_as_text(client, world):
    make_plan_item(world.programme, 1, actor=world.ketua1, title="=cmd|' /C calc'!A0")
    client.force_login(world.pimpinan)
    url = reverse(
        "pokja_plan_export", kwargs={"unit_code": world.unit.code, "year": 2026, "number": 1}
    )
    response = client.get(url)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]][: len(HEADER)] == header_row()
    assert sheet["A2"].value == "=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
