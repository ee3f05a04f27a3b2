from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from audit.selectors import audit_history_for
from pokja import services
from pokja.access import get_programme_for_user, manageable_unit_ids, programme_access
from pokja.forms import (
    ProgrammeCreateForm,
    ProgrammeSettingsForm,
    RoleAddForm,
    add_validation_errors,
    read_only,
    submitted,
)
from pokja.models import Evidence, Pokja, ProgrammeRole, RoleInvitation, Unit
from pokja.selectors import invitations_to, open_invitations, plan_status_counts
from pokja.uploads import evidence_file_response


def _pokja_with_roles():
    return Prefetch(
        "roles",
        queryset=ProgrammeRole.objects.select_related("user").order_by("kind", "user__full_name"),
    )


def _get_pokja_for_user(request, unit_code: str, year: int, number: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    pokja = get_object_or_404(
        Pokja.objects.prefetch_related(_pokja_with_roles()), programme=programme, number=number
    )
    return programme, access, pokja


def _get_evidence_for_user(request, pk: int):
    evidence = get_object_or_404(Evidence.objects.select_related("programme"), pk=pk)
    access = programme_access(request.user, evidence.programme)
    if not access.can_view:
        raise Http404
    return evidence, access


@login_required
def programme_detail(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    pokjas = programme.pokjas.prefetch_related(_pokja_with_roles())
    programme_roles = (
        programme.roles.filter(pokja__isnull=True).select_related("user").order_by("kind")
    )
    return render(
        request,
        "pokja/programme_detail.html",
        {
            "programme": programme,
            "access": access,
            "pokjas": pokjas,
            "programme_roles": programme_roles,
        },
    )


@login_required
def pokja_detail(request, unit_code: str, year: int, number: int):
    programme, access, pokja = _get_pokja_for_user(request, unit_code, year, number)
    evidence = pokja.evidence.select_related("uploaded_by")[:50]
    plan_counts = plan_status_counts(programme).get(pokja.pk)
    return render(
        request,
        "pokja/pokja_detail.html",
        {
            "programme": programme,
            "access": access,
            "pokja": pokja,
            "can_edit": access.can_edit_pokja(pokja.pk),
            "evidence_list": evidence,
            "plan_counts": plan_counts,
        },
    )


@login_required
def programme_create(request):
    unit_ids = manageable_unit_ids(request.user)
    units = Unit.objects.all() if unit_ids is None else Unit.objects.filter(pk__in=unit_ids)
    if not units.exists():
        raise PermissionDenied
    form = ProgrammeCreateForm(request.POST or None, units=units)
    saved = submitted(
        request,
        form,
        lambda data: services.programme_create(
            actor=request.user,
            unit=data["unit"],
            year=data["year"],
            framework=data["framework"],
            target=data["target"],
            holds_wbk=data["holds_wbk"],
            pencanangan_date=data["pencanangan_date"],
        ),
    )
    if saved:
        programme = saved.value
        messages.success(request, _("Programme created with its six Pokja."))
        return redirect("programme_detail", **programme.url_kwargs())
    return render(request, "pokja/programme_form.html", {"form": form})


@login_required
def programme_settings(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    can_change = access.can_manage or access.can_coordinate
    # The head of unit reads the settings and their history; only these people change them.
    if not access.reads_everything or (request.method == "POST" and not can_change):
        raise PermissionDenied
    initial = {
        "target": programme.target,
        "holds_wbk": programme.holds_wbk,
        "pencanangan_date": programme.pencanangan_date,
        "status": programme.status,
    }
    form = ProgrammeSettingsForm(
        request.POST or None, request.FILES or None, initial=initial, programme=programme
    )
    if not can_change:
        read_only(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                changes = {
                    k: data[k] for k in ("target", "holds_wbk", "pencanangan_date", "status")
                }
                if data.get("pakta_file"):
                    evidence = services.evidence_add_file(
                        actor=request.user,
                        programme=programme,
                        pokja=None,
                        uploaded=data["pakta_file"],
                        title=_("Pakta integritas"),
                    )
                    changes["pakta_document"] = evidence
                services.programme_update(actor=request.user, programme=programme, **changes)
        except ValidationError as exc:
            add_validation_errors(form, exc, file_field="pakta_file")
        else:
            messages.success(request, _("Programme settings saved."))
            return redirect("programme_detail", **programme.url_kwargs())
    return render(
        request,
        "pokja/programme_settings.html",
        {
            "programme": programme,
            "access": access,
            "form": form,
            "can_change": can_change,
            "history": audit_history_for(programme)[:20],
        },
    )


@login_required
def programme_roles(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    if not access.can_manage:
        raise PermissionDenied
    form = RoleAddForm(request.POST or None, programme=programme, any_account=access.site_admin)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if form.person is not None:
                services.programme_role_add(
                    actor=request.user,
                    programme=programme,
                    user=form.person,
                    kind=data["kind"],
                    pokja=data.get("pokja"),
                )
            else:
                invitation = services.role_invitation_create(
                    actor=request.user,
                    programme=programme,
                    username=data["username"],
                    kind=data["kind"],
                    pokja=data.get("pokja"),
                )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            if form.person is not None:
                messages.success(request, _("Role given to %(user)s.") % {"user": form.person})
            else:
                # The same words whether an account has this username or not.
                messages.info(
                    request,
                    _(
                        "Invitation recorded for “%(username)s”. If this is someone's username, "
                        "they find the invitation once signed in, and the role is theirs when "
                        "they accept it (open until %(date)s)."
                    )
                    % {
                        "username": invitation.username,
                        "date": date_format(timezone.localtime(invitation.expires_at), "j F Y"),
                    },
                )
            return redirect("programme_roles", **programme.url_kwargs())
    roles = programme.roles.select_related("user", "pokja").order_by("kind", "pokja__number")
    return render(
        request,
        "pokja/programme_roles.html",
        {
            "programme": programme,
            "access": access,
            "form": form,
            "roles": roles,
            "invitations": open_invitations(programme),
        },
    )


@login_required
@require_POST
def programme_invitation_withdraw(request, unit_code: str, year: int, invitation_id: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    if not access.can_manage:
        raise PermissionDenied
    invitation = get_object_or_404(RoleInvitation, pk=invitation_id, programme=programme)
    services.role_invitation_withdraw(actor=request.user, invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("programme_roles", **programme.url_kwargs())


def _get_invitation_for_user(request, invitation_id: int) -> RoleInvitation:
    """An open invitation to the signed-in person; 404 for any other."""
    invitation = get_object_or_404(invitations_to(request.user), pk=invitation_id)
    return invitation


@login_required
def invitation_list(request):
    return render(
        request,
        "pokja/invitations.html",
        {"invitations": invitations_to(request.user)},
    )


@login_required
def invitation_badge(request):
    """The menu's link to one's open invitations, loaded by htmx (nothing when there are none),
    so pages need no query of their own."""
    return render(
        request,
        "pokja/partials/invitation_badge.html",
        {"count": invitations_to(request.user).count()},
    )


@login_required
@require_POST
def invitation_accept(request, invitation_id: int):
    invitation = _get_invitation_for_user(request, invitation_id)
    try:
        role = services.role_invitation_accept(invitation=invitation, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("invitation_list")
    messages.success(
        request,
        _("You are now %(role)s in %(programme)s.")
        % {"role": role.get_kind_display(), "programme": role.programme},
    )
    return redirect("programme_detail", **role.programme.url_kwargs())


@login_required
@require_POST
def invitation_decline(request, invitation_id: int):
    invitation = _get_invitation_for_user(request, invitation_id)
    try:
        services.role_invitation_decline(invitation=invitation, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Invitation declined."))
    return redirect("invitation_list")


@login_required
@require_POST
def programme_role_remove(request, unit_code: str, year: int, role_id: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    if not access.can_manage:
        raise PermissionDenied
    role = get_object_or_404(ProgrammeRole, pk=role_id, programme=programme)
    services.programme_role_remove(actor=request.user, role=role)
    messages.success(request, _("Role removed."))
    return redirect("programme_roles", **programme.url_kwargs())


@login_required
def evidence_download(request, pk: int):
    evidence, _access = _get_evidence_for_user(request, pk)
    return evidence_file_response(evidence)


@require_POST
def language_switch(request):
    """The language switcher in the menu: Django's set_language (the cookie the interface
    follows), and for a person signed in, the language their notifications and e-mails are
    written in."""
    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.person_language_set(actor=request.user, language=language)
    return response
