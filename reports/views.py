"""Pages of the exports (workbook, PDF report, evidence bundle, action plans) and the LKE
workbook import. Access: everyone who sees the programme sees its exports and downloads them;
asking for one needs the right to export; importing needs the coordinator's or the TPI's role
(and each cell is checked again by the worksheet's services)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pokja.access import get_programme_for_user
from pokja.uploads import safe_display_name, stored_file_response
from reports import services
from reports.exports import BUILDERS
from reports.forms import ExportForm, LkeImportForm
from reports.lke_import import ImportRefused
from reports.models import ExportJob
from zi_tracker.http import site_url

JOBS_SHOWN = 30
IMPORT_SECONDS = 30 * 60  # how long a previewed file waits for its confirmation


def _get_job_for_user(request, unit_code: str, year: int, job_id: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    job = get_object_or_404(
        ExportJob.objects.select_related("requested_by"), pk=job_id, programme=programme
    )
    return programme, access, job


@login_required
def reports_index(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    jobs = list(
        ExportJob.objects.filter(programme=programme).select_related("requested_by")[:JOBS_SHOWN]
    )
    return render(
        request,
        "reports/index.html",
        {
            "programme": programme,
            "access": access,
            "jobs": jobs,
            "kinds": [
                (value, label) for value, label in ExportJob.Kind.choices if value in BUILDERS
            ],
            "can_import": access.can_coordinate or access.can_review,
        },
    )


@login_required
@require_POST
def export_create(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    if not access.can_export:
        raise PermissionDenied
    form = ExportForm(request.POST)
    if not form.is_valid() or form.cleaned_data["kind"] not in BUILDERS:
        messages.error(request, _("Choose one of the exports listed."))
    else:
        job = services.export_job_create(
            actor=request.user,
            programme=programme,
            kind=form.cleaned_data["kind"],
            site_url=site_url(request),
            language=request.LANGUAGE_CODE,
        )
        messages.success(
            request,
            _("%(kind)s requested; it is being prepared.") % {"kind": job.get_kind_display()},
        )
    return redirect("reports_index", **programme.url_kwargs())


@login_required
def export_status(request, unit_code: str, year: int, job_id: int):
    """One export: its row for the page polling it (htmx), else a page of its own."""
    programme, access, job = _get_job_for_user(request, unit_code, year, job_id)
    if request.htmx:
        return render(
            request, "reports/partials/job_row.html", {"programme": programme, "job": job}
        )
    return render(
        request, "reports/job.html", {"programme": programme, "access": access, "job": job}
    )


@login_required
def export_download(request, unit_code: str, year: int, job_id: int):
    _programme, _access, job = _get_job_for_user(request, unit_code, year, job_id)
    if not job.is_done:
        raise Http404
    return stored_file_response(
        job.file,
        filename=safe_display_name(job.filename),
        content_type=BUILDERS[job.kind].content_type,
    )


def _import_key(request, programme, token: str) -> str:
    return f"reports:lke-import:{request.user.pk}:{programme.pk}:{token}"


@login_required
def lke_import(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    if not (access.can_coordinate or access.can_review):
        raise PermissionDenied
    form = LkeImportForm()
    context = {"programme": programme, "access": access, "form": form}
    if request.method == "POST" and request.POST.get("token"):
        token = request.POST["token"]
        key = _import_key(request, programme, token)
        data = cache.get(key)
        if data is None:
            messages.error(request, _("The previewed file has expired; upload it again."))
            return redirect("lke_import", **programme.url_kwargs())
        # The survey figures the person ticked; any other value is not a question number.
        figures = [int(n) for n in request.POST.getlist("figure") if n.isdigit() and len(n) < 4]
        try:
            plan = services.lke_import_apply(
                actor=request.user, programme=programme, data=data, figures=figures
            )
        except ImportRefused as exc:
            context["errors"] = exc.errors
        else:
            cache.delete(key)
            messages.success(
                request,
                _(
                    "LKE workbook imported: %(count)d values changed, %(links)d evidence links "
                    "added, %(figures)d official survey figures entered"
                )
                % {
                    "count": len(plan.changes),
                    "links": len(plan.links),
                    "figures": len(plan.offers),
                },
            )
            return redirect("lke_overview", **programme.url_kwargs())
    elif request.method == "POST":
        form = context["form"] = LkeImportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            try:
                plan = services.lke_import_preview(
                    actor=request.user, programme=programme, data=data
                )
            except ImportRefused as exc:
                context["errors"] = exc.errors
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                context["plan"] = plan
                if plan.errors:
                    context["errors"] = plan.errors
                elif plan.has_work:
                    token = secrets.token_urlsafe(16)
                    cache.set(_import_key(request, programme, token), data, IMPORT_SECONDS)
                    context["token"] = token
    return render(request, "reports/lke_import.html", context)
