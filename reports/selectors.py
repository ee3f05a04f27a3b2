"""Reads behind the exports: one programme's LKE with its notes, evidence and three scorings.

Every read here runs a fixed number of queries however many answers and evidence there are
(the export builders are pure once they have a ``LkeReport``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.urls import reverse

from evaluations.models import Answer, AnswerEvidence
from evaluations.scoring import Breakdown, score
from evaluations.selectors import AnswerLayers, answer_layers
from pokja.models import AuditFinding, Evidence, Pokja, Programme, ProgrammeRole, User
from pokja.selectors import PlanCounts, TlhpSummary, plan_status_counts, tlhp_settled
from zi_tracker.http import absolute_url


@dataclass(frozen=True)
class StoredAnswer:
    """One question's row as stored: the texts exactly as kept, and the notes."""

    number: int
    unit_value: str
    unit_note: str
    tpi_value: str
    tpi_note: str


@dataclass
class LkeReport:
    """Everything the workbook, the PDF and the evidence bundle show of one programme."""

    programme: Programme
    layers: AnswerLayers
    stored: dict[int, StoredAnswer]
    evidence: dict[int, list[Evidence]]  # question number -> its evidence, in the order added
    effective: Breakdown
    unit: Breakdown
    tpi: Breakdown
    extra: dict = field(default_factory=dict)
    # The address recorded with the export's request ("" for none): links to files on this
    # site start with it unless ZI_SITE_URL is set (zi_tracker.http.site_url).
    site_url: str = ""

    @property
    def spec(self):
        return self.layers.spec


def evidence_link(evidence: Evidence, *, site_url: str = "") -> str:
    """Where a reader opens a piece of evidence: the link itself, or the access-checked
    download of the file on this site (``site_url``: the address recorded with the request)."""
    if evidence.is_file:
        return absolute_url(
            reverse("evidence_download", kwargs={"pk": evidence.pk}), recorded=site_url
        )
    return evidence.url


def lke_report(programme: Programme, *, site_url: str = "") -> LkeReport:
    """The programme's worksheet as stored and scored (a fixed number of queries).

    ``site_url``: the address the export was requested on, for its links (see LkeReport)."""
    layers = answer_layers(programme)
    stored = {
        row["number"]: StoredAnswer(**row)
        for row in Answer.objects.filter(assessment__programme=programme).values(
            "number", "unit_value", "unit_note", "tpi_value", "tpi_note"
        )
    }
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    links = (
        AnswerEvidence.objects.filter(answer__assessment__programme=programme)
        .select_related("evidence__uploaded_by")
        .annotate(number=F("answer__number"))
        .order_by("answer__number", "added_at", "pk")
    )
    for link in links:
        evidence[link.number].append(link.evidence)
    spec = layers.spec
    holds = programme.holds_wbk
    return LkeReport(
        programme=programme,
        layers=layers,
        stored=stored,
        evidence=dict(evidence),
        effective=score(spec, layers.layer("effective"), holds_wbk=holds),
        unit=score(spec, layers.unit, holds_wbk=holds),
        tpi=score(spec, layers.tpi, holds_wbk=holds),
        site_url=site_url,
    )


# --------------------------------------------------------------------------- the PDF report


@dataclass
class PokjaPlanRow:
    number: int
    name: str
    counts: PlanCounts


@dataclass
class PdfData:
    """What the PDF report shows beyond the worksheet: plans, audit findings, signatories."""

    report: LkeReport
    plans: list[PokjaPlanRow]
    tlhp: TlhpSummary
    findings: list[AuditFinding]
    coordinator: User | None
    head: User | None

    @property
    def plan_totals(self) -> PlanCounts:
        total = PlanCounts()
        for row in self.plans:
            for status, n in row.counts.by_status.items():
                total.by_status[status] = total.by_status.get(status, 0) + n
            total.late += row.counts.late
        return total


def pdf_data(programme: Programme, *, site_url: str = "") -> PdfData:
    """Everything the PDF report shows (a fixed number of queries)."""
    report = lke_report(programme, site_url=site_url)
    counts = plan_status_counts(programme)
    plans = [
        PokjaPlanRow(p.number, p.name, counts.get(p.pk, PlanCounts()))
        for p in Pokja.objects.filter(programme=programme).order_by("number")
    ]
    signatories = {
        role.kind: role.user
        for role in ProgrammeRole.objects.filter(
            programme=programme,
            kind__in=(ProgrammeRole.Kind.KOORDINATOR, ProgrammeRole.Kind.PIMPINAN),
        )
        .select_related("user")
        .order_by("-pk")
    }
    return PdfData(
        report=report,
        plans=plans,
        tlhp=tlhp_settled(programme),
        findings=list(
            AuditFinding.objects.filter(programme=programme).order_by("report_date", "pk")
        ),
        coordinator=signatories.get(ProgrammeRole.Kind.KOORDINATOR),
        head=signatories.get(ProgrammeRole.Kind.PIMPINAN),
    )
