"""LKE frameworks: versioned data loaded from evaluations/frameworks/.

A framework row keeps the data file exactly as loaded (``definition``); the scoring engine
reads that. The area, sub-area and question rows are the same data, normalised so that
answers and action plans can point at them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluations.framework_spec import FrameworkSpec, parse_framework

_SPECS: dict[str, FrameworkSpec] = {}


class Framework(models.Model):
    """One version of an evaluation framework, exactly as loaded from its data file."""

    slug = models.SlugField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    label = models.CharField(_("version label"), max_length=50, blank=True)
    content_hash = models.CharField(max_length=64)
    definition = models.JSONField(_("definition"))
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="framework_version_unique"),
            models.UniqueConstraint(
                fields=["slug", "content_hash"], name="framework_content_unique"
            ),
        ]
        verbose_name = _("LKE framework")
        verbose_name_plural = _("LKE frameworks")

    def __str__(self):
        return (
            f"{self.slug} v{self.version} ({self.label})"
            if self.label
            else f"{self.slug} v{self.version}"
        )

    @property
    def spec(self) -> FrameworkSpec:
        """The parsed framework, shared by every row with the same content in this process."""
        spec = _SPECS.get(self.content_hash)
        if spec is None:
            spec = _SPECS[self.content_hash] = parse_framework(self.definition)
        return spec


class FrameworkArea(models.Model):
    """An area of change (MP, TL, SDM, AK, PW, PP), the responsibility of one Pokja."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    pokja_number = models.PositiveSmallIntegerField(_("Pokja"))
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3)

    class Meta:
        ordering = ["framework", "pokja_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="framework_area_code_unique"
            ),
            models.UniqueConstraint(
                fields=["framework", "pokja_number"], name="framework_area_pokja_unique"
            ),
        ]

    def __str__(self):
        return self.name


class FrameworkSubArea(models.Model):
    """A weighted sub-area of an area in one part (PEMENUHAN or REFORM)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="sub_areas")
    area = models.ForeignKey(FrameworkArea, on_delete=models.CASCADE, related_name="sub_areas")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("code"), max_length=30)
    part = models.CharField(_("part"), max_length=30)
    numbering = models.CharField(max_length=10, blank=True)
    name = models.CharField(_("name"), max_length=300)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"], name="framework_subarea_code_unique"
            )
        ]

    def __str__(self):
        return f"{self.numbering} {self.name}".strip()


class FrameworkQuestion(models.Model):
    """One question of the worksheet (its number is the master list id, 1..127 in lke-2021)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="questions")
    sub_area = models.ForeignKey(
        FrameworkSubArea, null=True, blank=True, on_delete=models.CASCADE, related_name="questions"
    )
    area_code = models.CharField(max_length=10, blank=True)
    part = models.CharField(max_length=30)
    hasil_item = models.CharField(max_length=30, blank=True)
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(max_length=10)
    scheme = models.CharField(max_length=20)
    text = models.TextField(_("question"))
    kriteria = models.TextField(_("criteria"), blank=True)
    options = models.JSONField(default=list)
    information_only = models.BooleanField(default=False)
    excel_row = models.PositiveIntegerField()
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="framework_question_unique"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"
