"""Paper responses in (all rows or none), responses and results out (CSV, XLSX)."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from surveys.exports import csv_response
from surveys.models import ResponseImport, SurveyResponse
from tests.surveys.factories import add_responses, make_survey

pytestmark = pytest.mark.django_db

GOOD = (
    "service;sex;U1;U2;U3;U4;U5;U6;U7;U8;U9\n"
    "sim;P;4;4;3;4;3;4;4;3;4\n"
    "SKCK;l;3;3;3;4;3;3;4;2;3\n"
    ";;4;;3;3;4;4;4;3;4\n"
)
BAD = (
    "service,U1,U2,U3,U4,U5,U6,U7,U8,U9\n"
    "sim,4,4,3,4,3,4,4,3,4\n"
    "paspor,4,4,3,4,3,4,4,3,4\n"
    "sim,4,4,3,9,3,4,4,3,4\n"
)


def kwargs(survey) -> dict:
    return {"unit_code": "POLRES-ALPHA", "year": 2026, "survey_id": survey.pk}


def test_import_command_stores_every_row(programme, tmp_path):
    survey = make_survey(programme, "skm-2017")
    path = tmp_path / "kertas.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("import_survey_responses", "--survey", str(survey.pk), str(path), stdout=out)
    assert "3 responses imported" in out.getvalue()
    rows = list(SurveyResponse.objects.filter(survey=survey).order_by("pk"))
    assert [r.service for r in rows] == ["sim", "skck", ""]
    assert [r.profile for r in rows] == [{"sex": "P"}, {"sex": "L"}, {}]
    assert "U2" not in rows[2].answers
    assert {r.channel for r in rows} == {"paper"}
    record = ResponseImport.objects.get()
    assert (record.file_name, record.rows) == ("kertas.csv", 3)
    assert AuditEntry.objects.filter(object_type="surveys.responseimport").count() == 1


def test_import_command_refuses_a_bad_file_whole_naming_each_row(programme, tmp_path):
    survey = make_survey(programme, "skm-2017")
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing imported: 2 problem"):
        call_command("import_survey_responses", "--survey", str(survey.pk), str(path), stderr=err)
    lines = err.getvalue().splitlines()
    assert "line 3 (data row 2), column service" in lines[0] and "'paspor'" in lines[0]
    assert "line 4 (data row 3), column U4" in lines[1] and "9 is outside 1..4" in lines[1]
    assert not SurveyResponse.objects.exists()
    assert not ResponseImport.objects.exists()
    with pytest.raises(CommandError, match="no survey"):
        call_command("import_survey_responses", "--survey", "999", str(path))


def test_the_same_file_is_imported_once(programme, tmp_path):
    survey = make_survey(programme, "skm-2017")
    path = tmp_path / "kertas.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_survey_responses", "--survey", str(survey.pk), str(path))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_survey_responses", "--survey", str(survey.pk), str(path), stderr=err)
    assert "imported already" in err.getvalue()
    assert SurveyResponse.objects.count() == 3


def test_the_upload_page_lists_every_problem_and_stores_nothing(client, coordinator, programme):
    survey = make_survey(programme, "skm-2017")
    client.force_login(coordinator)
    page = reverse("survey_import", kwargs=kwargs(survey))
    response = client.post(page, {"file": SimpleUploadedFile("bad.csv", BAD.encode())})
    assert response.status_code == 200
    problems = response.context["problems"]
    assert len(problems) == 2 and "data row 2" in problems[0] and "data row 3" in problems[1]
    assert b'data-testid="import-problems"' in response.content
    assert not SurveyResponse.objects.exists()
    ok = client.post(page, {"file": SimpleUploadedFile("good.csv", GOOD.encode())})
    assert ok.status_code == 302
    assert SurveyResponse.objects.filter(survey=survey).count() == 3
    workbook = client.post(page, {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04junk")})
    assert "not CSV" in workbook.context["problems"][0]
    template = client.get(reverse("survey_import_template", kwargs=kwargs(survey)))
    header = b"".join(template.streaming_content).decode("utf-8-sig").strip()
    assert header == "age_band,sex,education,occupation,service,U1,U2,U3,U4,U5,U6,U7,U8,U9"


def test_responses_export_raw_and_with_labels(client, coordinator, programme):
    survey = make_survey(
        programme,
        "skm-2017",
        services=[{"code": "sim", "name": "SIM"}, {"code": "x", "name": '=HYPERLINK("evil")'}],
    )
    add_responses(
        survey, [dict.fromkeys(survey.spec.item_codes, 4)], service="x", profile={"sex": "P"}
    )
    add_responses(survey, [{"U1": 1}], service="sim")
    client.force_login(coordinator)
    raw = client.get(reverse("survey_export_responses", kwargs={**kwargs(survey), "fmt": "csv"}))
    assert raw["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(raw.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "no",
        "submitted_on",
        "channel",
        "service",
        "age_band",
        "sex",
        "education",
    ]
    assert rows[1][3] == "x" and rows[1][5] == "P" and rows[1][-1] == "4"
    assert rows[2][-9:] == ["1"] + [""] * 8
    labels = client.get(
        reverse("survey_export_responses", kwargs={**kwargs(survey), "fmt": "csv"}),
        {"values": "labels"},
    )
    rows = list(csv.reader(io.StringIO(b"".join(labels.streaming_content).decode("utf-8-sig"))))
    assert rows[0][3] == "Service received"
    assert rows[1][3] == '\'=HYPERLINK("evil")'  # text, never a formula
    assert rows[1][5] == "Female"
    assert rows[1][-1] == "Very good"
    xlsx = client.get(
        reverse("survey_export_responses", kwargs={**kwargs(survey), "fmt": "xlsx"}),
        {"values": "labels"},
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cell = sheet.cell(row=2, column=4)
    assert cell.value == '=HYPERLINK("evil")' and cell.data_type == "s"
    assert cell.quotePrefix  # kept text even when the cell is edited
    assert sheet.max_row == 3


def test_results_export(client, coordinator, programme):
    survey = make_survey(programme, "spak-2021")
    add_responses(survey, [dict.fromkeys(survey.spec.item_codes, 4)] * 3, service="sim")
    client.force_login(coordinator)
    xlsx = client.get(reverse("survey_export_results", kwargs={**kwargs(survey), "fmt": "xlsx"}))
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert workbook.sheetnames == ["Summary", "Items", "Services", "Respondents"]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(values_only=True)}
    assert summary["Respondents"] == 3 and summary["Index"] == 4
    assert summary["LKE score (question 125)"] == 17.5
    items = list(workbook["Items"].iter_rows(values_only=True))
    assert items[1][:5] == ("K1", "Discrimination in service", items[1][2], 3, 4)
    text = client.get(reverse("survey_export_results", kwargs={**kwargs(survey), "fmt": "csv"}))
    rows = list(csv.reader(io.StringIO(b"".join(text.streaming_content).decode("utf-8-sig"))))
    assert ["Summary", "Respondents", "3"] in rows
    assert (
        client.get(
            reverse("survey_export_results", kwargs={**kwargs(survey), "fmt": "pdf"})
        ).status_code
        == 404
    )


def test_exports_stream_with_a_fixed_number_of_queries(
    client, coordinator, programme, django_assert_max_num_queries
):
    survey = make_survey(programme, "spkp-2021")
    add_responses(survey, [dict.fromkeys(survey.spec.item_codes, 3)] * 2500)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12):
        response = client.get(
            reverse("survey_export_responses", kwargs={**kwargs(survey), "fmt": "csv"})
        )
        lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(lines) == 2501


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+62 811", "'+62 811"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("SIM", "SIM"),
        (4, "4"),
        (-5, "-5"),  # a number, not a formula
        (None, ""),
    ],
)
def test_csv_cells_that_would_run_as_formulas_are_text(value, written):
    response = csv_response("x.csv", [[value]])
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text))) == [written]
