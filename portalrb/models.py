"""The agency's proposal to the national portal (PortalRB) and the portal's access to it.

An agency is a parent unit (a Polda) whose agency administrators (``UnitRole.Kind.AGENCY``)
propose units below it for WBK, WBK under affirmation or WBBM. Confirming a proposal freezes
what the portal fetches (``ProposedUnit.snapshot``) until the agency confirms again.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dashboards.prerequisites import AUDIT_OPINIONS, SAKIP_GRADES


def token_digest(raw: str) -> str:
    """How a token is stored and looked up: its SHA-256 (the token itself is never kept)."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class Category(models.TextChoices):
    """The proposal categories of the portal's contract (its literal values)."""

    WBK = "WBK", "WBK"
    WBK_AFIRMASI = "WBK-AFIRMASI", _("WBK under affirmation (WBK-AFIRMASI)")
    WBBM = "WBBM", "WBBM"


# The predicate each category is checked against.
CATEGORY_PREDICATE = {Category.WBK: "WBK", Category.WBK_AFIRMASI: "WBK", Category.WBBM: "WBBM"}


class Proposal(models.Model):
    """One agency's proposal for one evaluation year, with the agency-wide prerequisites."""

    agency = models.ForeignKey(
        "pokja.Unit",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="portalrb_proposals",
    )
    year = models.PositiveSmallIntegerField(_("evaluation year"))
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
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="one_proposal_per_agency_year")
        ]
        verbose_name = _("proposal to the national portal")
        verbose_name_plural = _("proposals to the national portal")

    def __str__(self):
        return f"{self.agency.code} {self.year}"


class ProposedUnit(models.Model):
    """One programme in an agency's proposal: what is being prepared (``category``) and what
    the portal is served (the ``confirmed_*`` fields and ``snapshot``, set on confirmation)."""

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="units"
    )
    programme = models.ForeignKey(
        "pokja.Programme",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="portalrb_proposals",
    )
    # Blank: withdrawn from the proposal (served as confirmed until the next confirmation).
    category = models.CharField(_("category"), max_length=12, blank=True, choices=Category.choices)
    # Why a unit whose checks fail is proposed all the same (required to confirm it).
    exception_note = models.TextField(_("reason to propose despite failed checks"), blank=True)
    confirmed_category = models.CharField(max_length=12, blank=True, choices=Category.choices)
    confirmed_name = models.CharField(max_length=200, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The checks as they stood on confirmation: code -> true/false/null.
    confirmed_checks = models.JSONField(default=dict)
    # The answers served: [{"soal_id", "jawaban_unit", "jawaban_tpi", "catatan_unit",
    # "catatan_tpi", "evidence": [evidence ids]}], one per question of the framework.
    snapshot = models.JSONField(default=list)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["proposal", "programme__unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "programme"], name="programme_once_per_proposal"
            )
        ]
        indexes = [models.Index(fields=["proposal", "confirmed_category"])]
        verbose_name = _("proposed unit")
        verbose_name_plural = _("proposed units")

    def __str__(self):
        return f"{self.programme} {self.category or '-'}"

    @property
    def is_served(self) -> bool:
        return bool(self.confirmed_category)

    @property
    def changed_since_confirmation(self) -> bool:
        return self.category != self.confirmed_category


class ApiToken(models.Model):
    """A Bearer token the national portal uses to read one agency's proposal."""

    agency = models.ForeignKey(
        "pokja.Unit",
        verbose_name=_("agency"),
        on_delete=models.CASCADE,
        related_name="portalrb_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)  # sha256 of the token
    prefix = models.CharField(_("begins with"), max_length=12)  # to tell tokens apart
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("portal token")
        verbose_name_plural = _("portal tokens")

    def __str__(self):
        return f"{self.agency.code}: {self.name}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class FetchLog(models.Model):
    """One request of the portal's API: when, what, for which unit, and the answer's status.

    The token is referred to, never recorded."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    agency = models.ForeignKey(
        "pokja.Unit",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="portalrb_fetches",
    )
    token = models.ForeignKey(
        ApiToken,
        verbose_name=_("token"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="fetches",
    )
    endpoint = models.CharField(_("endpoint"), max_length=40)
    unit_id = models.CharField(_("unit"), max_length=80, blank=True)
    status = models.PositiveSmallIntegerField(_("status"))

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["agency", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__gte=100, status__lte=599), name="fetch_status_is_http"
            )
        ]
        verbose_name = _("portal fetch")
        verbose_name_plural = _("portal fetches")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.endpoint} {self.unit_id} {self.status}"
