"""Uploads: names, sizes, types by content, where files live, and archives for imports."""

from __future__ import annotations

import io
import os
import stat
import struct
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from pokja.models import Evidence
from pokja.uploads import (
    CappedTemporaryFileUploadHandler,
    check_upload,
    check_xlsx_upload,
    check_zip_upload,
    safe_display_name,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.pdf", "win.pdf"),
        ("/var/www/static/x.pdf", "x.pdf"),
        ("laporan\u202efdp.exe", "laporanfdp.exe"),  # right-to-left override removed
        ('a"b;c<d>e|f?.pdf', "abcdef.pdf"),
        ("nama\r\nContent-Disposition: inline.pdf", "namaContent-Disposition inline.pdf"),
        ("\x00evil.pdf", "evil.pdf"),
        ("\uff4c\uff41\uff50\uff4f\uff52\uff41\uff4e.pdf", "laporan.pdf"),  # full-width
        (" . ", "file"),
        ("", "file"),
        (".htaccess", "htaccess"),
    ],
)
def test_file_names_are_reduced_to_a_harmless_base_name(given, shown):
    assert safe_display_name(given) == shown


def test_long_names_keep_their_extension():
    name = safe_display_name("a" * 500 + ".pdf")
    assert len(name) == 200 and name.endswith(".pdf")


# --- evidence by content -------------------------------------------------------------------


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("shell.php", PDF, "ends in “.php” but its content is PDF"),
        ("foto.png.exe", PNG, "ends in “.exe” but its content is PNG"),
        ("surat.pdf", b"<html><body onload=alert(1)>", "not accepted"),
        (
            "gambar.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>',
            "not accepted",
        ),
        ("arsip.docx", b"PK\x03\x04" + b"\x00" * 100, "not accepted"),
        ("program.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "not accepted"),
        ("skrip.pdf", b"#!/bin/sh\nrm -rf /\n", "not accepted"),
        ("foto.jpg", PDF, "content is PDF"),
    ],
)
def test_mislabelled_or_disallowed_content_is_refused(name, content, message):
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, content), field="berkas")
    assert message in " ".join(error.value.message_dict["berkas"])


def test_allowed_documents_are_accepted_by_their_content():
    assert check_upload(SimpleUploadedFile("Notulen.PDF", PDF)).extension == ".pdf"
    assert check_upload(SimpleUploadedFile("foto.png", PNG)).content_type == "image/png"
    checked = check_upload(SimpleUploadedFile("SK Tim.docx", _docx()))
    assert checked.extension == ".docx"


@pytest.mark.django_db
def test_an_oversized_upload_is_refused_with_its_size_and_never_fully_stored(
    client, world, settings
):
    settings.ZI_EVIDENCE_MAX_MB = 1
    client.force_login(world.coordinator)
    big = PDF + b"0" * (3 * 1024 * 1024)  # more than FILE_UPLOAD_MAX_MEMORY_SIZE: to disk
    response = client.post(
        reverse("programme_settings", kwargs={"unit_code": world.unit.code, "year": 2026}),
        {"target": "WBK", "status": "active", "pakta_file": SimpleUploadedFile("besar.pdf", big)},
    )
    assert response.status_code == 200
    assert "The file is 3.0 MB; the limit is 1 MB." in response.context["form"].errors["pakta_file"]
    assert not Evidence.objects.exists()


def test_the_upload_handler_keeps_no_more_than_the_limit_on_disk(settings):
    settings.ZI_EVIDENCE_MAX_MB = 1
    handler = CappedTemporaryFileUploadHandler()
    handler.new_file("pakta_file", "besar.pdf", "application/pdf", 3 * 1024 * 1024)
    chunk = b"x" * 65536
    total = 0
    for _ in range(48):  # 3 MB
        handler.receive_data_chunk(chunk, total)
        total += len(chunk)
    uploaded = handler.file_complete(total)
    try:
        on_disk = os.path.getsize(uploaded.temporary_file_path())
        assert on_disk == 1024 * 1024 + 1
        assert uploaded.size == 3 * 1024 * 1024  # the checks see the real size
        with pytest.raises(ValidationError, match="the limit is 1 MB"):
            check_upload(uploaded)
    finally:
        uploaded.close()


def test_uploads_are_stored_outside_anything_served_as_static_files():
    media = Path(settings.MEDIA_ROOT).resolve()
    served = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    for folder in served:
        folder = folder.resolve()
        assert not media.is_relative_to(folder) and not folder.is_relative_to(media)
    assert settings.FILE_UPLOAD_PERMISSIONS == 0o640
    assert settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS == 0o750


@pytest.mark.django_db
def test_stored_evidence_is_not_executable_and_not_reachable_by_url(client, world):
    from pokja.services import evidence_add_file

    evidence = evidence_add_file(
        actor=world.coordinator,
        programme=world.programme,
        pokja=None,
        uploaded=SimpleUploadedFile("pakta.pdf", PDF),
    )
    mode = stat.S_IMODE(os.stat(evidence.file.path).st_mode)
    assert not mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    assert not mode & stat.S_IROTH
    assert "pakta" not in evidence.file.name  # stored by content hash, not the given name
    client.force_login(world.site_admin)
    for url in (
        settings.MEDIA_URL + evidence.file.name,
        "/media/" + evidence.file.name,
        "/static/../" + evidence.file.name,
    ):
        assert client.get(url).status_code == 404


# --- archives (imports) ---------------------------------------------------------------------


def xlsx_bytes(**extra_parts) -> bytes:
    workbook = Workbook()
    workbook.active.append(["kode", "nilai"])
    workbook.active.append(["q1", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    if not extra_parts:
        return buffer.getvalue()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = extra_parts.pop(info.filename, None)
            target.writestr(info.filename, data if data is not None else source.read(info))
        for name, data in extra_parts.items():
            target.writestr(name, data)
    return out.getvalue()


def zip_of(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def patch_entry(data: bytes, name: str, *, flags: int | None = None, size: int | None = None):
    """Rewrite what an archive declares about one entry (as a forger would)."""
    data = bytearray(data)
    encoded = name.encode()
    for signature, flag_at, size_at, name_at in (
        (b"PK\x03\x04", 6, 22, 30),
        (b"PK\x01\x02", 8, 24, 46),
    ):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at : start + name_at + len(encoded)] == encoded:
                if flags is not None:
                    struct.pack_into("<H", data, start + flag_at, flags)
                if size is not None:
                    struct.pack_into("<I", data, start + size_at, size)
            start += 4
    return bytes(data)


def refused(content: bytes, name: str = "data.xlsx", **limits) -> str:
    with pytest.raises(ValidationError) as error:
        check_xlsx_upload(SimpleUploadedFile(name, content), field="berkas", **limits)
    return " ".join(error.value.message_dict["berkas"])


def test_a_real_workbook_is_accepted_and_still_readable():
    uploaded = SimpleUploadedFile("LKE Pokja 1.xlsx", xlsx_bytes())
    checked = check_xlsx_upload(uploaded, field="berkas")
    assert "xl/workbook.xml" in checked.names
    assert checked.original_name == "LKE Pokja 1.xlsx"
    assert load_workbook(uploaded).active["A2"].value == "q1"


def test_a_zip_bomb_is_refused_before_anything_inflates_it():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            for _ in range(60):
                part.write(b"\x00" * 1024 * 1024)
    assert len(bomb.getvalue()) < 200_000  # 60 MB packed into a small file
    message = refused(bomb.getvalue())
    assert message == "Unpacked, the file would take 60.0\xa0MB; at most 50.0\xa0MB are accepted."
    assert "at most 1000\xa0bytes" in refused(xlsx_bytes(), max_uncompressed_bytes=1000)


def test_an_archive_that_understates_its_sizes_cannot_inflate_beyond_them():
    packed = zip_of({"big.bin": b"\x00" * 5 * 1024 * 1024})
    liar = patch_entry(packed, "big.bin", size=100)
    checked = check_zip_upload(SimpleUploadedFile("data.zip", liar))
    assert checked.uncompressed_bytes == 100
    inflated = 0
    with (
        zipfile.ZipFile(io.BytesIO(liar)) as archive,
        archive.open("big.bin") as part,
        pytest.raises(zipfile.BadZipFile, match="CRC"),
    ):
        while chunk := part.read(10):
            inflated += len(chunk)
    assert inflated <= 100


def test_too_many_entries_are_refused():
    many = xlsx_bytes(**{f"xl/media/image{i}.png": b"x" for i in range(500)})
    assert "at most 500 are accepted" in refused(many)


@pytest.mark.parametrize(
    "entry", ["../../etc/cron.d/x", "/etc/passwd", "C:/Windows/x.xml", "xl\\..\\x.xml"]
)
def test_entries_that_escape_their_folder_are_refused(entry):
    assert "not a valid XLSX" in refused(xlsx_bytes(**{entry: b"x"}))


def test_duplicate_encrypted_or_exotic_entries_are_refused():
    duplicate = io.BytesIO()
    with zipfile.ZipFile(duplicate, "w") as archive, pytest.warns(UserWarning):
        archive.writestr("xl/workbook.xml", "<a/>")
        archive.writestr("xl/workbook.xml", "<b/>")
    assert "not a valid XLSX" in refused(duplicate.getvalue())
    encrypted = patch_entry(xlsx_bytes(), "xl/workbook.xml", flags=0x1)
    assert "not a valid XLSX" in refused(encrypted)
    bzip = zip_of({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<w/>"}, zipfile.ZIP_BZIP2)
    assert "not a valid XLSX" in refused(bzip)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("data.xlsx", PDF, "not a valid XLSX"),
        ("data.xlsx", b"PK\x03\x04 truncated", "not a valid XLSX"),
        ("data.pdf", xlsx_bytes(), "Upload a XLSX file"),
        ("data.xls", xlsx_bytes(), "Upload a XLSX file"),
        ("data.xlsx", zip_of({"readme.txt": b"hi"}), "not an Excel workbook"),
        ("data.xlsx", xlsx_bytes(**{"xl/vbaProject.bin": b"macro"}), "macros"),
        (
            "data.xlsx",
            xlsx_bytes(
                **{
                    "xl/sharedStrings.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">'
                    b"]><sst>&a;</sst>"
                }
            ),
            "declarations that are not accepted",
        ),
        ("data.xlsx", b"", "empty"),
    ],
)
def test_mislabelled_and_hostile_workbooks_are_refused_naming_the_field(name, content, message):
    assert message in refused(content, name)


def test_a_workbook_larger_than_the_upload_limit_is_refused():
    assert "the limit is 10\xa0bytes" in refused(xlsx_bytes(), max_bytes=10)
