"""Writes that compose several apps, each through the owning app's own service (audited there)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import audited_save
from dashboards.models import ProposalRecord
from dashboards.selectors import plan_drafts
from evaluations.services import answer_set_unit
from pokja.access import ProgrammeAccess
from pokja.models import ActionPlanItem, Pokja, Programme, User, programme_today
from pokja.selectors import change_agent_counts
from pokja.services import action_plan_create

DRAFT_DAYS = 60  # a draft activity is due this many days after it is accepted


@transaction.atomic
def change_agents_to_lke(*, actor: User, programme: Programme) -> dict[int, int]:
    """Set the unit's answers to LKE questions 88-91 from the change-agent register, all or
    none (the worksheet's own rules apply: who may answer, locked sections)."""
    answers = change_agent_counts(programme).lke_answers()
    note = _("From the change-agent register, %(date)s.") % {
        "date": date_format(programme_today(), "j F Y")
    }
    for number, value in answers.items():
        answer_set_unit(actor=actor, programme=programme, number=number, value=value, note=note)
    return answers


@transaction.atomic
def plan_draft_accept(
    *, actor: User, access: ProgrammeAccess, programme: Programme, pokja: Pokja, number: int
) -> ActionPlanItem:
    """Put the draft for question `number` into the Pokja's plan (its chair or the coordinator),
    as a not-started activity to be completed on its own page."""
    if not access.is_chair_of(pokja.pk):
        raise PermissionDenied(_("Only the Pokja chair or the coordinator accepts drafts."))
    draft = next((d for d in plan_drafts(programme, pokja) if d.number == number), None)
    if draft is None:
        raise ValidationError(
            {"number": _("Question %(number)s loses no points now.") % {"number": number}}
        )
    framework = programme.framework
    today = programme_today()
    year_end = datetime.date(programme.year, 12, 31)
    start = min(today, year_end)
    due = max(start, min(today + datetime.timedelta(days=DRAFT_DAYS), year_end))
    title = _("Raise question %(number)s: %(label)s") % {"number": number, "label": draft.label}
    return action_plan_create(
        actor=actor,
        pokja=pokja,
        title=title[:200],
        description=_(
            "Proposed from the LKE: question %(number)s now scores %(value)s of 1 and could add "
            "%(points)s points to the total."
        )
        % {"number": number, "value": draft.value_display, "points": draft.points_display},
        sub_area=framework.sub_areas.get(code=draft.sub_area),
        questions=list(framework.questions.filter(number=number)),
        start_date=start,
        due_date=due,
        note=_("Accepted from the LKE drafts"),
    )


PROPOSAL_FIELDS = ("audit_opinion", "sakip_grade", "note")


@transaction.atomic
def proposal_record_update(
    *, actor: User, programme: Programme, audit_opinion: str, sakip_grade: str, note: str = ""
) -> ProposalRecord:
    """Record the agency's audit opinion and SAKIP grade for the proposal checklist (audited)."""
    record = ProposalRecord.objects.select_for_update().filter(programme=programme).first()
    return audited_save(
        record or ProposalRecord(programme=programme),
        PROPOSAL_FIELDS,
        actor=actor,
        changes={
            "audit_opinion": audit_opinion,
            "sakip_grade": sakip_grade,
            "note": note,
            "updated_by": actor,
        },
        check=lambda row: row.full_clean(exclude=["programme", "updated_by"]),
        programme=programme,
        object_repr=_("Proposal prerequisites of %(programme)s") % {"programme": programme},
    )
