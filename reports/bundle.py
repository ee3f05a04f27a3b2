"""The evidence bundle: a ZIP with a folder per area, sub-area and question, for offline review.

    1 Manajemen Perubahan/i Penyusunan Tim Kerja/q001/sk-tim.pdf
    5 Penguatan Pengawasan/iii Penyampaian .../a Penyampaian .../q113/...
    Hasil/I Birokrasi yang bersih dan akuntabel/q126/...
    index.html   every question with its files (relative links) and its web links

A file supporting several questions is in each of their folders. Every name is made safe
(no path separators, no control characters, bounded length); a file missing from storage is
listed in the index as missing instead of stopping the bundle. No queries here.
"""

from __future__ import annotations

import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass, field
from urllib.parse import quote

from django.template.loader import render_to_string
from django.utils import timezone

from evaluations.framework_spec import FrameworkSpec, QuestionSpec
from pokja.models import Evidence
from pokja.uploads import safe_display_name
from reports.selectors import LkeReport
from reports.workbook import Progress

MAX_PART = 80  # characters of one folder name
INDEX = "index.html"


def safe_part(text: str) -> str:
    """One path component: printable, no separators or reserved characters, bounded."""
    text = unicodedata.normalize("NFKC", text)
    cleaned = "".join(
        "-" if c in '/\\<>:"|?*' else c for c in text if c.isprintable() and c not in "\t\r\n"
    )
    cleaned = " ".join(cleaned.split()).strip(" .")
    return cleaned[:MAX_PART].rstrip(" .") or "_"


def question_folder(spec: FrameworkSpec, q: QuestionSpec) -> str:
    """The folder of a question: area / sub-area (/ sub-sub-area) / qNNN."""
    if q.area is not None and q.sub_area is not None:
        area = spec.area(q.area)
        parts = [safe_part(f"{area.pokja} {area.name}")]
        chain = []
        code = q.sub_area
        while code is not None:
            sub = spec.sub_area(code)
            chain.append(safe_part(f"{sub.numbering} {sub.name}"))
            code = sub.parent
        parts.extend(reversed(chain))
    else:
        component = spec.component(q.component)
        part = spec.part(q.part)
        parts = [safe_part(component.name), safe_part(f"{part.numbering} {part.name}")]
    parts.append(f"q{q.number:03d}")
    return "/".join(parts)


@dataclass
class BundleEntry:
    title: str
    kind: str  # "file", "missing" or "link"
    href: str  # a relative path in the bundle, or the web link


@dataclass
class BundleQuestion:
    number: int
    text: str
    folder: str
    entries: list[BundleEntry] = field(default_factory=list)


def _unique(name: str, used: set[str]) -> str:
    if name not in used:
        used.add(name)
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    n = 2
    while True:
        candidate = f"{stem}-{n}.{suffix}" if suffix else f"{stem}-{n}"
        if candidate not in used:
            used.add(candidate)
            return candidate
        n += 1


def _file_name(evidence: Evidence) -> str:
    name = safe_display_name(evidence.original_name or evidence.title or "bukti")
    if evidence.extension and not name.lower().endswith(evidence.extension.lower()):
        name += evidence.extension
    return name


def evidence_bundle(report: LkeReport, *, progress: Progress | None = None):
    """The bundle as a temporary file (positioned at its start); close it when done."""
    step = progress or (lambda percent: None)
    spec = report.spec
    questions: list[BundleQuestion] = []
    out = tempfile.TemporaryFile()  # noqa: SIM115 (handed to the caller, who closes it)
    total = sum(len(v) for v in report.evidence.values()) or 1
    done = 0
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for q in spec.questions:
            pieces = report.evidence.get(q.number, [])
            folder = question_folder(spec, q)
            row = BundleQuestion(q.number, q.text, folder)
            used: set[str] = set()
            for evidence in pieces:
                done += 1
                if not evidence.is_file:
                    row.entries.append(BundleEntry(evidence.title, "link", evidence.url))
                    continue
                name = _unique(_file_name(evidence), used)
                path = f"{folder}/{name}"
                try:
                    with (
                        evidence.file.open("rb") as handle,
                        archive.open(path, "w", force_zip64=True) as target,
                    ):
                        while chunk := handle.read(1024 * 1024):
                            target.write(chunk)
                except (FileNotFoundError, OSError, ValueError):
                    row.entries.append(BundleEntry(evidence.title, "missing", name))
                    continue
                row.entries.append(BundleEntry(evidence.title, "file", quote(path)))
                step(5 + done * 85 // total)
            questions.append(row)
        archive.writestr(
            INDEX,
            render_to_string(
                "reports/bundle_index.html",
                {
                    "programme": report.programme,
                    "spec": spec,
                    "questions": questions,
                    "generated_at": timezone.localtime(),
                },
            ),
        )
    out.seek(0)
    return out
