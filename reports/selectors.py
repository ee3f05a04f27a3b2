"""Reads behind the exports: one programme's LKE with its notes, evidence and three scorings.

Every read here runs a fixed number of queries however many answers and evidence there are
(the export builders are pure once they have a ``LkeReport``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F
from django.urls import reverse

from evaluations.models import Answer, AnswerEvidence
from evaluations.scoring import Breakdown, score
from evaluations.selectors import AnswerLayers, answer_layers
from pokja.models import Evidence, Programme


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

    @property
    def spec(self):
        return self.layers.spec


def evidence_link(evidence: Evidence) -> str:
    """Where a reader opens a piece of evidence: the link itself, or the access-checked
    download of the file on this site."""
    if evidence.is_file:
        return settings.SITE_URL + reverse("evidence_download", kwargs={"pk": evidence.pk})
    return evidence.url


def lke_report(programme: Programme) -> LkeReport:
    """The programme's worksheet as stored and scored (a fixed number of queries)."""
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
    )
