"""The organisation: units, their yearly ZI programmes, the six Pokja, people and roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in. Roles are held per programme (ProgrammeRole) or unit (UnitRole)."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(
        _("position"), max_length=150, blank=True, help_text=_("e.g. Wakapolres, Kasat Reskrim")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

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
