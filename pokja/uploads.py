"""Checking uploaded evidence files: size, and type judged by content, not by name."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
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
    return cleaned[:200] or "file"


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
