"""Event notices: who must hear of an event (pokja.hooks.Event) and what they are told.

Called inside the transaction of the change (the listener is registered in
NotificationsConfig.ready), so the notices exist in the app the moment the change commits,
and only if it does; their e-mails go out through the workers after the commit.

- an action plan item returned or verified, or a TPI note on it: the item's owners and its
  Pokja's chair;
- an LKE section reviewed by the TPI or returned to draft, a TPI note on a question: the
  area's Pokja (chair and members); for a section outside every area (HASIL), the
  coordinators, who answer it;
never the person who acted, and each person once per event (the audit entry of the change).
"""

from __future__ import annotations

from django.urls import reverse

from evaluations.models import Answer, AssessmentSection
from notifications.models import Notification
from notifications.services import Message, notification_create
from pokja import hooks
from pokja.models import (
    ActionPlanComment,
    ActionPlanItem,
    Programme,
    ProgrammeRole,
    User,
    programme_today,
)


def _active(users) -> list[User]:
    seen, people = set(), []
    for user in users:
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            people.append(user)
    return people


def item_people(item: ActionPlanItem) -> list[User]:
    """The item's owners and its Pokja's chair (active accounts, each once)."""
    chair = (
        ProgrammeRole.objects.filter(pokja_id=item.pokja_id, kind=ProgrammeRole.Kind.KETUA)
        .select_related("user")
        .first()
    )
    return _active([*item.owners.all(), chair.user if chair else None])


def section_people(
    programme: Programme, section: AssessmentSection
) -> tuple[list[User], int | None]:
    """Who answers the section (its Pokja's chair and members; the coordinators for a section
    outside every area), and its Pokja's number (None outside every area)."""
    if section.pokja_number is None:
        roles = ProgrammeRole.objects.filter(
            programme=programme, kind=ProgrammeRole.Kind.KOORDINATOR
        )
    else:
        roles = ProgrammeRole.objects.filter(
            programme=programme,
            pokja__area_code=section.code,
            kind__in=ProgrammeRole.POKJA_KINDS,
        )
    roles = roles.select_related("user").order_by("kind", "pk")
    return _active(role.user for role in roles), section.pokja_number


def _item_message(kind: str, item: ActionPlanItem, event: hooks.Event, anchor: str = "") -> dict:
    return {
        "kind": kind,
        "item_type": Notification.ItemType.PLAN_ITEM,
        "item_id": item.pk,
        "params": {
            "code": item.code,
            "title": item.title,
            "actor": event.actor.display_name,
            "text": event.text,
        },
        "link": reverse(
            "plan_item_detail",
            kwargs={
                "unit_code": item.programme.unit.code,
                "year": item.programme.year,
                "number": item.pokja.number,
                "item_id": item.pk,
            },
        )
        + anchor,
    }


def _section_link(programme: Programme, code: str, number: int | None = None) -> str:
    url = reverse("lke_section", kwargs={**programme.url_kwargs(), "section": code})
    return f"{url}#q-{number}" if number is not None else url


def _plan_event(event: hooks.Event):
    if event.kind == hooks.PLAN_TPI_COMMENT:
        comment: ActionPlanComment = event.subject
        item = ActionPlanItem.objects.select_related("pokja", "programme__unit").get(
            pk=comment.item_id
        )
        message = _item_message(event.kind, item, event, "#tpi-notes")
    else:
        item = ActionPlanItem.objects.select_related("pokja", "programme__unit").get(
            pk=event.subject.pk
        )
        message = _item_message(event.kind, item, event)
    return item.programme, item_people(item), message


def _section_event(event: hooks.Event):
    if event.kind == hooks.TPI_NOTE:
        answer: Answer = event.subject
        section = AssessmentSection.objects.get(
            assessment_id=answer.assessment_id, code=answer.section_code
        )
    else:
        section = event.subject
    programme = Programme.objects.select_related("unit").get(pk=event.programme_id)
    people, pokja_number = section_people(programme, section)
    params = {
        "section": section.name,
        "pokja": pokja_number,
        "actor": event.actor.display_name,
        "text": event.text,
    }
    if event.kind == hooks.TPI_NOTE:
        params["number"] = answer.number
        message = {
            "kind": event.kind,
            "item_type": Notification.ItemType.QUESTION,
            "item_id": answer.pk,
            "params": params,
            "link": _section_link(programme, section.code, answer.number),
        }
    else:
        message = {
            "kind": event.kind,
            "item_type": Notification.ItemType.SECTION,
            "item_id": section.pk,
            "params": params,
            "link": _section_link(programme, section.code),
        }
    return programme, people, message


PLAN_EVENTS = (hooks.PLAN_RETURNED, hooks.PLAN_VERIFIED, hooks.PLAN_TPI_COMMENT)


def notify_event(event: hooks.Event) -> int:
    """Tell the people who must act of `event`; how many notices were stored."""
    if event.kind in PLAN_EVENTS:
        programme, people, message = _plan_event(event)
    else:
        programme, people, message = _section_event(event)
    today = programme_today()
    created = 0
    for person in people:
        if person.pk == event.actor.pk:
            continue
        created += bool(
            notification_create(
                recipient=person,
                programme_id=programme.pk,
                day=today,
                message=Message(**message),
                event=event.audit_entry_id,
            )
        )
    return created
