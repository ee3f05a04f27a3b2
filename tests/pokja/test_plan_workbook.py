"""Plan exports speak to people: headers in the export's language and owners by name; and an
export imports back (its headers recognised in Indonesian, in English and as the older codes;
its owners by name), whatever language the importer's interface is in."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from pokja import services
from pokja.access import programme_access
from pokja.models import ActionPlanItem
from pokja.plan_columns import HEADER
from pokja.plan_import import PlanImportContext, check_rows
from pokja.services.plan_imports import import_context
from pokja.spreadsheets import Sheet, write_xlsx
from reports.plans_xlsx import plans_workbook
from tests.factories import UserFactory, give_role, make_plan_item
from tests.pokja.plan_books import row_actions

pytestmark = pytest.mark.django_db
S = ActionPlanItem.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADERS = {
    "en": [
        "Activity",
        "Description",
        "LKE sub-area",
        "LKE questions",
        "Expected output",
        "Success indicator",
        "Owners",
        "Start date",
        "Due date",
        "Status",
        "Progress (%)",
        "Code",
        "Late",
        "Days late",
        "Evidence",
        "Reason for returning",
    ],
    "id": [
        "Kegiatan",
        "Uraian",
        "Sub-area LKE",
        "Pertanyaan LKE",
        "Keluaran yang diharapkan",
        "Indikator keberhasilan",
        "Penanggung jawab",
        "Tanggal mulai",
        "Tenggat",
        "Status",
        "Progres (%)",
        "Kode",
        "Terlambat",
        "Hari terlambat",
        "Data dukung",
        "Alasan pengembalian",
    ],
}


def _plan(world):
    """Pokja 1's plan: three items an import can make again, owned by people with names."""
    world.ketua1.full_name = "Budi Santoso, S.H."  # a name with a comma in it
    world.ketua1.save()
    world.anggota1.full_name = "Siti Aminah"
    world.anggota1.save()
    access = programme_access(world.coordinator, world.programme)
    first = make_plan_item(
        world.programme,
        1,
        actor=world.ketua1,
        title="Menyusun SK Tim",
        description="SK Kapolres",
        expected_output="SK",
        success_indicator="Tim terbentuk",
        owners=[world.ketua1, world.anggota1],
        questions=list(world.programme.framework.questions.filter(number__in=[1, 2])),
        start_date=datetime.date(2026, 1, 5),
        due_date=datetime.date(2026, 1, 20),
    )
    services.action_plan_update_status(
        actor=world.coordinator, access=access, item=first, status=S.DONE
    )
    second = make_plan_item(
        world.programme,
        1,
        actor=world.ketua1,
        title="Rapat monitoring",
        owners=[world.anggota1],
        start_date=datetime.date(2026, 2, 1),
        due_date=datetime.date(2026, 12, 31),
    )
    services.action_plan_update_status(
        actor=world.anggota1, access=access, item=second, progress=45
    )
    make_plan_item(
        world.programme,
        1,
        actor=world.ketua1,
        title="Survei budaya kerja",
        start_date=datetime.date(2026, 6, 1),
        due_date=datetime.date(2026, 7, 31),
    )


def _export(client, world, language: str) -> bytes:
    client.cookies["django_language"] = language
    client.force_login(world.pimpinan)
    url = reverse("pokja_plan_export", kwargs={**world.programme.url_kwargs(), "number": 1})
    return client.get(url).content


def _rows(items) -> list[tuple]:
    return [
        (
            i.title,
            i.description,
            i.sub_area.code,
            sorted(q.number for q in i.questions.all()),
            i.expected_output,
            i.success_indicator,
            sorted(o.username for o in i.owners.all()),
            i.start_date,
            i.due_date,
            i.status,
            i.progress,
        )
        for i in items
    ]


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_export_has_human_headers_in_its_language_and_owners_by_name(client, world, language):
    _plan(world)
    sheet = openpyxl.load_workbook(io.BytesIO(_export(client, world, language))).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS[language]
    owners = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert owners == ["Budi Santoso, S.H.; Siti Aminah", "Siti Aminah", None]
    assert "ketua1" not in str(list(sheet.values)) and "anggota1" not in str(list(sheet.values))


@pytest.mark.parametrize(("exported_in", "imported_in"), [("id", "en"), ("en", "id"), ("id", "id")])
def test_an_export_imports_back_whatever_the_languages(client, world, exported_in, imported_in):
    _plan(world)
    before = list(world.pokjas[1].plan_items.order_by("number"))
    data = _export(client, world, exported_in)
    client.cookies["django_language"] = imported_in
    client.force_login(world.ketua1)
    url = reverse("pokja_plan_import", kwargs={**world.programme.url_kwargs(), "number": 1})
    response = client.post(url, {"file": SimpleUploadedFile("ekspor.xlsx", data, XLSX)})
    assert response.status_code == 200, response.content.decode()[-3000:]
    # Its rows carry the items' codes: nothing to add, nothing changed.
    assert row_actions(response.content.decode()) == ["unchanged"] * 3
    # Without the codes the rows are new items, each as the exported one was.
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    table = [list(row)[:11] for row in sheet.iter_rows(values_only=True)]
    upload = SimpleUploadedFile(
        "ekspor.xlsx", write_xlsx([Sheet("Rencana", table[0], table[1:])]), XLSX
    )
    with translation.override(imported_in):
        services.action_plan_import(actor=world.ketua1, pokja=world.pokjas[1], uploaded=upload)
    after = list(world.pokjas[1].plan_items.order_by("number"))[len(before) :]
    assert _rows(after) == _rows(before)


def test_the_programme_workbook_has_human_headers_and_its_sheets_import_back(world):
    _plan(world)
    with translation.override("id"):
        book = openpyxl.load_workbook(io.BytesIO(plans_workbook(world.programme)))
    summary = [c.value for c in book.worksheets[0][1]]
    assert summary[:3] == ["Pokja", "Nama", "Butir"] and summary[-2:] == [
        "Terlambat",
        "Diverifikasi %",
    ]
    sheet = book["Pokja 1"]
    assert [c.value for c in sheet[1]] == HEADERS["id"][:-1]
    # Without its code column, so that the rows are new items rather than the same ones.
    table = [list(row)[:11] for row in sheet.iter_rows(values_only=True)]
    upload = SimpleUploadedFile(
        "program.xlsx", write_xlsx([Sheet("Pokja 1", table[0], table[1:])]), XLSX
    )
    with translation.override("en"):
        items = services.action_plan_import(
            actor=world.ketua1, pokja=world.pokjas[1], uploaded=upload
        )
    assert [i.title for i in items] == [
        "Menyusun SK Tim",
        "Rapat monitoring",
        "Survei budaya kerja",
    ]


CONTEXT = PlanImportContext(
    sub_areas={"mp.p.i": 1},
    sub_area_codes=["MP.P.i"],
    questions={1: {1: 10}},
    members={"ketua1": 7, "anggota1": 8, "anggota9": 9},
    member_names={"budi santoso, s.h.": 7, "siti aminah": 8, "ahmad": None},
)


@pytest.mark.parametrize(
    ("header", "owners", "expected"),
    [
        (list(HEADER), "ketua1, anggota1", (7, 8)),  # the older files: codes, usernames
        (HEADERS["en"][:11], "Budi Santoso, S.H.; Siti Aminah", (7, 8)),
        (HEADERS["id"][:11], "budi santoso, s.h., SITI AMINAH", (7, 8)),
        ([h.upper() for h in HEADERS["id"][:11]], "Siti Aminah\nanggota9", (8, 9)),
        (["tanggal mulai" if h == "tanggal_mulai" else h for h in HEADER], "", ()),
    ],
)
def test_headers_and_owners_are_recognised_in_every_form(header, owners, expected):
    row = ["A", "", "MP.P.i", "1", "", "", owners, "2026-01-01", "2026-01-02", "", ""]
    rows, errors = check_rows([header, row], CONTEXT)
    assert errors == []
    assert rows[0].owner_ids == expected


def test_owner_problems_name_the_owner_and_a_shared_name_asks_for_the_username():
    row = ["A", "", "MP.P.i", "", "", "", "Ahmad; Joko", "2026-01-01", "2026-01-02", "", ""]
    _rows, errors = check_rows([HEADERS["en"][:11], row], CONTEXT)
    assert [(e.row, e.column, e.value) for e in errors] == [
        (2, "Owners", "Ahmad"),
        (2, "Owners", "Joko"),
    ]
    assert "write their username" in errors[0].message
    assert "Not a member of this Pokja" in errors[1].message


def test_an_unknown_header_lists_the_columns_in_the_readers_language():
    header = [*HEADERS["id"][:11], "Warna"]
    with translation.override("id"):
        _rows, errors = check_rows([header, ["A"] * 12], CONTEXT)
    assert [(e.row, e.column) for e in errors] == [(1, "Warna")]
    assert "Kegiatan, Uraian, Sub-area LKE" in errors[0].message


def test_two_members_with_one_name_are_told_apart_by_username(world):
    twin = UserFactory(username="anggota1b", full_name=world.anggota1.display_name)
    give_role(twin, world.programme, "anggota", 1)
    context = import_context(world.pokjas[1])
    assert context.member(world.anggota1.display_name) == (None, "shared")
    assert context.member("anggota1b") == (twin.pk, "")
