"""Survey pages of a programme: list, settings, codes, poster, results, imports, exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.selectors import audit_history_for
from pokja.access import get_programme_for_user
from pokja.forms import read_only, submitted
from surveys import exports, services
from surveys.codes import format_code
from surveys.forms import (
    CodeBatchForm,
    ImportForm,
    OfficialFigureForm,
    SurveyForm,
    SurveyStartQuery,
    latest_instruments,
    services_to_text,
)
from surveys.models import Instrument, OfficialFigure, Survey, localized
from surveys.qr import public_url, qr_svg, qr_svg_document
from surveys.response_csv import ResponseCsvError
from surveys.selectors import (
    lke_figure_rows,
    lke_survey_figures,
    programme_surveys,
    survey_report,
)
from surveys.views import public as public_views


def _can_manage_surveys(access) -> bool:
    return access.can_coordinate or access.can_manage


def _get_programme(
    request, unit_code: str, year: int, *, manage: bool = False, readers: bool = False
):
    """The programme and the user's access; `manage`: for the survey managers only, and with
    `readers` also for reading by those who read everything (the head of unit)."""
    programme, access = get_programme_for_user(request.user, unit_code, year)
    if manage and not _can_manage_surveys(access):
        reading = request.method in ("GET", "HEAD")
        if not (readers and reading and access.reads_everything):
            raise PermissionDenied
    return programme, access


def _get_survey_for_user(
    request, unit_code: str, year: int, survey_id: int, *, manage=False, readers=False
):
    """The survey of this programme (404 for any other id), and the user's access."""
    programme, access = _get_programme(request, unit_code, year, manage=manage, readers=readers)
    survey = get_object_or_404(
        Survey.objects.select_related("instrument").defer("results"),
        programme=programme,
        pk=survey_id,
    )
    survey.programme = programme
    return programme, access, survey


def _context(programme, access, **extra) -> dict:
    return {
        "programme": programme,
        "access": access,
        "can_manage_surveys": _can_manage_surveys(access),
        **extra,
    }


@login_required
@require_GET
def survey_list(request, unit_code: str, year: int):
    programme, access = _get_programme(request, unit_code, year)
    surveys = programme_surveys(programme)
    for survey in surveys:
        survey.programme = programme
    return render(
        request,
        "surveys/survey_list.html",
        _context(
            programme,
            access,
            surveys=surveys,
            lke_rows=lke_figure_rows(programme),
            instruments=latest_instruments() if _can_manage_surveys(access) else [],
        ),
    )


def _form_kwargs(survey: Survey | None) -> dict:
    queryset = latest_instruments()
    if survey is not None:
        queryset = Instrument.objects.filter(
            pk__in=[*queryset.values_list("pk", flat=True), survey.instrument_id]
        ).defer("definition")
    return {"instrument_queryset": queryset.order_by("slug", "-version")}


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request, unit_code: str, year: int):
    programme, access = _get_programme(request, unit_code, year, manage=True)
    start = timezone.localdate()
    initial = {
        "start_date": start,
        "end_date": start.replace(month=12, day=31),
        "mode": Survey.Mode.OPEN,
        "status": Survey.Status.DRAFT,
    }
    start_query = SurveyStartQuery(request.GET)
    chosen = start_query.valid_data().get("instrument")
    if chosen is not None:
        initial["instrument"] = chosen.pk
        initial["title"] = f"{chosen.title} {programme.unit.name} {programme.year}"
    form = SurveyForm(
        request.POST or None, initial=initial, year=programme.year, **_form_kwargs(None)
    )
    saved = submitted(
        request,
        form,
        lambda data: services.survey_create(
            actor=request.user,
            programme=programme,
            instrument=data["instrument"],
            title=data["title"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            population=data["population"],
            services=data["services"],
            mode=data["mode"],
            status=data["status"],
        ),
    )
    if saved:
        survey = saved.value
        messages.success(request, _("Survey created."))
        return redirect("survey_detail", survey_id=survey.pk, **programme.url_kwargs())
    return render(
        request,
        "surveys/survey_form.html",
        _context(programme, access, form=form, survey=None, start_query=start_query),
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request, unit_code: str, year: int, survey_id: int):
    programme, access, survey = _get_survey_for_user(
        request, unit_code, year, survey_id, manage=True, readers=True
    )
    initial = {
        "instrument": survey.instrument_id,
        "title": survey.title,
        "start_date": survey.start_date,
        "end_date": survey.end_date,
        "population": survey.population,
        "services": services_to_text(survey.services),
        "mode": survey.mode,
        "status": survey.status,
    }
    form = SurveyForm(
        request.POST or None, initial=initial, year=programme.year, **_form_kwargs(survey)
    )
    if not _can_manage_surveys(access):
        read_only(form)
    saved = submitted(
        request,
        form,
        lambda data: services.survey_update(
            actor=request.user,
            survey=survey,
            **{name: data[name] for name in services.EDITABLE_FIELDS},
        ),
    )
    if saved:
        messages.success(request, _("Survey settings saved."))
        return redirect("survey_detail", survey_id=survey.pk, **programme.url_kwargs())
    return render(
        request,
        "surveys/survey_form.html",
        _context(
            programme,
            access,
            form=form,
            survey=survey,
            history=audit_history_for(survey)[:20],
        ),
    )


@login_required
@require_GET
def survey_detail(request, unit_code: str, year: int, survey_id: int):
    """The results page: indices, charts per element, counts, and the LKE source in force."""
    programme, access, survey = _get_survey_for_user(request, unit_code, year, survey_id)
    report = survey_report(survey)
    lke_row = None
    if survey.instrument.lke_question is not None:
        lke_row = next(
            (
                row
                for row in lke_figure_rows(programme, reports={survey.pk: report})
                if row.figure.question == survey.instrument.lke_question
            ),
            None,
        )
    return render(
        request,
        "surveys/survey_detail.html",
        _context(
            programme,
            access,
            survey=survey,
            report=report,
            lke_row=lke_row,
            link=public_url(survey, request=request),
            can_export=access.can_export,
        ),
    )


@login_required
@require_GET
def survey_preview(request, unit_code: str, year: int, survey_id: int):
    _programme, _access, survey = _get_survey_for_user(
        request, unit_code, year, survey_id, manage=True, readers=True
    )
    return public_views.survey_preview_response(request, survey)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def survey_codes(request, unit_code: str, year: int, survey_id: int):
    """Generate single-use codes; the printable sheet is shown once, right after."""
    programme, access, survey = _get_survey_for_user(
        request, unit_code, year, survey_id, manage=True, readers=True
    )
    form = CodeBatchForm(request.POST or None)
    saved = submitted(
        request,
        form,
        lambda data: services.survey_codes_generate(
            actor=request.user, survey=survey, count=data["count"]
        ),
    )
    if saved:
        batch, codes = saved.value
        slips = [
            {
                "code": format_code(code),
                "qr": qr_svg(public_url(survey, format_code(code), request=request)),
            }
            for code in codes
        ]
        return render(
            request,
            "surveys/code_sheet.html",
            {
                "programme": programme,
                "survey": survey,
                "batch": batch,
                "slips": slips,
                "link": public_url(survey, request=request),
                "title": localized(survey.spec.title),
            },
        )
    batches = survey.code_batches.select_related("created_by").annotate(
        used=Count("codes", filter=Q(codes__used=True))
    )
    return render(
        request,
        "surveys/codes.html",
        _context(programme, access, survey=survey, form=form, batches=batches),
    )


@login_required
@require_GET
def survey_poster(request, unit_code: str, year: int, survey_id: int):
    programme, _access, survey = _get_survey_for_user(
        request, unit_code, year, survey_id, manage=True, readers=True
    )
    link = public_url(survey, request=request)
    return render(
        request,
        "surveys/poster.html",
        {
            "programme": programme,
            "survey": survey,
            "link": link,
            "qr": qr_svg(link, title=_("QR code of the survey")),
            "title": localized(survey.spec.title),
        },
    )


@login_required
@require_GET
def survey_qr(request, unit_code: str, year: int, survey_id: int):
    _programme, _access, survey = _get_survey_for_user(
        request, unit_code, year, survey_id, manage=True, readers=True
    )
    response = HttpResponse(
        qr_svg_document(public_url(survey, request=request)), content_type="image/svg+xml"
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-qr.svg"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def survey_import(request, unit_code: str, year: int, survey_id: int):
    programme, access, survey = _get_survey_for_user(
        request, unit_code, year, survey_id, manage=True
    )
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = services.responses_import(
                actor=request.user,
                survey=survey,
                content=upload.read(),
                file_name=upload.name or "upload.csv",
            )
        except ResponseCsvError as exc:
            problems = [str(problem) for problem in exc.problems]
        else:
            messages.success(
                request,
                _("%(n)s paper responses imported from %(file)s.")
                % {"n": result.count, "file": result.record.file_name},
            )
            return redirect("survey_detail", survey_id=survey.pk, **programme.url_kwargs())
    spec = survey.spec
    return render(
        request,
        "surveys/import.html",
        _context(
            programme,
            access,
            survey=survey,
            form=form,
            problems=problems,
            imports=survey.imports.select_related("imported_by")[:50],
            item_codes=spec.item_codes,
            profile_fields=[f for f in spec.profile if f.kind == "choice"],
            service_field=next((f for f in spec.profile if f.kind == "service"), None),
            scale=spec.scale,
        ),
    )


@login_required
@require_GET
def survey_import_template(request, unit_code: str, year: int, survey_id: int):
    _programme, _access, survey = _get_survey_for_user(
        request, unit_code, year, survey_id, manage=True
    )
    spec = survey.spec
    header = [f.code for f in spec.profile] + list(spec.item_codes)
    return exports.csv_response(f"survey-{survey.pk}-paper.csv", [header])


def _export_access(request, unit_code, year, survey_id, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    programme, access, survey = _get_survey_for_user(request, unit_code, year, survey_id)
    if not access.can_export:
        raise PermissionDenied
    return programme, survey


@login_required
@require_GET
def survey_export_responses(request, unit_code: str, year: int, survey_id: int, fmt: str):
    _programme, survey = _export_access(request, unit_code, year, survey_id, fmt)
    labels = request.GET.get("values") == "labels"
    name = f"survey-{survey.pk}-responses{'-labels' if labels else ''}.{fmt}"
    rows = exports.response_rows(survey, labels=labels)
    if fmt == "csv":
        return exports.csv_response(name, rows)
    return exports.xlsx_response(name, {_("Responses"): rows})


@login_required
@require_GET
def survey_export_results(request, unit_code: str, year: int, survey_id: int, fmt: str):
    _programme, survey = _export_access(request, unit_code, year, survey_id, fmt)
    report = survey_report(survey)
    name = f"survey-{survey.pk}-results.{fmt}"
    if fmt == "csv":
        return exports.csv_response(name, exports.result_rows(report))
    return exports.xlsx_response(name, exports.result_sheets(report))


@login_required
@require_http_methods(["GET", "POST"])
def official_figure(request, unit_code: str, year: int, question: int):
    """Enter, correct or remove the official (TPN/BPS) index of LKE question 125 or 127."""
    programme, access = _get_programme(request, unit_code, year, manage=True, readers=True)
    if question not in lke_survey_figures(programme):
        raise Http404  # not a question a survey index answers
    current = OfficialFigure.objects.filter(programme=programme, question=question).first()
    initial = {"index": current.index, "source": current.source} if current else {}
    form = OfficialFigureForm(request.POST or None, initial=initial)
    if not _can_manage_surveys(access):
        read_only(form)
    if request.method == "POST" and "remove" in request.POST:
        if services.official_figure_clear(
            actor=request.user, programme=programme, question=question
        ):
            messages.success(
                request,
                _("The official figure was removed; the programme's own survey is in force again."),
            )
        return redirect("survey_list", **programme.url_kwargs())
    saved = submitted(
        request,
        form,
        lambda data: services.official_figure_set(
            actor=request.user,
            programme=programme,
            question=question,
            index=data["index"],
            source=data["source"],
        ),
    )
    if saved:
        messages.success(request, _("The official figure is saved and now in force."))
        return redirect("survey_list", **programme.url_kwargs())
    return render(
        request,
        "surveys/official_figure.html",
        _context(
            programme,
            access,
            form=form,
            question=question,
            current=current,
            history=audit_history_for(current)[:20] if current else [],
        ),
    )
