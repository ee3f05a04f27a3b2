"""Writes of the notifications app: reminders created (at most once) and e-mailed, read marks,
preferences; and the reminder runs the periodic tasks call.

Reminder texts are in Indonesian, the language of the units, whatever the page language of
whoever triggers a run. Each notification is e-mailed only by the run that created it (or by a
later run, if sending failed): the e-mail is claimed in the database before it is sent.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import audit_change, audit_snapshot
from notifications import rules, selectors
from notifications.models import Notification, NotificationPreference
from pokja.models import ActionPlanItem, Pokja, Programme, User
from zi_tracker import http as links

logger = logging.getLogger(__name__)

EMAIL_LANGUAGE = "id"
PREFERENCE_FIELDS = ("digest", "reminders")


class EmailNotSent(Exception):
    """Some e-mails could not be sent (the mail server away); a later run sends them."""


@dataclass(frozen=True)
class Message:
    kind: str
    item_type: str
    item_id: int
    title: str
    body: str
    link: str  # a path on this site


def absolute_url(path: str) -> str:
    # E-mails: ZI_SITE_URL (never the address of whatever request caused them).
    return links.absolute_url(path)


def notification_create(
    *,
    recipient: User,
    programme_id: int,
    day: datetime.date,
    message: Message,
    email: bool = True,
) -> Notification | None:
    """Store the notification unless the person has it already (same item, kind and day) or
    turned its kind off; None then. Only a newly stored notification is e-mailed (``email``
    False: in the app only, e.g. the demo data)."""
    if recipient.pk in selectors.opted_out([recipient.pk], message.kind):
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                programme_id=programme_id,
                kind=message.kind,
                item_type=message.item_type,
                item_id=message.item_id,
                day=day,
                title=message.title[:200],
                body=message.body,
                link=message.link,
                emailed_at=None if email else timezone.now(),
            )
    except IntegrityError:  # sent already: this run is a repeat
        return None
    if email:
        transaction.on_commit(lambda: notification_email(notification_id=notification.pk))
    return notification


def notification_email(*, notification_id: int) -> bool:
    """E-mail one notification unless it was e-mailed already; False if it was not sent."""
    now = timezone.now()
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=now
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    recipient = notification.recipient
    if not recipient.email or not recipient.is_active:
        return False  # in the app only; the claim stays so no run tries again
    with translation.override(EMAIL_LANGUAGE):
        text = render_to_string(
            "notifications/email/notification.txt",
            {
                "notification": notification,
                "recipient": recipient,
                "url": absolute_url(notification.link),
                "list_url": absolute_url(reverse("notification_list")),
                "preferences_url": absolute_url(reverse("notification_preferences")),
            },
        )
    try:
        send_mail(
            subject=f"[ZI Tracker] {notification.title}",
            message=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[recipient.email],
        )
    except Exception:
        logger.warning("could not e-mail notification %s", notification_id, exc_info=True)
        Notification.objects.filter(pk=notification_id, emailed_at=now).update(emailed_at=None)
        return False
    return True


def notifications_email_pending(*, day: datetime.date) -> int:
    """Send the e-mails of `day` whose sending failed before; raises EmailNotSent if some
    still fail (the task retries later)."""
    pending = list(
        Notification.objects.filter(
            day=day, emailed_at__isnull=True, recipient__is_active=True
        ).values_list("pk", flat=True)
    )
    failed = 0
    for pk in pending:
        if not notification_email(notification_id=pk):
            failed += Notification.objects.filter(pk=pk, emailed_at__isnull=True).exists()
    if failed:
        raise EmailNotSent(f"{failed} e-mail(s) of {day} not sent")
    return len(pending)


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
    *, actor: User, digest: bool, reminders: bool
) -> NotificationPreference:
    """Save what the person wants to receive (audited: it decides who hears of late work)."""
    preference = NotificationPreference.objects.select_for_update().filter(user=actor).first()
    if preference is None:
        preference = NotificationPreference(user=actor)
    before = audit_snapshot(preference, PREFERENCE_FIELDS)  # the defaults when never saved
    preference.digest, preference.reminders = digest, reminders
    preference.save()
    audit_change(
        actor=actor,
        obj=preference,
        before=before,
        after=audit_snapshot(preference, PREFERENCE_FIELDS),
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
    """The reminder of `kind` about `item` on `today` (in the active language)."""
    late = item.days_late_on(today)
    due = date_format(item.due_date, "j F Y")
    values = {"code": item.code, "days": late, "due": due, "pokja": item.pokja.number}
    if kind == rules.DUE_IN_7:
        title = _("Action plan %(code)s is due in 7 days") % values
    elif kind == rules.DUE_IN_1:
        title = _("Action plan %(code)s is due tomorrow") % values
    elif kind == rules.OVERDUE:
        title = _("Action plan %(code)s is overdue (%(days)s days)") % values
    else:
        title = _("Pokja %(pokja)s: action plan %(code)s is overdue (%(days)s days)") % values
    owners = ", ".join(o.display_name for o in item.owners.all()) or "-"
    body = "\n".join(
        [
            f"{item.code} {item.title}",
            _("Programme: %(programme)s") % {"programme": programme},
            _("Due date: %(due)s") % values,
            _("Status: %(status)s") % {"status": item.get_status_display()},
            _("Owners: %(owners)s") % {"owners": owners},
        ]
    )
    return Message(
        kind=kind,
        item_type=Notification.ItemType.PLAN_ITEM,
        item_id=item.pk,
        title=title,
        body=body,
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
    with translation.override(EMAIL_LANGUAGE):
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
    with translation.override(EMAIL_LANGUAGE):
        for pokja in Pokja.objects.filter(pk__in=list(missing)).order_by("number"):
            chair = people.ketua.get(pokja.pk)
            if chair is None:
                continue
            values = {"count": missing[pokja.pk], "number": pokja.number, "name": pokja.name}
            message = Message(
                kind=Notification.Kind.EVIDENCE,
                item_type=Notification.ItemType.POKJA,
                item_id=pokja.pk,
                title=_("Pokja %(number)s: %(count)s LKE answers without evidence") % values,
                body=_(
                    "%(count)s questions of the LKE worksheet of Pokja %(number)s %(name)s are "
                    "answered but have no evidence attached. Attach the supporting documents "
                    "before the assessment."
                )
                % values,
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
    body = render_to_string(
        "notifications/digest_body.txt", {"programme": programme, "digest": digest, "day": day}
    ).strip()
    return Message(
        kind=Notification.Kind.DIGEST,
        item_type=Notification.ItemType.PROGRAMME,
        item_id=programme.pk,
        title=_("Weekly digest: %(programme)s") % {"programme": programme},
        body=body,
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
    with translation.override(EMAIL_LANGUAGE):
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
