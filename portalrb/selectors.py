"""Reads of the proposal pages and of the portal's API. Each runs a fixed number of queries
whatever the number of units, answers and evidence."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from dashboards.selectors import Prerequisite, proposal_prerequisites
from evaluations.models import Answer, AnswerEvidence
from evaluations.selectors import StoredScore, answer_layers, stored_scores
from pokja.models import AuditFinding, Evidence, Programme, Unit, programme_today
from pokja.selectors import TlhpSummary
from portalrb.access import agency_unit_ids
from portalrb.models import CATEGORY_PREDICATE, ApiToken, Category, FetchLog, Proposal, ProposedUnit

FETCH_LOG_LIMIT = 200


# --------------------------------------------------------------------------- the proposal


def tlhp_by_programme(programme_ids: list[int]) -> dict[int, TlhpSummary]:
    """The TLHP summary of many programmes from the findings registers (one query)."""
    FollowUp = AuditFinding.FollowUp
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        AuditFinding.objects.filter(programme_id__in=programme_ids)
        .order_by()
        .values_list("programme_id", "follow_up_status")
        .annotate(n=Count("pk"))
    )
    for programme_id, status, n in rows:
        counts[programme_id][status] = n
    summaries = {}
    for programme_id in programme_ids:
        c = counts.get(programme_id, {})
        summaries[programme_id] = TlhpSummary(
            total=sum(c.values()),
            settled=c.get(FollowUp.SETTLED, 0),
            in_progress=c.get(FollowUp.IN_PROGRESS, 0),
            not_started=c.get(FollowUp.NOT_STARTED, 0),
            cannot=c.get(FollowUp.CANNOT, 0),
        )
    return summaries


@dataclass
class CandidateRow:
    """A programme of the year below the agency, as the agency administrator weighs it."""

    programme: Programme
    stored: StoredScore | None
    proposed: ProposedUnit | None
    prerequisites: list[Prerequisite]
    tlhp: TlhpSummary

    @property
    def category(self) -> str:
        return self.proposed.category if self.proposed else ""

    @property
    def predicate(self) -> str:
        return CATEGORY_PREDICATE.get(self.category, self.programme.target)

    @property
    def failed(self) -> list[Prerequisite]:
        """The checks not met (or not known yet): a unit with any is flagged."""
        return [p for p in self.prerequisites if p.met is not True]

    @property
    def flagged(self) -> bool:
        return bool(self.failed)

    @property
    def may_propose_wbbm(self) -> bool:
        return self.programme.holds_wbk

    def meets(self, code: str) -> bool | None:
        return self.stored.meets.get(code) if self.stored and self.stored.is_computed else None


def checks_of(rows: list[CandidateRow]) -> dict[int, dict[str, bool | None]]:
    return {row.programme.pk: {p.code: p.met for p in row.prerequisites} for row in rows}


def proposal_candidates(
    agency: Unit,
    year: int,
    proposal: Proposal | None,
    *,
    today: datetime.date | None = None,
    programme_ids: list[int] | None = None,
) -> list[CandidateRow]:
    """Every programme of `year` of the units below `agency`, with its stored score and the
    proposal checks for the category it is proposed for (its own target otherwise)."""
    today = today or programme_today()
    programmes = Programme.objects.select_related("unit", "framework").filter(
        year=year, unit_id__in=agency_unit_ids(agency)
    )
    if programme_ids is not None:
        programmes = programmes.filter(pk__in=programme_ids)
    programmes = list(programmes.order_by("unit__name"))
    ids = [p.pk for p in programmes]
    scores = stored_scores(ids, with_breakdown=True)
    tlhp = tlhp_by_programme(ids)
    proposed = {}
    if proposal is not None and proposal.pk:
        proposed = {u.programme_id: u for u in proposal.units.filter(programme_id__in=ids)}
    rows = []
    for programme in programmes:
        unit = proposed.get(programme.pk)
        category = unit.category if unit else ""
        stored = scores.get(programme.pk)
        computed = stored if stored is not None and stored.is_computed else None
        rows.append(
            CandidateRow(
                programme=programme,
                stored=stored,
                proposed=unit,
                prerequisites=proposal_prerequisites(
                    programme,
                    stored=computed,
                    tlhp=tlhp[programme.pk],
                    record=proposal,
                    today=today,
                    target=CATEGORY_PREDICATE.get(category),
                ),
                tlhp=tlhp[programme.pk],
            )
        )
    return rows


def fetch_log(agency: Unit, limit: int = FETCH_LOG_LIMIT) -> list[FetchLog]:
    return list(
        FetchLog.objects.filter(agency=agency)
        .select_related("token")
        .order_by("-at", "-pk")[:limit]
    )


def agency_tokens(agency: Unit) -> list[ApiToken]:
    return list(ApiToken.objects.filter(agency=agency).select_related("created_by", "revoked_by"))


# --------------------------------------------------------------------------- the snapshot


def _official(value) -> str | int | float | None:
    """An answer in the portal's notation: the option key, a count, an index as a number."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return value


def answers_snapshot(programme: Programme) -> list[dict]:
    """The programme's answers as the portal is served them on confirmation, one row per
    question of its framework in question order: unit and TPI answers (survey-fed questions
    take the figures in force), notes, and the ids of the unit's evidence."""
    layers = answer_layers(programme)
    notes = {
        number: (unit_note, tpi_note)
        for number, unit_note, tpi_note in Answer.objects.filter(
            assessment__programme=programme
        ).values_list("number", "unit_note", "tpi_note")
    }
    evidence: dict[int, list[int]] = defaultdict(list)
    for number, evidence_id in (
        AnswerEvidence.objects.filter(answer__assessment__programme=programme)
        .order_by("answer__number", "added_at", "pk")
        .values_list("answer__number", "evidence_id")
    ):
        evidence[number].append(evidence_id)
    rows = []
    for number in sorted(layers.spec.numbers):
        unit_note, tpi_note = notes.get(number, ("", ""))
        rows.append(
            {
                "soal_id": number,
                "jawaban_unit": _official(layers.unit[number].value),
                "jawaban_tpi": _official(layers.tpi[number].value),
                "catatan_unit": unit_note or None,
                "catatan_tpi": tpi_note or None,
                "evidence": evidence.get(number, []),
            }
        )
    return rows


# --------------------------------------------------------------------------- the API


def served_proposal(agency: Unit) -> Proposal | None:
    """The agency's proposal the portal is served: the latest year it confirmed."""
    return (
        Proposal.objects.filter(agency=agency, confirmed_at__isnull=False).order_by("-year").first()
    )


def served_units(proposal: Proposal, categories: tuple[str, ...]) -> list[dict]:
    rows = (
        ProposedUnit.objects.filter(proposal=proposal, confirmed_category__in=categories)
        .order_by("confirmed_name", "pk")
        .values_list("programme__unit__code", "confirmed_name", "confirmed_category")
    )
    return [
        {
            "id": code,
            "nama": name,
            "kategori": category,
            "afirmasi": category == Category.WBK_AFIRMASI,
        }
        for code, name, category in rows
    ]


def served_unit(proposal: Proposal, unit: Unit) -> ProposedUnit | None:
    return (
        ProposedUnit.objects.filter(proposal=proposal, programme__unit=unit)
        .exclude(confirmed_category="")
        .first()
    )


def snapshot_evidence(proposed: ProposedUnit, number: int) -> list[Evidence]:
    """The evidence of question `number` as confirmed (what still exists of it)."""
    row = next((r for r in proposed.snapshot if r.get("soal_id") == number), None)
    if row is None or not row.get("evidence"):
        return []
    by_id = Evidence.objects.filter(
        pk__in=row["evidence"], programme_id=proposed.programme_id
    ).in_bulk()
    return [by_id[i] for i in row["evidence"] if i in by_id]
