"""The programme's audit trail, for the people accountable for it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from audit.presentation import describe_entries
from audit.selectors import (
    audit_actors,
    audit_entries_in_scope,
    audit_filter,
    audit_object_types,
)
from pokja.access import get_programme_for_user
from pokja.forms import AuditFilterForm

PAGE_SIZE = 50


@login_required
def audit_trail(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    if not access.can_read_audit:
        raise PermissionDenied
    scope = audit_entries_in_scope(
        programme_id=programme.pk,
        unit_id=programme.unit_id,
        include_unit_wide=access.can_manage,
    )
    form = AuditFilterForm(
        request.GET, actors=audit_actors(scope), object_types=audit_object_types(scope)
    )
    entries = audit_filter(scope, form.filters())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {
            "programme": programme,
            "access": access,
            "form": form,
            "page": page,
            "rows": describe_entries(page.object_list),
            "query": query.urlencode(),
        },
    )
