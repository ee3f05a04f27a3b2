"""Action plans (rencana aksi): items, their status flow, monitoring, comments, evidence (the
imports: `pokja.services.plan_imports`).

Status flow: belum mulai -> berjalan -> selesai, moved by the Pokja (and the coordinator);
selesai -> diverifikasi, or -> dikembalikan with a reason, by the coordinator only; a returned
item goes back to berjalan or selesai. Lateness is derived from the due date, never stored.
Every write is audited in the same transaction; the audit trail is the item's history.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import (
    audit_created,
    audited,
    audited_delete,
    audited_save,
    editable_only,
    locked,
)
from pokja import hooks
from pokja.access import ProgrammeAccess
from pokja.models import (
    ActionPlanComment,
    ActionPlanItem,
    ActionPlanMonitoring,
    Evidence,
    Pokja,
    ProgrammeRole,
    User,
    programme_today,
)
from pokja.services.evidence import evidence_add, evidence_attach, evidence_detach

Status = ActionPlanItem.Status

ITEM_FIELDS = (
    "pokja",
    "number",
    "title",
    "description",
    "sub_area",
    "questions",
    "expected_output",
    "success_indicator",
    "owners",
    "start_date",
    "due_date",
    "status",
    "progress",
    "return_reason",
)
STATUS_FIELDS = ("status", "progress", "return_reason")
# What action_plan_update changes: all but the item's place and its status flow.
EDITABLE_FIELDS = frozenset(ITEM_FIELDS) - {"pokja", "number", *STATUS_FIELDS}
MONITORING_FIELDS = ("item", "month", "percent", "note")
COMMENT_FIELDS = ("item", "text", "by_tpi")
COMMENT_MAX = 2000

# Moves the Pokja (its chair and members, and the coordinator) may make.
POKJA_MOVES: dict[str, frozenset[str]] = {
    Status.NOT_STARTED: frozenset({Status.IN_PROGRESS, Status.DONE}),
    Status.IN_PROGRESS: frozenset({Status.NOT_STARTED, Status.DONE}),
    Status.DONE: frozenset({Status.IN_PROGRESS}),
    Status.RETURNED: frozenset({Status.IN_PROGRESS, Status.DONE}),
    Status.VERIFIED: frozenset(),
}
# Moves only the coordinator may make.
COORDINATOR_MOVES: dict[str, frozenset[str]] = {
    Status.DONE: frozenset({Status.VERIFIED, Status.RETURNED}),
    Status.VERIFIED: frozenset({Status.RETURNED}),
}


def allowed_statuses(item: ActionPlanItem, access: ProgrammeAccess) -> list[str]:
    """The statuses `access` may move `item` to, in the order of the flow."""
    moves: set[str] = set()
    if access.can_edit_pokja(item.pokja_id):
        moves |= POKJA_MOVES.get(item.status, frozenset())
    if access.can_coordinate:
        moves |= COORDINATOR_MOVES.get(item.status, frozenset())
    return [value for value in Status.values if value in moves]


def review_statuses(item: ActionPlanItem, access: ProgrammeAccess) -> list[str]:
    """The coordinator's review of `item` open to `access` now (verify, return), in the order
    of the flow: the moves no Pokja makes. Empty for everyone else."""
    if not access.can_coordinate:
        return []
    moves = COORDINATOR_MOVES.get(item.status, frozenset())
    return [value for value in Status.values if value in moves]


def can_change_item(item: ActionPlanItem, access: ProgrammeAccess) -> bool:
    """Edit fields, progress and evidence: the Pokja until verified; the coordinator always."""
    if access.can_coordinate:
        return True
    return access.can_edit_pokja(item.pokja_id) and item.status != Status.VERIFIED


def _locked_item(item: ActionPlanItem) -> ActionPlanItem:
    return locked(item, "programme", "pokja")


def _progress(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError({"progress": _("Progress is a whole number from 0 to 100.")})
    return value


def _check_dates(start: datetime.date | None, due: datetime.date | None) -> None:
    if start is None:
        raise ValidationError({"start_date": _("Give the start date.")})
    if due is None:
        raise ValidationError({"due_date": _("Give the due date.")})
    if due < start:
        raise ValidationError(
            {
                "due_date": _("The due date cannot be before the start date (%(start)s).")
                % {"start": start.strftime("%d/%m/%Y")}
            }
        )


def _check_sub_area(pokja: Pokja, sub_area):
    """The sub-area must be one of the Pokja's area in the programme's framework."""
    framework = pokja.programme.framework
    if sub_area is None:
        raise ValidationError({"sub_area": _("Choose the LKE sub-area this activity serves.")})
    ok = (
        framework.sub_areas.filter(pk=getattr(sub_area, "pk", sub_area), area__code=pokja.area_code)
        .only("pk")
        .first()
    )
    if ok is None:
        raise ValidationError(
            {
                "sub_area": _("Choose a sub-area of %(area)s in the programme's framework.")
                % {"area": pokja.name}
            }
        )
    return ok


def sub_area_question_ids(sub_area) -> set[int]:
    """Questions an item of this sub-area may serve: its own and its children's."""
    framework_sub_areas = sub_area.__class__.objects
    ids = [sub_area.pk, *framework_sub_areas.filter(parent=sub_area).values_list("pk", flat=True)]
    questions = sub_area.questions.model.objects
    return set(questions.filter(sub_area_id__in=ids).values_list("pk", flat=True))


def _check_questions(sub_area, questions) -> list:
    questions = list(questions or [])
    allowed = sub_area_question_ids(sub_area)
    wrong = [q for q in questions if getattr(q, "pk", q) not in allowed]
    if wrong:
        raise ValidationError(
            {
                "questions": _("Choose only questions of the sub-area %(sub_area)s.")
                % {"sub_area": sub_area}
            }
        )
    return questions


def pokja_member_ids(pokja: Pokja) -> set[int]:
    return set(
        ProgrammeRole.objects.filter(pokja=pokja, kind__in=ProgrammeRole.POKJA_KINDS).values_list(
            "user_id", flat=True
        )
    )


def _check_owners(pokja: Pokja, owners) -> list:
    owners = list(owners or [])
    members = pokja_member_ids(pokja)
    outside = [o for o in owners if getattr(o, "pk", o) not in members]
    if outside:
        names = ", ".join(str(o) for o in outside if isinstance(o, User)) or _("someone")
        raise ValidationError(
            {
                "owners": _("Owners must be members of %(pokja)s; %(names)s is not.")
                % {"pokja": pokja, "names": names}
            }
        )
    return owners


def _check_text(field: str, value: str, *, required: bool = False, limit: int | None = None):
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if limit is not None and len(value) > limit:
        raise ValidationError({field: _("At most %(n)d characters.") % {"n": limit}})
    return value


@transaction.atomic
def action_plan_create(
    *,
    actor: User | None,
    pokja: Pokja,
    title: str,
    sub_area,
    start_date: datetime.date,
    due_date: datetime.date,
    description: str = "",
    questions: Iterable = (),
    expected_output: str = "",
    success_indicator: str = "",
    owners: Iterable = (),
    status: str = Status.NOT_STARTED,
    progress: int = 0,
    note: str = "",
) -> ActionPlanItem:
    """Add an activity to a Pokja's plan. A new item may start as belum mulai, berjalan or
    selesai (an import of work already done); verifying is the coordinator's, later."""
    title = _check_text("title", title, required=True, limit=200)
    sub_area = _check_sub_area(pokja, sub_area)
    questions = _check_questions(sub_area, questions)
    owners = _check_owners(pokja, owners)
    _check_dates(start_date, due_date)
    if status not in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE):
        raise ValidationError({"status": _("A new item is Not started, In progress or Done.")})
    progress = 100 if status == Status.DONE else _progress(progress)
    if status == Status.NOT_STARTED and progress:
        status = Status.IN_PROGRESS
    locked = Pokja.objects.select_for_update().select_related("programme").get(pk=pokja.pk)
    number = (locked.plan_items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = ActionPlanItem(
        programme=locked.programme,
        pokja=locked,
        number=number,
        title=title,
        description=(description or "").strip(),
        sub_area=sub_area,
        expected_output=(expected_output or "").strip(),
        success_indicator=(success_indicator or "").strip(),
        start_date=start_date,
        due_date=due_date,
        status=status,
        progress=progress,
        status_changed_at=timezone.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    item.save()
    item.questions.set(questions)
    item.owners.set(owners)
    audit_created(item, ITEM_FIELDS, actor=actor, programme=item.programme, note=note)
    return item


@transaction.atomic
def action_plan_update(
    *, actor: User, access: ProgrammeAccess, item: ActionPlanItem, note: str = "", **changes
) -> ActionPlanItem:
    """Change an item's description fields (not its status: see action_plan_update_status)."""
    editable_only(changes, EDITABLE_FIELDS, service="action_plan_update")
    item = _locked_item(item)
    if not can_change_item(item, access):
        raise PermissionDenied(_("A verified item can be changed only by the coordinator."))
    with audited(item, ITEM_FIELDS, actor=actor, programme=item.programme, note=note):
        _apply_item_changes(item, changes)
    return item


def _apply_item_changes(item: ActionPlanItem, changes: dict) -> None:
    if "title" in changes:
        item.title = _check_text("title", changes["title"], required=True, limit=200)
    for name in ("description", "expected_output", "success_indicator"):
        if name in changes:
            setattr(item, name, (changes[name] or "").strip())
    if "sub_area" in changes:
        item.sub_area = _check_sub_area(item.pokja, changes["sub_area"])
    _check_dates(changes.get("start_date", item.start_date), changes.get("due_date", item.due_date))
    item.start_date = changes.get("start_date", item.start_date)
    item.due_date = changes.get("due_date", item.due_date)
    if "questions" in changes:
        item.questions.set(_check_questions(item.sub_area, changes["questions"]))
    elif "sub_area" in changes:
        # Questions of the former sub-area no longer apply.
        allowed = sub_area_question_ids(item.sub_area)
        item.questions.set([q for q in item.questions.all() if q.pk in allowed])
    if "owners" in changes:
        item.owners.set(_check_owners(item.pokja, changes["owners"]))
    item.save()


@transaction.atomic
def action_plan_update_status(
    *,
    actor: User,
    access: ProgrammeAccess,
    item: ActionPlanItem,
    status: str | None = None,
    progress: int | None = None,
    note: str = "",
) -> ActionPlanItem:
    """Move an item along the flow and/or set its progress, with an optional note.

    Rules: moving to selesai sets progress to 100; setting progress above 0 on a belum mulai
    item moves it to berjalan; moving back to belum mulai sets progress to 0; returning needs
    the reason in `note`; a verified item is changed only by the coordinator.
    """
    item = _locked_item(item)
    note = _check_text("note", note, limit=COMMENT_MAX)
    if not access.can_edit_pokja(item.pokja_id) and not access.can_coordinate:
        raise PermissionDenied
    new_status, new_progress = _next_state(item, access, status, progress, note)
    with audited(item, STATUS_FIELDS, actor=actor, programme=item.programme, note=note) as change:
        moved = new_status != item.status
        if moved:
            item.status_changed_at = timezone.now()
            if new_status == Status.RETURNED:
                item.return_reason = note
        item.status = new_status
        item.progress = new_progress
        item.save(update_fields=["status", "progress", "return_reason", "status_changed_at"])
    entry = change.entry
    if moved and new_status in EVENT_OF_STATUS:
        # The owners and the Pokja chair must act on a returned item and hear of a verified one.
        hooks.event_happened(
            kind=EVENT_OF_STATUS[new_status],
            programme_id=item.programme_id,
            actor=actor,
            audit_entry=entry,
            subject=item,
            text=note,
        )
    return item


def _next_state(
    item: ActionPlanItem, access: ProgrammeAccess, status: str | None, progress, note: str
) -> tuple[str, int]:
    """The status and progress a move asks for, under the flow's rules, or why it cannot be."""
    new_status = item.status if status in (None, "") else status
    if new_status not in Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if new_status != item.status:
        if new_status not in allowed_statuses(item, access):
            if new_status in (Status.VERIFIED, Status.RETURNED) and not access.can_coordinate:
                raise PermissionDenied(_("Only the coordinator verifies or returns items."))
            raise ValidationError(
                {
                    "status": _("An item that is %(from)s cannot become %(to)s.")
                    % {"from": item.get_status_display(), "to": Status(new_status).label}
                }
            )
    elif progress is not None and not can_change_item(item, access):
        raise PermissionDenied(_("A verified item can be changed only by the coordinator."))
    new_progress = item.progress if progress is None else _progress(progress)
    if new_status == Status.RETURNED and new_status != item.status and not note:
        raise ValidationError({"note": _("Give the reason for returning the item.")})
    if new_status in (Status.DONE, Status.VERIFIED):
        if new_status == item.status and new_progress != 100:
            raise ValidationError(
                {
                    "progress": _(
                        "A done item is at 100%%; set it back to In progress to lower its progress."
                    )
                }
            )
        new_progress = 100
    elif new_status == Status.NOT_STARTED:
        if new_status == item.status and new_progress > 0:
            new_status = Status.IN_PROGRESS  # work has begun
        elif new_status != item.status:
            new_progress = 0
    return new_status, new_progress


EVENT_OF_STATUS = {Status.RETURNED: hooks.PLAN_RETURNED, Status.VERIFIED: hooks.PLAN_VERIFIED}


def action_plan_verify(
    *, actor: User, access: ProgrammeAccess, item: ActionPlanItem, note: str = ""
) -> ActionPlanItem:
    """The coordinator accepts a done item."""
    return action_plan_update_status(
        actor=actor, access=access, item=item, status=Status.VERIFIED, note=note
    )


def action_plan_return(
    *, actor: User, access: ProgrammeAccess, item: ActionPlanItem, reason: str
) -> ActionPlanItem:
    """The coordinator sends a done (or verified) item back to the Pokja, saying why."""
    return action_plan_update_status(
        actor=actor, access=access, item=item, status=Status.RETURNED, note=reason
    )


@transaction.atomic
def action_plan_delete(*, actor: User, item: ActionPlanItem, note: str = "") -> None:
    """Remove an item from the plan (its evidence stays). Verified items cannot be removed."""
    item = _locked_item(item)
    if item.status == Status.VERIFIED:
        raise ValidationError(
            {"status": _("A verified item cannot be removed; return it first if it is wrong.")}
        )
    audited_delete(item, ITEM_FIELDS, actor=actor, programme=item.programme, note=note)


# --------------------------------------------------------------------------- evidence


def _check_evidence_editable(item: ActionPlanItem, access: ProgrammeAccess) -> None:
    if not can_change_item(item, access):
        raise PermissionDenied(_("A verified item can be changed only by the coordinator."))


@transaction.atomic
def action_plan_attach_evidence(
    *,
    actor: User,
    access: ProgrammeAccess,
    item: ActionPlanItem,
    evidence: Evidence,
    note: str = "",
) -> ActionPlanItem:
    """Let an existing piece of the programme's evidence support this item too."""
    item = _locked_item(item)
    _check_evidence_editable(item, access)
    if evidence.programme_id != item.programme_id:
        raise ValidationError({"evidence": _("Choose evidence of this programme.")})
    evidence_attach(actor=actor, holder=item, evidence=evidence, note=note)
    return item


@transaction.atomic
def action_plan_add_evidence(
    *,
    actor: User,
    access: ProgrammeAccess,
    item: ActionPlanItem,
    uploaded: UploadedFile | None = None,
    url: str = "",
    title: str = "",
) -> Evidence:
    """Store a file (a photo from the phone's camera, a PDF...) or a link as the Pokja's
    evidence and attach it to the item."""
    _check_evidence_editable(item, access)
    evidence = evidence_add(
        actor=actor,
        programme=item.programme,
        pokja=item.pokja,
        uploaded=uploaded,
        url=url,
        title=title,
    )
    action_plan_attach_evidence(actor=actor, access=access, item=item, evidence=evidence)
    return evidence


@transaction.atomic
def action_plan_detach_evidence(
    *, actor: User, access: ProgrammeAccess, item: ActionPlanItem, evidence: Evidence
) -> ActionPlanItem:
    """The evidence no longer supports this item; the file itself is kept."""
    item = _locked_item(item)
    _check_evidence_editable(item, access)
    evidence_detach(actor=actor, holder=item, evidence=evidence)
    return item


# --------------------------------------------------------------------------- comments, monitoring


@transaction.atomic
def action_plan_comment_add(
    *, actor: User, item: ActionPlanItem, text: str, access: ProgrammeAccess | None = None
) -> ActionPlanComment:
    """Add a remark to the item's history. With the author's `access`: refused unless they
    may comment; an internal assessor's (TPI) comment is their note to the Pokja, shown on
    the item and told to its owners and chair."""
    if access is not None and not access.can_comment_plan(item.pokja_id):
        raise PermissionDenied
    text = _check_text("text", text, required=True, limit=COMMENT_MAX)
    by_tpi = access is not None and access.is_tpi
    comment = ActionPlanComment.objects.create(item=item, author=actor, text=text, by_tpi=by_tpi)
    entry = audit_created(comment, COMMENT_FIELDS, actor=actor, programme=item.programme)
    if by_tpi:
        hooks.event_happened(
            kind=hooks.PLAN_TPI_COMMENT,
            programme_id=item.programme_id,
            actor=actor,
            audit_entry=entry,
            subject=comment,
            text=text,
        )
    return comment


@transaction.atomic
def action_plan_monitoring_record(
    *,
    actor: User,
    access: ProgrammeAccess,
    item: ActionPlanItem,
    month: int,
    percent: int,
    note: str = "",
    today: datetime.date | None = None,
) -> ActionPlanMonitoring:
    """Record (or correct) what was realised on the item in `month` of the programme year."""
    if not can_change_item(item, access):
        raise PermissionDenied(_("A verified item can be changed only by the coordinator."))
    if isinstance(month, bool) or not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError({"month": _("Choose a month from January to December.")})
    today = today or programme_today()
    year = item.programme.year
    if (year, month) > (today.year, today.month):
        raise ValidationError(
            {"month": _("That month has not begun yet; report on a month that has.")}
        )
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationError({"percent": _("Realisation is a whole number from 0 to 100.")})
    note = _check_text("note", note, limit=COMMENT_MAX)
    entry = ActionPlanMonitoring.objects.select_for_update().filter(item=item, month=month).first()
    return audited_save(
        entry or ActionPlanMonitoring(item=item, month=month),
        MONITORING_FIELDS,
        actor=actor,
        changes={"percent": percent, "note": note, "recorded_by": actor},
        programme=item.programme,
    )


__all__ = [
    "action_plan_add_evidence",
    "action_plan_attach_evidence",
    "action_plan_comment_add",
    "action_plan_create",
    "action_plan_delete",
    "action_plan_detach_evidence",
    "action_plan_monitoring_record",
    "action_plan_return",
    "action_plan_update",
    "action_plan_update_status",
    "action_plan_verify",
]
