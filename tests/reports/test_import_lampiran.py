"""Importing the LKE workbooks units keep (Lampiran III filled by hand): layout recognition,
what comes in, reconciliation with the workbook's own scores, refusals."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from audit.models import AuditEntry
from evaluations.framework_spec import CHOICE, COUNT
from evaluations.models import Answer
from evaluations.selectors import programme_breakdown
from evaluations.services import assessment_for
from figures import formatting as fmt
from pokja.models import Evidence
from reports.lke_import import ImportRefused
from reports.services import lke_import_apply, lke_import_preview
from tests.reports.lke_books import lampiran_workbook

pytestmark = pytest.mark.django_db

DRIVE = "https://drive.google.com/drive/folders/1AbCdEf"


def full_answers(spec) -> dict[int, object]:
    """Every question answered: the best option everywhere but for a few, counts whose
    ratios are 1 but for one, the survey indices of a unit that passes WBK."""
    answers: dict[int, object] = {}
    for q in spec.questions:
        if q.kind == CHOICE:
            answers[q.number] = q.options[0].key.upper()  # "YA", "A": upper case
        elif q.kind == COUNT:
            answers[q.number] = 4
    answers.update(
        {
            2: "b",  # lower case; B = 0.5
            6: "C",  # ABCD: C = 0.33
            103: 0,  # no violations this year: (q102 - q103) / q102 = 1
            105: "4",  # a count written as text
            106: 3,  # q106 / q105 = 3/4
            116: 12,  # q116 / (q113 + q114 + q115) = 12/12
            120: 12,
            125: 3.6,
            126: "a",
            127: 3.2,
        }
    )
    return answers


def unit_values(programme) -> dict[int, str]:
    return dict(
        Answer.objects.filter(assessment__programme=programme).values_list("number", "unit_value")
    )


def test_a_fully_answered_lampiran_workbook_imports_with_the_scores_of_the_official_arithmetic(
    programme, coordinator
):
    spec = programme.framework.spec
    assessment_for(programme)
    answers = full_answers(spec)
    data = lampiran_workbook(
        spec,
        answers,
        sheet="Lembar Kerja",
        title_rows=3,
        text_column="F",
        notes={1: "SK Tim ZI Nomor 12/2026", 9: "Foto apel pagi"},
        evidence={
            1: ("SK Kapolres tentang Tim ZI", DRIVE),
            9: ("Dokumentasi", "terlampir di map biru"),
        },
    )
    plan = lke_import_preview(actor=coordinator, programme=programme, data=data)
    read = plan.read
    assert (read.sheet, read.layout, read.unplaced) == ("Lembar Kerja", "recognised", [])
    assert len(read.placements) == 127
    # 3 title rows, the header (row 4), then A, I, 1. MP, i. sub-area: question 1 on row 9.
    assert read.placements[1].row == 9 and read.placements[2].row == 10
    assert read.columns["unit_answer"] == "K" and read.columns["link"] == "Q"
    assert not plan.errors
    assert [(link.number, link.url, link.title) for link in plan.links] == [
        (1, DRIVE, "SK Kapolres tentang Tim ZI")
    ]
    assert [(i.column, i.value) for i in plan.ignored] == [("Q", "terlampir di map biru")]

    # Our figures for the file's answers, by hand (sub-area = weight x mean of its items):
    #   MP.P.i   (0.5): q1 Ya 1, q2 B 0.5          -> 0.5 x 1.5/2   = 0.375   (-0.125)
    #   MP.P.iii (1):   q6 C 0.33, q7 A 1, q8 A 1  -> 1 x 2.33/3    = 0.77666.. (-0.22333..)
    #   MP pemenuhan = 4 - 0.125 - 0.22333.. = 3.65166..          -> 3.65
    #   AK.R.i   (2):   q106/q105 = 3/4            -> 2 x 0.75      = 1.5     (-0.5)
    #   AK reform = 5 - 0.5 = 4.5; every other sub-area is at its weight.
    #   Pemenuhan = 30 - 0.34833.. = 29.65166.. -> 29.65;  Reform = 30 - 0.5 = 29.50
    #   Pengungkit = 59.15166.. -> 59.15
    #   Hasil: q125 3.6/4 x 17.5 = 15.75; q126 A 1 x 5 = 5; q127 3.2/4 x 17.5 = 14 -> 34.75
    #   Total = 59.15166.. + 34.75 = 93.90166.. -> 93.90
    rec = plan.reconciliation
    ours = {row.code: row.ours_shown for row in rec.rows}
    assert ours["MP@pemenuhan"] == Decimal("3.65")
    assert ours["AK@reform"] == Decimal("4.50")
    assert (ours["pemenuhan"], ours["reform"]) == (Decimal("29.65"), Decimal("29.50"))
    assert ours["pengungkit"] == Decimal("59.15")
    assert ours["hasil"] == Decimal("34.75")
    assert ours["total"] == Decimal("93.90")
    # The workbook computed the same (its cached results), and said so in "Utama".
    assert rec.found and rec.differences == [] and rec.explanations == []
    theirs = {row.code: row.theirs_shown for row in rec.rows}
    assert theirs["total"] == Decimal("93.90") and theirs["MP@pemenuhan"] == Decimal("3.65")

    entries = AuditEntry.objects.count()
    lke_import_apply(actor=coordinator, programme=programme, data=data)
    stored = unit_values(programme)
    assert (stored[1], stored[2], stored[6], stored[105], stored[125]) == (
        "Ya",
        "B",
        "C",
        "4",
        "3.6",
    )
    assert all(stored[n] for n in spec.numbers)
    answer = Answer.objects.get(assessment__programme=programme, number=1)
    assert answer.unit_note == "SK Tim ZI Nomor 12/2026"
    evidence = answer.evidence.get()
    assert (evidence.kind, evidence.url, evidence.title) == (
        Evidence.Kind.LINK,
        DRIVE,
        "SK Kapolres tentang Tim ZI",
    )
    assert AuditEntry.objects.count() > entries + 127
    breakdown = programme_breakdown(programme)
    assert breakdown.total.quantize(Decimal("0.01")) == Decimal("93.90")
    # Imported twice: nothing left to do, and the link is not added again.
    again = lke_import_preview(actor=coordinator, programme=programme, data=data)
    assert again.changes == [] and again.links == []


def test_the_reconciliation_explains_each_slip_of_the_workbook(programme):
    spec = programme.framework.spec
    assessment_for(programme)
    answers = full_answers(spec)
    data = lampiran_workbook(
        spec,
        answers,
        types={1: "Ya"},  # the row formula tests for "Ya/Tidak" only
        constants={"TL@reform": 3.0},  # typed over its SUM (its parts add up to 3.5)
        wide_average=("MP.P.iii",),  # AVERAGE runs on into MP.P.iv's subtotal
    )
    rec = lke_import_preview(actor=None, programme=programme, data=data).reconciliation
    texts = [e.text for e in rec.explanations]
    assert len(texts) == 3, texts
    assert "the formula in L8 does not recognise the answer type “Ya”" in texts[1]
    assert "(question 1)" in texts[1] and "“Ya/Tidak”" in texts[1]
    assert f"typed as the number {fmt.number(3)}, not computed" in texts[0]
    assert f"add up to {fmt.number(Decimal('3.5'))}" in texts[0]
    assert "the AVERAGE of “Pemantauan dan Evaluasi Pembangunan WBK/WBBM” takes in row" in texts[2]
    assert "the subtotal of “Perubahan pola pikir dan budaya kerja”" in texts[2]
    differing = {row.code: row for row in rec.differences}
    # MP.P.i: the workbook scored q1 as 0 -> 0.5 x (0 + 0.5)/2 = 0.125 against our 0.375.
    assert differing["MP.P.i"].theirs_shown == Decimal("0.13")
    assert differing["MP.P.i"].ours_shown == Decimal("0.38")
    assert differing["MP.P.i"].explanations == [texts[1]]
    assert differing["TL@reform"].explanations == [texts[0]]
    # Everything above traces the slips below it.
    assert differing["total"].explanations == [] and set(differing["total"].traced) == set(texts)
    assert set(differing) >= {"MP.P.i", "MP.P.iii", "MP@pemenuhan", "TL@reform", "total"}
    assert rec.untraced == []


def test_shifted_rows_other_texts_and_loose_answers_are_placed_by_text_and_position(programme):
    spec = programme.framework.spec
    assessment_for(programme)
    q1, q3, q4 = (spec.question(n).text for n in (1, 3, 4))
    data = lampiran_workbook(
        spec,
        {1: "ya", 3: " Tidak ", 4: "c", 88: "7", 89: 5.0},
        sheet="LKE",
        title_rows=1,
        text_column="G",
        texts={
            1: "(1)  " + q1.upper().replace(" ", "  ") + " ?",  # case, spaces, punctuation
            3: "a. " + q3.replace("rencana", "rencna"),  # a typo: nearly the same text
            4: "Pertanyaan yang tidak ada di daftar induk",  # cannot be placed
        },
        utama=False,
    )
    plan = lke_import_preview(actor=None, programme=programme, data=data)
    read = plan.read
    assert read.sheet == "LKE" and read.unplaced == [4]
    assert read.placements[1].how == "text" and read.placements[3].how == "close"
    assert read.placements[3].row == read.placements[2].row + 2  # a sub-area heading between
    assert [(c.number, c.after, c.column, c.row) for c in plan.changes] == [
        (1, "Ya", "K", read.placements[1].row),
        (3, "Tidak", "K", read.placements[3].row),
        (88, 7, "K", read.placements[88].row),
        (89, 5, "K", read.placements[89].row),
    ]
    assert q4 not in str(plan.changes)


def test_a_tpi_column_comes_in_as_the_tpi_answers(programme, tpi_reviewer, coordinator):
    spec = programme.framework.spec
    assessment_for(programme)
    data = lampiran_workbook(spec, {1: "Ya"}, tpi={1: "tidak", 2: "B"})
    with pytest.raises(ImportRefused) as refused:
        lke_import_apply(actor=coordinator, programme=programme, data=data)
    assert {e.column for e in refused.value.errors} == {"R"}
    assert "only the internal assessors" in refused.value.errors[0].message
    lke_import_apply(actor=None, programme=programme, data=data)
    answer = Answer.objects.get(assessment__programme=programme, number=1)
    assert (answer.unit_value, answer.tpi_value) == ("Ya", "Tidak")


def test_bad_cells_are_refused_naming_sheet_row_column_value_and_nothing_is_written(
    programme, coordinator, tmp_path, capsys
):
    spec = programme.framework.spec
    assessment_for(programme)
    data = lampiran_workbook(
        spec,
        {1: "Ya", 2: "Z", 88: "tujuh"},
        sheet="LKE ZI",
        evidence={1: ("SK", "http://bukti")},  # no domain
    )
    before, entries = unit_values(programme), AuditEntry.objects.count()
    with pytest.raises(ImportRefused) as refused:
        lke_import_apply(actor=coordinator, programme=programme, data=data)
    read = lke_import_preview(actor=coordinator, programme=programme, data=data).read
    errors = [(e.sheet, e.row, e.column, e.value) for e in refused.value.errors]
    assert errors == [
        ("LKE ZI", read.placements[1].row, "Q", "http://bukti"),
        ("LKE ZI", read.placements[2].row, "K", "Z"),
        ("LKE ZI", read.placements[88].row, "K", "tujuh"),
    ]
    assert "allowed: one of A, B, C" in refused.value.errors[1].message
    assert unit_values(programme) == before and AuditEntry.objects.count() == entries
    assert not Evidence.objects.filter(programme=programme).exists()

    path = tmp_path / "lke.xlsx"
    path.write_bytes(data)
    with pytest.raises(SystemExit) as exit_:
        call_command("import_lke", str(path), programme=programme.key, user=coordinator.username)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Sheet LKE ZI, row {read.placements[1].row}, column Q (“http://bukti”)")
    assert f"Sheet LKE ZI, row {read.placements[2].row}, column K (“Z”): " in err
    assert unit_values(programme) == before


def test_a_workbook_without_any_lke_sheet_is_refused_saying_what_was_looked_for(programme):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Utama"
    workbook.active["A1"] = "Penilaian"
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(ImportRefused) as refused:
        lke_import_preview(actor=None, programme=programme, data=out.getvalue())
    message = str(refused.value)
    assert "has no sheet “Jawaban” (it has: Utama)" in message
    assert "no sheet has the LKE header row" in message


def test_the_import_page_shows_rows_and_reconciliation_then_imports_on_confirmation(
    client, programme, coordinator, outsider
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    spec = programme.framework.spec
    assessment_for(programme)
    data = lampiran_workbook(spec, full_answers(spec), types={1: "Ya"})
    page = reverse("lke_import", kwargs=programme.url_kwargs())
    client.force_login(outsider)
    assert client.post(page, {"file": SimpleUploadedFile("lke.xlsx", data)}).status_code in (
        403,
        404,
    )
    client.force_login(coordinator)
    response = client.post(page, {"file": SimpleUploadedFile("lke.xlsx", data)})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="import-reconciliation"' in body
    assert "does not recognise the answer type “Ya”" in body
    assert 'data-testid="import-placements"' in body and 'data-testid="import-layout"' in body
    assert not any(unit_values(programme).values())
    response = client.post(page, {"token": response.context["token"]})
    assert response.status_code == 302
    assert unit_values(programme)[1] == "Ya"


def test_import_lke_command_on_a_unit_workbook_with_survey_figures(
    programme, coordinator, tmp_path, capsys
):
    from surveys.loader import load_bundled_instruments
    from surveys.models import OfficialFigure

    load_bundled_instruments()  # q125 and q127 are now fed by the surveys
    spec = programme.framework.spec
    assessment_for(programme)
    path = tmp_path / "lke.xlsx"
    path.write_bytes(
        lampiran_workbook(
            spec, full_answers(spec), types={1: "Ya"}, evidence={1: ("SK Tim", DRIVE)}
        )
    )
    call_command("import_lke", str(path), programme=programme.key, dry_run=True)
    out = capsys.readouterr().out
    assert "q1 read from LKE ZI row 8 (text)" in out
    assert "q125 survey figure (LKE ZI!K" in out and "not entered" in out
    assert "score total: workbook 93.65 (LKE ZI!L" in out and "ours 93.90: differs" in out
    assert "explained: Sheet LKE ZI, row 8 (question 1)" in out
    assert not any(unit_values(programme).values())
    call_command(
        "import_lke",
        str(path),
        programme=programme.key,
        user=coordinator.username,
        survey_figures=True,
    )
    out = capsys.readouterr().out
    assert "q1 evidence link (LKE ZI!Q8): " + DRIVE in out
    assert "entered as official" in out
    figures = dict(
        OfficialFigure.objects.filter(programme=programme).values_list("question", "index")
    )
    assert figures == {125: Decimal("3.6000"), 127: Decimal("3.2000")}
    stored = unit_values(programme)
    assert stored[1] == "Ya" and stored[125] == "" and stored[127] == ""
