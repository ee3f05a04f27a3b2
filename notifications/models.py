"""Reminders and digests for people: what was sent to whom, read or not, and what they want."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One reminder (or digest) for one person about one item, shown in the app and e-mailed.

    At most one per recipient, item, kind and day (the day in Asia/Jakarta the reminder is
    for): the database refuses a second, so a task run twice or late sends nothing twice.
    """

    class Kind(models.TextChoices):
        DUE_IN_7 = "due_7", _("Action plan due in 7 days")
        DUE_IN_1 = "due_1", _("Action plan due tomorrow")
        OVERDUE = "overdue", _("Action plan overdue")
        ESCALATION = "escalation", _("Overdue action plan in your care")
        EVIDENCE = "evidence", _("LKE answers without evidence")
        DIGEST = "digest", _("Weekly digest")

    # Reminders people may turn off; overdue items and escalations always reach them.
    NON_URGENT = (Kind.DUE_IN_7, Kind.DUE_IN_1, Kind.EVIDENCE)

    class ItemType(models.TextChoices):
        PLAN_ITEM = "plan_item", _("action plan item")
        POKJA = "pokja", _("Pokja")
        PROGRAMME = "programme", _("programme")

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
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
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
                name="one_notification_per_recipient_item_kind_day",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.recipient}: {self.title}"

    @property
    def is_urgent(self) -> bool:
        return self.kind not in self.NON_URGENT


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

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}"
