"""What a unit chooses to publish about its programme: the page's switches, and the service
standards and complaint channels the coordinator enters for it.

Everything else the page shows (the unit, the Pokja, change agents, survey results, plan
progress) is read from the other apps at the time it is rendered, never copied here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pokja.models import Evidence, Programme

# The page's blocks, in the page's order: (field, label). Each is off until switched on.
BLOCKS: tuple[tuple[str, str], ...] = (
    ("show_pencanangan", _("Declaration (pencanangan) and signed pakta integritas")),
    ("show_pokja", _("The six Pokja and their areas")),
    ("show_change_agents", _("Change agents (names and positions)")),
    ("show_service_standards", _("Service standards")),
    ("show_complaint_channels", _("Complaint channels")),
    ("show_survey_results", _("Survey results in force")),
    ("show_plan_progress", _("Action-plan progress per Pokja")),
    ("show_running_surveys", _("Link and QR code of the running surveys")),
)
BLOCK_FIELDS = tuple(name for name, _label in BLOCKS)


class PublicPage(models.Model):
    """The unit's public page for one programme: off until the coordinator turns it on."""

    programme = models.OneToOneField(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="public_page",
    )
    published = models.BooleanField(_("page is public"), default=False)
    show_pencanangan = models.BooleanField(BLOCKS[0][1], default=False)
    show_pokja = models.BooleanField(BLOCKS[1][1], default=False)
    show_change_agents = models.BooleanField(BLOCKS[2][1], default=False)
    show_service_standards = models.BooleanField(BLOCKS[3][1], default=False)
    show_complaint_channels = models.BooleanField(BLOCKS[4][1], default=False)
    show_survey_results = models.BooleanField(BLOCKS[5][1], default=False)
    show_plan_progress = models.BooleanField(BLOCKS[6][1], default=False)
    show_running_surveys = models.BooleanField(BLOCKS[7][1], default=False)
    # The one file of the programme the public may download: the unit's choice.
    pakta_document = models.ForeignKey(
        Evidence,
        verbose_name=_("published pakta integritas file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Moves with every change of the page's settings and entries (services touch it).
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self):
        return str(self.programme)

    def shown_blocks(self) -> set[str]:
        return {name for name in BLOCK_FIELDS if getattr(self, name)}


class ServiceStandard(models.Model):
    """One service of the unit and what it promises (standar pelayanan)."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="service_standards",
    )
    service = models.CharField(_("service"), max_length=150)
    requirements = models.TextField(_("requirements"), max_length=2000, blank=True)
    duration = models.CharField(_("time to complete"), max_length=100, blank=True)
    cost = models.CharField(
        _("cost"), max_length=100, blank=True, help_text=_("e.g. free, or the tariff")
    )
    product = models.CharField(_("what the user receives"), max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["service", "pk"]
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")

    def __str__(self):
        return self.service


class ComplaintChannel(models.Model):
    """A way the public can complain or report (pengaduan), as the unit publishes it."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="complaint_channels",
    )
    name = models.CharField(_("channel"), max_length=100, help_text=_("e.g. WhatsApp, SP4N LAPOR!"))
    contact = models.CharField(
        _("number, address or link"),
        max_length=200,
        help_text=_("What the public uses to reach it."),
    )
    hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("complaint channel")
        verbose_name_plural = _("complaint channels")

    def __str__(self):
        return self.name
