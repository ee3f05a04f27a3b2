"""The evidence bundle: folders per area / sub-area / question, safe names, an index."""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from evaluations.services import (
    answer_evidence_add,
    answer_evidence_attach,
)
from reports.bundle import evidence_bundle, question_folder, safe_part
from reports.selectors import lke_report

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% bukti\n"


def pdf(name: str, body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def bundle(programme) -> zipfile.ZipFile:
    with evidence_bundle(lke_report(programme)) as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_files_sit_in_area_sub_area_and_question_folders_and_the_index_links_them(
    programme, coordinator
):
    sk = answer_evidence_add(
        actor=coordinator, programme=programme, number=1, uploaded=pdf("sk-tim.pdf"), title="SK"
    )
    answer_evidence_add(
        actor=coordinator,
        programme=programme,
        number=1,
        uploaded=pdf("sk-tim.pdf", PDF + b"v2"),
        title="SK revisi",
    )
    answer_evidence_attach(actor=coordinator, programme=programme, number=13, evidence=sk)
    answer_evidence_add(
        actor=coordinator,
        programme=programme,
        number=113,
        uploaded=pdf("../../etc/passwd.pdf", PDF + b"lhkpn"),
        title="LHKPN",
    )
    answer_evidence_add(
        actor=coordinator, programme=programme, number=2, url="https://drive.test/q2", title="Foto"
    )
    archive = bundle(programme)
    names = sorted(archive.namelist())
    assert names == [
        "1 Manajemen Perubahan/i Penyusunan Tim Kerja/q001/sk-tim-2.pdf",
        "1 Manajemen Perubahan/i Penyusunan Tim Kerja/q001/sk-tim.pdf",
        "2 Penataan Tatalaksana/i Prosedur Operasional Tetap (SOP) Kegiatan Utama/q013/sk-tim.pdf",
        "5 Penguatan Pengawasan/iii Penyampaian Laporan Harta Kekayaan/"
        "a Penyampaian Laporan Harta Kekayaan Pejabat Negara (LHKPN)/q113/passwd.pdf",
        "index.html",
    ]
    assert archive.read(names[0]) == PDF + b"v2" and archive.read(names[1]) == PDF
    index = archive.read("index.html").decode()
    hrefs = [unquote(h) for h in re.findall(r'href="([^"]+)"', index)]
    assert sorted(h for h in hrefs if not h.startswith("https://")) == names[:-1]
    assert "https://drive.test/q2" in hrefs
    assert index.count('<tr id="q') == 127  # every question, with or without evidence


def test_a_file_missing_from_storage_is_listed_as_missing(programme, coordinator):
    evidence = answer_evidence_add(
        actor=coordinator, programme=programme, number=1, uploaded=pdf("sk.pdf"), title="SK"
    )
    evidence.file.delete(save=False)
    archive = bundle(programme)
    assert archive.namelist() == ["index.html"]
    assert "SK (file missing from storage)" in archive.read("index.html").decode()


def test_folder_names_are_safe(programme):
    assert safe_part('a/b\\c:d*e?"f"<g>|h\n') == "a-b-c-d-e--f--g--h"
    assert safe_part("  .. ") == "_"
    assert len(safe_part("x" * 300)) == 80
    spec = programme.framework.spec
    assert question_folder(spec, spec.question(125)).startswith("Hasil/I ")
    assert question_folder(spec, spec.question(125)).endswith("/q125")
    assert all(".." not in question_folder(spec, q).split("/") for q in spec.questions)


def test_the_bundle_reads_a_fixed_number_of_queries(
    programme, coordinator, django_assert_num_queries
):
    def add(number, body):
        answer_evidence_add(
            actor=coordinator, programme=programme, number=number, uploaded=pdf("b.pdf", body)
        )

    add(1, PDF + b"1")
    queries = 4  # the worksheet as lke_report reads it: none per file
    with django_assert_num_queries(queries):
        evidence_bundle(lke_report(programme)).close()
    for number in (2, 3, 13, 22):
        add(number, PDF + bytes([number]))
    with django_assert_num_queries(queries):
        archive = bundle(programme)
    assert len(archive.namelist()) == 6


# --- hostile archives uploaded as evidence: stored and bundled as bytes, never opened --------

BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + ']>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "&lol9;</workbook>"
)
BOMB_MB = 100


def billion_laughs_xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", BILLION_LAUGHS)
    return buffer.getvalue()


def zip_bomb_docx() -> bytes:
    """A Word file (by its content) that would unpack to BOMB_MB megabytes of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
        with archive.open("word/media/bomb.bin", "w", force_zip64=True) as part:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(BOMB_MB):
                part.write(chunk)
    return buffer.getvalue()


def test_archives_uploaded_as_evidence_are_bundled_as_their_bytes_never_expanded(
    programme, coordinator
):
    bomb, laughs = zip_bomb_docx(), billion_laughs_xlsx()
    assert len(bomb) < 1_000_000  # 100 MB packed into well under 1 MB
    stored = [
        answer_evidence_add(
            actor=coordinator,
            programme=programme,
            number=1,
            uploaded=SimpleUploadedFile(name, body),
            title=title,
        )
        for name, body, title in (
            ("laporan.docx", bomb, "Laporan"),
            ("rekap.xlsx", laughs, "Rekap"),
        )
    ]
    # Stored as uploaded (judged by their first bytes only, never unpacked).
    assert [e.file.read() for e in stored] == [bomb, laughs]
    with evidence_bundle(lke_report(programme)) as handle:
        data = handle.read()
    archive = zipfile.ZipFile(io.BytesIO(data))
    entries = {info.filename.rsplit("/", 1)[-1]: info for info in archive.infolist()}
    # Each file is in the bundle byte for byte: its size there is its packed size, so
    # nothing inflated it (unpacked, the bomb alone would be 100 MB).
    assert archive.read(entries["laporan.docx"]) == bomb
    assert archive.read(entries["rekap.xlsx"]) == laughs
    total_unpacked = sum(info.file_size for info in archive.infolist())
    index = entries["index.html"].file_size
    assert total_unpacked == len(bomb) + len(laughs) + index
    assert len(data) < 2 * (len(bomb) + len(laughs)) + index
