from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from pokja.access import manageable_unit_ids, visible_programmes
from pokja.models import ProgrammeRole, UnitRole


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
