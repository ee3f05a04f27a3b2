"""The people of a unit: accounts and unit roles, managed by the unit's administrators.

Every change is audited with the unit (and, for programme roles, the programme) it concerns.
Passwords and reset links never enter the audit trail.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
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
from pokja import signin
from pokja.models import ProgrammeRole, Unit, UnitRole, User
from zi_tracker.http import site_url

PERSON_FIELDS = ("username", "full_name", "position", "email", "phone", "is_active")
EDITABLE_FIELDS = ("full_name", "position", "email", "phone")
UNIT_ROLE_FIELDS = ("user", "unit", "kind")
# Audit notes are stored in English and shown translated (audit.presentation).
NOTE_RESET_SENT = gettext_noop("Password reset e-mail sent")
NOTE_UNLOCKED = gettext_noop("Sign-in lock lifted")


def people_of_unit(unit: Unit) -> QuerySet[User]:
    """Everyone holding a role in the unit or in one of its programmes."""
    return User.objects.filter(
        Q(pk__in=UnitRole.objects.filter(unit=unit).values("user_id"))
        | Q(pk__in=ProgrammeRole.objects.filter(programme__unit=unit).values("user_id"))
    )


@transaction.atomic
def person_create(
    *,
    actor: User,
    unit: Unit,
    username: str,
    full_name: str,
    position: str = "",
    email: str = "",
    phone: str = "",
    password: str | None = None,
) -> User:
    """Create an account. Without a password it cannot sign in until its owner chooses one
    through the link of `person_send_password_reset`."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken; choose another.")})
    user = User(username=username, full_name=full_name, position=position, email=email, phone=phone)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return audited_create(user, PERSON_FIELDS, actor=actor, check=_check_person, unit_id=unit.pk)


def _check_person(person: User) -> None:
    person.full_clean(exclude=["password"])


@transaction.atomic
def person_update(*, actor: User, unit: Unit, person: User, **changes) -> User:
    editable_only(changes, EDITABLE_FIELDS, service="person_update")
    person = locked(person)
    audited_update(
        person,
        PERSON_FIELDS,
        actor=actor,
        changes=changes,
        check=_check_person,
        update_fields=list(changes),
        unit_id=unit.pk,
    )
    return person


@transaction.atomic
def person_set_active(*, actor: User, unit: Unit, person: User, active: bool) -> User:
    """Deactivate (the person is signed out at their next request and cannot sign in) or
    reactivate an account. Reactivating also lifts a sign-in lock on it."""
    person = locked(person)
    if person.is_active == active:
        return person
    audited_update(
        person,
        PERSON_FIELDS,
        actor=actor,
        changes={"is_active": active},
        update_fields=["is_active"],
        unit_id=unit.pk,
    )
    if active:
        _lift_sign_in_lock(person)
    return person


@transaction.atomic
def person_send_password_reset(*, actor: User, unit: Unit, person: User) -> None:
    """E-mail the person a link to choose a new password (also how new accounts without a
    password get theirs). The link works once and expires (PASSWORD_RESET_TIMEOUT)."""
    if not person.is_active:
        raise ValidationError(_("This account is deactivated; reactivate it first."))
    if not person.email:
        raise ValidationError(
            {"email": _("This person has no e-mail address; add one to send the link.")}
        )
    site = urlsplit(site_url())  # ZI_SITE_URL: never the request's host in an e-mail
    context = {
        "email": person.email,
        "domain": site.netloc,
        "site_name": "ZI Tracker",
        "uid": urlsafe_base64_encode(force_bytes(person.pk)),
        "user": person,
        "token": default_token_generator.make_token(person),
        "protocol": site.scheme,
    }
    audit_record(
        actor=actor,
        action="update",
        obj=person,
        unit_id=unit.pk,
        note=NOTE_RESET_SENT,
    )
    # Sent after the entry is safely recorded; a failing mail server rolls both back.
    PasswordResetForm().send_mail(
        "registration/password_reset_subject.txt",
        "registration/password_reset_email.html",
        context,
        settings.DEFAULT_FROM_EMAIL,
        person.email,
    )


def _lift_sign_in_lock(person: User) -> int:
    return signin.clear_failures(person.get_username())


def locked_out_usernames(usernames: list[str]) -> set[str]:
    """Of `usernames`, those whose sign-in is throttled now (one query; `pokja.signin`)."""
    return signin.throttled_usernames(usernames)


@transaction.atomic
def person_unlock_sign_in(*, actor: User, unit: Unit, person: User) -> int:
    count = _lift_sign_in_lock(person)
    audit_record(
        actor=actor,
        action="update",
        obj=person,
        unit_id=unit.pk,
        note=NOTE_UNLOCKED,
    )
    return count


@transaction.atomic
def unit_role_give(*, actor: User, unit: Unit, person: User, kind: str) -> UnitRole:
    role, created = UnitRole.objects.get_or_create(user=person, unit=unit, kind=kind)
    if not created:
        raise ValidationError({"kind": _("%(user)s already has this role.") % {"user": person}})
    audit_created(role, UNIT_ROLE_FIELDS, actor=actor, unit_id=unit.pk)
    return role


@transaction.atomic
def unit_role_remove(*, actor: User, role: UnitRole) -> None:
    audited_delete(role, UNIT_ROLE_FIELDS, actor=actor, unit_id=role.unit_id)
