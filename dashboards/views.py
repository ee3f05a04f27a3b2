from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dashboards import services
from dashboards.selectors import plan_drafts
from pokja.access import get_programme_for_user, manageable_unit_ids, visible_programmes
from pokja.models import Pokja, ProgrammeRole, UnitRole
from pokja.selectors import change_agents_pokja


@login_required
def home(request):
    """The signed-in person's starting page: their programmes and what they do in each."""
    user = request.user
    programmes = list(visible_programmes(user).order_by("-year", "unit__name")[:200])
    roles_by_programme = defaultdict(list)
    for role in ProgrammeRole.objects.filter(user=user, programme__in=programmes).select_related(
        "pokja"
    ):
        roles_by_programme[role.programme_id].append(role)
    unit_roles = list(UnitRole.objects.filter(user=user).select_related("unit"))
    manageable = manageable_unit_ids(user)
    cards = []
    for programme in programmes:
        roles = roles_by_programme.get(programme.pk, [])
        kinds = {role.kind for role in roles}
        cards.append(
            {
                "programme": programme,
                "roles": roles,
                "is_coordinator": ProgrammeRole.Kind.KOORDINATOR in kinds,
                "is_tpi": ProgrammeRole.Kind.TPI in kinds,
                "is_pimpinan": ProgrammeRole.Kind.PIMPINAN in kinds,
                "pokja_roles": [r for r in roles if r.pokja_id],
                "can_manage": manageable is None or programme.unit_id in manageable,
            }
        )
    return render(
        request,
        "dashboards/home.html",
        {
            "cards": cards,
            "unit_roles": unit_roles,
            "can_create_programme": manageable is None or bool(manageable),
        },
    )


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


def _get_pokja_for_user(request, unit_code: str, year: int, number: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    pokja = get_object_or_404(Pokja, programme=programme, number=number)
    pokja.programme = programme
    return programme, access, pokja


@login_required
def pokja_plan_drafts(request, unit_code: str, year: int, number: int):
    """Activities the current LKE answers suggest for this Pokja, most points at stake first."""
    programme, access, pokja = _get_pokja_for_user(request, unit_code, year, number)
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
    programme, access, pokja = _get_pokja_for_user(request, unit_code, year, number)
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
