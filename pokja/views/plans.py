"""Pages of the action plans: a Pokja's plan, its items, monthly monitoring, imports, exports,
and the coordinator's overview of every Pokja's plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pokja import services
from pokja.access import ProgrammeAccess, get_pokja_for_user, get_programme_for_user
from pokja.forms import (
    MONTHS,
    CommentForm,
    MonitoringForm,
    PlanFilterForm,
    PlanItemForm,
    PlanQuickUpdateForm,
    add_validation_errors,
    submitted,
)
from pokja.hooks import page_actions
from pokja.models import ActionPlanItem, Pokja, programme_today
from pokja.plan_columns import COLUMNS, OWNER_SEPARATOR, export_header, export_row, header_row
from pokja.selectors import (
    plan_item_timeline,
    plan_item_tpi_notes,
    plan_items,
    plan_items_awaiting_verification,
    plan_late_items,
    plan_monitoring_grid,
    plan_status_counts,
    pokja_members,
)
from pokja.services.plans import allowed_statuses, can_change_item, review_statuses
from pokja.spreadsheets import Sheet, write_csv, write_xlsx
from pokja.views.evidence import evidence_forms, evidence_post

PAGE_SIZE = 50
Status = ActionPlanItem.Status
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get_item_for_user(request, unit_code: str, year: int, number: int, item_id: int):
    programme, access, pokja = get_pokja_for_user(request.user, unit_code, year, number)
    item = get_object_or_404(
        ActionPlanItem.objects.select_related("sub_area"), pk=item_id, pokja=pokja
    )
    item.pokja = pokja
    item.programme = programme
    return programme, access, pokja, item


def _require_edit(access: ProgrammeAccess, pokja: Pokja) -> None:
    if not access.can_edit_pokja(pokja.pk):
        raise PermissionDenied


def _pokja_kwargs(pokja: Pokja) -> dict:
    programme = pokja.programme
    return {"unit_code": programme.unit.code, "year": programme.year, "number": pokja.number}


def _item_url(item: ActionPlanItem) -> str:
    return reverse("plan_item_detail", kwargs={**_pokja_kwargs(item.pokja), "item_id": item.pk})


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    # Only a path of this site: redirect() would take any other word for a URL name.
    if (
        candidate
        and candidate.startswith("/")
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default


@dataclass
class ItemRow:
    """An item as a list shows it, with what the person looking may do to it.

    One control per action: the quick update moves the work along (the Pokja's statuses and
    progress); verifying and returning are the coordinator's review, a control of its own
    (with the reason a return needs). While an item awaits that review, the coordinator gets
    the review alone."""

    item: ActionPlanItem
    statuses: list[tuple[str, str]]  # choices for the quick update, the current one first
    can_change: bool
    days_late: int
    review: list[tuple[str, str]] = field(default_factory=list)  # verify / return, if open

    @property
    def can_review(self) -> bool:
        return bool(self.review)

    @property
    def can_update(self) -> bool:
        return not self.review and (self.can_change or len(self.statuses) > 1)


def _row(item: ActionPlanItem, access: ProgrammeAccess, today) -> ItemRow:
    review = review_statuses(item, access)
    work = [value for value in allowed_statuses(item, access) if value not in review]
    statuses = [(item.status, item.get_status_display())] + [
        (value, str(Status(value).label)) for value in work
    ]
    return ItemRow(
        item=item,
        statuses=statuses,
        can_change=can_change_item(item, access),
        days_late=item.days_late_on(today),
        review=[(value, str(Status(value).label)) for value in review],
    )


def _sub_areas(pokja: Pokja):
    return pokja.programme.framework.sub_areas.filter(area__code=pokja.area_code).order_by("order")


# --------------------------------------------------------------------------- the plan


@login_required
def pokja_plan(request, unit_code: str, year: int, number: int):
    programme, access, pokja = get_pokja_for_user(request.user, unit_code, year, number)
    today = programme_today()
    members = pokja_members(pokja)
    filter_form = PlanFilterForm(request.GET, members=members, sub_areas=_sub_areas(pokja))
    filters = filter_form.filters()
    items = plan_items(pokja=pokja, today=today, **filters)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(item, access, today) for item in page.object_list]
    context = {
        "programme": programme,
        "access": access,
        "pokja": pokja,
        "can_edit": access.can_edit_pokja(pokja.pk),
        "filter_form": filter_form,
        "rows": rows,
        "page": page,
        "counts": plan_status_counts(programme, today=today).get(pokja.pk),
        "query": _query_without_page(request),
        "statuses": Status,
        "next": request.get_full_path(),
        "page_actions": page_actions("pokja_plan", request, programme, access, pokja=pokja),
    }
    if request.htmx and request.htmx.target == "plan-list":
        return render(request, "pokja/partials/plan_list.html", context)
    return render(request, "pokja/plan_list.html", context)


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def plan_item_create(request, unit_code: str, year: int, number: int):
    programme, access, pokja = get_pokja_for_user(request.user, unit_code, year, number)
    _require_edit(access, pokja)
    form = PlanItemForm(request.POST or None, pokja=pokja, members=pokja_members(pokja))
    saved = submitted(
        request,
        form,
        lambda data: services.action_plan_create(actor=request.user, pokja=pokja, **data),
    )
    if saved:
        item = saved.value
        messages.success(request, _("%(code)s added to the plan.") % {"code": item.code})
        return redirect(_item_url(item))
    return render(
        request,
        "pokja/plan_item_form.html",
        {"programme": programme, "access": access, "pokja": pokja, "form": form, "item": None},
    )


@login_required
def plan_item_edit(request, unit_code: str, year: int, number: int, item_id: int):
    programme, access, pokja, item = _get_item_for_user(request, unit_code, year, number, item_id)
    if not can_change_item(item, access):
        raise PermissionDenied
    initial = {
        "title": item.title,
        "description": item.description,
        "sub_area": item.sub_area_id,
        "questions": list(item.questions.values_list("pk", flat=True)),
        "expected_output": item.expected_output,
        "success_indicator": item.success_indicator,
        "owners": list(item.owners.values_list("pk", flat=True)),
        "start_date": item.start_date,
        "due_date": item.due_date,
    }
    form = PlanItemForm(
        request.POST or None, initial=initial, pokja=pokja, members=pokja_members(pokja)
    )
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in form.changed_data}
        try:
            services.action_plan_update(actor=request.user, access=access, item=item, **changes)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, _("%(code)s saved.") % {"code": item.code})
            return redirect(_item_url(item))
    return render(
        request,
        "pokja/plan_item_form.html",
        {"programme": programme, "access": access, "pokja": pokja, "form": form, "item": item},
    )


@login_required
@require_POST
def plan_item_delete(request, unit_code: str, year: int, number: int, item_id: int):
    _programme, access, pokja, item = _get_item_for_user(request, unit_code, year, number, item_id)
    if not access.is_chair_of(pokja.pk):
        raise PermissionDenied
    try:
        services.action_plan_delete(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_item_url(item))
    messages.success(request, _("%(code)s removed from the plan.") % {"code": item.code})
    return redirect("pokja_plan", **_pokja_kwargs(pokja))


@login_required
@require_POST
def plan_item_status(request, unit_code: str, year: int, number: int, item_id: int):
    """The quick update: status, progress and a note; in place (htmx) or as a plain form."""
    programme, access, pokja, item = _get_item_for_user(request, unit_code, year, number, item_id)
    if not (access.can_edit_pokja(pokja.pk) or access.can_coordinate):
        raise PermissionDenied
    form = PlanQuickUpdateForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.action_plan_update_status(
                actor=request.user,
                access=access,
                item=item,
                status=data["status"] or None,
                progress=data["progress"],
                note=data["note"],
            )
        except ValidationError as exc:
            errors = exc.messages
    else:
        errors = [f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()]
    if request.htmx:
        today = programme_today()
        item = plan_items(pokja=pokja, today=today).get(pk=item.pk)
        return render(
            request,
            "pokja/partials/plan_item_card.html",
            {
                "row": _row(item, access, today),
                "pokja": pokja,
                "programme": programme,
                "errors": errors,
                "saved": not errors,
                "next": _next_url(request, ""),
            },
        )
    if errors:
        for error in errors:
            messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(code)s: %(status)s, %(progress)d%%.")
            % {"code": item.code, "status": item.get_status_display(), "progress": item.progress},
        )
    return redirect(_next_url(request, _item_url(item)))


# --------------------------------------------------------------------------- one item


def _item_forms(request, item: ActionPlanItem, **bound) -> dict:
    programme = item.programme
    return {
        **evidence_forms(programme, item.pokja, bound),
        "comment_form": bound.get("comment_form") or CommentForm(),
        "monitoring_form": bound.get("monitoring_form")
        or MonitoringForm(
            year=programme.year,
            today=programme_today(),
            initial={"month": _current_month(programme), "percent": item.progress},
        ),
    }


def _current_month(programme) -> int:
    today = programme_today()
    return today.month if programme.year == today.year else 12


def _render_item(request, programme, access, pokja, item, *, status=200, **bound):
    today = programme_today()
    listed = plan_items(pokja=pokja, today=today).get(pk=item.pk)
    context = {
        "programme": programme,
        "access": access,
        "pokja": pokja,
        "item": listed,
        "row": _row(listed, access, today),
        "questions": list(item.questions.order_by("number")),
        "evidence_list": list(item.evidence.select_related("uploaded_by")),
        "monitoring": list(item.monitoring.select_related("recorded_by")),
        "timeline": plan_item_timeline(item),
        "can_comment": access.can_comment_plan(pokja.pk),
        "tpi_notes": plan_item_tpi_notes(item),
        "can_delete": access.is_chair_of(pokja.pk) and item.status != Status.VERIFIED,
        "max_mb": settings.ZI_EVIDENCE_MAX_MB,
        **_item_forms(request, item, **bound),
    }
    return render(request, "pokja/plan_item_detail.html", context, status=status)


@login_required
def plan_item_detail(request, unit_code: str, year: int, number: int, item_id: int):
    programme, access, pokja, item = _get_item_for_user(request, unit_code, year, number, item_id)
    return _render_item(request, programme, access, pokja, item)


@login_required
@require_POST
def plan_item_evidence_add(request, unit_code: str, year: int, number: int, item_id: int):
    """Attach evidence: a photo or file uploaded now, a link, or a piece already uploaded."""
    programme, access, pokja, item = _get_item_for_user(request, unit_code, year, number, item_id)
    if not can_change_item(item, access):
        raise PermissionDenied
    post = evidence_post(
        request,
        programme=programme,
        pokja=pokja,
        attach=lambda evidence: services.action_plan_attach_evidence(
            actor=request.user, access=access, item=item, evidence=evidence
        ),
        add=lambda **new: services.action_plan_add_evidence(
            actor=request.user, access=access, item=item, **new
        ),
    )
    if post.done:
        messages.success(request, _("Evidence attached to %(code)s.") % {"code": item.code})
        return redirect(_item_url(item) + "#evidence")
    return _render_item(request, programme, access, pokja, item, **post.context)


@login_required
@require_POST
def plan_item_evidence_remove(
    request, unit_code: str, year: int, number: int, item_id: int, evidence_id: int
):
    _programme, access, _pokja, item = _get_item_for_user(request, unit_code, year, number, item_id)
    if not can_change_item(item, access):
        raise PermissionDenied
    evidence = get_object_or_404(item.evidence.all(), pk=evidence_id)
    services.action_plan_detach_evidence(
        actor=request.user, access=access, item=item, evidence=evidence
    )
    messages.success(
        request,
        _("“%(title)s” no longer supports %(code)s; the file itself is kept.")
        % {"title": evidence.title, "code": item.code},
    )
    return redirect(_item_url(item) + "#evidence")


@login_required
@require_POST
def plan_item_comment(request, unit_code: str, year: int, number: int, item_id: int):
    programme, access, pokja, item = _get_item_for_user(request, unit_code, year, number, item_id)
    if not access.can_comment_plan(pokja.pk):
        raise PermissionDenied
    form = CommentForm(request.POST)
    saved = submitted(
        request,
        form,
        lambda data: services.action_plan_comment_add(
            actor=request.user, item=item, text=data["text"], access=access
        ),
    )
    if saved:
        messages.success(request, _("Comment added."))
        return redirect(_item_url(item) + "#history")
    return _render_item(request, programme, access, pokja, item, comment_form=form)


@login_required
@require_POST
def plan_item_monitoring(request, unit_code: str, year: int, number: int, item_id: int):
    programme, access, pokja, item = _get_item_for_user(request, unit_code, year, number, item_id)
    if not can_change_item(item, access):
        raise PermissionDenied
    form = MonitoringForm(request.POST, year=programme.year, today=programme_today())
    saved = submitted(
        request,
        form,
        lambda data: services.action_plan_monitoring_record(
            actor=request.user,
            access=access,
            item=item,
            month=data["month"],
            percent=data["percent"],
            note=data["note"],
        ),
    )
    if saved:
        messages.success(request, _("Monthly realisation saved."))
        return redirect(_item_url(item) + "#monitoring")
    return _render_item(request, programme, access, pokja, item, monitoring_form=form)


# --------------------------------------------------------------------------- monitoring grid


@login_required
def pokja_plan_monitoring(request, unit_code: str, year: int, number: int):
    programme, access, pokja = get_pokja_for_user(request.user, unit_code, year, number)
    return render(
        request,
        "pokja/plan_monitoring.html",
        {
            "programme": programme,
            "access": access,
            "pokja": pokja,
            "grid": plan_monitoring_grid(pokja),
            "month_labels": [label for _number, label in MONTHS],
        },
    )


# --------------------------------------------------------------------------- import, template, export


def _template_rows(pokja: Pokja) -> list[list]:
    programme = pokja.programme
    sub_area = _sub_areas(pokja).first()
    questions = (
        list(sub_area.questions.order_by("number").values_list("number", flat=True)[:2])
        if sub_area
        else []
    )
    members = list(pokja_members(pokja)[:2])
    return [
        [
            _("Socialise the integrity pact to every Polsek"),
            _("Briefings at the morning roll call, with attendance lists and photos"),
            sub_area.code if sub_area else "",
            ", ".join(str(n) for n in questions),
            _("Minutes, attendance lists and photos of 10 briefings"),
            _("Every member of staff has signed the integrity pact"),
            OWNER_SEPARATOR.join(member.display_name for member in members),
            f"{programme.year}-02-01",
            f"{programme.year}-03-31",
            "Belum mulai",
            "0",
        ]
    ]


@login_required
def pokja_plan_template(request, unit_code: str, year: int, number: int, fmt: str):
    programme, _access, pokja = get_pokja_for_user(request.user, unit_code, year, number)
    filename = f"rencana-aksi-pokja{pokja.number}-{programme.unit.code.lower()}-{programme.year}"
    if fmt == "csv":
        body = write_csv(header_row(), _template_rows(pokja))
        response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    if fmt != "xlsx":
        raise Http404
    guide_rows = [
        [c.header, _("required") if c.required else _("optional"), str(c.help)] for c in COLUMNS
    ]
    guide_rows.append(["", "", ""])
    guide_rows.append([_("Sub-area"), _("Name"), _("Questions")])
    for sub_area in _sub_areas(pokja).prefetch_related("questions"):
        numbers = ", ".join(str(q.number) for q in sub_area.questions.all())
        guide_rows.append([sub_area.code, sub_area.name, numbers])
    guide_rows.append(["", "", ""])
    guide_rows.append([_("Member"), _("Username"), ""])
    for member in pokja_members(pokja):
        guide_rows.append([member.display_name, member.username, ""])
    body = write_xlsx(
        [
            Sheet(
                title=_("Action plan"),
                header=header_row(),
                rows=_template_rows(pokja),
                widths=(40, 40, 12, 12, 30, 30, 20, 14, 14, 12, 8),
            ),
            Sheet(
                title=_("Guide"),
                header=[_("Column"), "", _("What to write")],
                rows=guide_rows,
                widths=(24, 40, 80),
            ),
        ]
    )
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@login_required
def pokja_plan_export(request, unit_code: str, year: int, number: int):
    """The plan as a spreadsheet; its first columns are the import template's."""
    programme, _access, pokja = get_pokja_for_user(request.user, unit_code, year, number)
    today = programme_today()
    items = plan_items(pokja=pokja, today=today).prefetch_related("questions")
    header = export_header(with_return_reason=True)
    rows = [export_row(item, today, with_return_reason=True) for item in items]
    body = write_xlsx(
        [Sheet(title=f"Pokja {pokja.number}", header=header, rows=rows, widths=(40, 40, 12))]
    )
    response = HttpResponse(body, content_type=XLSX)
    filename = f"rencana-aksi-pokja{pokja.number}-{programme.unit.code.lower()}-{programme.year}"
    response["Content-Disposition"] = f'attachment; filename="{filename}-{today:%Y%m%d}.xlsx"'
    return response


# --------------------------------------------------------------------------- programme overview


@login_required
def programme_plans(request, unit_code: str, year: int):
    """Every Pokja's plan at a glance; what waits for the coordinator; what is late."""
    programme, access = get_programme_for_user(request.user, unit_code, year)
    today = programme_today()
    counts = plan_status_counts(programme, today=today)
    pokjas = list(programme.pokjas.all())
    for pokja in pokjas:
        pokja.programme = programme
    awaiting = list(plan_items_awaiting_verification(programme)[:100])
    late = plan_late_items(programme, today=today)
    return render(
        request,
        "pokja/programme_plans.html",
        {
            "programme": programme,
            "access": access,
            "summaries": [(pokja, counts.get(pokja.pk)) for pokja in pokjas],
            "awaiting": [_row(item, access, today) for item in awaiting],
            "late": late[:100],
            "late_total": len(late),
            "today": today,
        },
    )
