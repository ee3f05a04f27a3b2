"""The agency administrator's pages: the proposal, the portal's tokens and its fetch log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dashboards.forms import PrerequisitesForm
from pokja.models import programme_today
from portalrb import selectors, services
from portalrb.access import (
    agencies_for,
    get_agency_for_user,
    get_agency_programme,
    get_agency_token,
)
from portalrb.forms import ProposedUnitForm, TokenForm
from portalrb.models import Proposal
from portalrb.navigation import MENU_LIMIT


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _proposal_url(agency, year: int) -> str:
    return reverse("portalrb_proposal", kwargs={"unit_code": agency.code, "year": year})


@login_required
def agency_home(request, unit_code: str):
    """The agency's portal page for the current evaluation year."""
    agency = get_agency_for_user(request.user, unit_code)
    return redirect(_proposal_url(agency, programme_today().year))


@login_required
def proposal(request, unit_code: str, year: int):
    agency = get_agency_for_user(request.user, unit_code)
    record = Proposal.objects.filter(agency=agency, year=year).first()
    rows = selectors.proposal_candidates(agency, year, record)
    forms = {
        row.programme.pk: ProposedUnitForm(
            initial={
                "category": row.category,
                "exception_note": row.proposed.exception_note if row.proposed else "",
            },
            prefix=f"p{row.programme.pk}",
        )
        for row in rows
    }
    context = {
        "agency": agency,
        "year": year,
        "record": record,
        "rows": [(row, forms[row.programme.pk]) for row in rows],
        "proposed_count": sum(1 for row in rows if row.category),
        "flagged_count": sum(1 for row in rows if row.category and row.flagged),
        "unconfirmed": [
            row for row in rows if row.proposed and row.proposed.changed_since_confirmation
        ],
        "prerequisites_form": PrerequisitesForm(
            initial={
                "audit_opinion": record.audit_opinion if record else "",
                "sakip_grade": record.sakip_grade if record else "",
            }
        ),
        "base_path": settings.ZI_PORTALRB_BASE_PATH,
    }
    return render(request, "portalrb/proposal.html", context)


@login_required
@require_POST
def prerequisites_set(request, unit_code: str, year: int):
    agency = get_agency_for_user(request.user, unit_code)
    form = PrerequisitesForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect(_proposal_url(agency, year))
    record = services.proposal_get_or_create(agency=agency, year=year, user=request.user)
    services.proposal_set_prerequisites(proposal=record, user=request.user, **form.cleaned_data)
    messages.success(request, _("The agency's prerequisites are recorded."))
    return redirect(_proposal_url(agency, year))


@login_required
@require_POST
def proposed_unit_set(request, unit_code: str, year: int, programme_id: int):
    agency = get_agency_for_user(request.user, unit_code)
    programme = get_agency_programme(agency, programme_id, year)
    form = ProposedUnitForm(request.POST, prefix=f"p{programme.pk}")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{programme.unit.name}, {label}: {' '.join(errors)}")
        return redirect(_proposal_url(agency, year))
    record = services.proposal_get_or_create(agency=agency, year=year, user=request.user)
    try:
        services.proposed_unit_set(
            proposal=record, programme=programme, user=request.user, **form.cleaned_data
        )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(unit)s is saved in the proposal (not confirmed yet).")
            % {"unit": programme.unit.name},
        )
    return redirect(_proposal_url(agency, year) + f"#programme-{programme.pk}")


@login_required
@require_POST
def proposal_confirm(request, unit_code: str, year: int):
    agency = get_agency_for_user(request.user, unit_code)
    record = Proposal.objects.filter(agency=agency, year=year).first()
    if record is None:
        messages.error(request, _("Propose at least one unit before confirming."))
        return redirect(_proposal_url(agency, year))
    try:
        services.proposal_confirm(proposal=record, user=request.user)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(
            request, _("The proposal is confirmed: the portal now fetches these answers.")
        )
    return redirect(_proposal_url(agency, year))


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request, unit_code: str):
    agency = get_agency_for_user(request.user, unit_code)
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = services.token_create(
                agency=agency, name=form.cleaned_data["name"], user=request.user
            )
        except ValidationError as exc:
            for message in _errors(exc):
                form.add_error("name", message)
        else:
            form = TokenForm()
    response = render(
        request,
        "portalrb/tokens.html",
        {
            "agency": agency,
            "form": form,
            "tokens": selectors.agency_tokens(agency),
            "new_token": new_token,
            "base_url": request.build_absolute_uri(settings.ZI_PORTALRB_BASE_PATH),
            "year": programme_today().year,
        },
    )
    # The new token is in this page only: never kept by a cache or the browser's history.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def token_revoke(request, unit_code: str, token_id: int):
    agency = get_agency_for_user(request.user, unit_code)
    token = get_agency_token(agency, token_id)
    services.token_revoke(token=token, user=request.user)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("portalrb_tokens", unit_code=agency.code)


@login_required
def fetch_log(request, unit_code: str):
    agency = get_agency_for_user(request.user, unit_code)
    return render(
        request,
        "portalrb/fetch_log.html",
        {
            "agency": agency,
            "fetches": selectors.fetch_log(agency),
            "limit": selectors.FETCH_LOG_LIMIT,
            "year": programme_today().year,
        },
    )


@login_required
def agency_menu(request):
    """The menu's entry to the agencies the person acts for, loaded by htmx (nothing for
    anyone else), so that pages need no query of their own."""
    return render(
        request,
        "portalrb/_menu.html",
        {
            "agencies": list(agencies_for(request.user)[:MENU_LIMIT]),
            "year": programme_today().year,
        },
    )
