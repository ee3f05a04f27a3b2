"""The one authorization layer: who may see or change what.

Every view, export and download asks here. Rules:
- site administrators (superusers) may do everything;
- a unit administrator manages the programmes, users and roles of their unit;
- an oversight role on a unit (e.g. a Polda) reads that unit and every unit below it;
- within a programme: the coordinator reads and changes everything; a Pokja chair or member
  changes only their own Pokja's things; TPI reviewers change only the TPI columns;
  the head of unit (pimpinan) reads everything the coordinator reads and changes nothing;
- everybody else sees nothing: objects they may not see answer 404, not 403, so that their
  existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from pokja.models import Pokja, Programme, ProgrammeRole, Unit, UnitRole
from pokja.selectors import unit_ancestor_ids, unit_ids_with_descendants

Kind = ProgrammeRole.Kind


@dataclass(frozen=True)
class ProgrammeAccess:
    programme_id: int
    site_admin: bool = False
    unit_admin: bool = False
    oversight: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)
    pokja_ids: frozenset[int] = field(default_factory=frozenset)
    chair_pokja_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def can_view(self) -> bool:
        return self.site_admin or self.unit_admin or self.oversight or bool(self.roles)

    @property
    def is_coordinator(self) -> bool:
        return Kind.KOORDINATOR in self.roles

    @property
    def is_tpi(self) -> bool:
        return Kind.TPI in self.roles

    @property
    def is_pimpinan(self) -> bool:
        return Kind.PIMPINAN in self.roles

    @property
    def can_manage(self) -> bool:
        """Change the programme's settings, people and roles."""
        return self.site_admin or self.unit_admin

    @property
    def can_coordinate(self) -> bool:
        """Act on every Pokja: answer any area, verify or return plan items."""
        return self.site_admin or self.is_coordinator

    @property
    def can_review(self) -> bool:
        """Fill the TPI columns (the internal assessors' answers and notes)."""
        return self.site_admin or self.is_tpi

    @property
    def reads_everything(self) -> bool:
        """See every page of the programme that its coordinator or administrators see
        (settings, the audit trail, the surveys' set-up): they, and the head of unit, who
        reads them all and changes nothing there."""
        return self.can_manage or self.can_coordinate or self.is_pimpinan

    @property
    def can_read_audit(self) -> bool:
        return self.reads_everything

    @property
    def can_export(self) -> bool:
        return self.site_admin or self.unit_admin or self.is_coordinator or self.is_pimpinan

    def can_edit_pokja(self, pokja_id: int | None) -> bool:
        """Change a Pokja's answers, plans and evidence."""
        if self.can_coordinate:
            return True
        return pokja_id is not None and pokja_id in self.pokja_ids

    def can_comment_plan(self, pokja_id: int | None) -> bool:
        """Comment on a Pokja's plan items: the Pokja, the coordinator, and the TPI (whose
        comments are the Pokja's notes from the internal assessors)."""
        return self.can_edit_pokja(pokja_id) or self.can_review

    def is_chair_of(self, pokja_id: int | None) -> bool:
        return self.can_coordinate or (pokja_id is not None and pokja_id in self.chair_pokja_ids)


NO_ACCESS = ProgrammeAccess(programme_id=0)


def programme_access(user, programme: Programme) -> ProgrammeAccess:
    """What `user` may do in `programme` (two queries)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ProgrammeAccess(programme_id=programme.pk)
    if user.is_superuser:
        return ProgrammeAccess(programme_id=programme.pk, site_admin=True)
    roles, pokja_ids, chair_ids = set(), set(), set()
    for kind, pokja_id in ProgrammeRole.objects.filter(user=user, programme=programme).values_list(
        "kind", "pokja_id"
    ):
        roles.add(kind)
        if pokja_id is not None:
            pokja_ids.add(pokja_id)
            if kind == Kind.KETUA:
                chair_ids.add(pokja_id)
    unit_kinds = set(
        UnitRole.objects.filter(
            Q(user=user)
            & (
                Q(unit_id=programme.unit_id, kind=UnitRole.Kind.ADMIN)
                | Q(unit_id__in=_ancestors_sql(programme.unit_id), kind=UnitRole.Kind.OVERSIGHT)
            )
        ).values_list("kind", flat=True)
    )
    return ProgrammeAccess(
        programme_id=programme.pk,
        unit_admin=UnitRole.Kind.ADMIN in unit_kinds,
        oversight=UnitRole.Kind.OVERSIGHT in unit_kinds,
        roles=frozenset(roles),
        pokja_ids=frozenset(pokja_ids),
        chair_pokja_ids=frozenset(chair_ids),
    )


def _ancestors_sql(unit_id: int) -> list[int]:
    return sorted(unit_ancestor_ids(unit_id))


def visible_unit_ids(user) -> set[int] | None:
    """Ids of the units whose programmes `user` may see; None means all (site admin)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return None
    admin_units, oversight_units = set(), set()
    for unit_id, kind in UnitRole.objects.filter(user=user).values_list("unit_id", "kind"):
        if kind == UnitRole.Kind.OVERSIGHT:
            oversight_units.add(unit_id)
        elif kind == UnitRole.Kind.ADMIN:
            admin_units.add(unit_id)
    return admin_units | unit_ids_with_descendants(oversight_units)


def visible_programmes(user) -> QuerySet[Programme]:
    """Every programme `user` may see."""
    programmes = Programme.objects.select_related("unit", "framework")
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return programmes
    if not getattr(user, "is_authenticated", False):
        return programmes.none()
    return programmes.filter(
        Q(unit_id__in=unit_ids)
        | Q(pk__in=ProgrammeRole.objects.filter(user=user).values("programme_id"))
    )


def visible_units(user) -> QuerySet[Unit]:
    unit_ids = visible_unit_ids(user)
    if unit_ids is None:
        return Unit.objects.all()
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Unit.objects.none()
    role_units = Programme.objects.filter(roles__user=user).values("unit_id")
    return Unit.objects.filter(Q(pk__in=unit_ids) | Q(pk__in=role_units))


def manageable_unit_ids(user) -> set[int] | None:
    """Units whose programmes and roles `user` administers; None means all."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if user.is_superuser:
        return None
    return set(
        UnitRole.objects.filter(user=user, kind=UnitRole.Kind.ADMIN).values_list(
            "unit_id", flat=True
        )
    )


def get_programme_for_user(user, unit_code: str, year: int) -> tuple[Programme, ProgrammeAccess]:
    """The programme UNIT-CODE/YEAR and the user's access to it; 404 if they may not see it."""
    programme = (
        Programme.objects.select_related("unit", "framework")
        .filter(unit__code=unit_code, year=year)
        .first()
    )
    if programme is None:
        raise Http404
    access = programme_access(user, programme)
    if not access.can_view:
        raise Http404
    return programme, access


def get_unit_for_manager(user, unit_code: str) -> Unit:
    """The unit UNIT-CODE if `user` administers it: 404 if they may not see it, 403 if they
    see it but do not administer it."""
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        raise Http404
    manageable = manageable_unit_ids(user)
    if manageable is None or unit.pk in manageable:
        return unit
    if visible_units(user).filter(pk=unit.pk).exists():
        raise PermissionDenied
    raise Http404


def can_manage_account(user, person, *, unit_ids: set[int] | None = None) -> bool:
    """May `user` deactivate, reactivate or send a password reset to `person`?

    Only for people whose every role lies in units `user` administers: otherwise an
    administrator of one unit could lock out someone another unit depends on. Site
    administrators' and staff accounts are left to site administrators.
    """
    if person.pk == user.pk:
        return False  # one's own account is changed through the password pages
    manageable = manageable_unit_ids(user) if unit_ids is None else unit_ids
    if manageable is None:
        return True
    if person.is_superuser or person.is_staff:
        return False
    outside_unit_roles = UnitRole.objects.filter(user=person).exclude(unit_id__in=manageable)
    outside_programme_roles = ProgrammeRole.objects.filter(user=person).exclude(
        programme__unit_id__in=manageable
    )
    return not (outside_unit_roles.exists() or outside_programme_roles.exists())


def get_pokja_for_user(user, unit_code: str, year: int, number: int):
    """Pokja NUMBER of the programme UNIT-CODE/YEAR, with the programme and the user's access
    to it; 404 if they may not see the programme."""
    programme, access = get_programme_for_user(user, unit_code, year)
    pokja = get_object_or_404(Pokja, programme=programme, number=number)
    pokja.programme = programme
    return programme, access, pokja
