"""Importing a filled LKE workbook: round trip, per-cell refusals, nothing half-written."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from evaluations.models import Answer, AssessmentSection
from evaluations.services import answer_set_tpi, answer_set_unit, assessment_for
from reports.lke_import import ImportRefused
from reports.selectors import lke_report
from reports.services import lke_import_apply, lke_import_preview
from reports.workbook import lke_workbook
from surveys.loader import load_bundled_instruments

pytestmark = pytest.mark.django_db

FIELDS = ("number", "unit_value", "unit_note", "tpi_value", "tpi_note")


def stored(programme) -> list[tuple]:
    return list(
        Answer.objects.filter(assessment__programme=programme)
        .order_by("number")
        .values_list(*FIELDS)
    )


def edited(data: bytes, **cells) -> bytes:
    """The workbook with some cells of "Jawaban" replaced (K6="Z", ...)."""
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Jawaban"]
    for ref, value in cells.items():
        sheet[ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def exported(programme) -> bytes:
    return lke_workbook(lke_report(programme))


def test_round_trip_on_the_demo_programme_gives_back_the_same_answers(demo):
    programme = demo.programme
    before = stored(programme)
    assert sum(1 for row in before if row[1]) > 80 and sum(1 for row in before if row[3]) >= 5
    data = exported(programme)
    # Unchanged workbook: nothing to do.
    assert lke_import_preview(actor=None, programme=programme, data=data).changes == []
    # An empty worksheet filled from the file comes back exactly as it was.
    Answer.objects.filter(assessment__programme=programme).update(
        unit_value="", unit_note="", tpi_value="", tpi_note=""
    )
    AssessmentSection.objects.filter(assessment__programme=programme).update(status="draft")
    plan = lke_import_apply(actor=None, programme=programme, data=data)
    assert plan.changes
    assert stored(programme) == before
    assert lke_import_preview(actor=None, programme=programme, data=data).changes == []


def test_a_file_with_bad_cells_is_refused_naming_each_cell_and_nothing_is_written(
    programme, coordinator
):
    load_bundled_instruments()
    assessment_for(programme)
    answer_set_unit(actor=coordinator, programme=programme, number=1, value="Ya", note="ada")
    data = edited(
        exported(programme),
        K6="Tidak",  # a valid change that must not be written either
        K7="Z",  # q2 is A/B/C
        K9=1,  # q3 is Ya/Tidak: a number is not an option
        K126="empat",  # q88 counts
        K127=2.5,  # q89 counts whole numbers
    )
    before, entries = stored(programme), AuditEntry.objects.count()
    with pytest.raises(ImportRefused) as refused:
        lke_import_apply(actor=coordinator, programme=programme, data=data)
    errors = refused.value.errors
    assert [(e.sheet, e.row, e.column, e.value) for e in errors] == [
        ("Jawaban", 7, "K", "Z"),
        ("Jawaban", 9, "K", 1),
        ("Jawaban", 126, "K", "empat"),
        ("Jawaban", 127, "K", 2.5),
    ]
    assert "allowed: one of A, B, C" in errors[0].message
    assert str(errors[0]).startswith("Sheet Jawaban, row 7, column K (“Z”): ")
    assert "a whole number, 0 or more" in errors[2].message
    assert stored(programme) == before
    assert AuditEntry.objects.count() == entries


def test_preview_lists_the_changes_and_apply_writes_them_through_the_audited_services(
    programme, coordinator, tpi_reviewer
):
    assessment_for(programme)
    answer_set_unit(actor=coordinator, programme=programme, number=1, value="Ya", note="ada")
    data = edited(exported(programme), K6="tidak", L6="SK dicabut", K7="B", K126=7)
    plan = lke_import_preview(actor=coordinator, programme=programme, data=data)
    assert [(c.number, c.side, c.what, c.before, c.after) for c in plan.changes] == [
        (1, "unit", "answer", "Ya", "Tidak"),
        (1, "unit", "note", "ada", "SK dicabut"),
        (2, "unit", "answer", None, "B"),
        (88, "unit", "answer", None, 7),
    ]
    assert Answer.objects.get(assessment__programme=programme, number=1).unit_value == "Ya"
    entries = AuditEntry.objects.count()
    lke_import_apply(actor=coordinator, programme=programme, data=data)
    answers = {
        a.number: a for a in Answer.objects.filter(assessment__programme=programme, number__lt=90)
    }
    assert (answers[1].unit_value, answers[1].unit_note) == ("Tidak", "SK dicabut")
    assert (answers[2].unit_value, answers[88].unit_value) == ("B", "7")
    assert answers[1].unit_by == coordinator
    # One entry per answer changed, and one for the import.
    assert AuditEntry.objects.count() == entries + 4
    # The TPI's columns go through the TPI's own service.
    data = edited(exported(programme), N6="Ya", Q6="sesuai")
    lke_import_apply(actor=tpi_reviewer, programme=programme, data=data)
    answer = Answer.objects.get(assessment__programme=programme, number=1)
    assert (answer.tpi_value, answer.tpi_note, answer.tpi_by) == ("Ya", "sesuai", tpi_reviewer)


def test_roles_and_locks_decide_which_cells_a_person_may_change(
    programme, coordinator, other_pokja_member, tpi_reviewer
):
    assessment_for(programme)
    data = edited(exported(programme), K6="Ya", N23="A")  # q1 (MP, Pokja 1), q13 TPI (TL)
    with pytest.raises(ImportRefused) as refused:
        lke_import_apply(actor=other_pokja_member, programme=programme, data=data)
    assert [(e.row, e.column) for e in refused.value.errors] == [(6, "K"), (23, "N")]
    assert "only the Pokja of Manajemen Perubahan" in refused.value.errors[0].message
    assert "only the internal assessors" in refused.value.errors[1].message
    with pytest.raises(ImportRefused) as refused:
        lke_import_apply(actor=tpi_reviewer, programme=programme, data=data)
    assert [(e.row, e.column) for e in refused.value.errors] == [(6, "K")]
    # A submitted section locks the unit's columns, for everyone.
    AssessmentSection.objects.filter(assessment__programme=programme, code="MP").update(
        status="submitted"
    )
    with pytest.raises(ImportRefused) as refused:
        lke_import_apply(actor=coordinator, programme=programme, data=edited(data, N23=None))
    assert "submitted" in refused.value.errors[0].message
    assert not Answer.objects.filter(assessment__programme=programme).exclude(unit_value="")


def test_survey_fed_values_are_offered_as_official_figures_applied_only_when_chosen(
    programme, coordinator
):
    from surveys.models import OfficialFigure

    load_bundled_instruments()
    assessment_for(programme)
    answer_set_tpi(actor=None, programme=programme, number=126, value="A")
    data = edited(exported(programme), K199=3.9, N199=3.9)  # q125 is fed by the SPAK survey
    plan = lke_import_preview(actor=coordinator, programme=programme, data=data)
    assert plan.changes == []
    assert [(o.number, o.row, o.column, o.index) for o in plan.offers] == [
        (125, 199, "K", Decimal("3.9"))
    ]
    assert [(i.row, i.column) for i in plan.ignored] == [(199, "N")]  # the TPI's: never
    lke_import_apply(actor=coordinator, programme=programme, data=data)
    answer = Answer.objects.get(assessment__programme=programme, number=125)
    assert (answer.unit_value, answer.tpi_value) == ("", "")
    assert not OfficialFigure.objects.filter(programme=programme).exists()
    # Chosen: the file's figure becomes the official one, saying where it came from.
    entries = AuditEntry.objects.count()
    lke_import_apply(actor=coordinator, programme=programme, data=data, figures=[125])
    figure = OfficialFigure.objects.get(programme=programme, question=125)
    assert figure.index == Decimal("3.9000")
    assert "Jawaban" in figure.source and "K199" in figure.source
    assert AuditEntry.objects.count() == entries + 2  # the figure, and the import
    answer.refresh_from_db()
    assert (answer.unit_value, answer.tpi_value) == ("", "")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"just some text", "not a valid .xlsx workbook"),
        ("no-sheet", "has no sheet “Jawaban” (it has: Sheet)"),
    ],
)
def test_a_file_that_is_not_an_lke_workbook_is_refused_with_a_clear_message(
    programme, data, message
):
    if data == "no-sheet":
        out = io.BytesIO()
        openpyxl.Workbook().save(out)
        data = out.getvalue()
    with pytest.raises(ImportRefused) as refused:
        lke_import_preview(actor=None, programme=programme, data=data)
    assert message in str(refused.value)


def test_an_exported_sheet_with_moved_rows_is_refused_as_the_wrong_layout(programme):
    data = edited(exported(programme), A6=2, A7=1, K6="Ya")
    with pytest.raises(ImportRefused) as refused:
        lke_import_preview(actor=None, programme=programme, data=data)
    assert [(e.row, e.column) for e in refused.value.errors] == [(6, "A"), (7, "A")]
    assert "holds question 1 in the official layout" in refused.value.errors[0].message


def test_import_lke_command(programme, tmp_path, capsys):
    assessment_for(programme)
    good = tmp_path / "good.xlsx"
    good.write_bytes(edited(exported(programme), K6="Ya", L6="SK tim"))
    call_command("import_lke", str(good), programme=programme.key, dry_run=True)
    out = capsys.readouterr().out
    assert "q1 unit answer (Jawaban!K6): None -> 'Ya'" in out
    assert "1 values would change" not in out and "2 values would change" in out
    assert not Answer.objects.filter(assessment__programme=programme).exclude(unit_value="")
    call_command("import_lke", str(good), programme=programme.key)
    assert Answer.objects.get(assessment__programme=programme, number=1).unit_value == "Ya"

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(edited(exported(programme), K7="Z", K6="Tidak"))
    with pytest.raises(SystemExit) as exit_:
        call_command("import_lke", str(bad), programme=programme.key)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Sheet Jawaban, row 7, column K (“Z”): not allowed for question 2")
    assert Answer.objects.get(assessment__programme=programme, number=1).unit_value == "Ya"

    text = tmp_path / "notes.xlsx"
    text.write_text("hello")
    with pytest.raises(SystemExit):
        call_command("import_lke", str(text), programme=programme.key)
    assert "not a valid .xlsx workbook" in capsys.readouterr().err


def test_the_import_page_previews_then_writes_on_confirmation(client, programme, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    assessment_for(programme)
    page = reverse("lke_import", kwargs=programme.url_kwargs())
    client.force_login(coordinator)
    data = edited(exported(programme), K6="Ya", K7="B")
    response = client.post(page, {"file": SimpleUploadedFile("lke.xlsx", data)})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-changes"' in body and "K6" in body and "K7" in body
    assert not Answer.objects.filter(assessment__programme=programme).exclude(unit_value="")
    token = response.context["token"]
    response = client.post(page, {"token": token})
    assert response.status_code == 302
    assert Answer.objects.get(assessment__programme=programme, number=2).unit_value == "B"
    # The same token cannot be used twice.
    response = client.post(page, {"token": token})
    assert response.status_code == 302

    bad = edited(data, K7="Z")
    response = client.post(page, {"file": SimpleUploadedFile("lke.xlsx", bad)})
    body = response.content.decode()
    assert 'data-testid="import-errors"' in body and "allowed: one of A, B, C" in body
    response = client.post(page, {"file": SimpleUploadedFile("notes.xlsx", b"hello")})
    assert "not a valid .xlsx workbook" in response.content.decode()


def test_an_official_spreadsheet_is_read_by_rows_and_columns_alone(programme):
    """The official workbook numbers its rows its own way; only the answer columns count."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Jawaban"
    sheet["A6"], sheet["B6"], sheet["K6"], sheet["L6"] = 1, "Unit kerja telah...", "ya", "SK"
    sheet["A7"], sheet["K7"], sheet["N7"] = 2, "b", "C"
    sheet["A9"], sheet["K9"] = "a.", "Tidak"
    out = io.BytesIO()
    workbook.save(out)
    plan = lke_import_preview(actor=None, programme=programme, data=out.getvalue())
    assert [(c.number, c.side, c.what, c.after) for c in plan.changes] == [
        (1, "unit", "answer", "Ya"),
        (1, "unit", "note", "SK"),
        (2, "unit", "answer", "B"),
        (2, "tpi", "answer", "C"),
        (3, "unit", "answer", "Tidak"),
    ]


def test_a_jawaban_sheet_without_any_answer_is_refused(programme):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Jawaban"
    workbook.active["C3"] = "something else entirely"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportRefused) as refused:
        lke_import_preview(actor=None, programme=programme, data=out.getvalue())
    assert "has no answer or note on any question row (columns K, L, N, Q)" in str(refused.value)
