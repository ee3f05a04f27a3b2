"""The registers two Pokja keep: audit findings and their follow-up (TLHP, Pokja Pengawasan) and
change agents with the changes they made (Pokja Manajemen Perubahan). All audited."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audited_create, audited_delete, audited_update, editable_only, locked
from pokja.models import (
    FINDINGS_AREA_CODE,
    AuditFinding,
    ChangeAgent,
    ChangeAgentChange,
    Evidence,
    Programme,
    User,
)
from pokja.services.evidence import evidence_add, evidence_attach, evidence_detach

FINDING_FIELDS = (
    "source",
    "auditor",
    "report_number",
    "report_date",
    "title",
    "description",
    "recommendation",
    "amount",
    "follow_up_status",
    "follow_up",
    "follow_up_due",
    "settled_on",
)
FINDING_EDITABLE = frozenset(FINDING_FIELDS)
AGENT_FIELDS = ("name", "position", "decree_number", "appointed_on")
CHANGE_FIELDS = ("agent", "title", "description", "made_on", "integrated", "integration_note")


def _clean(obj, *, exclude=()) -> None:
    """Model validation with messages keyed by field; text trimmed first."""
    for field in obj._meta.concrete_fields:
        value = getattr(obj, field.attname, None)
        if isinstance(value, str):
            setattr(obj, field.attname, value.strip())
    obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


# --------------------------------------------------------------------------- findings (TLHP)


def _check_finding(finding: AuditFinding) -> None:
    _clean(finding, exclude=("programme", "created_by"))
    if finding.follow_up_due and finding.follow_up_due < finding.report_date:
        raise ValidationError(
            {"follow_up_due": _("The follow-up cannot be due before the report date.")}
        )
    if finding.follow_up_status == AuditFinding.FollowUp.SETTLED:
        if not finding.settled_on:
            raise ValidationError({"settled_on": _("Give the date the finding was settled.")})
        if finding.settled_on < finding.report_date:
            raise ValidationError(
                {"settled_on": _("A finding cannot be settled before its report.")}
            )
    elif finding.settled_on:
        raise ValidationError(
            {"settled_on": _("Only a settled finding has a settlement date; clear it.")}
        )
    if finding.follow_up_status != AuditFinding.FollowUp.NOT_STARTED and not finding.follow_up:
        raise ValidationError({"follow_up": _("Describe the follow-up taken so far.")})


@transaction.atomic
def finding_create(
    *,
    actor: User,
    programme: Programme,
    source: str,
    report_date: datetime.date,
    title: str,
    recommendation: str,
    auditor: str = "",
    report_number: str = "",
    description: str = "",
    amount: Decimal | None = None,
    follow_up_status: str = AuditFinding.FollowUp.NOT_STARTED,
    follow_up: str = "",
    follow_up_due: datetime.date | None = None,
    settled_on: datetime.date | None = None,
) -> AuditFinding:
    finding = AuditFinding(
        programme=programme,
        source=source,
        auditor=auditor,
        report_number=report_number,
        report_date=report_date,
        title=title,
        description=description,
        recommendation=recommendation,
        amount=amount,
        follow_up_status=follow_up_status,
        follow_up=follow_up,
        follow_up_due=follow_up_due,
        settled_on=settled_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return audited_create(
        finding, FINDING_FIELDS, actor=actor, check=_check_finding, programme=programme
    )


@transaction.atomic
def finding_update(
    *, actor: User, finding: AuditFinding, note: str = "", **changes
) -> AuditFinding:
    """Change a finding, typically its follow-up status and what was done."""
    editable_only(changes, FINDING_EDITABLE, service="finding_update")
    finding = locked(finding, "programme")
    audited_update(
        finding,
        FINDING_FIELDS,
        actor=actor,
        changes=changes,
        check=_check_finding,
        note=note,
        programme=finding.programme,
    )
    return finding


@transaction.atomic
def finding_delete(*, actor: User, finding: AuditFinding) -> None:
    audited_delete(finding, FINDING_FIELDS, actor=actor, programme=finding.programme)


@transaction.atomic
def finding_attach_evidence(
    *, actor: User, finding: AuditFinding, evidence: Evidence
) -> AuditFinding:
    evidence_attach(actor=actor, holder=finding, evidence=evidence)
    return finding


@transaction.atomic
def finding_detach_evidence(
    *, actor: User, finding: AuditFinding, evidence: Evidence
) -> AuditFinding:
    evidence_detach(actor=actor, holder=finding, evidence=evidence)
    return finding


def _findings_pokja(programme: Programme):
    return programme.pokjas.filter(area_code=FINDINGS_AREA_CODE).first()


@transaction.atomic
def finding_add_evidence(
    *,
    actor: User,
    finding: AuditFinding,
    uploaded: UploadedFile | None = None,
    url: str = "",
    title: str = "",
) -> Evidence:
    """Store a file or a link as the findings Pokja's evidence and attach it to the finding."""
    programme = finding.programme
    evidence = evidence_add(
        actor=actor,
        programme=programme,
        pokja=_findings_pokja(programme),
        uploaded=uploaded,
        url=url,
        title=title,
    )
    finding_attach_evidence(actor=actor, finding=finding, evidence=evidence)
    return evidence


# --------------------------------------------------------------------------- change agents


@transaction.atomic
def change_agent_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    position: str = "",
    decree_number: str = "",
    appointed_on: datetime.date | None = None,
) -> ChangeAgent:
    agent = ChangeAgent(
        programme=programme,
        name=name,
        position=position,
        decree_number=decree_number,
        appointed_on=appointed_on,
    )
    return audited_create(agent, AGENT_FIELDS, actor=actor, check=_check_agent, programme=programme)


def _check_agent(agent: ChangeAgent) -> None:
    _clean(agent, exclude=("programme",))


@transaction.atomic
def change_agent_update(*, actor: User, agent: ChangeAgent, **changes) -> ChangeAgent:
    editable_only(changes, AGENT_FIELDS, service="change_agent_update")
    agent = locked(agent, "programme")
    audited_update(
        agent,
        AGENT_FIELDS,
        actor=actor,
        changes=changes,
        check=_check_agent,
        programme=agent.programme,
    )
    return agent


@transaction.atomic
def change_agent_delete(*, actor: User, agent: ChangeAgent) -> None:
    """Remove an agent and the changes recorded under them (each removal audited)."""
    for change in agent.changes.all():
        change_agent_change_delete(actor=actor, change=change)
    audited_delete(agent, AGENT_FIELDS, actor=actor, programme=agent.programme)


@transaction.atomic
def change_agent_change_create(
    *,
    actor: User,
    agent: ChangeAgent,
    title: str,
    made_on: datetime.date,
    description: str = "",
    integrated: bool = False,
    integration_note: str = "",
) -> ChangeAgentChange:
    change = ChangeAgentChange(
        agent=agent,
        title=title,
        description=description,
        made_on=made_on,
        integrated=integrated,
        integration_note=integration_note,
    )
    return audited_create(
        change, CHANGE_FIELDS, actor=actor, check=_check_change, programme=agent.programme
    )


def _check_change(change: ChangeAgentChange) -> None:
    _clean(change, exclude=("agent",))
    if change.integrated and not change.integration_note:
        raise ValidationError(
            {
                "integration_note": _(
                    "Say where the change is integrated (the SOP, decree or procedure)."
                )
            }
        )


@transaction.atomic
def change_agent_change_update(
    *, actor: User, change: ChangeAgentChange, **changes
) -> ChangeAgentChange:
    editable_only(changes, set(CHANGE_FIELDS) - {"agent"}, service="change_agent_change_update")
    change = locked(change, "agent__programme")
    audited_update(
        change,
        CHANGE_FIELDS,
        actor=actor,
        changes=changes,
        check=_check_change,
        programme=change.agent.programme,
    )
    return change


@transaction.atomic
def change_agent_change_delete(*, actor: User, change: ChangeAgentChange) -> None:
    audited_delete(change, CHANGE_FIELDS, actor=actor, programme=change.agent.programme)


__all__ = [
    "change_agent_change_create",
    "change_agent_change_delete",
    "change_agent_change_update",
    "change_agent_create",
    "change_agent_delete",
    "change_agent_update",
    "finding_add_evidence",
    "finding_attach_evidence",
    "finding_create",
    "finding_delete",
    "finding_detach_evidence",
    "finding_update",
]
