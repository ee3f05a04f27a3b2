"""Workflows of the organisation: programmes, roles and people. All audited (evidence:
`pokja.services.evidence`)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import (
    audit_created,
    audit_record,
    audited_create,
    audited_delete,
    audited_update,
    editable_only,
    locked,
)
from pokja.hooks import programme_changed
from pokja.models import (
    Pokja,
    Programme,
    ProgrammeRole,
    RoleInvitation,
    Unit,
    UnitRole,
    User,
)

PROGRAMME_FIELDS = (
    "unit",
    "year",
    "framework",
    "target",
    "holds_wbk",
    "pencanangan_date",
    "pakta_document",
    "status",
)
ROLE_FIELDS = ("user", "programme", "kind", "pokja")


@transaction.atomic
def programme_create(
    *,
    actor: User | None,
    unit: Unit,
    year: int,
    framework,
    target: str = Programme.Target.WBK,
    holds_wbk: bool = False,
    pencanangan_date: datetime.date | None = None,
    status: str = Programme.Status.ACTIVE,
) -> Programme:
    """Create a unit's programme for a year together with its six Pokja, one per LKE area."""
    if Programme.objects.filter(unit=unit, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(unit)s already has a programme for %(year)s.")
                % {"unit": unit, "year": year}
            }
        )
    areas = list(framework.areas.order_by("pokja_number"))
    if not areas:
        raise ValidationError({"framework": _("This framework has no areas to form Pokja from.")})
    programme = Programme(
        unit=unit,
        year=year,
        framework=framework,
        target=target,
        holds_wbk=holds_wbk,
        pencanangan_date=pencanangan_date,
        status=status,
    )
    audited_create(
        programme, PROGRAMME_FIELDS, actor=actor, check=Programme.full_clean, programme=programme
    )
    Pokja.objects.bulk_create(
        Pokja(programme=programme, number=area.pokja_number, area_code=area.code, name=area.name)
        for area in areas
    )
    programme_changed(programme.pk)
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, **changes) -> Programme:
    """Change a programme's settings (target, WBK held, declaration date, document, status)."""
    allowed = {"target", "holds_wbk", "pencanangan_date", "pakta_document", "status"}
    editable_only(changes, allowed, service="programme_update")
    programme = locked(programme)
    change = audited_update(
        programme,
        PROGRAMME_FIELDS,
        actor=actor,
        changes=changes,
        check=Programme.full_clean,
        programme=programme,
    )
    if change.changed:
        programme_changed(programme.pk)
    return programme


def _role_pokja(*, programme: Programme, kind: str, pokja: Pokja | None) -> Pokja | None:
    """The Pokja a role of `kind` is in (None for programme-wide roles), or why it cannot be."""
    if kind in ProgrammeRole.POKJA_KINDS and pokja is None:
        raise ValidationError({"pokja": _("Choose the Pokja for a chair or member.")})
    if kind not in ProgrammeRole.POKJA_KINDS:
        pokja = None
    if pokja is not None and pokja.programme_id != programme.pk:
        raise ValidationError({"pokja": _("That Pokja belongs to another programme.")})
    return pokja


@transaction.atomic
def programme_role_add(
    *, actor: User | None, programme: Programme, user: User, kind: str, pokja: Pokja | None = None
) -> ProgrammeRole:
    pokja = _role_pokja(programme=programme, kind=kind, pokja=pokja)
    if (
        kind == ProgrammeRole.Kind.KETUA
        and ProgrammeRole.objects.filter(pokja=pokja, kind=ProgrammeRole.Kind.KETUA).exists()
    ):
        raise ValidationError({"kind": _("%(pokja)s already has a chair.") % {"pokja": pokja}})
    role = ProgrammeRole(user=user, programme=programme, kind=kind, pokja=pokja)
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError:
        raise ValidationError(
            {"user": _("%(user)s already has this role.") % {"user": user}}
        ) from None
    audit_created(role, ROLE_FIELDS, actor=actor, programme=programme)
    return role


@transaction.atomic
def programme_role_remove(*, actor: User, role: ProgrammeRole) -> None:
    audited_delete(role, ROLE_FIELDS, actor=actor, programme=role.programme)


# What the unit's trail says about an invitation: never who (if anyone) has the username.
INVITATION_FIELDS = ("programme", "kind", "pokja", "username", "expires_at")
# Audit notes are stored in English and shown translated (audit.presentation).
NOTE_INVITATION_ACCEPTED = gettext_noop("Invitation accepted")
NOTE_INVITATION_WITHDRAWN = gettext_noop("Invitation withdrawn")
NOTE_INVITATION_DECLINED = gettext_noop("Invitation declined")
_STILL_OPEN = (RoleInvitation.Status.OPEN, RoleInvitation.Status.DECLINED)


@transaction.atomic
def role_invitation_create(
    *, actor: User, programme: Programme, username: str, kind: str, pokja: Pokja | None = None
) -> RoleInvitation:
    """Offer a role in `programme` to the account named `username`, to be given when its
    owner accepts. The invitation, and what the inviter sees of it, is the same whether an
    account has this username or not; inviting again while one is open changes nothing."""
    username = username.strip()
    pokja = _role_pokja(programme=programme, kind=kind, pokja=pokja)
    now = timezone.now()
    existing = RoleInvitation.objects.filter(
        programme=programme,
        username__iexact=username,
        kind=kind,
        pokja=pokja,
        status__in=_STILL_OPEN,
        expires_at__gt=now,
    ).first()
    if existing is not None:
        return existing
    invitation = RoleInvitation.objects.create(
        programme=programme,
        kind=kind,
        pokja=pokja,
        username=username,
        invitee=User.objects.filter(username__iexact=username, is_active=True).first(),
        invited_by=actor,
        expires_at=now + datetime.timedelta(days=RoleInvitation.DAYS_OPEN),
    )
    audit_created(invitation, INVITATION_FIELDS, actor=actor, programme=programme)
    return invitation


def _open_invitation_for(invitation: RoleInvitation, user: User) -> RoleInvitation:
    invitation = (
        RoleInvitation.objects.select_for_update(of=("self",))
        .select_related("programme", "pokja")
        .get(pk=invitation.pk)
    )
    if invitation.invitee_id != user.pk or not invitation.is_open_at(timezone.now()):
        raise ValidationError(_("This invitation is no longer open."))
    return invitation


@transaction.atomic
def role_invitation_accept(*, invitation: RoleInvitation, user: User) -> ProgrammeRole:
    """The invitee takes the role: from now on the unit sees them among its people."""
    invitation = _open_invitation_for(invitation, user)
    role = programme_role_add(
        actor=user,
        programme=invitation.programme,
        user=user,
        kind=invitation.kind,
        pokja=invitation.pokja,
    )
    _decide(invitation, RoleInvitation.Status.ACCEPTED, user, NOTE_INVITATION_ACCEPTED)
    return role


def _decide(invitation: RoleInvitation, status: str, actor: User, note: str, *, unit_trail=True):
    """The invitation accepted, declined or withdrawn, and recorded (a decline outside the
    unit's trail)."""
    invitation.status = status
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["status", "decided_at"])
    programme = invitation.programme if unit_trail else None
    audit_record(actor=actor, action="update", obj=invitation, programme=programme, note=note)


@transaction.atomic
def role_invitation_decline(*, invitation: RoleInvitation, user: User) -> None:
    """The invitee says no. Recorded outside the unit's trail: the unit learns nothing of an
    account that did not accept."""
    invitation = _open_invitation_for(invitation, user)
    _decide(
        invitation,
        RoleInvitation.Status.DECLINED,
        user,
        NOTE_INVITATION_DECLINED,
        unit_trail=False,
    )


@transaction.atomic
def role_invitation_withdraw(*, actor: User, invitation: RoleInvitation) -> None:
    invitation = locked(invitation, "programme")
    if invitation.status not in _STILL_OPEN:
        return
    _decide(invitation, RoleInvitation.Status.WITHDRAWN, actor, NOTE_INVITATION_WITHDRAWN)


@transaction.atomic
def unit_role_add(*, actor: User | None, unit: Unit, user: User, kind: str) -> UnitRole:
    role, created = UnitRole.objects.get_or_create(user=user, unit=unit, kind=kind)
    if created:
        audit_created(role, ("user", "unit", "kind"), actor=actor, unit_id=unit.pk)
    return role


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    email: str = "",
    password: str,
    unit_id=None,
) -> User:
    """Create a person who can sign in. The password itself is never audited."""
    user = User(username=username, full_name=full_name, email=email)
    user.set_password(password)
    return audited_create(
        user,
        ("username", "full_name", "email", "is_active"),
        actor=actor,
        check=lambda row: row.full_clean(exclude=["password"]),
        unit_id=unit_id,
    )


@transaction.atomic
def person_language_set(*, actor: User, language: str) -> User:
    """The language `actor` reads: their notifications and e-mails are written in it.
    Audited when it changes (it decides how the person is told of their work)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {
                "language": _("Choose one of: %(languages)s.")
                % {"languages": ", ".join(code for code, _name in settings.LANGUAGES)}
            }
        )
    person = locked(actor)
    if person.language != language:
        audited_update(
            person,
            ("language",),
            actor=actor,
            changes={"language": language},
            update_fields=["language"],
        )
    actor.language = language
    return person


__all__ = [
    "PROGRAMME_FIELDS",
    "ROLE_FIELDS",
    "person_language_set",
    "programme_create",
    "programme_role_add",
    "programme_role_remove",
    "programme_update",
    "role_invitation_accept",
    "role_invitation_create",
    "role_invitation_decline",
    "role_invitation_withdraw",
    "unit_role_add",
    "user_create",
]
