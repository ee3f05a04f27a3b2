"""Workflows of the LKE worksheet: answers, evidence, section status. All audited.

Who may do what (checked here as well as in the views, so that imports and commands obey the
same rules): a Pokja's chair and members answer their own area, the coordinator answers every
section; TPI reviewers fill only the TPI columns; the head of unit reads. An ``actor`` of None is
the system itself (demo data, commands) and is not checked.

Locks: a section's unit answers, notes and evidence are frozen once it is submitted; its TPI
answers once the TPI marked it reviewed; a final section or assessment refuses every change.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_created, audited, audited_update
from evaluations.breakdown_data import breakdown_figures, breakdown_to_data
from evaluations.framework_spec import INDEX, FrameworkSpec
from evaluations.models import (
    STATUS_ORDER,
    Answer,
    AnswerEvidence,
    Assessment,
    AssessmentSection,
    FrameworkQuestion,
    ProgrammeScore,
    ScoreSnapshot,
    Status,
)
from evaluations.scoring import AnswerError, AnswerValue, display, normalize_answer, score
from evaluations.selectors import AnswerLayers, answer_layers
from evaluations.wording import bad_answer
from pokja import hooks
from pokja import services as pokja_services
from pokja.access import ProgrammeAccess, programme_access
from pokja.models import Evidence, Pokja, Programme, User
from surveys.selectors import lke_survey_questions
from zi_tracker.celery import publish

logger = logging.getLogger(__name__)

UNIT_FIELDS = ("unit_value", "unit_note")
TPI_FIELDS = ("tpi_value", "tpi_note")
SECTION_FIELDS = ("status",)
MAX_STORED_LENGTH = 40


class WorksheetLocked(ValidationError):
    """A change to a section or assessment whose status no longer allows it."""


# --------------------------------------------------------------------------- the assessment


def section_code_of(question) -> str:
    """The worksheet section of a question: its area, else its component (e.g. "hasil")."""
    return question.area or question.component


def assessment_for(programme: Programme) -> Assessment:
    """The programme's assessment, created on first use with one answer row per question.

    Idempotent and safe under concurrent first use.
    """
    existing = Assessment.objects.filter(programme=programme).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _assessment_create(programme)
    except IntegrityError:  # created meanwhile by a concurrent request
        return Assessment.objects.get(programme=programme)


def _assessment_create(programme: Programme) -> Assessment:
    framework = programme.framework
    spec = framework.spec
    assessment = Assessment.objects.create(programme=programme, framework=framework)
    sections = [
        AssessmentSection(
            assessment=assessment,
            code=area.code,
            name=area.name,
            pokja_number=area.pokja,
            order=order,
        )
        for order, area in enumerate(spec.areas, start=1)
    ]
    area_codes = set(spec.area_codes)
    for question in spec.questions:
        code = section_code_of(question)
        if code not in area_codes and all(s.code != code for s in sections):
            component = spec.component(code)
            sections.append(
                AssessmentSection(
                    assessment=assessment,
                    code=code,
                    name=component.name,
                    pokja_number=None,
                    order=len(sections) + 1,
                )
            )
    AssessmentSection.objects.bulk_create(sections)
    question_ids = dict(
        FrameworkQuestion.objects.filter(framework=framework).values_list("number", "pk")
    )
    Answer.objects.bulk_create(
        Answer(
            assessment=assessment,
            question_id=question_ids[q.number],
            number=q.number,
            section_code=section_code_of(q),
            order=order,
        )
        for order, q in enumerate(spec.questions, start=1)
    )
    audit_created(
        assessment,
        ("programme", "framework", "status"),
        actor=None,
        programme=programme,
        note=f"{len(spec.questions)} questions",
    )
    return assessment


# --------------------------------------------------------------------------- rights


@dataclass(frozen=True)
class SectionRights:
    """What one person may do in one section now (role and status together)."""

    unit_role: bool  # the role allows the unit's columns (whatever the status)
    tpi_role: bool  # the role allows the TPI columns
    edit_unit: bool  # may change unit answers, notes and evidence now
    edit_tpi: bool  # may change TPI answers and notes now
    actions: tuple[str, ...]  # status changes this person may make now


# action -> (from status, to status)
TRANSITIONS: dict[str, tuple[str, str]] = {
    "submit": (Status.DRAFT, Status.SUBMITTED),
    "return": (Status.SUBMITTED, Status.DRAFT),
    "review": (Status.SUBMITTED, Status.REVIEWED),
    "reopen": (Status.REVIEWED, Status.SUBMITTED),
    "finalize": (Status.REVIEWED, Status.FINAL),
    "unlock": (Status.FINAL, Status.REVIEWED),
}


def may_move(action: str, access: ProgrammeAccess, pokja_id: int | None) -> bool:
    """Whether the role allows a status change in a section (whatever its status now)."""
    chair = access.is_chair_of(pokja_id) if pokja_id is not None else access.can_coordinate
    if action == "submit":
        return chair
    if action == "return":
        return chair or access.can_review
    if action == "review":
        return access.can_review
    if action == "reopen":
        return access.can_review or access.can_coordinate
    if action == "finalize":
        return access.can_coordinate
    if action == "unlock":
        return access.site_admin
    return False


def section_rights(
    access: ProgrammeAccess, section: AssessmentSection, pokja_id: int | None
) -> SectionRights:
    """``pokja_id``: the id of the programme's Pokja for the section's area (None for HASIL)."""
    unit_role = access.can_edit_pokja(pokja_id)
    tpi_role = access.can_review
    return SectionRights(
        unit_role=unit_role,
        tpi_role=tpi_role,
        edit_unit=unit_role and not section.unit_locked,
        edit_tpi=tpi_role and not section.tpi_locked,
        actions=tuple(
            action
            for action, (source, _target) in TRANSITIONS.items()
            if section.status == source and may_move(action, access, pokja_id)
        ),
    )


def section_pokja_id(programme: Programme, section: AssessmentSection) -> int | None:
    if section.pokja_number is None:
        return None
    return (
        Pokja.objects.filter(programme=programme, area_code=section.code)
        .values_list("pk", flat=True)
        .first()
    )


def survey_fed_numbers(programme: Programme, spec: FrameworkSpec) -> frozenset[int]:
    """Index questions whose value comes from the programme's surveys, never from a form."""
    return frozenset(
        number
        for number in lke_survey_questions(programme)
        if number in spec.questions_by_number and spec.question(number).kind == INDEX
    )


# --------------------------------------------------------------------------- answers


def _locked_message(section: AssessmentSection, side: str) -> str:
    if section.status == Status.FINAL:
        return _("%(section)s is final: nothing in it can be changed any more.") % {
            "section": section.name
        }
    if side == "tpi":
        return _(
            "%(section)s has been reviewed by the TPI: the TPI answers are locked. "
            "The TPI or the coordinator can reopen the review."
        ) % {"section": section.name}
    return _(
        "%(section)s is %(status)s: the unit's answers, notes and evidence are locked. "
        "The Pokja chair, the coordinator or the TPI can return it to draft."
    ) % {"section": section.name, "status": section.get_status_display().lower()}


def _answer_for_update(programme: Programme, number: int) -> tuple[Answer, AssessmentSection]:
    assessment = assessment_for(programme)
    answer = (
        Answer.objects.select_for_update()
        .filter(assessment=assessment, number=number)
        .select_related("assessment__framework", "assessment__programme__unit")
        .first()
    )
    if answer is None:
        raise ValidationError(
            {
                "number": _("Question %(number)s does not exist in this worksheet.")
                % {"number": number}
            }
        )
    section = AssessmentSection.objects.get(assessment=assessment, code=answer.section_code)
    return answer, section


def _check(actor: User | None, programme: Programme, section: AssessmentSection, side: str):
    """Refuse a change the actor's role or the section's status does not allow."""
    if actor is not None:
        access = programme_access(actor, programme)
        if not access.can_view:
            raise PermissionDenied(_("You have no access to this programme."))
        rights = section_rights(access, section, section_pokja_id(programme, section))
        if side == "unit" and not rights.unit_role:
            raise PermissionDenied(
                _("Only the Pokja of %(section)s and the coordinator answer these questions.")
                % {"section": section.name}
            )
        if side == "tpi" and not rights.tpi_role:
            raise PermissionDenied(_("Only the internal assessors (TPI) fill the TPI columns."))
    if (side == "tpi" and section.tpi_locked) or (side == "unit" and section.unit_locked):
        raise WorksheetLocked(_locked_message(section, side))


def _normalised_text(spec: FrameworkSpec, number: int, value) -> str:
    try:
        normal: AnswerValue = normalize_answer(spec, number, value)
    except AnswerError:
        raise ValidationError({"value": bad_answer(spec, number, value)}) from None
    if normal is None:
        return ""
    text = format(normal, "f") if isinstance(normal, Decimal) else str(normal)
    if len(text) > MAX_STORED_LENGTH:
        raise ValidationError(
            {
                "value": _("Question %(number)s: the answer is too long; use fewer decimals.")
                % {"number": number}
            }
        )
    return text


def _set_answer(
    *, side: str, actor: User | None, programme: Programme, number: int, value, note: str
) -> Answer:
    answer, section = _answer_for_update(programme, number)
    _check(actor, programme, section, side)
    spec = answer.assessment.framework.spec
    if number in survey_fed_numbers(programme, spec):
        raise ValidationError(
            {
                "value": _(
                    "Question %(number)s takes its value from the surveys; it cannot be "
                    "answered here."
                )
                % {"number": number}
            }
        )
    text = _normalised_text(spec, number, value)
    note = (note or "").strip()
    fields = UNIT_FIELDS if side == "unit" else TPI_FIELDS
    if (getattr(answer, f"{side}_value"), getattr(answer, f"{side}_note")) == (text, note):
        return answer
    change = audited_update(
        answer,
        fields,
        actor=actor,
        changes={
            f"{side}_value": text,
            f"{side}_note": note,
            f"{side}_by": actor,
            f"{side}_at": timezone.now(),
        },
        update_fields=[*fields, f"{side}_by", f"{side}_at"],
        programme=programme,
    )
    entry = change.entry
    score_mark_stale(programme.pk)
    if side == "tpi" and note and note != change.before["tpi_note"]:
        # The Pokja of the area reads the assessor's note on the question and acts on it.
        hooks.event_happened(
            kind=hooks.TPI_NOTE,
            programme_id=programme.pk,
            actor=actor,
            audit_entry=entry,
            subject=answer,
            text=note,
        )
    return answer


@transaction.atomic
def answer_set_unit(
    *, actor: User | None, programme: Programme, number: int, value, note: str = ""
) -> Answer:
    """Set the unit's answer and note of question ``number``.

    ``value``: an option key, a whole number 0 or more, or an index, as text or number
    (normalised through the framework); None or "" clears it. ``note`` replaces the note.
    Raises ValidationError naming the question and what is allowed, WorksheetLocked, or
    PermissionDenied.
    """
    return _set_answer(
        side="unit", actor=actor, programme=programme, number=number, value=value, note=note
    )


@transaction.atomic
def answer_set_tpi(
    *, actor: User | None, programme: Programme, number: int, value, note: str = ""
) -> Answer:
    """Set the TPI's answer and note of question ``number`` (where given, it wins)."""
    return _set_answer(
        side="tpi", actor=actor, programme=programme, number=number, value=value, note=note
    )


# --------------------------------------------------------------------------- evidence


def _evidence_change(
    *, actor: User | None, programme: Programme, number: int, add=None, remove=None
) -> Answer:
    answer, section = _answer_for_update(programme, number)
    _check(actor, programme, section, "unit")
    with audited(answer, ("evidence",), actor=actor, programme=programme) as change:
        if add is not None:
            if add.programme_id != programme.pk:
                raise ValidationError(
                    {"evidence": _("That evidence belongs to another programme.")}
                )
            AnswerEvidence.objects.get_or_create(
                answer=answer, evidence=add, defaults={"added_by": actor}
            )
        if remove is not None:
            AnswerEvidence.objects.filter(answer=answer, evidence=remove).delete()
    if change.changed:  # completeness counts the answers with evidence
        score_mark_stale(programme.pk)
    return answer


@transaction.atomic
def answer_evidence_attach(
    *, actor: User | None, programme: Programme, number: int, evidence: Evidence
) -> Answer:
    """Let an existing piece of the programme's evidence support question ``number``."""
    return _evidence_change(actor=actor, programme=programme, number=number, add=evidence)


@transaction.atomic
def answer_evidence_detach(
    *, actor: User | None, programme: Programme, number: int, evidence: Evidence
) -> Answer:
    """Stop using a piece of evidence for question ``number`` (the evidence itself stays)."""
    return _evidence_change(actor=actor, programme=programme, number=number, remove=evidence)


def _section_pokja(programme: Programme, number: int) -> tuple[AssessmentSection, Pokja | None]:
    _answer, section = _answer_for_update(programme, number)
    pokja = None
    if section.pokja_number is not None:
        pokja = Pokja.objects.filter(programme=programme, area_code=section.code).first()
    return section, pokja


@transaction.atomic
def answer_evidence_add(
    *,
    actor: User,
    programme: Programme,
    number: int,
    uploaded: UploadedFile | None = None,
    url: str = "",
    title: str = "",
) -> Evidence:
    """Store an uploaded file, or else a link, as the Pokja's evidence and attach it to
    question ``number``.

    Rights and locks are checked before the file is stored; size and type are checked by
    pokja.services.evidence_add_file (ValidationError keyed "file").
    """
    section, pokja = _section_pokja(programme, number)
    _check(actor, programme, section, "unit")
    evidence = pokja_services.evidence_add(
        actor=actor, programme=programme, pokja=pokja, uploaded=uploaded, url=url, title=title
    )
    _evidence_change(actor=actor, programme=programme, number=number, add=evidence)
    return evidence


# --------------------------------------------------------------------------- status


def _refresh_assessment_status(assessment: Assessment) -> None:
    statuses = set(assessment.sections.values_list("status", flat=True))
    lowest = next((s for s in STATUS_ORDER if s in statuses), Status.DRAFT)
    if assessment.status != lowest:
        assessment.status = lowest
        assessment.save(update_fields=["status"])


def _move(
    *,
    actor: User | None,
    programme: Programme,
    section: AssessmentSection,
    action: str,
    access: ProgrammeAccess | None,
    note: str,
) -> AssessmentSection:
    source, target = TRANSITIONS[action]
    if section.status != source:
        raise WorksheetLocked(
            _("%(section)s is %(status)s, so “%(action)s” is not possible now.")
            % {
                "section": section.name,
                "status": section.get_status_display().lower(),
                "action": ACTION_LABELS[action],
            }
        )
    if access is not None and not may_move(action, access, section_pokja_id(programme, section)):
        raise PermissionDenied(
            _("Your role does not allow “%(action)s” here.") % {"action": ACTION_LABELS[action]}
        )
    changes = {"status": target}
    if action in ("submit", "review", "finalize"):
        done = {"submit": "submitted", "review": "reviewed", "finalize": "finalized"}[action]
        changes |= {f"{done}_by": actor, f"{done}_at": timezone.now()}
    entry = audited_update(
        section,
        SECTION_FIELDS,
        actor=actor,
        changes=changes,
        programme=programme,
        note=(note or "").strip(),
        object_repr=f"{section.assessment.programme} · {section.name}",
    ).entry
    if action in EVENT_OF_ACTION:
        # The area's Pokja reads the TPI's review, and answers again once returned to draft.
        hooks.event_happened(
            kind=EVENT_OF_ACTION[action],
            programme_id=programme.pk,
            actor=actor,
            audit_entry=entry,
            subject=section,
            text=note,
        )
    return section


EVENT_OF_ACTION = {"review": hooks.SECTION_REVIEWED, "return": hooks.SECTION_RETURNED}


ACTION_LABELS = {
    "submit": gettext_lazy("Submit"),
    "return": gettext_lazy("Return to draft"),
    "review": gettext_lazy("Mark reviewed"),
    "reopen": gettext_lazy("Reopen the review"),
    "finalize": gettext_lazy("Finalise"),
    "unlock": gettext_lazy("Unlock"),
}


@transaction.atomic
def section_transition(
    *, actor: User | None, programme: Programme, code: str, action: str, note: str = ""
) -> AssessmentSection:
    """Move one section: submit (Pokja chair, coordinator), return to draft (chair,
    coordinator, TPI), review (TPI), reopen the review (TPI, coordinator), finalise
    (coordinator, site admin), unlock a final section (site admin)."""
    if action not in TRANSITIONS:
        raise ValidationError({"action": _("Unknown action %(action)r.") % {"action": action}})
    assessment = assessment_for(programme)
    section = (
        AssessmentSection.objects.select_for_update()
        .select_related("assessment__programme__unit")
        .filter(assessment=assessment, code=code)
        .first()
    )
    if section is None:
        raise ValidationError({"code": _("There is no section %(code)s.") % {"code": code}})
    access = None if actor is None else programme_access(actor, programme)
    section = _move(
        actor=actor, programme=programme, section=section, action=action, access=access, note=note
    )
    _refresh_assessment_status(assessment)
    return section


@transaction.atomic
def assessment_finalize(*, actor: User | None, programme: Programme, note: str = "") -> Assessment:
    """Finalise every section at once (coordinator, site admin); all must be reviewed."""
    assessment = assessment_for(programme)
    sections = list(
        AssessmentSection.objects.select_for_update()
        .select_related("assessment__programme__unit")
        .filter(assessment=assessment)
    )
    access = None if actor is None else programme_access(actor, programme)
    if access is not None and not access.can_coordinate:
        raise PermissionDenied(_("Only the coordinator or a site administrator finalises."))
    waiting = [s.name for s in sections if s.status not in (Status.REVIEWED, Status.FINAL)]
    if waiting:
        raise WorksheetLocked(
            _("Not yet reviewed by the TPI: %(sections)s.") % {"sections": ", ".join(waiting)}
        )
    for section in sections:
        if section.status == Status.REVIEWED:
            _move(
                actor=actor,
                programme=programme,
                section=section,
                action="finalize",
                access=None,
                note=note,
            )
    _refresh_assessment_status(assessment)
    return assessment


# --------------------------------------------------------------------------- stored scores
# System work, not audited: the stored figures are derived from audited answers.

# Changes within this many seconds of the first are scored in one run.
SCORE_RUN_DELAY = 2
# A run sent this long ago and not started (its message lost, say) no longer holds off others.
SCORE_QUEUE_TIMEOUT = datetime.timedelta(minutes=2)


def score_mark_stale(programme_id: int) -> None:
    """Record, inside the transaction that changes what the programme's score depends on, that
    the stored score is stale; once the change commits, queue one recomputation unless one is
    queued already (so a burst of saves is scored once)."""
    now = timezone.now()
    changes = {
        "generation": F("generation") + 1,
        "changed_at": Coalesce(F("changed_at"), Value(now, output_field=DateTimeField())),
    }
    if not ProgrammeScore.objects.filter(programme_id=programme_id).update(**changes):
        try:
            with transaction.atomic():
                ProgrammeScore.objects.create(programme_id=programme_id, changed_at=now)
        except IntegrityError:  # created meanwhile by a concurrent change or run
            ProgrammeScore.objects.filter(programme_id=programme_id).update(**changes)
    transaction.on_commit(partial(score_queue_run, programme_id))


def score_note_committed_change(programme_id: int) -> None:
    """For changes many people make at once (survey responses), called once each has
    committed: the stored score is marked stale and a run queued, as by `score_mark_stale`,
    unless a run is queued already and has not started. That run reads this change (it gives
    up its claim before it reads the answers, and always scores), so a burst of respondents
    reads the score's row instead of each of them writing it: nobody waits on another."""
    queued = (
        ProgrammeScore.objects.filter(programme_id=programme_id)
        .values_list("queued_at", flat=True)
        .first()
    )
    if queued is not None and queued >= timezone.now() - SCORE_QUEUE_TIMEOUT:
        return
    score_mark_stale(programme_id)


def score_queue_run(programme_id: int) -> bool:
    """Send one recomputation of the programme's score to the workers, unless one is queued
    and has not started. Call it after the commit; never raises (the repair run catches up)."""
    from evaluations.tasks import recompute_programme_score

    now = timezone.now()
    try:
        claimed = (
            ProgrammeScore.objects.filter(programme_id=programme_id)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - SCORE_QUEUE_TIMEOUT))
            .update(queued_at=now)
        )
    except DatabaseError:
        logger.warning("could not queue the score of programme %s", programme_id, exc_info=True)
        return False
    if not claimed:
        return False
    if publish(recompute_programme_score, programme_id, countdown=SCORE_RUN_DELAY):
        return True
    try:  # let the next change try again
        ProgrammeScore.objects.filter(programme_id=programme_id, queued_at=now).update(
            queued_at=None
        )
    except DatabaseError:
        logger.warning("could not release programme %s", programme_id, exc_info=True)
    return False


def _survey_data(layers: AnswerLayers) -> dict:
    return {
        str(number): {
            "index": None if figure.index is None else str(figure.index),
            "source": figure.source,
            "label": figure.label,
            "survey_id": figure.survey_id,
            "respondents": figure.respondents,
        }
        for number, figure in sorted(layers.figures.items())
    }


def _stored_values(programme: Programme, layers: AnswerLayers) -> dict:
    spec = layers.spec
    effective = score(spec, layers.layer("effective"), holds_wbk=programme.holds_wbk)
    unit = score(spec, layers.unit, holds_wbk=programme.holds_wbk)
    tpi = score(spec, layers.tpi, holds_wbk=programme.holds_wbk)
    return {
        "framework_id": programme.framework_id,
        "total": display(effective.total),
        "unit_total": display(unit.total),
        "tpi_total": display(tpi.total),
        "answered": effective.completeness.answered,
        "questions": effective.completeness.total,
        "with_evidence": effective.completeness.with_evidence,
        "meets": {code: p.meets for code, p in effective.predicates.items()},
        "figures": breakdown_figures(effective),
        "breakdown": breakdown_to_data(effective),
        "surveys": _survey_data(layers),
    }


def score_refresh(*, programme_id: int, force: bool = False) -> ProgrammeScore | None:
    """Score the programme's answers and store the breakdown; the stored score, or None when
    the programme no longer exists. Without ``force`` a current stored score is left alone.

    Safe to run twice or concurrently: figures are stored with the generation read before
    scoring, and never over figures of a newer generation.
    """
    programme = (
        Programme.objects.select_related("framework", "unit").filter(pk=programme_id).first()
    )
    if programme is None:
        return None
    stored, _created = ProgrammeScore.objects.get_or_create(programme=programme)
    if not force and not stored.is_stale:
        return stored
    generation = stored.generation  # read before the answers: a later change bumps it
    values = _stored_values(programme, answer_layers(programme))
    now = timezone.now()
    ProgrammeScore.objects.filter(
        programme_id=programme_id, computed_generation__lte=generation
    ).update(
        computed_generation=generation,
        computed_at=now,
        changed_at=Case(
            When(generation=generation, then=Value(None, output_field=DateTimeField())),
            default=F("changed_at"),
        ),
        **values,
    )
    return ProgrammeScore.objects.filter(programme_id=programme_id).first()


def score_snapshot_take(*, programme_id: int, date: datetime.date) -> ScoreSnapshot | None:
    """Recompute the programme's stored score and keep it as the snapshot of ``date``; taking
    it again the same day replaces that day's snapshot. None when the programme is gone."""
    stored = score_refresh(programme_id=programme_id, force=True)
    if stored is None:
        return None
    values = {
        "taken_at": stored.computed_at,
        "total": stored.total,
        "unit_total": stored.unit_total,
        "tpi_total": stored.tpi_total,
        "answered": stored.answered,
        "questions": stored.questions,
        "with_evidence": stored.with_evidence,
        "meets": stored.meets,
        "figures": stored.figures,
        "surveys": stored.surveys,
    }
    ScoreSnapshot.objects.bulk_create(
        [ScoreSnapshot(programme_id=programme_id, date=date, **values)],
        update_conflicts=True,
        unique_fields=["programme", "date"],
        update_fields=list(values),
    )
    return ScoreSnapshot.objects.get(programme_id=programme_id, date=date)


def open_programme_ids() -> list[int]:
    return list(
        Programme.objects.exclude(status=Programme.Status.CLOSED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def scores_to_repair(*, now: datetime.datetime | None = None) -> list[int]:
    """Programmes whose stored score is stale and not queued (or queued too long ago), and
    open programmes without a stored score yet."""
    now = now or timezone.now()
    stale = (
        ProgrammeScore.objects.filter(generation__gt=F("computed_generation"))
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - SCORE_QUEUE_TIMEOUT))
        .values_list("programme_id", flat=True)
    )
    missing = (
        Programme.objects.exclude(status=Programme.Status.CLOSED)
        .filter(stored_score__isnull=True)
        .values_list("pk", flat=True)
    )
    return sorted({*stale, *missing})
