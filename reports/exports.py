"""What each kind of export builds, and the name its file gets. No writes here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from django.utils import timezone

from pokja.models import Programme
from reports.bundle import evidence_bundle
from reports.pdf import report_pdf
from reports.plans_xlsx import plans_workbook
from reports.selectors import lke_report, pdf_data
from reports.workbook import Progress, lke_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Builder:
    # (programme, progress, site_url) -> bytes, or an open file; site_url: the address the
    # export was requested on, for links back to this site (zi_tracker.http.site_url).
    build: Callable[[Programme, Progress, str], bytes | BinaryIO]
    stem: str  # the file's name starts with it: lke-polres-alpha-2026-20261127.xlsx
    extension: str
    content_type: str

    def filename(self, programme: Programme) -> str:
        today = timezone.localdate()
        return (
            f"{self.stem}-{programme.unit.code.lower()}-{programme.year}-{today:%Y%m%d}"
            f".{self.extension}"
        )


def build_lke_workbook(programme: Programme, progress: Progress, site_url: str = "") -> bytes:
    report = lke_report(programme, site_url=site_url)
    progress(30)
    return lke_workbook(report, progress=progress)


def build_report_pdf(programme: Programme, progress: Progress, site_url: str = "") -> bytes:
    data = pdf_data(programme, site_url=site_url)
    progress(20)
    return report_pdf(data, progress=progress)


def build_evidence_bundle(programme: Programme, progress: Progress, site_url: str = "") -> BinaryIO:
    report = lke_report(programme, site_url=site_url)
    progress(5)
    return evidence_bundle(report, progress=progress)


BUILDERS: dict[str, Builder] = {
    "lke_xlsx": Builder(build_lke_workbook, "lke", "xlsx", XLSX),
    "report_pdf": Builder(build_report_pdf, "laporan-evaluasi", "pdf", "application/pdf"),
    "evidence_zip": Builder(build_evidence_bundle, "data-dukung", "zip", "application/zip"),
    "plans_xlsx": Builder(
        lambda programme, progress, site_url="": plans_workbook(programme, progress=progress),
        "rencana-aksi",
        "xlsx",
        XLSX,
    ),
}
