"""The LKE workbook: every cell against what is stored and how it scores."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from evaluations.models import Answer, AnswerEvidence
from evaluations.scoring import display, ratio_values
from evaluations.selectors import answer_layers, predicate_views, programme_breakdown
from evaluations.services import (
    answer_evidence_add,
    answer_set_tpi,
    answer_set_unit,
    assessment_for,
)
from evaluations.wording import shortfall_label
from reports.selectors import evidence_link, lke_report
from reports.workbook import (
    EVIDENCE_SHEET,
    SUMMARY_HEADER,
    SUMMARY_SHEET,
    heading_rows,
    lke_workbook,
    summary_rows,
)
from tests.reports.conftest import open_workbook
from zi_tracker.http import site_url

pytestmark = pytest.mark.django_db


def number(cell_value) -> Decimal | None:
    """A numeric cell back as a Decimal (openpyxl reads numbers as int or float)."""
    if cell_value is None:
        return None
    assert isinstance(cell_value, int | float), f"{cell_value!r} is not a number"
    return Decimal(str(cell_value))


def test_every_cell_of_the_demo_workbook_matches_what_is_stored_and_scored(demo):
    # One test for the three sheets: building the demo world is the slow part.
    programme = demo.programme
    workbook = open_workbook(lke_workbook(lke_report(programme)))
    check_answers(programme, workbook)
    check_scores(programme, workbook)
    check_evidence(programme, workbook)


def check_answers(programme, workbook):
    sheet = workbook["Jawaban"]
    spec = programme.framework.spec
    layers = answer_layers(programme)
    stored = {a.number: a for a in Answer.objects.filter(assessment__programme=programme)}
    links = {}
    for link in AnswerEvidence.objects.filter(answer__assessment__programme=programme).order_by(
        "added_at", "pk"
    ):
        links.setdefault(link.answer.number, []).append(evidence_link(link.evidence))
    assert layers.survey_fed, "the demo has survey-fed questions"
    answered = 0
    for q in spec.questions:
        row = q.excel.row
        answer = stored[q.number]
        assert sheet[f"A{row}"].value == q.number
        assert sheet[f"C{row}"].value == q.text
        unit_cell = sheet[f"{q.excel.unit_answer}{row}"].value
        if q.number in layers.survey_fed:
            # The figure in force is shown; the TPI columns stay empty.
            # (a float: the exact index has more digits than a spreadsheet number keeps)
            assert abs(unit_cell - float(layers.unit[q.number].value)) < 1e-12
            assert sheet[f"{q.excel.tpi_answer}{row}"].value is None
            continue
        if answer.unit_value:
            answered += 1
            if q.kind == "choice":
                assert unit_cell == answer.unit_value
            else:
                assert number(unit_cell) == Decimal(answer.unit_value)
        else:
            assert unit_cell is None
        tpi_cell = sheet[f"{q.excel.tpi_answer}{row}"].value
        if answer.tpi_value:
            expected = answer.tpi_value if q.kind == "choice" else Decimal(answer.tpi_value)
            assert (tpi_cell if q.kind == "choice" else number(tpi_cell)) == expected
        else:
            assert tpi_cell is None
        assert (sheet[f"{q.excel.unit_note}{row}"].value or "") == answer.unit_note
        assert (sheet[f"{q.excel.tpi_note}{row}"].value or "") == answer.tpi_note
        assert (sheet[f"{q.excel.unit_evidence}{row}"].value or "") == "\n".join(
            links.get(q.number, [])
        )
    assert answered > 80


def check_scores(programme, workbook):
    sheet = workbook["Jawaban"]
    spec = programme.framework.spec
    effective = programme_breakdown(programme, "effective")
    unit = programme_breakdown(programme, "unit")
    tpi = programme_breakdown(programme, "tpi")

    def figure(breakdown, kind, code):
        if kind == "sub_area":
            return breakdown.sub_areas[code].weight, breakdown.sub_areas[code].score
        if kind == "area":
            area, part = code.split("@")
            return breakdown.areas[area].part_weights[part], breakdown.areas[area].parts[part]
        if kind == "part":
            return breakdown.parts[code].weight, breakdown.parts[code].score
        if kind == "hasil_item":
            return breakdown.hasil_items[code].weight, breakdown.hasil_items[code].score
        return breakdown.components[code].weight, breakdown.components[code].score

    headings = heading_rows(spec)
    # Every sub-area of the lke-2021 sheet has a free row above it, and so do the areas.
    assert sum(1 for kind, *_ in headings.values() if kind == "sub_area") == len(spec.sub_areas)
    for row, (kind, code, _numbering, name) in headings.items():
        weight, score = figure(effective, kind, code)
        assert sheet[f"C{row}"].value == name
        assert number(sheet[f"F{row}"].value) == weight
        assert number(sheet[f"G{row}"].value) == display(score)
        assert number(sheet[f"H{row}"].value) == display(figure(unit, kind, code)[1])
        assert number(sheet[f"I{row}"].value) == display(figure(tpi, kind, code)[1])
    for item in effective.hasil_items.values():
        row = spec.question(item.question).excel.row
        assert number(sheet[f"G{row}"].value) == display(item.score)
    total_row = max(q.excel.row for q in spec.questions) + 2
    assert number(sheet[f"G{total_row}"].value) == display(effective.total)
    # Percentage items (q89/q88, ...): value and label on the row of their last count.
    layers = answer_layers(programme)
    ratios = {
        (r.sub_area, r.label): r for r in ratio_values(spec, layers.layer("effective")).values()
    }
    assert len(ratios) == 8  # the percentage items of lke-2021 (DOMAIN.md)
    for ratio in ratios.values():
        row = max(spec.question(n).excel.row for n in ratio.questions)
        assert sheet[f"J{row}"].value == ratio.label
        if ratio.value is None:
            assert sheet[f"G{row}"].value is None
        else:
            assert abs(sheet[f"G{row}"].value - float(ratio.value)) < 1e-12

    summary = workbook[SUMMARY_SHEET]
    rows = summary_rows(spec)
    for offset, (kind, code, _numbering, name) in enumerate(rows, start=1):
        values = [c.value for c in summary[SUMMARY_HEADER + offset]]
        assert values[1] == code and values[3] == name
        weight, score = figure(effective, kind, code)
        assert number(values[4]) == weight
        assert number(values[5]) == display(figure(unit, kind, code)[1])
        assert number(values[6]) == display(figure(tpi, kind, code)[1])
        assert number(values[7]) == display(score)
    total = [c.value for c in summary[SUMMARY_HEADER + len(rows) + 1]]
    assert number(total[7]) == display(effective.total)
    # The predicate check: each predicate, then its shortfalls as numbers.
    cells = [[c.value for c in r] for r in summary.iter_rows()]
    views, _gains = predicate_views(spec, effective, layers.layer("effective"), layers.survey_fed)
    for view in views:  # the pages' order and wording
        head = next(r for r in cells if r[0] == view.code and r[1] is not None)
        assert head[1] == ("yes" if view.meets else "no")
        lines = [r for r in cells if r[0] == view.code and r[2] is not None]
        assert [(r[2], number(r[3]), number(r[4]), number(r[5])) for r in lines] == [
            (shortfall_label(s), s.actual, s.required, s.gap) for s in view.rows
        ]
    assert any(p.shortfalls for p in effective.predicates.values())


def check_evidence(programme, workbook):
    sheet = workbook[EVIDENCE_SHEET]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    expected = [
        (link.answer.number, link.evidence.title, evidence_link(link.evidence))
        for link in AnswerEvidence.objects.filter(answer__assessment__programme=programme).order_by(
            "answer__number", "added_at", "pk"
        )
    ]
    assert [(r[0], r[2], r[5]) for r in rows] == expected
    assert any(link.startswith(site_url() + "/evidence/") for *_, link in expected)


def test_text_that_looks_like_a_formula_stays_text(programme, coordinator):
    answer_set_unit(actor=coordinator, programme=programme, number=1, value="Ya", note="=1+1")
    sheet = open_workbook(lke_workbook(lke_report(programme)))["Jawaban"]
    cell = sheet["L6"]
    assert cell.value == "=1+1" and cell.data_type == "s"


def test_the_report_reads_a_fixed_number_of_queries(
    programme, coordinator, tpi_reviewer, django_assert_num_queries
):
    assessment_for(programme)
    answer_set_unit(actor=coordinator, programme=programme, number=1, value="Ya")
    answer_evidence_add(
        actor=coordinator, programme=programme, number=1, url="https://a.test/1", title="a"
    )
    programme.refresh_from_db()
    queries = 5  # answers, survey figures, notes, evidence: none per answer
    with django_assert_num_queries(queries):
        report = lke_report(programme)
    lke_workbook(report)
    for n, value in ((2, "A"), (3, "Ya"), (4, "B"), (13, "C"), (88, 4), (89, 2)):
        answer_set_unit(actor=coordinator, programme=programme, number=n, value=value, note="x")
        answer_set_tpi(actor=tpi_reviewer, programme=programme, number=n, value=value)
        answer_evidence_add(
            actor=coordinator, programme=programme, number=n, url=f"https://a.test/{n}", title="b"
        )
    programme.refresh_from_db()
    with django_assert_num_queries(queries):
        report = lke_report(programme)
    assert len(report.evidence) == 7
    sheet = open_workbook(lke_workbook(report))["Jawaban"]
    assert sheet["K126"].value == 4 and sheet["N127"].value == 2


def test_export_lke_command_writes_the_workbook(programme, coordinator, tmp_path):
    answer_set_unit(actor=coordinator, programme=programme, number=1, value="Ya")
    out = tmp_path / "lke.xlsx"
    call_command("export_lke", programme=programme.key, out=str(out))
    workbook = open_workbook(out.read_bytes())
    assert workbook.sheetnames == ["Jawaban", SUMMARY_SHEET, EVIDENCE_SHEET]
    assert workbook["Jawaban"]["K6"].value == "Ya"


def test_export_lke_command_refuses_an_unknown_programme(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("export_lke", programme="NOPE/2026", out=str(tmp_path / "x.xlsx"))
    assert exit_.value.code == 2
    assert "NOPE/2026: no such programme" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()


RINGKASAN = {
    "id": {
        "exported": "Diekspor pada",
        "held": "Unit belum berpredikat WBK.",
        "check": "Pemeriksaan predikat",
    },
    "en": {
        "exported": "Exported at",
        "held": "The unit does not yet hold WBK.",
        "check": "Predicate check",
    },
}


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_workbook_speaks_the_export_language(demo, language):
    with translation.override(language):
        workbook = open_workbook(lke_workbook(lke_report(demo.programme)))
    words = RINGKASAN[language]
    summary = workbook[SUMMARY_SHEET]
    cells = [[c.value for c in row] for row in summary.iter_rows()]
    texts = [v for row in cells for v in row if isinstance(v, str)]
    assert cells[4][0] == words["exported"]
    with translation.override(language):
        month = date_format(timezone.localdate(), "M")  # "Des" / "Dec" in December
    assert re.fullmatch(rf"\d{{1,2}} {month} \d{{4}} \d\d:\d\d", cells[4][1])
    assert words["check"] in texts and words["held"] in texts
    assert not any("holds WBK" in t or "IPKP score" in t or "IPAK score" in t for t in texts)
    # Areas by their framework names on the check's rows, each figure a number shown with two
    # decimals in the reader's spreadsheet (its own decimal separator).
    check = next(i for i, row in enumerate(cells) if row[0] == words["check"])
    mp = next(row for row in cells[check:] if row[2] == "Manajemen Perubahan")
    assert mp[3:6] == [4.47, 4.8, 0.33]
    row = check + 1 + next(i for i, r in enumerate(cells[check:]) if r[2] == "Manajemen Perubahan")
    assert summary.cell(row=row, column=4).number_format == "0.00"
    # The area table's share of weight: MP 4.47 of 8 -> 55.88 (the pages' 55,88%).
    areas = next(i for i, r in enumerate(cells) if r[1] == "MP" and r[2] == "Manajemen Perubahan")
    assert cells[areas][4:6] == [4.47, 55.88]
