"""The import page of a Pokja's plan: upload, the preview (the header found, the field of each
column, changeable, the rows as they will be imported and every problem), then the
confirmation. The uploaded file waits for its confirmation in the cache, under a key bound to
the person, the Pokja and a random token (as the LKE workbook import does), for
`IMPORT_SECONDS`. Access: whoever may change the Pokja's plan (its members, the coordinator);
everyone else who sees the programme is refused (403), others do not find it (404)."""

from __future__ import annotations

import json
import re
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pokja import services
from pokja.access import get_pokja_for_user
from pokja.forms import PlanImportForm, PlanImportMappingForm
from pokja.models import ActionPlanItem
from pokja.plan_columns import COLUMNS, field_choices
from pokja.plan_layout import LayoutColumn
from pokja.uploads import safe_display_name

IMPORT_SECONDS = 30 * 60  # how long a previewed file waits for its confirmation
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")


def _key(request, pokja, token: str) -> str:
    return f"pokja:plan-import:{request.user.pk}:{pokja.pk}:{token}"


def _signature(mapping: dict[int, str], sub_area: int | None) -> str:
    return json.dumps([sorted(mapping.items()), sub_area])


@login_required
def pokja_plan_import(request, unit_code: str, year: int, number: int):
    programme, access, pokja = get_pokja_for_user(request.user, unit_code, year, number)
    if not access.can_edit_pokja(pokja.pk):
        raise PermissionDenied
    context = {
        "programme": programme,
        "access": access,
        "pokja": pokja,
        "form": PlanImportForm(),
        "errors": [],
        "columns": COLUMNS,
    }
    token = request.POST.get("token", "") if request.method == "POST" else ""
    if token:
        stored = cache.get(_key(request, pokja, token)) if _TOKEN.fullmatch(token) else None
        if stored is None:
            messages.error(request, _("The previewed file has expired; upload it again."))
            return redirect("pokja_plan_import", unit_code=unit_code, year=year, number=number)
        return _preview_or_import(request, context, token, stored)
    if request.method == "POST":
        form = context["form"] = PlanImportForm(request.POST, request.FILES)
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                name, data = services.plan_imports.plan_upload(uploaded)
                stored = {"name": safe_display_name(name)[:120], "data": data}
                preview = services.action_plan_import_preview(
                    actor=request.user, access=access, pokja=pokja, **stored
                )
            except services.PlanImportError as exc:
                context["errors"] = exc.errors
            else:
                token = secrets.token_urlsafe(16)
                stored["columns"] = [
                    (c.index, c.letter, c.header, c.field) for c in preview.layout.columns
                ]
                stored["sub_areas"] = preview.sub_areas
                cache.set(_key(request, pokja, token), stored, IMPORT_SECONDS)
                _show(context, preview, token, stored, None)
    return render(request, "pokja/plan_import.html", context)


def _columns(stored) -> list[LayoutColumn]:
    return [LayoutColumn(*column) for column in stored["columns"]]


def _show(context, preview, token, stored, mapping_form):
    signature = _signature(preview.mapping, preview.default_sub_area_id)
    form = PlanImportMappingForm(
        columns=_columns(stored),
        choices=field_choices(),
        sub_areas=preview.sub_areas,
        mapping=preview.mapping,
        initial={
            "token": token,
            "previewed": signature,
            "sub_area": preview.default_sub_area_id,
        },
    )
    if mapping_form is not None and mapping_form.errors:
        form = mapping_form  # its own errors shown
    form.examples = _samples(preview)
    context.update(
        preview=preview, mapping_form=form, errors=preview.errors, shown_rows=_rows(preview)
    )


def _rows(preview) -> list[dict]:
    """The preview's rows as the table shows them."""
    status_label = dict(ActionPlanItem.Status.choices)
    return [
        {
            "row": entry.row.row,
            "action": entry.action,
            "code": entry.item.code if entry.item else "",
            "changes": entry.changes,
            "title": entry.row.title,
            "sub_area": preview.sub_area_code.get(entry.row.sub_area_id, ""),
            "start_date": entry.row.start_date,
            "due_date": entry.row.due_date,
            "status": status_label.get(entry.row.status, entry.row.status),
            "progress": entry.row.progress if entry.row.progress_written else None,
            "owners": [preview.member_name.get(pk, "") for pk in entry.row.owner_ids],
        }
        for entry in preview.shown_rows
    ]


def _samples(preview) -> dict[int, str]:
    """Column index -> the first values under its header, for the mapping's choices."""
    out = {}
    for column in preview.layout.columns:
        values = [row[column.index] for row in preview.sample if column.index < len(row)]
        out[column.index] = " · ".join(v.strip()[:30] for v in values if v and v.strip())
    return out


def _preview_or_import(request, context, token, stored):
    pokja, access = context["pokja"], context["access"]
    preview_columns = _columns(stored)
    form = PlanImportMappingForm(
        request.POST,
        columns=preview_columns,
        choices=field_choices(),
        sub_areas=stored["sub_areas"],
    )
    if not form.is_valid():
        preview = services.action_plan_import_preview(
            actor=request.user, access=access, pokja=pokja, name=stored["name"], data=stored["data"]
        )
        _show(context, preview, token, stored, form)
        return render(request, "pokja/plan_import.html", context)
    mapping = form.mapping()
    sub_area = form.cleaned_data.get("sub_area")
    confirmed = request.POST.get("action") == "import"
    if confirmed and form.cleaned_data.get("previewed") == _signature(mapping, sub_area):
        try:
            preview = services.action_plan_import_apply(
                actor=request.user,
                access=access,
                pokja=pokja,
                name=stored["name"],
                data=stored["data"],
                mapping=mapping,
                default_sub_area_id=sub_area,
            )
        except services.PlanImportError as exc:
            context["errors"] = exc.errors
        else:
            cache.delete(_key(request, pokja, token))
            messages.success(
                request,
                _("Plan imported: %(new)d items added, %(updated)d updated, %(same)d unchanged.")
                % {
                    "new": preview.new_count,
                    "updated": preview.update_count,
                    "same": preview.unchanged_count,
                },
            )
            return redirect(
                "pokja_plan",
                unit_code=pokja.programme.unit.code,
                year=pokja.programme.year,
                number=pokja.number,
            )
    elif confirmed:
        messages.info(
            request, _("You changed the columns' fields: check the preview, then import.")
        )
    errors = context["errors"]
    preview = services.action_plan_import_preview(
        actor=request.user,
        access=access,
        pokja=pokja,
        name=stored["name"],
        data=stored["data"],
        mapping=mapping,
        default_sub_area_id=sub_area,
    )
    _show(context, preview, token, stored, None)
    if errors:  # what the import itself refused, as it refused it
        context["errors"] = errors
    return render(request, "pokja/plan_import.html", context)
