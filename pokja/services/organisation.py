"""Workflows of the organisation: programmes, roles, people and evidence. All audited."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from audit.services import audit_change, audit_record, audit_snapshot
from pokja.hooks import programme_changed
from pokja.models import (
    Evidence,
    Pokja,
    Programme,
    ProgrammeRole,
    RoleInvitation,
    Unit,
    UnitRole,
    User,
)
from pokja.uploads import check_upload

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
EVIDENCE_FIELDS = ("programme", "pokja", "kind", "title", "file", "original_name", "size", "url")


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
    programme.full_clean()
    programme.save()
    Pokja.objects.bulk_create(
        Pokja(programme=programme, number=area.pokja_number, area_code=area.code, name=area.name)
        for area in areas
    )
    audit_change(
        actor=actor,
        obj=programme,
        before=None,
        after=audit_snapshot(programme, PROGRAMME_FIELDS),
        programme_id=programme.pk,
        unit_id=unit.pk,
    )
    programme_changed(programme.pk)
    return programme


@transaction.atomic
def programme_update(*, actor: User, programme: Programme, **changes) -> Programme:
    """Change a programme's settings (target, WBK held, declaration date, document, status)."""
    allowed = {"target", "holds_wbk", "pencanangan_date", "pakta_document", "status"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"programme_update cannot change {sorted(unknown)}")
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before = audit_snapshot(programme, PROGRAMME_FIELDS)
    for name, value in changes.items():
        setattr(programme, name, value)
    programme.full_clean()
    programme.save()
    after = audit_snapshot(programme, PROGRAMME_FIELDS)
    audit_change(
        actor=actor,
        obj=programme,
        before=before,
        after=after,
        programme_id=programme.pk,
        unit_id=programme.unit_id,
    )
    if after != before:
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
    audit_change(
        actor=actor,
        obj=role,
        before=None,
        after=audit_snapshot(role, ROLE_FIELDS),
        programme_id=programme.pk,
        unit_id=programme.unit_id,
    )
    return role


@transaction.atomic
def programme_role_remove(*, actor: User, role: ProgrammeRole) -> None:
    before = audit_snapshot(role, ROLE_FIELDS)
    programme = role.programme
    audit_change(
        actor=actor,
        obj=role,
        before=before,
        after=None,
        programme_id=programme.pk,
        unit_id=programme.unit_id,
    )
    role.delete()


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
    audit_change(
        actor=actor,
        obj=invitation,
        before=None,
        after=audit_snapshot(invitation, INVITATION_FIELDS),
        programme_id=programme.pk,
        unit_id=programme.unit_id,
    )
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
    invitation.status = RoleInvitation.Status.ACCEPTED
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=user,
        action="update",
        obj=invitation,
        programme_id=invitation.programme_id,
        unit_id=invitation.programme.unit_id,
        note=NOTE_INVITATION_ACCEPTED,
    )
    return role


@transaction.atomic
def role_invitation_decline(*, invitation: RoleInvitation, user: User) -> None:
    """The invitee says no. Recorded outside the unit's trail: the unit learns nothing of an
    account that did not accept."""
    invitation = _open_invitation_for(invitation, user)
    invitation.status = RoleInvitation.Status.DECLINED
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["status", "decided_at"])
    audit_record(actor=user, action="update", obj=invitation, note=NOTE_INVITATION_DECLINED)


@transaction.atomic
def role_invitation_withdraw(*, actor: User, invitation: RoleInvitation) -> None:
    invitation = RoleInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status not in _STILL_OPEN:
        return
    invitation.status = RoleInvitation.Status.WITHDRAWN
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["status", "decided_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=invitation,
        programme_id=invitation.programme_id,
        unit_id=invitation.programme.unit_id,
        note=NOTE_INVITATION_WITHDRAWN,
    )


@transaction.atomic
def unit_role_add(*, actor: User | None, unit: Unit, user: User, kind: str) -> UnitRole:
    role, created = UnitRole.objects.get_or_create(user=user, unit=unit, kind=kind)
    if created:
        audit_change(
            actor=actor,
            obj=role,
            before=None,
            after=audit_snapshot(role, ("user", "unit", "kind")),
            unit_id=unit.pk,
        )
    return role


@transaction.atomic
def evidence_add_file(
    *,
    actor: User,
    programme: Programme,
    pokja: Pokja | None,
    uploaded: UploadedFile,
    title: str = "",
) -> Evidence:
    """Store an uploaded file after checking its size and real type.

    The same file uploaded again to the same programme is the same piece of evidence; a new
    title given with it renames it (audited) when it is the same Pokja's (or, for the
    programme's own documents, also the programme's). Another Pokja's evidence keeps its
    title: ``kept_title`` on the returned evidence then says so, for the page to tell.
    """
    checked = check_upload(uploaded)
    existing = (
        Evidence.objects.select_for_update()
        .filter(programme=programme, sha256=checked.sha256, kind="file")
        .first()
    )
    if existing is not None:
        new_title = title.strip()[:200]
        existing.kept_title = False
        if new_title and new_title != existing.title:
            if existing.pokja_id == (pokja.pk if pokja else None):
                before = audit_snapshot(existing, EVIDENCE_FIELDS)
                existing.title = new_title
                existing.save(update_fields=["title"])
                audit_change(
                    actor=actor,
                    obj=existing,
                    before=before,
                    after=audit_snapshot(existing, EVIDENCE_FIELDS),
                    programme_id=programme.pk,
                    unit_id=programme.unit_id,
                )
            else:
                existing.kept_title = True
        return existing
    evidence = Evidence(
        programme=programme,
        pokja=pokja,
        kind=Evidence.Kind.FILE,
        title=(title or checked.original_name)[:200],
        original_name=checked.original_name,
        content_type=checked.content_type,
        extension=checked.extension,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save("upload", uploaded, save=False)
    evidence.save()
    audit_change(
        actor=actor,
        obj=evidence,
        before=None,
        after=audit_snapshot(evidence, EVIDENCE_FIELDS),
        programme_id=programme.pk,
        unit_id=programme.unit_id,
    )
    return evidence


@transaction.atomic
def evidence_add_link(
    *, actor: User, programme: Programme, pokja: Pokja | None, url: str, title: str
) -> Evidence:
    evidence = Evidence(
        programme=programme,
        pokja=pokja,
        kind=Evidence.Kind.LINK,
        title=(title or url)[:200],
        url=url,
        uploaded_by=actor,
    )
    evidence.full_clean(exclude=["file"])
    evidence.save()
    audit_change(
        actor=actor,
        obj=evidence,
        before=None,
        after=audit_snapshot(evidence, EVIDENCE_FIELDS),
        programme_id=programme.pk,
        unit_id=programme.unit_id,
    )
    return evidence


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
    user.full_clean(exclude=["password"])
    user.save()
    audit_change(
        actor=actor,
        obj=user,
        before=None,
        after=audit_snapshot(user, ("username", "full_name", "email", "is_active")),
        unit_id=unit_id,
    )
    return user


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
    person = User.objects.select_for_update().get(pk=actor.pk)
    before = audit_snapshot(person, ("language",))
    if person.language != language:
        person.language = language
        person.save(update_fields=["language"])
        audit_change(actor=actor, obj=person, before=before, after={"language": language})
    actor.language = language
    return person
