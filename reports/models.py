"""Export jobs: a file a background task builds for one programme, kept for a few days."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def export_folder(job: ExportJob) -> str:
    return f"exports/{job.programme_id}"


def export_prefix(job: ExportJob) -> str:
    """Every file stored for `job` starts with this (a rerun replaces its earlier file)."""
    return f"{job.pk}-"


def export_upload_to(instance: ExportJob, filename: str) -> str:
    # Never the programme's or the user's words in a stored name: the job and a random part.
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    return f"{export_folder(instance)}/{export_prefix(instance)}{uuid.uuid4().hex}.{suffix}"


class ExportJob(models.Model):
    """One requested export: pending -> running -> done (with its file) or failed (with why)."""

    class Kind(models.TextChoices):
        LKE_XLSX = "lke_xlsx", _("LKE workbook (official layout)")
        REPORT_PDF = "report_pdf", _("Evaluation report (PDF)")
        EVIDENCE_ZIP = "evidence_zip", _("Evidence bundle (ZIP)")
        PLANS_XLSX = "plans_xlsx", _("Action plans (XLSX)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    programme = models.ForeignKey(
        "pokja.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The export's language: the requester's when they asked (every text, number and date of
    # the file follows it); the site's default language for jobs made otherwise.
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(_("file"), upload_to=export_upload_to, blank=True, max_length=255)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    # The address the export was asked for on: links in the file back to this site start
    # with it unless ZI_SITE_URL is set (zi_tracker.http.site_url).
    site_url = models.CharField(_("requested on address"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["programme", "-created_at"])]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        """Still waiting or running: the page keeps asking for its progress."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)
