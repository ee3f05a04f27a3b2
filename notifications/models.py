"""Notifications for people: reminders, digests and event notices, what was sent to whom, read
or not, and what they want."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.texts import Text, notification_text


class Notification(models.Model):
    """One reminder, digest or event notice for one person, shown in the app and e-mailed.

    What it says is kept as its kind and ``params`` (the facts: codes, names, dates, figures)
    and written out when it is read (``text``), in the language of whoever reads it: the page
    language in the app, the recipient's language in the e-mail.

    Reminders and digests: at most one per recipient, item, kind and day (the day in
    Asia/Jakarta the reminder is for), so a task run twice or late sends nothing twice.
    Events (an item returned, a TPI note...): one per recipient and event (the audit entry of
    the change), so the same item returned twice on one day is told twice, each event once.
    """

    class Kind(models.TextChoices):
        DUE_IN_7 = "due_7", _("Action plan due in 7 days")
        DUE_IN_1 = "due_1", _("Action plan due tomorrow")
        OVERDUE = "overdue", _("Action plan overdue")
        ESCALATION = "escalation", _("Overdue action plan in your care")
        EVIDENCE = "evidence", _("LKE answers without evidence")
        DIGEST = "digest", _("Weekly digest")
        # events (pokja.hooks.EVENT_KINDS)
        RETURNED = "returned", _("Action plan returned")
        VERIFIED = "verified", _("Action plan verified")
        TPI_COMMENT = "tpi_comment", _("TPI note on an action plan")
        REVIEWED = "reviewed", _("LKE section reviewed by the TPI")
        TO_DRAFT = "to_draft", _("LKE section returned to draft")
        TPI_NOTE = "tpi_note", _("TPI note on an LKE question")

    # Reminders people may turn off; overdue items and escalations always reach them.
    NON_URGENT = (Kind.DUE_IN_7, Kind.DUE_IN_1, Kind.EVIDENCE)
    # Told in the app always; by e-mail unless the person turned event e-mails off.
    EVENTS = (
        Kind.RETURNED,
        Kind.VERIFIED,
        Kind.TPI_COMMENT,
        Kind.REVIEWED,
        Kind.TO_DRAFT,
        Kind.TPI_NOTE,
    )

    class ItemType(models.TextChoices):
        PLAN_ITEM = "plan_item", _("action plan item")
        POKJA = "pokja", _("Pokja")
        PROGRAMME = "programme", _("programme")
        SECTION = "section", _("LKE section")
        QUESTION = "question", _("LKE question")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    programme = models.ForeignKey(
        "pokja.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    item_type = models.CharField(_("about"), max_length=12, choices=ItemType.choices)
    item_id = models.PositiveBigIntegerField(_("item"))
    day = models.DateField(_("day"))
    # The audit entry (id) of the change an event notice tells of; None for reminders.
    event = models.PositiveBigIntegerField(_("event"), null=True, blank=True)
    # The facts the text is written from (JSON-native: ISO dates, decimals as strings).
    params = models.JSONField(_("details"), default=dict, blank=True)
    # The text as stored by earlier versions (always Indonesian), for their notifications.
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(_("link"), max_length=500)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set when the e-mail is claimed for sending; cleared again if sending failed.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "item_type", "item_id", "kind", "day"],
                condition=models.Q(event__isnull=True),
                name="one_notification_per_recipient_item_kind_day",
            ),
            models.UniqueConstraint(
                fields=["recipient", "event"],
                condition=models.Q(event__isnull=False),
                name="one_notification_per_recipient_event",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.recipient}: {self.kind} {self.item_type} {self.item_id}"

    @property
    def is_event(self) -> bool:
        return self.kind in self.EVENTS

    @property
    def text(self) -> Text:
        """Title and body in the active language (written anew on each use)."""
        return notification_text(self)


class NotificationPreference(models.Model):
    """What a person wants to receive beyond the urgent reminders (which always arrive)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    digest = models.BooleanField(
        _("weekly digest"),
        default=True,
        help_text=_("Mondays 07:00 WIB, for coordinators: score, late items, surveys."),
    )
    reminders = models.BooleanField(
        _("reminders that are not urgent"),
        default=True,
        help_text=_(
            "Action plans due in 7 days or tomorrow, LKE answers without evidence. "
            "Overdue items and escalations always arrive."
        ),
    )
    event_emails = models.BooleanField(
        _("e-mails about what needs you"),
        default=True,
        help_text=_(
            "An action plan item returned or verified, a note or review from the TPI, an LKE "
            "section returned to draft. They always appear in the app."
        ),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}"
