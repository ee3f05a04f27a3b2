"""Writes of the proposal workflow and the portal's tokens; every one is audited."""

from __future__ import annotations

import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_created, audited_save, audited_update, locked
from pokja.models import Programme, Unit, User
from portalrb.models import ApiToken, Category, FetchLog, Proposal, ProposedUnit, token_digest
from portalrb.selectors import answers_snapshot, checks_of, proposal_candidates

TOKEN_PREFIX = "zirb_"  # noqa: S105 - tells a ZI Tracker token apart, not a secret
PROPOSAL_FIELDS = ("audit_opinion", "sakip_grade", "confirmed_at", "confirmed_by")
UNIT_FIELDS = ("category", "exception_note", "confirmed_category", "confirmed_name")
TOKEN_FIELDS = ("name", "prefix", "revoked_at", "revoked_by")


def proposal_get_or_create(*, agency: Unit, year: int, user: User | None) -> Proposal:
    proposal = Proposal.objects.filter(agency=agency, year=year).first()
    if proposal is not None:
        return proposal
    with transaction.atomic():
        proposal, created = Proposal.objects.get_or_create(agency=agency, year=year)
        if created:
            audit_created(proposal, PROPOSAL_FIELDS, actor=user, unit_id=agency.pk)
    return proposal


@transaction.atomic
def proposal_set_prerequisites(
    *, proposal: Proposal, user: User | None, audit_opinion: str, sakip_grade: str
) -> Proposal:
    """Record the agency-wide prerequisites (the agency's audit opinion and SAKIP grade)."""
    proposal = locked(proposal)
    audited_update(
        proposal,
        PROPOSAL_FIELDS,
        actor=user,
        changes={"audit_opinion": audit_opinion, "sakip_grade": sakip_grade},
        check=Proposal.full_clean,
        update_fields=["audit_opinion", "sakip_grade", "updated_at"],
        unit_id=proposal.agency_id,
    )
    return proposal


@transaction.atomic
def proposed_unit_set(
    *,
    proposal: Proposal,
    programme: Programme,
    user: User | None,
    category: str,
    exception_note: str = "",
) -> ProposedUnit | None:
    """Propose `programme` for `category` (blank: not proposed). WBBM only for a unit that
    already holds WBK. Served to the portal only once the proposal is confirmed again."""
    if category and category not in Category.values:
        raise ValidationError(
            {"category": _("Choose WBK, WBK-AFIRMASI or WBBM (or nothing to withdraw).")}
        )
    if category == Category.WBBM and not programme.holds_wbk:
        raise ValidationError(
            {
                "category": _(
                    "%(unit)s does not hold WBK yet: it can be proposed for WBK, not WBBM."
                )
                % {"unit": programme.unit.name}
            }
        )
    unit = ProposedUnit.objects.select_for_update().filter(proposal=proposal, programme=programme)
    unit = unit.first()
    if unit is None and not category:
        return None
    return audited_save(
        unit or ProposedUnit(proposal=proposal, programme=programme),
        UNIT_FIELDS,
        actor=user,
        changes={"category": category, "exception_note": exception_note.strip()},
        programme_id=programme.pk,
        unit_id=proposal.agency_id,
    )


@transaction.atomic
def proposal_confirm(*, proposal: Proposal, user: User | None) -> Proposal:
    """Confirm the proposal: what the portal is served becomes the proposed units as they
    stand now (their names, categories and a snapshot of their answers).

    A unit whose checks fail is confirmed only with a reason recorded for it; otherwise
    nothing is confirmed and the error names every such unit.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    units = list(
        proposal.units.select_for_update()
        .select_related("programme__unit", "programme__framework")
        .order_by("pk")
    )
    proposed = [u for u in units if u.category]
    if not proposed:
        raise ValidationError(_("Propose at least one unit before confirming."))
    rows = proposal_candidates(
        proposal.agency, proposal.year, proposal, programme_ids=[u.programme_id for u in proposed]
    )
    by_programme = {row.programme.pk: row for row in rows}
    unexplained = [
        u.programme.unit.name
        for u in proposed
        if by_programme[u.programme_id].flagged and not u.exception_note
    ]
    if unexplained:
        raise ValidationError(
            _(
                "Checks fail for %(units)s: give the reason to propose each all the same, "
                "or withdraw it."
            )
            % {"units": ", ".join(unexplained)}
        )
    checks = checks_of(rows)
    now = timezone.now()
    for unit in units:
        if unit.category:
            confirmed = {
                "confirmed_category": unit.category,
                "confirmed_name": unit.programme.unit.name,
                "confirmed_at": now,
                "confirmed_checks": checks[unit.programme_id],
                "snapshot": answers_snapshot(unit.programme),
            }
        else:
            confirmed = {
                "confirmed_category": "",
                "confirmed_name": "",
                "confirmed_at": None,
                "confirmed_checks": {},
                "snapshot": [],
            }
        audited_update(
            unit,
            UNIT_FIELDS,
            actor=user,
            changes=confirmed,
            programme_id=unit.programme_id,
            unit_id=proposal.agency_id,
            note=_("Proposal confirmed: the portal is served these answers."),
        )
    audited_update(
        proposal,
        PROPOSAL_FIELDS,
        actor=user,
        changes={"confirmed_at": now, "confirmed_by": _person(user)},
        update_fields=["confirmed_at", "confirmed_by", "updated_at"],
        unit_id=proposal.agency_id,
    )
    return proposal


def _person(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


# --------------------------------------------------------------------------- tokens


@transaction.atomic
def token_create(*, agency: Unit, name: str, user: User | None) -> tuple[ApiToken, str]:
    """A new token of `agency`: the row and the token itself, which is shown once and never
    stored (only its SHA-256 is)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. 'PortalRB 2026'.")})
    if len(name) > ApiToken._meta.get_field("name").max_length:
        raise ValidationError({"name": _("The name is too long (100 characters at most).")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        agency=agency,
        name=name,
        digest=token_digest(raw),
        prefix=raw[: len(TOKEN_PREFIX) + 4],
        created_by=_person(user),
    )
    audit_created(token, TOKEN_FIELDS, actor=user, unit_id=agency.pk)
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, user: User | None) -> ApiToken:
    token = locked(token)
    if token.revoked_at is not None:
        return token
    audited_update(
        token,
        TOKEN_FIELDS,
        actor=user,
        changes={"revoked_at": timezone.now(), "revoked_by": _person(user)},
        update_fields=["revoked_at", "revoked_by"],
        unit_id=token.agency_id,
    )
    return token


def token_authenticate(raw: str) -> ApiToken | None:
    """The active token `raw` is, or None. Looked up by its digest, and the digests compared
    in constant time."""
    if not raw or len(raw) > 200:
        return None
    digest = token_digest(raw)
    token = ApiToken.objects.select_related("agency").filter(digest=digest).first()
    if token is None or not hmac.compare_digest(token.digest, digest):
        return None
    if token.revoked_at is not None:
        return None
    return token


@transaction.atomic
def fetch_record(*, token: ApiToken | None, endpoint: str, unit_id: str, status: int) -> FetchLog:
    """Log one request of the portal and, when its token was valid, the token's last use
    (one transaction: one commit per request)."""
    fetch = FetchLog.objects.create(
        agency_id=token.agency_id if token else None,
        token=token,
        endpoint=endpoint[:40],
        unit_id=unit_id[:80],
        status=status,
    )
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=fetch.at)
    return fetch
