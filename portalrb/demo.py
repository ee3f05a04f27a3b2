"""The demo's proposal to the national portal: Polda Sumatera Utara (POLDA-SUMUT) proposing
Polres Labuhanbatu for WBK, confirmed, and its agency ZI administrator (`agensi`)."""

from __future__ import annotations

from django.db import transaction

from pokja.demo import DEMO_PASSWORD, PARENT_UNIT_CODE
from pokja.models import Programme, Unit, UnitRole, User
from portalrb import services
from portalrb.models import Category, Proposal
from portalrb.selectors import proposal_candidates

AGENCY_ADMIN = "agensi"
EXCEPTION_NOTE = (
    "Usulan demo: syarat yang belum terpenuhi sedang dilengkapi sebelum jendela usulan ditutup."
)


def _agency_admin() -> User:
    user, created = User.objects.get_or_create(
        username=AGENCY_ADMIN,
        defaults={
            "full_name": "Kombes Pol Hendra Siregar",
            "position": "Irwasda Polda Sumatera Utara",
            "email": f"{AGENCY_ADMIN}@sumut.demo.polri.go.id",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_proposal(programme: Programme) -> Proposal:
    """Safe to run again: a proposal already confirmed is left as it is."""
    agency = Unit.objects.get(code=PARENT_UNIT_CODE)
    admin = _agency_admin()
    UnitRole.objects.get_or_create(user=admin, unit=agency, kind=UnitRole.Kind.AGENCY)
    proposal = services.proposal_get_or_create(agency=agency, year=programme.year, user=admin)
    if proposal.confirmed_at is not None:
        return proposal
    proposal = services.proposal_set_prerequisites(
        proposal=proposal, user=admin, audit_opinion="WTP", sakip_grade="BB"
    )
    row = proposal_candidates(agency, programme.year, proposal, programme_ids=[programme.pk])[0]
    services.proposed_unit_set(
        proposal=proposal,
        programme=programme,
        user=admin,
        category=Category.WBK,
        exception_note=EXCEPTION_NOTE if row.flagged else "",
    )
    return services.proposal_confirm(proposal=proposal, user=admin)
