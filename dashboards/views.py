from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dashboards import services
from dashboards.cache import cached_part, overview_version, programme_version
from dashboards.exports import overview_workbook
from dashboards.forms import OverviewFilterForm, ProposalRecordForm
from dashboards.models import ProposalRecord
from dashboards.selectors import coordinator_dashboard, plan_drafts, pokja_dashboard
from dashboards.selectors.home import home_page
from dashboards.selectors.overview import overseen_programmes, overview, overview_choices
from evaluations.selectors import score_status
from pokja.access import get_pokja_for_user, get_programme_for_user
from pokja.models import Programme, programme_today
from pokja.selectors import change_agents_pokja
from pokja.spreadsheets import xlsx_response


@login_required
def home(request):
    """The signed-in person's starting page: for each programme, what needs them today."""
    return render(request, "dashboards/home.html", {"h": home_page(request.user)})


@require_GET
@never_cache
def healthz(request):
    """For load balancers and container health checks: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # any database failure makes the instance unhealthy
        return JsonResponse({"status": "database unavailable"}, status=503)
    return HttpResponse("ok", content_type="text/plain")


FAVICON = (settings.BASE_DIR / "static" / "favicon.svg").read_bytes()


@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico on their own (on pages and fragments that have no
    <link rel="icon">); answer with the site's icon instead of a 404."""
    response = HttpResponse(FAVICON, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --------------------------------------------------------------------------- LKE and plans


@login_required
@require_POST
def change_agents_to_lke(request, unit_code: str, year: int):
    """Set the unit's answers to LKE questions 88-91 from the change-agent register."""
    programme, access = get_programme_for_user(request.user, unit_code, year)
    keeper = change_agents_pokja(programme)
    if keeper is None or not access.can_edit_pokja(keeper.pk):
        raise PermissionDenied
    try:
        answers = services.change_agents_to_lke(actor=request.user, programme=programme)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("LKE answers set from the register: %(answers)s.")
            % {"answers": ", ".join(f"q{n} = {v}" for n, v in answers.items())},
        )
    return redirect("change_agents", **programme.url_kwargs())


@login_required
def pokja_plan_drafts(request, unit_code: str, year: int, number: int):
    """Activities the current LKE answers suggest for this Pokja, most points at stake first."""
    programme, access, pokja = get_pokja_for_user(request.user, unit_code, year, number)
    return render(
        request,
        "dashboards/plan_drafts.html",
        {
            "programme": programme,
            "access": access,
            "pokja": pokja,
            "drafts": plan_drafts(programme, pokja),
            "can_accept": access.is_chair_of(pokja.pk),
        },
    )


@login_required
@require_POST
def plan_draft_accept(request, unit_code: str, year: int, number: int, question: int):
    programme, access, pokja = get_pokja_for_user(request.user, unit_code, year, number)
    if not access.is_chair_of(pokja.pk):
        raise PermissionDenied
    try:
        item = services.plan_draft_accept(
            actor=request.user, access=access, programme=programme, pokja=pokja, number=question
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("pokja_plan_drafts", **programme.url_kwargs(), number=pokja.number)
    messages.success(
        request,
        _("%(code)s added to the plan; complete its owners, output and dates.")
        % {"code": item.code},
    )
    return redirect(
        "plan_item_edit", **programme.url_kwargs(), number=pokja.number, item_id=item.pk
    )


# --------------------------------------------------------------------------- dashboards


@login_required
def programme_dashboard(request, unit_code: str, year: int):
    """The coordinator's morning page: where the unit stands, what blocks WBK/WBBM, who is late.

    The same for everyone who sees the programme, so its body is kept in the cache under the
    version of the data it shows (dashboards.cache); only the coordinator's form is per person.
    """
    programme, access = get_programme_for_user(request.user, unit_code, year)

    def build() -> str:
        return render_to_string(
            "dashboards/partials/programme_dashboard_body.html",
            {"programme": programme, "d": coordinator_dashboard(programme)},
        )

    body = cached_part(f"programme-{programme.pk}", programme_version(programme), build)
    form = None
    if access.can_coordinate:
        record = ProposalRecord.objects.filter(programme=programme).first()
        form = ProposalRecordForm(
            initial={
                "audit_opinion": record.audit_opinion if record else "",
                "sakip_grade": record.sakip_grade if record else "",
                "note": record.note if record else "",
            }
        )
    return render(
        request,
        "dashboards/programme_dashboard.html",
        {
            "programme": programme,
            "access": access,
            "section": "dashboard",
            "body": mark_safe(body),
            "prerequisites_form": form,
        },
    )


@login_required
@require_POST
def proposal_record(request, unit_code: str, year: int):
    """The coordinator records the agency's audit opinion and SAKIP grade (audited)."""
    programme, access = get_programme_for_user(request.user, unit_code, year)
    if not access.can_coordinate:
        raise PermissionDenied
    form = ProposalRecordForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(errors)}")
    else:
        services.proposal_record_update(
            actor=request.user, programme=programme, **form.cleaned_data
        )
        messages.success(request, _("Proposal prerequisites recorded."))
    return redirect(
        reverse("programme_dashboard", kwargs=programme.url_kwargs()) + "#prerequisites"
    )


@login_required
@require_GET
@never_cache
def programme_score_status(request, unit_code: str, year: int):
    """Polled by a dashboard while its stored score awaits a recomputation: the same line
    while it waits, then a page reload (htmx's HX-Refresh) once the workers have stored it."""
    programme, _access = get_programme_for_user(request.user, unit_code, year)
    status = score_status(programme)
    if not status.stale:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(
        request,
        "dashboards/partials/score_status.html",
        {"programme": programme, "status": status},
    )


@login_required
def pokja_dashboard_view(request, unit_code: str, year: int, number: int):
    """A Pokja's page: its area score, the questions worth most points, its plan (mine first),
    what is late and what happened lately."""
    programme, access, pokja = get_pokja_for_user(request.user, unit_code, year, number)
    return render(
        request,
        "dashboards/pokja_dashboard.html",
        {
            "programme": programme,
            "access": access,
            "pokja": pokja,
            "d": pokja_dashboard(programme, pokja, request.user),
            "can_edit": access.can_edit_pokja(pokja.pk),
        },
    )


def _overview_for_user(request):
    programmes = overseen_programmes(request.user)
    if programmes is None:
        raise PermissionDenied
    units, years = overview_choices(programmes)
    form = OverviewFilterForm(
        request.GET, units=units, years=years, predicates=list(Programme.Target.values)
    )
    return programmes, form, form.filters(), units, years


@login_required
def units_overview(request):
    """The programmes of the units a person oversees (a Polda: its Polres), side by side.

    The table is kept in the cache under the version of the data it shows and the filters."""
    programmes, form, filters, units, years = _overview_for_user(request)

    def build() -> str:
        data = overview(programmes, filters, units=units, years=years)
        return render_to_string("dashboards/partials/overview_table.html", {"o": data})

    version = f"{overview_version(programmes)}|{sorted(filters.items())}"
    table = cached_part("overview", version, build)
    return render(
        request,
        "dashboards/overview.html",
        {"form": form, "table": mark_safe(table)},
    )


@login_required
def units_overview_export(request):
    """The overview's table, as filtered and sorted, as a workbook."""
    programmes, _form, filters, units, years = _overview_for_user(request)
    data = overview(programmes, filters, units=units, years=years)
    return xlsx_response(overview_workbook(data), f"zi-overview-{programme_today():%Y%m%d}.xlsx")
