"""A unit's own rencana aksi workbook and a re-imported export, through the services on
PostgreSQL (preview writes nothing; all or nothing; one audit entry per write; a re-import
updates instead of duplicating) and through the import page (preview, mapping, confirmation,
who may, bad uploads, constant queries)."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from pokja import services
from pokja.access import programme_access
from pokja.models import ActionPlanItem
from pokja.services import plan_imports
from pokja.spreadsheets import Sheet, write_xlsx
from tests.factories import make_plan_item
from tests.pokja.plan_books import (
    GRID_ROWS,
    confirm_import,
    dated_workbook,
    grid_workbook,
    preview_choices,
    row_actions,
)
from tests.pokja.test_plan_workbook import _export, _plan

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]
S = ActionPlanItem.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _names(world):
    world.anggota1.full_name = "Siti Aminah"
    world.anggota1.save()


def _sub_area(world, code="MP.P.ii"):
    return world.programme.framework.sub_areas.get(code=code)


def _kwargs(world, number=1):
    return {**world.programme.url_kwargs(), "number": number}


def _url(world, number=1):
    return reverse("pokja_plan_import", kwargs=_kwargs(world, number))


# --------------------------------------------------------------------------- services


def test_a_month_grid_workbook_previews_without_writing_then_imports_each_row_audited(world):
    _names(world)
    pokja = world.pokjas[1]
    access = programme_access(world.anggota1, world.programme)
    sub_area = _sub_area(world)
    args = {
        "actor": world.anggota1,
        "access": access,
        "pokja": pokja,
        "name": "RA Polres.xlsx",
        "data": grid_workbook(),
    }
    entries = AuditEntry.objects.count()
    preview = services.action_plan_import_preview(**args)
    # No sub-area in the file: the person must choose one for its rows.
    assert [(e.row, e.column) for e in preview.errors] == [(5, "LKE sub-area")]
    assert preview.new_count == 4 and not preview.has_work  # the rows shown all the same
    preview = services.action_plan_import_preview(**args, default_sub_area_id=sub_area.pk)
    assert preview.errors == [] and preview.new_count == 4 and preview.layout.header_row == 5
    assert ActionPlanItem.objects.count() == 0 and AuditEntry.objects.count() == entries

    done = services.action_plan_import_apply(**args, default_sub_area_id=sub_area.pk)
    assert done.new_count == 4
    items = list(pokja.plan_items.order_by("number"))
    assert [(i.code, i.start_date, i.due_date, i.status, i.progress) for i in items] == [
        ("RA 1.1", datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), S.DONE, 100),
        ("RA 1.2", datetime.date(2026, 2, 1), datetime.date(2026, 4, 30), S.IN_PROGRESS, 0),
        ("RA 1.3", datetime.date(2026, 6, 1), datetime.date(2026, 7, 31), S.NOT_STARTED, 0),
        ("RA 1.4", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), S.IN_PROGRESS, 50),
    ]
    assert {i.sub_area_id for i in items} == {sub_area.pk}
    assert [sorted(o.username for o in i.owners.all()) for i in items] == [
        ["ketua1"],
        ["anggota1"],
        [],
        ["anggota1", "ketua1"],
    ]
    created = AuditEntry.objects.filter(pk__gt=0).order_by("-pk")[:4]
    assert AuditEntry.objects.count() == entries + 4
    assert all("RA Polres.xlsx, row" in e.note for e in created)


def test_a_refusal_while_writing_leaves_nothing_written(world, monkeypatch):
    _names(world)
    pokja = world.pokjas[1]
    access = programme_access(world.ketua1, world.programme)
    real = plan_imports.action_plan_create
    calls = []

    def third_refused(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            from django.core.exceptions import ValidationError

            raise ValidationError({"owners": "Owners must be members of Pokja 1."})
        return real(**kwargs)

    monkeypatch.setattr(plan_imports, "action_plan_create", third_refused)
    entries = AuditEntry.objects.count()
    with pytest.raises(services.PlanImportError) as raised:
        services.action_plan_import_apply(
            actor=world.ketua1,
            access=access,
            pokja=pokja,
            name="ra.xlsx",
            data=grid_workbook(),
            default_sub_area_id=_sub_area(world).pk,
        )
    assert [(e.row, e.message) for e in raised.value.errors] == [
        (9, "Owners must be members of Pokja 1.")
    ]
    assert ActionPlanItem.objects.count() == 0 and AuditEntry.objects.count() == entries


def _edited_export(client, world, edit) -> bytes:
    """Pokja 1's export, in Indonesian, with `edit(table)` applied to its rows."""
    sheet = openpyxl.load_workbook(io.BytesIO(_export(client, world, "id"))).worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    edit(table)
    translation.activate("en")  # the test's messages read English; the export was Indonesian
    return write_xlsx([Sheet("Rencana aksi", table[0], table[1:])])


def test_a_reimported_export_updates_the_edited_items_and_adds_only_new_rows(client, world):
    _plan(world)
    pokja = world.pokjas[1]
    before = {i.number: i for i in pokja.plan_items.all()}

    def edit(table):
        table[2][0] = "Rapat monitoring bulanan"  # RA 1.2: its title,
        table[2][8] = datetime.datetime(2026, 11, 30)  # its due date,
        table[2][9] = "Selesai"  # and done
        table[2][10] = 100
        new = [None] * len(table[0])
        new[:3] = ["Reviu SK Tim", "", "MP.P.i"]
        new[7:9] = ["2026-03-01", "2026-03-31"]
        table.append(new)  # a row without a code

    data = _edited_export(client, world, edit)
    access = programme_access(world.ketua1, world.programme)
    args = {"actor": world.ketua1, "access": access, "pokja": pokja, "name": "ekspor.xlsx"}
    with translation.override("en"):
        preview = services.action_plan_import_preview(**args, data=data)
    assert preview.errors == []
    assert [(r.row.row, r.action, r.changes) for r in preview.rows] == [
        (2, "unchanged", []),
        (3, "update", ["activity", "due date", "status", "progress (%)"]),
        (4, "unchanged", []),
        (5, "new", []),
    ]
    entries = AuditEntry.objects.count()
    services.action_plan_import_apply(**args, data=data)
    items = {i.number: i for i in pokja.plan_items.all()}
    assert sorted(items) == [1, 2, 3, 4]  # no duplicates: one new item
    second = items[2]
    assert (second.pk, second.title, second.due_date, second.status, second.progress) == (
        before[2].pk,
        "Rapat monitoring bulanan",
        datetime.date(2026, 11, 30),
        S.DONE,
        100,
    )
    assert sorted(o.username for o in second.owners.all()) == ["anggota1"]  # kept
    # The edit (title, date) and the status each through their service: two entries, and
    # one for the new item.
    assert AuditEntry.objects.count() == entries + 3
    # The same file again changes nothing.
    again = services.action_plan_import_preview(**args, data=_export(client, world, "en"))
    assert again.errors == [] and {r.action for r in again.rows} == {"unchanged"}
    assert not again.has_work


def test_codes_of_another_pokja_or_a_removed_item_are_refused(client, world):
    _plan(world)
    make_plan_item(world.programme, 2, actor=world.ketua2, title="SOP")

    def edit(table):
        table[1][11] = "RA 2.1"
        table[2][11] = "RA 1.9"

    data = _edited_export(client, world, edit)
    with pytest.raises(services.PlanImportError) as raised:
        services.action_plan_import(
            actor=world.ketua1,
            pokja=world.pokjas[1],
            uploaded=SimpleUploadedFile("e.xlsx", data, XLSX),
        )
    found = [(e.row, e.column, e.value) for e in raised.value.errors]
    assert found == [(2, "Kode", "RA 2.1"), (3, "Kode", "RA 1.9")]
    assert "Pokja 2" in raised.value.errors[0].message
    assert "no item RA 1.9" in raised.value.errors[1].message
    assert world.pokjas[2].plan_items.get().title == "SOP"


def test_the_workflow_rights_hold_on_a_reimport(client, world):
    _plan(world)
    pokja = world.pokjas[1]
    coordinator = programme_access(world.coordinator, world.programme)
    first = pokja.plan_items.get(number=1)
    services.action_plan_verify(actor=world.coordinator, access=coordinator, item=first)

    def edit(table):
        table[1][0] = "Menyusun SK Tim (revisi)"  # RA 1.1 is verified
        table[3][9] = "Selesai"  # RA 1.3: not started -> done is a move the Pokja may make
        table[3][10] = 100
        table[2][9] = "Belum mulai"  # RA 1.2: in progress at 45% -> not started
        table[2][10] = 0

    data = _edited_export(client, world, edit)
    member = programme_access(world.anggota1, world.programme)
    preview = services.action_plan_import_preview(
        actor=world.anggota1, access=member, pokja=pokja, name="e.xlsx", data=data
    )
    assert [(e.row, e.value) for e in preview.errors] == [(2, "RA 1.1")]
    assert "verified" in preview.errors[0].message
    assert [(r.row.row, r.action) for r in preview.rows] == [(3, "update"), (4, "update")]
    # The coordinator may change a verified item.
    preview = services.action_plan_import_preview(
        actor=world.coordinator, access=coordinator, pokja=pokja, name="e.xlsx", data=data
    )
    assert preview.errors == [] and preview.update_count == 3


def test_a_file_without_an_owners_column_leaves_the_owners(client, world):
    _plan(world)
    pokja = world.pokjas[1]
    data = _edited_export(client, world, lambda table: None)
    access = programme_access(world.ketua1, world.programme)
    args = {"actor": world.ketua1, "access": access, "pokja": pokja, "name": "e.xlsx"}
    guessed = services.action_plan_import_preview(**args, data=data).mapping
    assert guessed[6] == "penanggung_jawab"
    pokja.plan_items.get(number=2).owners.clear()
    # Mapped: the owners in the file are put back; ignored: left as they are.
    assert services.action_plan_import_preview(**args, data=data).update_count == 1
    preview = services.action_plan_import_preview(
        **args, data=data, mapping={**guessed, 6: plan_imports.IGNORE}
    )
    assert preview.errors == [] and preview.update_count == 0


# --------------------------------------------------------------------------- the page


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("anggota1", 200),
        ("ketua1", 200),
        ("coordinator", 200),
        ("anggota2", 403),
        ("tpi", 403),
        ("outsider", 404),
    ],
)
def test_who_may_import(client, world, user, status):
    client.force_login(getattr(world, user))
    assert client.get(_url(world)).status_code == status
    upload = SimpleUploadedFile("ra.xlsx", grid_workbook(), XLSX)
    assert client.post(_url(world), {"file": upload}).status_code == status


def test_the_page_previews_lets_a_column_be_remapped_and_imports_on_confirmation(client, world):
    _names(world)
    client.force_login(world.anggota1)
    url = _url(world)
    upload = SimpleUploadedFile(
        "RA.xlsx",
        dated_workbook(
            [
                ("", "Sosialisasi", "Foto", "anggota1", "1 Maret 2026", "Juni", "Belum dimulai"),
                ("", "Reviu", "Laporan", "ketua1", "2026-05-01", "15/07/2026", "Proses"),
            ]
        ),
        XLSX,
    )
    response = client.post(url, {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="import-preview"' in html
    assert "Header found on row 2" in html
    choices = preview_choices(html)
    assert choices["col_2"] == "judul" and choices["col_7"] == "status"
    assert ActionPlanItem.objects.count() == 0
    sub_area = _sub_area(world)
    # Keterangan is a description here; importing at once under a changed mapping previews
    # again first.
    changed = {"col_7": "uraian", "sub_area": str(sub_area.pk)}
    response = confirm_import(client, url, response, **changed)
    assert response.status_code == 200 and ActionPlanItem.objects.count() == 0
    assert "check the preview, then import" in response.content.decode()
    assert preview_choices(response.content.decode())["col_7"] == "uraian"
    assert row_actions(response.content.decode()) == ["new", "new"]
    response = confirm_import(client, url, response)
    assert response.status_code == 302
    items = list(world.pokjas[1].plan_items.order_by("number"))
    assert [(i.title, i.description, i.status, i.sub_area_id) for i in items] == [
        ("Sosialisasi", "Belum dimulai", S.NOT_STARTED, sub_area.pk),
        ("Reviu", "Proses", S.NOT_STARTED, sub_area.pk),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Plan imported: 2 items added, 0 updated, 0 unchanged." in page
    # The file's preview is used up.
    response = client.post(url, {**preview_choices(html), "action": "import"})
    assert response.status_code == 302 and response["Location"] == url


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("rencana.pdf", b"%PDF-1.4", "is not accepted"),
        ("rencana.xlsx", b"", "empty"),
        ("rencana.xlsx", b"not a zip", "not a valid .xlsx"),
        ("rencana.csv", b"Laporan bulanan\nisi,isi\n", "No header row found in the first 6 rows"),
        ("rencana.csv", b"Kegiatan;Batas Waktu;Mulai;Sub Area\n", "no plan rows"),
    ],
)
def test_bad_uploads_are_told_and_never_fail_the_page(client, world, name, data, message):
    client.force_login(world.anggota1)
    response = client.post(_url(world), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ActionPlanItem.objects.count() == 0


def test_a_too_large_upload_is_refused_before_it_is_read(client, world, monkeypatch):
    from pokja import spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr(plan_imports, "MAX_UPLOAD_BYTES", 1000)
    client.force_login(world.anggota1)
    upload = SimpleUploadedFile("ra.xlsx", grid_workbook(), XLSX)
    response = client.post(_url(world), {"file": upload})
    assert response.status_code == 200 and "the limit for an import" in response.content.decode()


def test_tampered_choices_are_refused_not_a_500(client, world):
    client.force_login(world.anggota1)
    upload = SimpleUploadedFile("ra.xlsx", grid_workbook(), XLSX)
    response = client.post(_url(world), {"file": upload})
    for changes in ({"col_2": "password"}, {"sub_area": "99999999999"}, {"previewed": "x" * 5000}):
        answer = confirm_import(client, _url(world), response, **changes)
        assert answer.status_code == 200
    for token in ("../../etc", "a" * 500, ""):
        answer = client.post(_url(world), {"token": token, "action": "import"})
        assert answer.status_code in (200, 302)
    assert ActionPlanItem.objects.count() == 0


def _big_export(world, rows: int) -> bytes:
    for n in range(rows):
        make_plan_item(world.programme, 1, actor=world.ketua1, title=f"Kegiatan {n}")
    table = [["Kode", "Kegiatan", "Sub-area LKE", "Tanggal mulai", "Tenggat", "Status"]]
    for item in world.pokjas[1].plan_items.all():
        title = item.title + (" (revisi)" if item.number % 2 else "")
        table.append([item.code, title, item.sub_area.code, "2026-02-01", "2026-12-31", ""])
    table.append(["", "Baru", "MP.P.i", "2026-02-01", "2026-12-31", "Belum"])
    return write_xlsx([Sheet("RA", table[0], table[1:])])


def test_the_preview_makes_as_many_queries_for_many_rows_as_for_few(client, world):
    client.force_login(world.anggota1)
    counts = []
    for rows in (2, 30):
        ActionPlanItem.objects.all().delete()
        upload = SimpleUploadedFile("ra.xlsx", _big_export(world, rows), XLSX)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(_url(world), {"file": upload})
        assert response.status_code == 200
        html = response.content.decode()
        actions = row_actions(html)
        assert actions.count("update") == rows // 2 + rows % 2 and actions.count("new") == 1
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_file_full_of_errors_shows_the_first_problems_and_counts_the_rest(client, world):
    client.force_login(world.anggota1)
    table = [["Kegiatan", "PIC", "Mulai", "Selesai", "Sub-area LKE"]]
    table += [[f"K{n}", "Joko", "2026-01-01", "2026-01-02", "MP.P.i"] for n in range(320)]
    upload = SimpleUploadedFile("ra.xlsx", write_xlsx([Sheet("RA", table[0], table[1:])]), XLSX)
    html = client.post(_url(world), {"file": upload}).content.decode()
    assert "Nothing was imported: 320 problems to fix." in html
    assert "And 20 more problems: fix the ones above first." in html
    assert html.count("<td>Joko</td>") == 300


def test_lines_around_the_table_are_not_items_but_an_activity_without_dates_is_told(world):
    """The signature block under the table (place and date, "Mengetahui,", the Kapolres, the
    name and NRP) is skipped; a row that names an activity is an item, and its missing
    dates are told, not skipped."""
    _names(world)
    args = {
        "actor": world.anggota1,
        "access": programme_access(world.anggota1, world.programme),
        "pokja": world.pokjas[1],
        "name": "RA.xlsx",
        "default_sub_area_id": _sub_area(world).pk,
    }
    signed = services.action_plan_import_preview(**args, data=grid_workbook())
    assert signed.errors == [] and signed.new_count == 4
    undated = [*GRID_ROWS, (None, "Rapat evaluasi akhir tahun", "Notulen", "ketua1", {}, "")]
    told = services.action_plan_import_preview(**args, data=grid_workbook(undated))
    assert [e.row for e in told.errors] and told.errors[0].row == 11  # the fifth row of data
