"""Checking uploads: size, type judged by content and not by name, and archives (ZIP, XLSX)
guarded against zip bombs and hostile entries before anything reads them.

- `check_upload`: evidence files (documents and photos).
- `check_zip_upload`, `check_xlsx_upload`: imports; call before opening the file with
  zipfile/openpyxl.
- `CappedTemporaryFileUploadHandler`: keeps at most the largest allowed upload on disk
  while a request is read, however large the request.
"""

from __future__ import annotations

import hashlib
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath, PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

# Detected content type -> the extension we store it under, and the names users may give.
ALLOWED_TYPES: dict[str, tuple[str, frozenset[str]]] = {
    "application/pdf": (".pdf", frozenset({".pdf"})),
    "image/jpeg": (".jpg", frozenset({".jpg", ".jpeg", ".jfif"})),
    "image/png": (".png", frozenset({".png"})),
    "image/webp": (".webp", frozenset({".webp"})),
    "image/heic": (".heic", frozenset({".heic", ".heif"})),
    "application/msword": (".doc", frozenset({".doc"})),
    "application/vnd.ms-excel": (".xls", frozenset({".xls"})),
    "application/vnd.ms-powerpoint": (".ppt", frozenset({".ppt"})),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        ".docx",
        frozenset({".docx"}),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        ".xlsx",
        frozenset({".xlsx"}),
    ),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        ".pptx",
        frozenset({".pptx"}),
    ),
    "application/vnd.oasis.opendocument.text": (".odt", frozenset({".odt"})),
    "application/vnd.oasis.opendocument.spreadsheet": (".ods", frozenset({".ods"})),
    "application/vnd.oasis.opendocument.presentation": (".odp", frozenset({".odp"})),
}
ALLOWED_EXTENSIONS_TEXT = "PDF, JPG, PNG, WEBP, HEIC, DOC/DOCX, XLS/XLSX, PPT/PPTX, ODT/ODS/ODP"


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str
    size: int
    sha256: str
    original_name: str


def max_upload_bytes() -> int:
    return settings.ZI_EVIDENCE_MAX_MB * 1024 * 1024


def safe_display_name(name: str) -> str:
    """The user's file name reduced to a harmless base name for display and downloads."""
    base = PurePath(name.replace("\\", "/")).name
    base = unicodedata.normalize("NFKC", base)
    cleaned = "".join(c for c in base if c.isprintable() and c not in '<>:"/\\|?*;')
    cleaned = cleaned.strip(" .")
    if len(cleaned) > 200:
        # Shorten the stem, not the extension the content is checked against.
        suffix = PurePath(cleaned).suffix[:16]
        cleaned = cleaned[: 200 - len(suffix)].rstrip(" .") + suffix
    return cleaned or "file"


def check_upload(uploaded: UploadedFile, *, field: str = "file") -> CheckedUpload:
    """Accept an upload only if it is small enough and really is an allowed kind of document.

    Raises ValidationError keyed by `field` with a message saying what is allowed.
    """
    limit = max_upload_bytes()
    if uploaded.size is None or uploaded.size == 0:
        raise ValidationError({field: _("The file is empty.")})
    if uploaded.size > limit:
        raise ValidationError(
            {
                field: _("The file is %(size).1f MB; the limit is %(limit)d MB.")
                % {"size": uploaded.size / 1_048_576, "limit": settings.ZI_EVIDENCE_MAX_MB}
            }
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    kind = filetype.guess(head)
    # Word/Excel/PowerPoint files are ZIP containers; filetype looks inside the first bytes.
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(
            {
                field: _("This kind of file is not accepted. Allowed: %(allowed)s.")
                % {"allowed": ALLOWED_EXTENSIONS_TEXT}
            }
        )
    extension, accepted_names = ALLOWED_TYPES[kind.mime]
    display_name = safe_display_name(uploaded.name or "")
    suffix = PurePath(display_name).suffix.lower()
    if suffix not in accepted_names:
        raise ValidationError(
            {
                field: _(
                    "The file's name ends in “%(suffix)s” but its content is %(kind)s; "
                    "rename it or upload the right file."
                )
                % {"suffix": suffix or _("(nothing)"), "kind": extension.lstrip(".").upper()}
            }
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return CheckedUpload(
        content_type=kind.mime,
        extension=extension,
        size=uploaded.size,
        sha256=digest.hexdigest(),
        original_name=display_name,
    )


def _size_and_digest(uploaded: UploadedFile, *, field: str, max_bytes: int) -> tuple[int, str]:
    if not uploaded.size:
        raise ValidationError({field: _("The file is empty.")})
    if uploaded.size > max_bytes:
        raise ValidationError(
            {
                field: _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(max_bytes)}
            }
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return uploaded.size, digest.hexdigest()


@dataclass(frozen=True)
class CheckedArchive:
    size: int
    sha256: str
    original_name: str
    names: tuple[str, ...]
    uncompressed_bytes: int


ZIP_MAX_ENTRIES = 1000
ZIP_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}


def _unsafe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        not name
        or "\\" in name
        or "\x00" in name
        or path.is_absolute()
        or ".." in path.parts
        or (len(name) > 1 and name[1] == ":")
    )


class ArchiveProblem(Exception):
    """Why an archive is refused; each caller words it for its own page or form."""

    NOT_AN_ARCHIVE = "not_an_archive"  # unreadable, hostile names, encryption, odd methods
    TOO_MANY_ENTRIES = "too_many_entries"
    TOO_LARGE_UNPACKED = "too_large_unpacked"
    NOT_A_WORKBOOK = "not_a_workbook"
    MACROS = "macros"
    DECLARATIONS = "declarations"

    def __init__(self, kind: str, *, count: int = 0, limit: int = 0):
        super().__init__(kind)
        self.kind, self.count, self.limit = kind, count, limit


def inspect_archive(
    fileobj,
    *,
    max_entries: int,
    max_uncompressed_bytes: int,
    workbook: bool = False,
) -> list[zipfile.ZipInfo]:
    """The entries of a ZIP archive (or, with `workbook`, an .xlsx workbook) that is safe to
    open, else ArchiveProblem. The one guard every ZIP/XLSX import goes through.

    Refused: anything that is not a readable ZIP, more than `max_entries` entries, more than
    `max_uncompressed_bytes` once unpacked (zip bombs), entry names that climb out of a
    folder or are absolute, duplicate names, encrypted entries and compression methods other
    than stored/deflate. Workbooks must also be workbooks, carry no macros, and no XML part
    may declare a DTD or entities (real workbooks never do; entity expansion is an attack).

    The sizes checked are those the archive declares; Python's zipfile (and so openpyxl)
    never inflates an entry beyond its declared size, so the check bounds what reading can
    cost. `fileobj` is left at its start.
    """
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            if len(infos) > max_entries:
                raise ArchiveProblem(
                    ArchiveProblem.TOO_MANY_ENTRIES, count=len(infos), limit=max_entries
                )
            total = sum(info.file_size for info in infos)
            if total > max_uncompressed_bytes:
                raise ArchiveProblem(
                    ArchiveProblem.TOO_LARGE_UNPACKED, count=total, limit=max_uncompressed_bytes
                )
            names = [info.filename for info in infos]
            if (
                len(set(names)) != len(names)
                or any(_unsafe_member_name(n) for n in names)
                or any(info.flag_bits & 0x1 for info in infos)
                or any(info.compress_type not in _ZIP_METHODS for info in infos)
            ):
                raise ArchiveProblem(ArchiveProblem.NOT_AN_ARCHIVE)
            if workbook:
                _inspect_workbook(archive, names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        raise ArchiveProblem(ArchiveProblem.NOT_AN_ARCHIVE) from None
    finally:
        fileobj.seek(0)
    return infos


_XML_HEAD_BYTES = 4096


def _inspect_workbook(archive: zipfile.ZipFile, names: list[str]) -> None:
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ArchiveProblem(ArchiveProblem.NOT_A_WORKBOOK)
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ArchiveProblem(ArchiveProblem.MACROS)
    for name in names:
        if name.lower().endswith((".xml", ".rels", ".vml")):
            with archive.open(name) as part:
                head = part.read(_XML_HEAD_BYTES).upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise ArchiveProblem(ArchiveProblem.DECLARATIONS)


def archive_problem_message(problem: ArchiveProblem, *, kind: str) -> str:
    """The message for a person who uploaded a `kind` ("ZIP", "XLSX") file."""
    if problem.kind == ArchiveProblem.TOO_MANY_ENTRIES:
        return _("The file holds %(count)d parts; at most %(limit)d are accepted.") % {
            "count": problem.count,
            "limit": problem.limit,
        }
    if problem.kind == ArchiveProblem.TOO_LARGE_UNPACKED:
        return _("Unpacked, the file would take %(size)s; at most %(limit)s are accepted.") % {
            "size": filesizeformat(problem.count),
            "limit": filesizeformat(problem.limit),
        }
    if problem.kind == ArchiveProblem.NOT_A_WORKBOOK:
        return _("The file is not an Excel workbook (.xlsx); save it as .xlsx and retry.")
    if problem.kind == ArchiveProblem.MACROS:
        return _("Workbooks with macros are not accepted; save it as a plain .xlsx.")
    if problem.kind == ArchiveProblem.DECLARATIONS:
        return _("The workbook contains declarations that are not accepted.")
    return _("The file is not a valid %(kind)s file (it may be damaged).") % {"kind": kind}


def check_zip_upload(
    uploaded: UploadedFile,
    *,
    field: str = "file",
    suffixes: tuple[str, ...] = (".zip",),
    max_bytes: int | None = None,
    max_entries: int = ZIP_MAX_ENTRIES,
    max_uncompressed_bytes: int = ZIP_MAX_UNCOMPRESSED_BYTES,
    workbook: bool = False,
) -> CheckedArchive:
    """Accept an uploaded ZIP archive only if its name, size and content are safe to open
    (see `inspect_archive`). Raises ValidationError keyed by `field`."""
    name = safe_display_name(uploaded.name or "")
    kind = suffixes[0].lstrip(".").upper()
    if PurePath(name).suffix.lower() not in suffixes:
        raise ValidationError(
            {
                field: _("Upload a %(kinds)s file.")
                % {"kinds": "/".join(s.lstrip(".").upper() for s in suffixes)}
            }
        )
    size, digest = _size_and_digest(
        uploaded, field=field, max_bytes=max_bytes or max_upload_bytes()
    )
    try:
        infos = inspect_archive(
            uploaded,
            max_entries=max_entries,
            max_uncompressed_bytes=max_uncompressed_bytes,
            workbook=workbook,
        )
    except ArchiveProblem as problem:
        raise ValidationError({field: archive_problem_message(problem, kind=kind)}) from None
    return CheckedArchive(
        size=size,
        sha256=digest,
        original_name=name,
        names=tuple(info.filename for info in infos),
        uncompressed_bytes=sum(info.file_size for info in infos),
    )


XLSX_MAX_ENTRIES = 500
XLSX_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024


def check_xlsx_upload(
    uploaded: UploadedFile,
    *,
    field: str = "file",
    max_bytes: int | None = None,
    max_entries: int = XLSX_MAX_ENTRIES,
    max_uncompressed_bytes: int = XLSX_MAX_UNCOMPRESSED_BYTES,
) -> CheckedArchive:
    """Accept an Excel workbook (.xlsx) for import only if it is safe to open with openpyxl
    (see `inspect_archive`). Raises ValidationError keyed by `field`."""
    return check_zip_upload(
        uploaded,
        field=field,
        suffixes=(".xlsx",),
        max_bytes=max_bytes,
        max_entries=max_entries,
        max_uncompressed_bytes=max_uncompressed_bytes,
        workbook=True,
    )


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Streams a large uploaded file to a temporary file, but stops writing once it passes
    the largest allowed upload (ZI_EVIDENCE_MAX_MB): a huge request cannot fill the disk.

    The file keeps its true size, so every check (`check_upload`, `check_zip_upload`)
    refuses it with the size in the message; its content is then incomplete and is never
    read. Small requests are kept in memory by Django's MemoryFileUploadHandler before this.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._written = 0
        self._cap = max_upload_bytes() + 1

    def receive_data_chunk(self, raw_data, start):
        room = self._cap - self._written
        if room > 0:
            kept = raw_data[:room]
            self.file.write(kept)
            self._written += len(kept)


def stored_file_response(
    stored,
    *,
    filename: str,
    content_type: str = "",
    as_attachment: bool = True,
    shared_cache: bool = False,
):
    """Serve a stored file (an evidence file, an export) that the caller has checked the
    person may have: 404 when it is gone from storage; never run in our origin
    (a sandboxing CSP) and never kept by a shared cache (unless `shared_cache`, for a file
    the public may have: then only revalidated)."""
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=as_attachment,
        filename=filename,
        content_type=content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if shared_cache:
        patch_cache_control(response, no_cache=True)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def evidence_file_response(evidence, *, filename: str = "", as_attachment: bool = True, **kwargs):
    """`stored_file_response` of an evidence file under its original name."""
    if not evidence.is_file:
        raise Http404
    return stored_file_response(
        evidence.file,
        filename=filename or evidence.original_name or f"evidence{evidence.extension}",
        content_type=evidence.content_type,
        as_attachment=as_attachment,
        **kwargs,
    )
