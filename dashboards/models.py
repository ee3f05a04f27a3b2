from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dashboards.prerequisites import AUDIT_OPINIONS, SAKIP_GRADES
from zi_tracker.forms import NOTE_LENGTH


class ProposalRecord(models.Model):
    """What the coordinator records for the proposal prerequisites that no other page holds:
    the agency's audit opinion and SAKIP grade (the rest is derived from the programme)."""

    programme = models.OneToOneField(
        "pokja.Programme",
        verbose_name=_("programme"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="proposal_record",
    )
    audit_opinion = models.CharField(
        _("agency audit opinion (BPK)"),
        max_length=4,
        blank=True,
        choices=[(code, code) for code in AUDIT_OPINIONS],
    )
    sakip_grade = models.CharField(
        _("agency SAKIP grade"),
        max_length=2,
        blank=True,
        choices=[(code, code) for code in SAKIP_GRADES],
    )
    note = models.TextField(_("note"), blank=True, max_length=NOTE_LENGTH)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("proposal record")
        verbose_name_plural = _("proposal records")

    def __str__(self):
        return f"{self.programme_id}: {self.audit_opinion or '-'} / {self.sakip_grade or '-'}"
