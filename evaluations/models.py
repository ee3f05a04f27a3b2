"""LKE frameworks: versioned data loaded from evaluations/frameworks/.

A framework row keeps the data file exactly as loaded (``definition``); the scoring engine
reads that. The area, sub-area and question rows are the same data, normalised so that
answers and action plans can point at them.
"""

from __future__ import annotations

from django.conf import settings
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
        verbose_name = _("LKE area")
        verbose_name_plural = _("LKE areas")
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
        verbose_name = _("LKE sub-area")
        verbose_name_plural = _("LKE sub-areas")
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
        verbose_name = _("LKE question")
        verbose_name_plural = _("LKE questions")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="framework_question_unique"
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"


# --------------------------------------------------------------------------- assessments


class Status(models.TextChoices):
    """Where a worksheet section (and, as the lowest of its sections, the assessment) stands."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    REVIEWED = "reviewed", _("Reviewed by TPI")
    FINAL = "final", _("Final")


STATUS_ORDER = (Status.DRAFT, Status.SUBMITTED, Status.REVIEWED, Status.FINAL)


class Assessment(models.Model):
    """A programme's LKE worksheet, scored with the framework version it was created with.

    The worksheet pages score the answers whenever they are shown; ``ProgrammeScore`` keeps
    the last computed breakdown for the pages that read many programmes at once.
    """

    Status = Status

    programme = models.OneToOneField(
        "pokja.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="lke_assessment",
    )
    framework = models.ForeignKey(
        Framework,
        verbose_name=_("LKE framework"),
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    # The lowest status of the sections (kept in step by evaluations.services).
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("LKE assessment")
        verbose_name_plural = _("LKE assessments")

    def __str__(self):
        return f"LKE {self.programme}"

    @property
    def is_final(self) -> bool:
        return self.status == Status.FINAL


class AssessmentSection(models.Model):
    """One area of the worksheet (answered by its Pokja), or the HASIL section (the
    coordinator's), moving draft -> submitted -> reviewed -> final on its own."""

    Status = Status

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sections")
    # The area code (MP, TL, ...) or, for questions outside every area, their component's code.
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    pokja_number = models.PositiveSmallIntegerField(_("Pokja"), null=True, blank=True)
    order = models.PositiveSmallIntegerField()
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    finalized_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    finalized_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="one_section_per_code")
        ]
        verbose_name = _("worksheet section")
        verbose_name_plural = _("worksheet sections")

    def __str__(self):
        return self.name

    @property
    def unit_locked(self) -> bool:
        """The unit's answers, notes and evidence are frozen once the section is submitted."""
        return self.status != Status.DRAFT

    @property
    def tpi_locked(self) -> bool:
        """The TPI's answers and notes are frozen once the TPI has marked it reviewed."""
        return self.status in (Status.REVIEWED, Status.FINAL)


class Answer(models.Model):
    """One question of one assessment: the unit's answer and the TPI's, each with who/when.

    Values are stored as the normalised text of the answer (an option key, a whole number, a
    decimal index) and read back through the framework (evaluations.selectors.answers).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(FrameworkQuestion, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("number"))
    section_code = models.CharField(max_length=30)
    order = models.PositiveIntegerField()
    unit_value = models.CharField(_("unit answer"), max_length=40, blank=True)
    unit_note = models.TextField(_("unit note"), blank=True)
    unit_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit_at = models.DateTimeField(null=True, blank=True)
    tpi_value = models.CharField(_("TPI answer"), max_length=40, blank=True)
    tpi_note = models.TextField(_("TPI note"), blank=True)
    tpi_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tpi_at = models.DateTimeField(null=True, blank=True)
    evidence = models.ManyToManyField(
        "pokja.Evidence",
        verbose_name=_("evidence"),
        through="AnswerEvidence",
        related_name="lke_answers",
        blank=True,
    )

    class Meta:
        ordering = ["assessment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="one_answer_per_question")
        ]
        indexes = [models.Index(fields=["assessment", "section_code"])]
        verbose_name = _("LKE answer")
        verbose_name_plural = _("LKE answers")

    def __str__(self):
        return f"{self.assessment} q{self.number}"


class AnswerEvidence(models.Model):
    """A piece of the programme's evidence supporting one answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="evidence_links")
    evidence = models.ForeignKey(
        "pokja.Evidence", on_delete=models.CASCADE, related_name="lke_answer_links"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence of an answer")
        verbose_name_plural = _("evidence of answers")
        ordering = ["added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "evidence"], name="evidence_once_per_answer")
        ]

    def __str__(self):
        return f"{self.answer}: {self.evidence}"


# --------------------------------------------------------------------------- stored scores


class ProgrammeScore(models.Model):
    """The programme's last computed breakdown, for pages that read many programmes at once.

    The worksheet pages score live; this row is what dashboards and overviews read without
    scoring. A background task keeps it current: every change to what the score depends on
    bumps ``generation`` in the changing transaction; a run reads the generation, scores, and
    stores its figures with that generation, never over a newer one. The row is stale while
    ``generation > computed_generation`` (a run is due, or was lost with the broker: the
    periodic repair and the nightly run catch up).
    """

    programme = models.OneToOneField(
        "pokja.Programme",
        verbose_name=_("programme"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="stored_score",
    )
    generation = models.PositiveBigIntegerField(default=1)
    computed_generation = models.PositiveBigIntegerField(default=0)
    # The first change not computed yet (None when current).
    changed_at = models.DateTimeField(null=True, blank=True)
    # When a run was last sent to the workers; cleared when it starts (coalesces bursts).
    queued_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    framework = models.ForeignKey(
        Framework, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The answers in force (TPI where given, else the unit's), as shown: half up, two decimals.
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2, null=True, blank=True)
    unit_total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    tpi_total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    answered = models.PositiveIntegerField(default=0)
    questions = models.PositiveIntegerField(default=0)
    with_evidence = models.PositiveIntegerField(default=0)
    meets = models.JSONField(default=dict)  # predicate code -> bool, e.g. {"WBK": false}
    figures = models.JSONField(default=dict)  # evaluations.breakdown_data.breakdown_figures
    breakdown = models.JSONField(default=dict)  # evaluations.breakdown_data.breakdown_to_data
    surveys = models.JSONField(default=dict)  # the survey figures in force (see services)

    class Meta:
        verbose_name = _("stored score")
        verbose_name_plural = _("stored scores")

    def __str__(self):
        return f"{self.programme_id}: {self.total}"

    @property
    def is_stale(self) -> bool:
        return self.generation > self.computed_generation


class ScoreSnapshot(models.Model):
    """A programme's score as it stood on one day (Asia/Jakarta), kept for the trend.

    Taken by the nightly run from the freshly computed score; one per programme and day,
    taking it again the same day replaces it.
    """

    programme = models.ForeignKey(
        "pokja.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="score_snapshots",
    )
    date = models.DateField(_("date"))
    taken_at = models.DateTimeField(_("taken at"))
    total = models.DecimalField(_("total"), max_digits=7, decimal_places=2)
    unit_total = models.DecimalField(max_digits=7, decimal_places=2)
    tpi_total = models.DecimalField(max_digits=7, decimal_places=2)
    answered = models.PositiveIntegerField(default=0)
    questions = models.PositiveIntegerField(default=0)
    with_evidence = models.PositiveIntegerField(default=0)
    meets = models.JSONField(default=dict)
    figures = models.JSONField(default=dict)
    surveys = models.JSONField(default=dict)

    class Meta:
        ordering = ["programme", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "date"], name="one_score_snapshot_per_programme_day"
            )
        ]
        verbose_name = _("score snapshot")
        verbose_name_plural = _("score snapshots")

    def __str__(self):
        return f"{self.programme_id} {self.date}: {self.total}"
