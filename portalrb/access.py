"""Who may act for an agency towards the national portal.

An agency administrator (``UnitRole.Kind.AGENCY`` on the agency's own unit) sees the
programmes of the units below the agency, proposes them, keeps the portal's tokens and reads
its fetch log; site administrators may do the same for any agency. Nobody else sees these
pages: they answer 404, as every object a person may not see.
"""

from __future__ import annotations

from django.http import Http404

from pokja.models import Programme, Unit, UnitRole
from pokja.selectors import unit_ids_with_descendants
from portalrb.models import ApiToken


def is_agency_admin(user, agency: Unit) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return UnitRole.objects.filter(user=user, unit=agency, kind=UnitRole.Kind.AGENCY).exists()


def agencies_for(user):
    """The agencies `user` acts for (navigation)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Unit.objects.none()
    if user.is_superuser:
        return Unit.objects.filter(roles__kind=UnitRole.Kind.AGENCY).distinct()
    return Unit.objects.filter(roles__user=user, roles__kind=UnitRole.Kind.AGENCY).distinct()


def get_agency_for_user(user, unit_code: str) -> Unit:
    """The agency UNIT-CODE if `user` administers it for the portal; 404 otherwise."""
    agency = Unit.objects.filter(code=unit_code).first()
    if agency is None or not is_agency_admin(user, agency):
        raise Http404
    return agency


def agency_unit_ids(agency: Unit) -> set[int]:
    """The units the agency may propose: every unit below it (not the agency itself)."""
    return unit_ids_with_descendants([agency.pk]) - {agency.pk}


def get_agency_programme(agency: Unit, programme_id: int, year: int) -> Programme:
    """A programme of the year of a unit below the agency; 404 for any other."""
    programme = (
        Programme.objects.select_related("unit", "framework")
        .filter(pk=programme_id, year=year, unit_id__in=agency_unit_ids(agency))
        .first()
    )
    if programme is None:
        raise Http404
    return programme


def get_agency_token(agency: Unit, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, agency=agency).first()
    if token is None:
        raise Http404
    return token
