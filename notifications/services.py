"""Writes of the notifications app: reminders and event notices created (at most once) and
e-mailed, read marks, preferences; and the reminder runs the periodic tasks call.

A notification stores what it is about (kind and params), not its text: the text is written
in the reader's language when it is shown or e-mailed (notifications.texts). Each one is
e-mailed only by the run that created it, or a later run if sending failed: the e-mail is
claimed in the database before it is sent.
"""

from __future__ import annotations

import datetime
import logging
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from audit.services import audited_update
from notifications import rules, selectors, texts
from notifications.models import Notification, NotificationPreference
from pokja.models import ActionPlanItem, Pokja, Programme, User
from pokja.services import person_language_set
from zi_tracker import http as links
from zi_tracker.celery import enqueue_on_commit

logger = logging.getLogger(__name__)

PREFERENCE_FIELDS = ("digest", "reminders", "event_emails")


class EmailNotSent(Exception):
    """Some e-mails could not be sent (the mail server away); a later run sends them."""


@dataclass(frozen=True)
class Message:
    kind: str
    item_type: str
    item_id: int
    params: dict  # the facts its text is written from (notifications.texts.write)
    link: str  # a path on this site


def absolute_url(path: str) -> str:
    # E-mails: ZI_SITE_URL (never the address of whatever request caused them).
    return links.absolute_url(path)


_in_app_only: ContextVar[bool] = ContextVar("notifications_in_app_only", default=False)


@contextmanager
def in_app_only():
    """Within this block notifications are stored in the app but never e-mailed (demo data:
    its people see their notices, nobody receives mail)."""
    token = _in_app_only.set(True)
    try:
        yield
    finally:
        _in_app_only.reset(token)


def notification_create(
    *,
    recipient: User,
    programme_id: int,
    day: datetime.date,
    message: Message,
    email: bool = True,
    event: int | None = None,
) -> Notification | None:
    """Store the notification unless the person has it already (a reminder of the same item,
    kind and day; an event told already) or turned its kind off; None then. Only a newly
    stored notification is e-mailed (``email`` False: in the app only, e.g. the demo data).

    ``event``: the audit entry of the change an event notice tells of. Its e-mail goes out
    through the workers after the commit; a reminder's is sent by the run that made it.
    """
    if event is None and recipient.pk in selectors.opted_out([recipient.pk], message.kind):
        return None
    email = email and not _in_app_only.get()
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                programme_id=programme_id,
                kind=message.kind,
                item_type=message.item_type,
                item_id=message.item_id,
                day=day,
                event=event,
                params=message.params,
                link=message.link,
                emailed_at=None if email else timezone.now(),
            )
    except IntegrityError:  # sent already: this run is a repeat
        return None
    if email and event is not None:
        from notifications.tasks import email_notification  # the tasks module imports this one

        enqueue_on_commit(email_notification, notification.pk)
    elif email:
        transaction.on_commit(lambda: notification_email(notification_id=notification.pk))
    return notification


def notification_email(*, notification_id: int) -> bool:
    """E-mail one notification, in the recipient's language, unless it was e-mailed already
    or the person does not want it by e-mail; False if it was not sent."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=now
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient", "programme__unit").get(
        pk=notification_id
    )
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return False  # in the app only; the claim stays so no run tries again
    if notification.is_event and not selectors.preference_for(recipient).event_emails:
        return False  # the person reads these in the app only
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        text = notification.text
        body = render_to_string(
            "notifications/email/notification.txt",
            {
                "text": text,
                "recipient": recipient,
                "url": absolute_url(notification.link),
                "list_url": absolute_url(reverse("notification_list")),
                "preferences_url": absolute_url(reverse("notification_preferences")),
            },
        )
    try:
        send_mail(
            subject=f"[ZI Tracker] {text.title}",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient.email],
        )
    except Exception:
        logger.warning("could not e-mail notification %s", notification_id, exc_info=True)
        Notification.objects.filter(pk=notification_id, emailed_at=now).update(emailed_at=None)
        return False
    return True


def _email_each(pending: list[int], what: str) -> int:
    failed = 0
    for pk in pending:
        if not notification_email(notification_id=pk):
            failed += Notification.objects.filter(pk=pk, emailed_at__isnull=True).exists()
    if failed:
        raise EmailNotSent(f"{failed} e-mail(s) {what} not sent")
    return len(pending)


def notifications_email_pending(*, day: datetime.date) -> int:
    """Send the e-mails of `day` whose sending failed before; raises EmailNotSent if some
    still fail (the task retries later)."""
    pending = list(
        Notification.objects.filter(
            day=day, emailed_at__isnull=True, recipient__is_active=True
        ).values_list("pk", flat=True)
    )
    return _email_each(pending, f"of {day}")


# Event e-mails older than this are not sent any more (the news is stale; the app has it).
EVENT_EMAIL_WITHIN = datetime.timedelta(days=2)
# Younger ones are left to the task queued with them.
EVENT_EMAIL_GRACE = datetime.timedelta(minutes=2)


def event_emails_pending(*, now: datetime.datetime | None = None) -> int:
    """Send the event e-mails whose task was lost (broker away) or failed (mail server away);
    raises EmailNotSent if some still fail."""
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            event__isnull=False,
            emailed_at__isnull=True,
            recipient__is_active=True,
            created_at__gte=now - EVENT_EMAIL_WITHIN,
            created_at__lt=now - EVENT_EMAIL_GRACE,
        ).values_list("pk", flat=True)
    )
    return _email_each(pending, "of events")


def notification_mark_read(*, user: User, notification: Notification | None = None) -> int:
    """Mark one of the person's notifications read (or all of them when none is given).

    Not audited: whether a person has read their own reminder changes nothing of the
    programme's record.
    """
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification is not None:
        unread = unread.filter(pk=notification.pk)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_update(
    *,
    actor: User,
    digest: bool,
    reminders: bool,
    event_emails: bool = True,
    language: str | None = None,
) -> NotificationPreference:
    """Save what the person wants to receive and, when given, the language they read
    (audited: it decides who hears of late work, and how)."""
    if language is not None:
        person_language_set(actor=actor, language=language)
    preference = NotificationPreference.objects.select_for_update().filter(user=actor).first()
    if preference is None:
        preference = NotificationPreference(user=actor)
    # Recorded as a change from the defaults when it was never saved.
    audited_update(
        preference,
        PREFERENCE_FIELDS,
        actor=actor,
        changes={"digest": digest, "reminders": reminders, "event_emails": event_emails},
    )
    return preference


# --------------------------------------------------------------------------- the runs


def _programme(programme_id: int) -> Programme | None:
    programme = Programme.objects.select_related("unit").filter(pk=programme_id).first()
    if programme is None:  # deleted since the run listed it
        logger.info("programme %s no longer exists; nothing to remind of", programme_id)
    return programme


def _plan_item_link(item: ActionPlanItem, programme: Programme) -> str:
    return reverse(
        "plan_item_detail",
        kwargs={**programme.url_kwargs(), "number": item.pokja.number, "item_id": item.pk},
    )


def plan_item_message(
    item: ActionPlanItem, programme: Programme, kind: str, today: datetime.date
) -> Message:
    """The reminder of `kind` about `item` on `today`."""
    return Message(
        kind=kind,
        item_type=Notification.ItemType.PLAN_ITEM,
        item_id=item.pk,
        params={
            "code": item.code,
            "title": item.title,
            "pokja": item.pokja.number,
            "due": item.due_date.isoformat(),
            "days": item.days_late_on(today),
            "status": item.status,
            "owners": [o.display_name for o in item.owners.all()],
        },
        link=_plan_item_link(item, programme),
    )


def _recipients(item: ActionPlanItem, audience: str, people: selectors.People) -> list[User]:
    owners = [o for o in item.owners.all() if o.is_active]
    if audience == rules.OWNERS:
        return owners
    if audience == rules.KETUA:
        chair = people.ketua.get(item.pokja_id)
        candidates = [chair] if chair else []
    else:
        candidates = people.coordinators
    # Owners have their own reminder already; escalation tells the others.
    return [u for u in candidates if u not in owners]


def reminders_action_plans(*, programme_id: int, day: datetime.date, email: bool = True) -> int:
    """Today's reminders about the programme's action plans; how many were newly created.

    Safe to run twice: the database keeps one notification per person, item, kind and day.
    """
    programme = _programme(programme_id)
    if programme is None:
        return 0
    people = selectors.programme_people(programme)
    created = 0
    for item in selectors.plan_items_to_remind(programme, day):
        for kind, audience in rules.plan_item_reminders(item.due_date, day):
            recipients = _recipients(item, audience, people)
            if not recipients:
                continue
            message = plan_item_message(item, programme, kind, day)
            for recipient in recipients:
                created += bool(
                    notification_create(
                        recipient=recipient,
                        programme_id=programme.pk,
                        day=day,
                        message=message,
                        email=email,
                    )
                )
    return created


def reminders_evidence(*, programme_id: int, day: datetime.date, email: bool = True) -> int:
    """The weekly reminder to each Pokja chair: LKE questions answered without evidence."""
    programme = _programme(programme_id)
    if programme is None:
        return 0
    missing = selectors.answers_without_evidence(programme)
    if not missing:
        return 0
    people = selectors.programme_people(programme)
    created = 0
    for pokja in Pokja.objects.filter(pk__in=list(missing)).order_by("number"):
        chair = people.ketua.get(pokja.pk)
        if chair is None:
            continue
        message = Message(
            kind=Notification.Kind.EVIDENCE,
            item_type=Notification.ItemType.POKJA,
            item_id=pokja.pk,
            params={"count": missing[pokja.pk], "number": pokja.number, "name": pokja.name},
            link=reverse(
                "lke_section", kwargs={**programme.url_kwargs(), "section": pokja.area_code}
            ),
        )
        created += bool(
            notification_create(
                recipient=chair,
                programme_id=programme.pk,
                day=day,
                message=message,
                email=email,
            )
        )
    return created


def digest_message(programme: Programme, digest: rules.Digest, day: datetime.date) -> Message:
    return Message(
        kind=Notification.Kind.DIGEST,
        item_type=Notification.ItemType.PROGRAMME,
        item_id=programme.pk,
        params=texts.digest_params(digest, target=programme.target, day=day),
        link=reverse("programme_detail", kwargs=programme.url_kwargs()),
    )


def digest_send(*, programme_id: int, day: datetime.date, email: bool = True) -> int:
    """The weekly digest of the programme to its coordinators; how many were newly created."""
    programme = _programme(programme_id)
    if programme is None:
        return 0
    people = selectors.programme_people(programme)
    if not people.coordinators:
        return 0
    digest = rules.digest_of(selectors.digest_facts(programme, day))
    message = digest_message(programme, digest, day)
    return sum(
        bool(
            notification_create(
                recipient=coordinator,
                programme_id=programme.pk,
                day=day,
                message=message,
                email=email,
            )
        )
        for coordinator in people.coordinators
    )
