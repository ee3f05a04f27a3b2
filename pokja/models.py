"""The organisation: units, yearly ZI programmes, the six Pokja, people, roles, action plans
and the registers the Pokja keep (audit findings, change agents)."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zi_tracker.forms import LONG_TEXT_LENGTH, NOTE_LENGTH

# The Pokja that keeps each register, by LKE area code (stable codes of the framework data).
FINDINGS_AREA_CODE = "PW"  # Penguatan Pengawasan keeps the TLHP register
CHANGE_AGENTS_AREA_CODE = "MP"  # Manajemen Perubahan keeps the change-agent register


class User(AbstractUser):
    """A person who signs in. Roles are held per programme (ProgrammeRole) or unit (UnitRole)."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(
        _("position"), max_length=150, blank=True, help_text=_("e.g. Wakapolres, Kasat Reskrim")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The language the person reads: their notifications and e-mails are written in it. Set
    # when they switch the interface language and on their notification settings page.
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="id"
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)


class Unit(models.Model):
    """A work unit (satuan kerja), e.g. a Polres, possibly under a parent unit (its Polda)."""

    class Kind(models.TextChoices):
        POLDA = "polda", "Polda"
        POLRES = "polres", "Polres"
        POLSEK = "polsek", "Polsek"
        OTHER = "other", _("Other work unit")

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z0-9]+(-[A-Z0-9]+)*$",
                _("Use capital letters, digits and single dashes, e.g. POLRES-LABUHANBATU."),
            )
        ],
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name


class Programme(models.Model):
    """One unit's ZI programme for one evaluation year, scored with one framework version."""

    class Target(models.TextChoices):
        WBK = "WBK", "WBK"
        WBBM = "WBBM", "WBBM"

    class Status(models.TextChoices):
        PREPARATION = "preparation", _("Preparation")
        ACTIVE = "active", _("In progress")
        PROPOSED = "proposed", _("Proposed to KemenPANRB")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="programmes"
    )
    year = models.PositiveSmallIntegerField(
        _("evaluation year"), validators=[MinValueValidator(2014), MaxValueValidator(2100)]
    )
    # A reference upward to the evaluation framework (data), never to its logic.
    framework = models.ForeignKey(
        "evaluations.Framework",
        verbose_name=_("LKE framework"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    target = models.CharField(
        _("target predicate"), max_length=4, choices=Target.choices, default=Target.WBK
    )
    holds_wbk = models.BooleanField(_("unit already holds WBK"), default=False)
    pencanangan_date = models.DateField(
        _("date of the declaration (pencanangan)"), null=True, blank=True
    )
    pakta_document = models.ForeignKey(
        "pokja.Evidence",
        verbose_name=_("signed pakta integritas / piagam"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_programme_per_unit_year")
        ]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return f"{self.unit.name} {self.year}"

    @property
    def key(self) -> str:
        """The public identifier used in URLs and commands: UNIT-CODE/YEAR."""
        return f"{self.unit.code}/{self.year}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def url_kwargs(self) -> dict:
        return {"unit_code": self.unit.code, "year": self.year}


class Pokja(models.Model):
    """A working group of a programme, bound to one LKE area (Pokja 1..6)."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="pokjas"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    area_code = models.CharField(_("LKE area"), max_length=10)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_pokja_per_number"),
            models.UniqueConstraint(fields=["programme", "area_code"], name="one_pokja_per_area"),
        ]
        verbose_name = _("Pokja")
        verbose_name_plural = _("Pokja")

    def __str__(self):
        return f"Pokja {self.number} {self.name}"

    @property
    def keeps_findings(self) -> bool:
        """This Pokja keeps the audit-findings register (TLHP)."""
        return self.area_code == FINDINGS_AREA_CODE

    @property
    def keeps_change_agents(self) -> bool:
        """This Pokja keeps the change-agent register."""
        return self.area_code == CHANGE_AGENTS_AREA_CODE


class ProgrammeRole(models.Model):
    """What a person does in one programme."""

    class Kind(models.TextChoices):
        KOORDINATOR = "koordinator", _("Coordinator")
        KETUA = "ketua", _("Pokja chair")
        ANGGOTA = "anggota", _("Pokja member")
        TPI = "tpi", _("Internal assessor (TPI)")
        PIMPINAN = "pimpinan", _("Head of unit (read only)")

    POKJA_KINDS = (Kind.KETUA, Kind.ANGGOTA)

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="programme_roles"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=12, choices=Kind.choices)
    pokja = models.ForeignKey(
        Pokja,
        verbose_name=_("Pokja"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
    )

    class Meta:
        ordering = ["programme", "kind", "pokja__number"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind__in=["ketua", "anggota"]) & Q(pokja__isnull=False))
                | (~Q(kind__in=["ketua", "anggota"]) & Q(pokja__isnull=True)),
                name="pokja_given_exactly_for_pokja_roles",
            ),
            models.UniqueConstraint(
                fields=["user", "programme", "kind", "pokja"],
                name="one_role_per_pokja",
                condition=Q(pokja__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["user", "programme", "kind"],
                name="one_programme_wide_role",
                condition=Q(pokja__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["pokja"], name="one_chair_per_pokja", condition=Q(kind="ketua")
            ),
        ]
        verbose_name = _("programme role")
        verbose_name_plural = _("programme roles")

    def __str__(self):
        where = f" {self.pokja}" if self.pokja_id else ""
        return f"{self.user}: {self.get_kind_display()}{where}"


class UnitRole(models.Model):
    """Roles over a whole unit rather than one programme year."""

    class Kind(models.TextChoices):
        ADMIN = "admin", _("Unit administrator")
        OVERSIGHT = "oversight", _("Oversight of this unit and the units below it (read only)")
        # On a parent unit (a Polda's Biro/Itwasda): proposes the units below it to the
        # national portal (portalrb), keeps the portal's tokens and reads its fetch log.
        AGENCY = "agency", _("Agency ZI administrator")

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="unit_roles"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("role"), max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "kind"], name="one_unit_role_of_a_kind")
        ]
        verbose_name = _("unit role")
        verbose_name_plural = _("unit roles")

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()} {self.unit}"


class RoleInvitation(models.Model):
    """A programme role offered to an account outside the unit: given only once its owner
    accepts.

    The inviting administrator types a username; whether an account has it is never shown to
    them (`invitee` stays empty when none has, and the invitation reads the same). The
    person's name and details reach the unit only when they accept, and so hold a role in it.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        # Seen only by the invitee: to the inviter a declined invitation stays open until it
        # expires, as one sent to a name no account has.
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    DAYS_OPEN = 14

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    kind = models.CharField(_("role"), max_length=12, choices=ProgrammeRole.Kind.choices)
    pokja = models.ForeignKey(
        Pokja,
        verbose_name=_("Pokja"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    username = models.CharField(_("username"), max_length=150)
    invitee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="role_invitations"
    )
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("open until"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["invitee", "status"])]
        verbose_name = _("role invitation")
        verbose_name_plural = _("role invitations")

    def __str__(self):
        where = f" {self.pokja}" if self.pokja_id else ""
        return f"{self.username}: {self.get_kind_display()}{where}"

    def is_open_at(self, moment: datetime.datetime) -> bool:
        return self.status == self.Status.OPEN and self.expires_at > moment


def evidence_upload_to(instance: Evidence, filename: str) -> str:
    # The stored name never uses the uploader's file name (kept only as metadata).
    return f"evidence/{instance.programme_id}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Evidence(models.Model):
    """A piece of evidence (data dukung): an uploaded file or a link.

    One piece can support several LKE answers and action-plan items.
    """

    class Kind(models.TextChoices):
        FILE = "file", _("File")
        LINK = "link", _("Link")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="evidence"
    )
    pokja = models.ForeignKey(
        Pokja,
        verbose_name=_("Pokja"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="evidence",
    )
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_upload_to, blank=True, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    extension = models.CharField(max_length=10, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="file") & ~Q(file="") & Q(url=""))
                | (Q(kind="link") & Q(file="") & ~Q(url="")),
                name="evidence_is_a_file_or_a_link",
            )
        ]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.title

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE


# --------------------------------------------------------------------------- action plans

# The programme's calendar: lateness and "this month" are judged on the unit's local date.
PROGRAMME_TIME_ZONE = ZoneInfo("Asia/Jakarta")


def programme_today() -> datetime.date:
    """Today's date in Asia/Jakarta, whatever the server's clock zone."""
    return timezone.localdate(timezone=PROGRAMME_TIME_ZONE)


def programme_date(moment: datetime.datetime) -> datetime.date:
    """The date in Asia/Jakarta at `moment` (an aware datetime)."""
    return timezone.localdate(moment, timezone=PROGRAMME_TIME_ZONE)


class ActionPlanItemQuerySet(models.QuerySet):
    def late(self, today: datetime.date | None = None):
        """Items still open whose due date has passed (lateness is never stored)."""
        return self.filter(ActionPlanItem.late_q(today))

    def not_late(self, today: datetime.date | None = None):
        return self.exclude(ActionPlanItem.late_q(today))

    def with_lateness(self, today: datetime.date | None = None):
        """Annotate `late` (bool) computed by the database, for filtering and ordering."""
        return self.annotate(
            late=models.Case(
                models.When(ActionPlanItem.late_q(today), then=models.Value(True)),
                default=models.Value(False),
                output_field=models.BooleanField(),
            )
        )


class ActionPlanItem(models.Model):
    """One activity of a Pokja's action plan (rencana aksi), serving an LKE sub-area."""

    class Status(models.TextChoices):
        NOT_STARTED = "belum_mulai", _("Not started")
        IN_PROGRESS = "berjalan", _("In progress")
        DONE = "selesai", _("Done")
        VERIFIED = "diverifikasi", _("Verified")
        RETURNED = "dikembalikan", _("Returned")

    # Statuses in which the work is still the Pokja's to do: only these can be late.
    OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.RETURNED)

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="plan_items"
    )
    pokja = models.ForeignKey(
        Pokja, verbose_name=_("Pokja"), on_delete=models.CASCADE, related_name="plan_items"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT_LENGTH)
    sub_area = models.ForeignKey(
        "evaluations.FrameworkSubArea",
        verbose_name=_("LKE sub-area"),
        on_delete=models.PROTECT,
        related_name="plan_items",
    )
    questions = models.ManyToManyField(
        "evaluations.FrameworkQuestion",
        verbose_name=_("LKE questions"),
        blank=True,
        related_name="plan_items",
    )
    expected_output = models.TextField(
        _("expected output"),
        blank=True,
        max_length=LONG_TEXT_LENGTH,
        help_text=_("What the activity produces (tepat sasaran)."),
    )
    success_indicator = models.TextField(
        _("success indicator"),
        blank=True,
        max_length=LONG_TEXT_LENGTH,
        help_text=_("How you will know it worked (tepat guna)."),
    )
    owners = models.ManyToManyField(
        User, verbose_name=_("owners"), blank=True, related_name="owned_plan_items"
    )
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MaxValueValidator(100)]
    )
    return_reason = models.TextField(_("reason for returning"), blank=True, max_length=NOTE_LENGTH)
    evidence = models.ManyToManyField(
        "pokja.Evidence", verbose_name=_("evidence"), blank=True, related_name="plan_items"
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionPlanItemQuerySet.as_manager()

    class Meta:
        ordering = ["pokja__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pokja", "number"], name="plan_item_number_per_pokja"),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")),
                name="plan_item_due_not_before_start",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="plan_item_progress_max"),
        ]
        indexes = [models.Index(fields=["programme", "status", "due_date"])]
        verbose_name = _("action plan item")
        verbose_name_plural = _("action plan items")

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def code(self) -> str:
        """How people refer to an item: RA <Pokja>.<number>, e.g. RA 5.3."""
        return f"RA {self.pokja.number}.{self.number}" if self.pokja_id else f"RA ?.{self.number}"

    @staticmethod
    def late_q(today: datetime.date | None = None) -> Q:
        """The lateness rule as a query: open and due before today (Asia/Jakarta).

        An item is due at the end of its due date, so it becomes late at midnight WIB.
        """
        return Q(status__in=ActionPlanItem.OPEN_STATUSES, due_date__lt=today or programme_today())

    def is_late_on(self, today: datetime.date) -> bool:
        return self.status in self.OPEN_STATUSES and self.due_date < today

    @property
    def is_late(self) -> bool:
        return self.is_late_on(programme_today())

    def days_late_on(self, today: datetime.date) -> int:
        return (today - self.due_date).days if self.is_late_on(today) else 0

    @property
    def days_late(self) -> int:
        return self.days_late_on(programme_today())

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class ActionPlanComment(models.Model):
    """A remark on a plan item from a Pokja member, the coordinator or an internal assessor."""

    item = models.ForeignKey(
        ActionPlanItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        User, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("comment"), max_length=NOTE_LENGTH)
    # Written as the programme's internal assessor: the Pokja reads it as the TPI's note.
    by_tpi = models.BooleanField(_("TPI note"), default=False)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.item.code}: {self.text[:60]}"


class ActionPlanMonitoring(models.Model):
    """What was realised on one item in one month of the programme year (monitoring bulanan)."""

    item = models.ForeignKey(
        ActionPlanItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="monitoring"
    )
    month = models.PositiveSmallIntegerField(
        _("month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    percent = models.PositiveSmallIntegerField(
        _("realisation (%)"), validators=[MaxValueValidator(100)]
    )
    note = models.TextField(_("realisation"), blank=True, max_length=NOTE_LENGTH)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["item", "month"]
        constraints = [
            models.UniqueConstraint(fields=["item", "month"], name="one_monitoring_per_item_month"),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="monitoring_month_1_12"
            ),
            models.CheckConstraint(condition=Q(percent__lte=100), name="monitoring_percent_max"),
        ]
        verbose_name = _("monthly monitoring")
        verbose_name_plural = _("monthly monitoring")

    def __str__(self):
        return f"{self.item.code} {self.month:02d}: {self.percent}%"


# --------------------------------------------------------------------------- registers


class AuditFinding(models.Model):
    """A finding of an APIP or BPK audit and its follow-up (tindak lanjut hasil pemeriksaan)."""

    class Source(models.TextChoices):
        APIP = "apip", _("APIP (internal government auditor, e.g. Itwasda, Irwasum)")
        BPK = "bpk", _("BPK (Audit Board of Indonesia)")

    class FollowUp(models.TextChoices):
        # BPK's four follow-up categories.
        NOT_STARTED = "belum", _("Not followed up yet")
        IN_PROGRESS = "proses", _("Not yet as recommended (in progress)")
        SETTLED = "sesuai", _("Settled as recommended")
        CANNOT = "tidak_dapat", _("Cannot be followed up (valid reason)")

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="findings"
    )
    source = models.CharField(_("source"), max_length=4, choices=Source.choices)
    auditor = models.CharField(
        _("auditor"), max_length=200, blank=True, help_text=_("e.g. Itwasda Polda Sumatera Utara")
    )
    report_number = models.CharField(_("report number (LHP)"), max_length=100, blank=True)
    report_date = models.DateField(_("report date"))
    title = models.CharField(_("finding"), max_length=300)
    description = models.TextField(
        _("description of the finding"), blank=True, max_length=LONG_TEXT_LENGTH
    )
    recommendation = models.TextField(_("recommendation"), max_length=LONG_TEXT_LENGTH)
    amount = models.DecimalField(
        _("amount (Rp)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Only for findings with a financial value."),
    )
    follow_up_status = models.CharField(
        _("follow-up status"), max_length=12, choices=FollowUp.choices, default=FollowUp.NOT_STARTED
    )
    follow_up = models.TextField(_("follow-up taken"), blank=True, max_length=LONG_TEXT_LENGTH)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    settled_on = models.DateField(_("settled on"), null=True, blank=True)
    evidence = models.ManyToManyField(
        "pokja.Evidence", verbose_name=_("evidence"), blank=True, related_name="findings"
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-report_date", "pk"]
        verbose_name = _("audit finding")
        verbose_name_plural = _("audit findings")

    def __str__(self):
        return self.title[:200]


class ChangeAgent(models.Model):
    """A change agent (agen perubahan) appointed in the unit for the programme year."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.CASCADE,
        related_name="change_agents",
    )
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("rank and position"), max_length=200, blank=True)
    decree_number = models.CharField(_("appointment decree (SK)"), max_length=100, blank=True)
    appointed_on = models.DateField(_("appointed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("change agent")
        verbose_name_plural = _("change agents")

    def __str__(self):
        return self.name


class ChangeAgentChange(models.Model):
    """A change a change agent made, and whether it is part of the management system now."""

    agent = models.ForeignKey(
        ChangeAgent,
        verbose_name=_("change agent"),
        on_delete=models.CASCADE,
        related_name="changes",
    )
    title = models.CharField(_("change"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=LONG_TEXT_LENGTH)
    made_on = models.DateField(_("made on"))
    integrated = models.BooleanField(
        _("integrated into the management system"),
        default=False,
        help_text=_("Adopted in an SOP, decree or standing procedure of the unit."),
    )
    integration_note = models.CharField(
        _("where it is integrated"),
        max_length=300,
        blank=True,
        help_text=_("e.g. SOP number or decree that adopted it"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-made_on", "pk"]
        verbose_name = _("change made by a change agent")
        verbose_name_plural = _("changes made by change agents")

    def __str__(self):
        return self.title


class RateCounter(models.Model):
    """Hits of one client (an address, an account name) in one fixed window of a rate limit,
    when there is no Redis to count in (`pokja.rate_limits`). Rows of windows that have
    passed are removed as new windows open."""

    key = models.CharField(max_length=120, unique=True)  # scope, hashed client, window
    hits = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")

    def __str__(self):
        return f"{self.key}: {self.hits}"
