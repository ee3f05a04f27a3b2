"""The people of a unit, for its administrators: accounts and roles, all audited."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.selectors import audit_history_for
from pokja import services
from pokja.access import can_manage_account, get_unit_for_manager, manageable_unit_ids
from pokja.forms import (
    PeopleFilterForm,
    PersonCreateForm,
    PersonEditForm,
    RoleGiveForm,
    add_validation_errors,
)
from pokja.models import ProgrammeRole, Unit, UnitRole, User
from pokja.services import people

PAGE_SIZE = 50


def _roles_prefetch(unit: Unit) -> list[Prefetch]:
    return [
        Prefetch(
            "programme_roles",
            queryset=ProgrammeRole.objects.filter(programme__unit=unit)
            .select_related("programme", "pokja")
            .order_by("-programme__year", "kind", "pokja__number"),
            to_attr="unit_programme_roles",
        ),
        Prefetch(
            "unit_roles",
            queryset=UnitRole.objects.filter(unit=unit).order_by("kind"),
            to_attr="this_unit_roles",
        ),
    ]


def _get_person_for_user(request, unit_code: str, user_id: int) -> tuple[Unit, User]:
    """The unit (administered by the requester) and one of its people; 404 otherwise."""
    unit = get_unit_for_manager(request.user, unit_code)
    person = get_object_or_404(
        people.people_of_unit(unit).prefetch_related(*_roles_prefetch(unit)), pk=user_id
    )
    return unit, person


def _require_account_rights(request, person: User) -> None:
    if not can_manage_account(request.user, person):
        raise PermissionDenied


def _allow_oversight(user) -> bool:
    return manageable_unit_ids(user) is None


def _give_role(*, actor: User, unit: Unit, person: User, form: RoleGiveForm | PersonCreateForm):
    data = form.cleaned_data
    if form.unit_role_kind:
        return people.unit_role_give(
            actor=actor, unit=unit, person=person, kind=form.unit_role_kind
        )
    return services.programme_role_add(
        actor=actor,
        programme=data["programme"],
        user=person,
        kind=data["role"],
        pokja=form.pokja(),
    )


@login_required
def unit_people(request, unit_code: str):
    unit = get_unit_for_manager(request.user, unit_code)
    form = PeopleFilterForm(request.GET)
    persons = people.people_of_unit(unit)
    data = form.valid_data()
    status = data.get("status") or PeopleFilterForm.ACTIVE
    query = (data.get("q") or "").strip()
    if status == PeopleFilterForm.ACTIVE:
        persons = persons.filter(is_active=True)
    elif status == PeopleFilterForm.INACTIVE:
        persons = persons.filter(is_active=False)
    if query:
        persons = persons.filter(
            Q(username__icontains=query)
            | Q(full_name__icontains=query)
            | Q(position__icontains=query)
            | Q(email__icontains=query)
        )
    persons = persons.order_by("full_name", "username").prefetch_related(*_roles_prefetch(unit))
    page = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
    locked = people.locked_out_usernames([p.username for p in page.object_list])
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "pokja/people/list.html",
        {
            "unit": unit,
            "form": form,
            "page": page,
            "locked": locked,
            "query": query_string.urlencode(),
        },
    )


@login_required
def unit_person_create(request, unit_code: str):
    unit = get_unit_for_manager(request.user, unit_code)
    form = PersonCreateForm(
        request.POST or None, unit=unit, allow_oversight=_allow_oversight(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        send_link = data["password_choice"] == PersonCreateForm.SEND_LINK
        try:
            with transaction.atomic():
                person = people.person_create(
                    actor=request.user,
                    unit=unit,
                    username=data["username"],
                    full_name=data["full_name"],
                    position=data["position"],
                    email=data["email"],
                    phone=data["phone"],
                    password=None if send_link else data["password"],
                )
                _give_role(actor=request.user, unit=unit, person=person, form=form)
                if send_link:
                    people.person_send_password_reset(actor=request.user, unit=unit, person=person)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            if send_link:
                messages.success(
                    request,
                    _("%(person)s was added; a link to choose a password was sent to %(email)s.")
                    % {"person": person, "email": person.email},
                )
            else:
                messages.success(request, _("%(person)s was added.") % {"person": person})
            return redirect("unit_person_detail", unit_code=unit.code, user_id=person.pk)
    return render(request, "pokja/people/create.html", {"unit": unit, "form": form})


@login_required
def unit_person_detail(request, unit_code: str, user_id: int):
    unit, person = _get_person_for_user(request, unit_code, user_id)
    edit_form = _edit_form(person, request.POST or None)
    if request.method == "POST":
        _require_account_rights(request, person)
        if edit_form.is_valid():
            try:
                people.person_update(
                    actor=request.user, unit=unit, person=person, **edit_form.cleaned_data
                )
            except ValidationError as exc:
                add_validation_errors(edit_form, exc)
            else:
                messages.success(request, _("Details saved."))
                return redirect("unit_person_detail", unit_code=unit.code, user_id=person.pk)
    return _render_person(request, unit, person, edit_form=edit_form)


def _edit_form(person: User, data=None) -> PersonEditForm:
    fields = ("full_name", "position", "email", "phone")
    return PersonEditForm(data, initial={name: getattr(person, name) for name in fields})


def _render_person(request, unit, person, *, edit_form=None, role_form=None):
    history = audit_history_for(person)
    if manageable_unit_ids(request.user) is not None:
        history = history.filter(unit_id=unit.pk)  # not what other units recorded
    return render(
        request,
        "pokja/people/detail.html",
        {
            "unit": unit,
            "person": person,
            "can_manage_account": can_manage_account(request.user, person),
            "is_self": person.pk == request.user.pk,
            "locked": bool(people.locked_out_usernames([person.username])),
            "edit_form": edit_form or _edit_form(person),
            "role_form": role_form
            or RoleGiveForm(unit=unit, allow_oversight=_allow_oversight(request.user)),
            "history": history[:30],
        },
    )


@login_required
@require_POST
def unit_person_role_give(request, unit_code: str, user_id: int):
    unit, person = _get_person_for_user(request, unit_code, user_id)
    form = RoleGiveForm(request.POST, unit=unit, allow_oversight=_allow_oversight(request.user))
    if form.is_valid():
        try:
            _give_role(actor=request.user, unit=unit, person=person, form=form)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("Role given to %(user)s.") % {"user": person})
            return redirect("unit_person_detail", unit_code=unit.code, user_id=person.pk)
    return _render_person(request, unit, person, role_form=form)


def _refuse_removing_last_role(request, person: User) -> bool:
    """An active account is never left without any role (and so outside every unit's list of
    people, where nobody could deactivate it): deactivate it first."""
    total = (
        ProgrammeRole.objects.filter(user=person).count()
        + UnitRole.objects.filter(user=person).count()
    )
    if total <= 1 and person.is_active:
        messages.error(
            request,
            _(
                "This is the last role of %(person)s. Deactivate the account first, or give "
                "another role before removing this one."
            )
            % {"person": person},
        )
        return True
    return False


@login_required
@require_POST
def unit_person_role_remove(request, unit_code: str, user_id: int, role_id: int):
    unit, person = _get_person_for_user(request, unit_code, user_id)
    role = get_object_or_404(ProgrammeRole, pk=role_id, user=person, programme__unit=unit)
    if not _refuse_removing_last_role(request, person):
        services.programme_role_remove(actor=request.user, role=role)
        messages.success(request, _("Role removed."))
    return redirect("unit_person_detail", unit_code=unit.code, user_id=person.pk)


@login_required
@require_POST
def unit_person_unit_role_remove(request, unit_code: str, user_id: int, role_id: int):
    unit, person = _get_person_for_user(request, unit_code, user_id)
    role = get_object_or_404(UnitRole, pk=role_id, user=person, unit=unit)
    if person.pk == request.user.pk and role.kind == UnitRole.Kind.ADMIN:
        messages.error(
            request, _("You cannot remove your own administrator role; ask another administrator.")
        )
    elif not _refuse_removing_last_role(request, person):
        people.unit_role_remove(actor=request.user, role=role)
        messages.success(request, _("Role removed."))
    if not people.people_of_unit(unit).filter(pk=person.pk).exists():
        return redirect("unit_people", unit_code=unit.code)
    return redirect("unit_person_detail", unit_code=unit.code, user_id=person.pk)


@login_required
@require_POST
def unit_person_set_active(request, unit_code: str, user_id: int):
    unit, person = _get_person_for_user(request, unit_code, user_id)
    _require_account_rights(request, person)
    active = request.POST.get("active") == "1"
    people.person_set_active(actor=request.user, unit=unit, person=person, active=active)
    if active:
        messages.success(request, _("%(person)s can sign in again.") % {"person": person})
    else:
        messages.success(
            request,
            _("%(person)s is deactivated and signed out everywhere.") % {"person": person},
        )
    return redirect("unit_person_detail", unit_code=unit.code, user_id=person.pk)


@login_required
@require_POST
def unit_person_password_reset(request, unit_code: str, user_id: int):
    unit, person = _get_person_for_user(request, unit_code, user_id)
    _require_account_rights(request, person)
    try:
        people.person_send_password_reset(actor=request.user, unit=unit, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("A link to choose a new password was sent to %(email)s.") % {"email": person.email},
        )
    return redirect("unit_person_detail", unit_code=unit.code, user_id=person.pk)


@login_required
@require_POST
def unit_person_unlock(request, unit_code: str, user_id: int):
    unit, person = _get_person_for_user(request, unit_code, user_id)
    _require_account_rights(request, person)
    people.person_unlock_sign_in(actor=request.user, unit=unit, person=person)
    messages.success(request, _("%(person)s can try to sign in again.") % {"person": person})
    return redirect("unit_person_detail", unit_code=unit.code, user_id=person.pk)
