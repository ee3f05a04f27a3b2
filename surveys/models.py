"""External surveys: instruments (versioned data), surveys run by a programme, responses.

Anonymity is structural: a response holds the answers, the respondent profile, the service
received, the day it arrived and the client's submission id, and nothing that points to a
person, a single-use code or a browser. Codes and browser claims are stored only as keyed
hashes, and their rows do not say when they were used.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from surveys.indices import target_sample
from surveys.instrument_spec import InstrumentSpec, Text, parse_instrument

_SPECS: dict[str, InstrumentSpec] = {}


def localized(text: Text | None, language: str | None = None) -> str:
    """The English or Indonesian wording of an instrument text, for the active language."""
    if text is None:
        return ""
    language = language or get_language() or settings.LANGUAGE_CODE
    return text.en if language.startswith("en") else text.id


class Instrument(models.Model):
    """One version of a survey instrument, exactly as loaded from its data file."""

    slug = models.SlugField(_("code"), max_length=50)
    version = models.PositiveIntegerField(_("version"))
    kind = models.CharField(_("kind"), max_length=12)
    title = models.CharField(_("title"), max_length=200)
    lke_question = models.PositiveSmallIntegerField(_("LKE question"), null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    definition = models.JSONField(_("definition"))
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="instrument_version_unique"),
            models.UniqueConstraint(
                fields=["slug", "content_hash"], name="instrument_content_unique"
            ),
        ]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @property
    def spec(self) -> InstrumentSpec:
        """The parsed instrument, shared by every row with the same content in this process."""
        spec = _SPECS.get(self.content_hash)
        if spec is None:
            spec = _SPECS[self.content_hash] = parse_instrument(self.definition)
        return spec


def new_public_token() -> str:
    # 12 URL-safe characters (72 bits): short enough for a link typed from a poster.
    return secrets.token_urlsafe(9)


class Survey(models.Model):
    """An instrument run for one programme over a period, for the services it covers."""

    class Mode(models.TextChoices):
        CODES = "codes", _("Single-use codes handed out at the service counter")
        OPEN = "open", _("Open link, one response per browser")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not published)")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed early")

    class Phase(models.TextChoices):
        """Where the survey stands today, derived from its status and dates."""

        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Not open yet")
        OPEN = "open", _("Open")
        ENDED = "ended", _("Ended")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(
        "pokja.Programme",
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.PROTECT, related_name="surveys"
    )
    title = models.CharField(_("title"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    # [{"code": "sim", "name": "SIM (driving licence)"}, ...]: kept on the survey so that
    # a submission needs one query to validate against them.
    services = models.JSONField(_("service types"), default=list, blank=True)
    population = models.PositiveIntegerField(
        _("service users in the period"),
        help_text=_("How many people are expected to receive a service in the period."),
    )
    target_sample = models.PositiveIntegerField(_("target respondents"))
    mode = models.CharField(_("how respondents answer once"), max_length=8, choices=Mode.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    public_token = models.CharField(max_length=32, unique=True, default=new_public_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # A summary stored by surveys.services.survey_results_refresh for pages that list many
    # surveys; pages about one survey compute live.
    results = models.JSONField(default=dict, blank=True)
    results_computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="survey_ends_after_it_starts"
            )
        ]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self):
        return self.title

    @property
    def spec(self) -> InstrumentSpec:
        """The instrument's spec; without loading the instrument row when a query brought
        its content hash along (``instrument_hash``) and this process parsed it before."""
        digest = getattr(self, "instrument_hash", None)
        if digest is not None and digest in _SPECS:
            return _SPECS[digest]
        return self.instrument.spec

    def phase(self, today: datetime.date | None = None) -> str:
        """Closed automatically after the last day: derived here, no job needed."""
        today = today or timezone.localdate()
        if self.status == self.Status.DRAFT:
            return self.Phase.DRAFT
        if self.status == self.Status.CLOSED:
            return self.Phase.CLOSED
        if today < self.start_date:
            return self.Phase.SCHEDULED
        if today > self.end_date:
            return self.Phase.ENDED
        return self.Phase.OPEN

    @property
    def current_phase(self) -> str:
        return self.phase()

    def get_current_phase_display(self) -> str:
        return str(self.Phase(self.phase()).label)

    @property
    def is_accepting(self) -> bool:
        return self.phase() == self.Phase.OPEN

    @property
    def uses_codes(self) -> bool:
        return self.mode == self.Mode.CODES

    def service_codes(self) -> list[str]:
        return [service["code"] for service in self.services]

    def service_name(self, code: str | None) -> str:
        for service in self.services:
            if service["code"] == code:
                return service["name"]
        return code or ""

    def compute_target_sample(self) -> int:
        return target_sample(self.population, minimum=self.spec.minimum_respondents)


class SurveyResponse(models.Model):
    """One respondent's answers. Nothing here identifies the respondent or their code."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper (imported)")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # Chosen by the client for each filled-in form; the same id sent again is the same
    # submission (double tap, flaky network, back and submit again).
    submission_id = models.UUIDField()
    # {"U1": 4, "U2": 3, ...}: whole numbers on the instrument's scale; an item left
    # unanswered is left out.
    answers = models.JSONField()
    # {"age_band": "30_39", "sex": "P", ...}: option codes of the instrument's profile.
    profile = models.JSONField(default=dict, blank=True)
    service = models.CharField(max_length=40, blank=True)
    # Mean of the given answers, kept so the confidence interval is computed in the database.
    respondent_mean = models.DecimalField(max_digits=8, decimal_places=6)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # The day only: a time of day could be matched with the moment a code was handed out.
    submitted_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "submission_id"], name="one_response_per_submission"
            )
        ]
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")

    def __str__(self):
        return f"{self.survey_id}/{self.submission_id}"


class CodeBatch(models.Model):
    """Single-use codes generated together (one printed sheet)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="code_batches")
    size = models.PositiveIntegerField(_("number of codes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("code batch")
        verbose_name_plural = _("code batches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.survey} #{self.pk} ({self.size})"


class SurveyCode(models.Model):
    """A single-use code, stored only as a keyed hash. Used once, then never again."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="codes")
    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("single-use code")
        verbose_name_plural = _("single-use codes")
        constraints = [
            models.UniqueConstraint(fields=["survey", "code_hash"], name="survey_code_unique")
        ]

    def __str__(self):
        return f"{self.survey_id}/{self.code_hash[:8]}"


class BrowserClaim(models.Model):
    """An open-mode survey answered from one browser (a keyed hash of its token)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="browser_claims")
    token_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("browser that answered")
        verbose_name_plural = _("browsers that answered")
        constraints = [
            models.UniqueConstraint(fields=["survey", "token_hash"], name="one_claim_per_browser")
        ]

    def __str__(self):
        return f"{self.survey_id}/{self.token_hash[:8]}"


class OfficialFigure(models.Model):
    """The official survey index (TPN via BPS or a third party) for one LKE question.

    When entered it wins over the programme's own surveys.
    """

    programme = models.ForeignKey(
        "pokja.Programme", on_delete=models.CASCADE, related_name="official_survey_figures"
    )
    question = models.PositiveSmallIntegerField(_("LKE question"))
    index = models.DecimalField(_("index (0-4)"), max_digits=6, decimal_places=4)
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("Who published it and where, e.g. 'TPN/BPS, letter no. ... of ...'."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "question"], name="one_official_figure_per_question"
            )
        ]
        verbose_name = _("official survey figure")
        verbose_name_plural = _("official survey figures")

    def __str__(self):
        return f"q{self.question}: {self.index} ({self.source})"


class ResponseImport(models.Model):
    """A file of paper responses imported into a survey (the same file is imported once)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("responses"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        verbose_name = _("import of paper responses")
        verbose_name_plural = _("imports of paper responses")
        ordering = ["-imported_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "sha256"], name="survey_file_imported_once")
        ]

    def __str__(self):
        return f"{self.file_name} ({self.rows})"
