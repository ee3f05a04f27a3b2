"""The LKE worksheet pages: the overview with the predicate check and what-if, and one page per
section (area) where each question saves in place.

Every POST works without JavaScript (it redirects back to the question); with htmx it answers
with the question's new card and, out of band, the new scores of its sub-areas and section.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evaluations import selectors, services
from evaluations.forms import (
    EVIDENCE_ACCEPT,
    AnswerForm,
    EvidenceLinkForm,
    EvidencePickForm,
    EvidenceUploadForm,
    SectionStatusForm,
)
from evaluations.models import Answer, Assessment, AssessmentSection
from evaluations.services import SectionRights, section_pokja_id, section_rights
from pokja.access import ProgrammeAccess, get_programme_for_user
from pokja.models import Evidence, Programme


@dataclass
class _AnswerContext:
    programme: Programme
    access: ProgrammeAccess
    assessment: Assessment
    answer: Answer
    section: AssessmentSection
    rights: SectionRights


def _get_worksheet_for_user(request, unit_code: str, year: int):
    programme, access = get_programme_for_user(request.user, unit_code, year)
    return programme, access, services.assessment_for(programme)


def _get_section_for_user(request, unit_code: str, year: int, code: str):
    programme, access, assessment = _get_worksheet_for_user(request, unit_code, year)
    page = selectors.section_page(programme, assessment, code)
    if page is None:
        raise Http404
    rights = section_rights(access, page.section, page.pokja.pk if page.pokja else None)
    return programme, access, page, rights


def _get_answer_for_user(request, unit_code: str, year: int, number: int) -> _AnswerContext:
    programme, access, assessment = _get_worksheet_for_user(request, unit_code, year)
    answer = Answer.objects.filter(assessment=assessment, number=number).first()
    if answer is None:
        raise Http404
    section = AssessmentSection.objects.get(assessment=assessment, code=answer.section_code)
    rights = section_rights(access, section, section_pokja_id(programme, section))
    return _AnswerContext(programme, access, assessment, answer, section, rights)


def _get_evidence_for_user(programme: Programme, evidence_id: int) -> Evidence:
    evidence = Evidence.objects.filter(programme=programme, pk=evidence_id).first()
    if evidence is None:
        raise Http404
    return evidence


def _section_url(programme: Programme, code: str, number: int | None = None) -> str:
    url = reverse("lke_section", kwargs={**programme.url_kwargs(), "section": code})
    return f"{url}#q-{number}" if number is not None else url


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _page_context(request, programme, access, page, rights, **extra) -> dict:
    return {
        "programme": programme,
        "access": access,
        "page": page,
        "section": page.section,
        "rights": rights,
        "summary": page.summary,
        "nav_sections": page.sections,
        "max_upload_mb": settings.ZI_EVIDENCE_MAX_MB,
        "accept": EVIDENCE_ACCEPT,
        "action_choices": [(a, services.ACTION_LABELS[a]) for a in rights.actions],
        **extra,
    }


def _question_response(
    request, ctx: _AnswerContext, *, error: str = "", saved: str = "", open_evidence=False
):
    """After a change to one question: the card and new scores (htmx), else back to the page."""
    if not request.htmx:
        if error:  # the page opens at the question; the message names it or its section
            messages.error(request, error)
        elif saved:
            messages.success(request, saved)
        return redirect(_section_url(ctx.programme, ctx.section.code, ctx.answer.number))
    page = selectors.section_page(ctx.programme, ctx.assessment, ctx.section.code)
    row = page.rows[ctx.answer.number]
    chain = page.block_chain(ctx.answer.number)
    siblings = []
    if row.ratio is not None:
        siblings = [page.rows[n] for n in row.ratio.questions if n in page.rows]
    context = _page_context(
        request,
        ctx.programme,
        ctx.access,
        page,
        ctx.rights,
        row=row,
        updated=row.number,
        part=page.part_of(row.number),
        error=error,
        saved=saved,
        open_evidence=open_evidence,
        blocks=chain,
        siblings=siblings,
    )
    return render(request, "evaluations/partials/question_update.html", context)


# --------------------------------------------------------------------------- pages


def _overview_response(request, programme, access, assessment, *, layer="effective", raw=None):
    overview = selectors.overview(programme, assessment, layer)
    context = {
        "programme": programme,
        "access": access,
        "overview": overview,
        "what_if": selectors.programme_what_if(programme, raw, base=overview),
        "can_finalize": access.can_coordinate and not assessment.is_final,
        "layer_choices": [
            ("effective", _("In force")),
            ("unit", _("Unit self-assessment")),
            ("tpi", _("TPI answers alone")),
        ],
    }
    if request.htmx and (request.method == "POST" or request.htmx.target == "what-if"):
        return render(request, "evaluations/partials/what_if.html", context)
    # When the background run last stored the score the dashboards read.
    context["score_status"] = selectors.score_status(programme)
    return render(request, "evaluations/overview.html", context)


# A what-if names at most every question once, each answer a letter, a count or an index:
# anything larger is not a person trying answers, and is refused before it is read or echoed.
WHAT_IF_MAX_ANSWERS = 200
WHAT_IF_MAX_LENGTH = 20


class WhatIfTooLarge(Exception):
    pass


def _what_if_answers(data) -> dict[int, str]:
    """The hypothetical answers of a what-if: fields ``q<number>``."""
    answers = {
        int(key[1:]): value
        for key, value in data.items()
        if key.startswith("q") and key[1:].isdigit() and len(key) < 8
    }
    if len(answers) > WHAT_IF_MAX_ANSWERS:
        raise WhatIfTooLarge(
            _("At most %(limit)s answers can be tried at once.")
            % {"limit": number_format(WHAT_IF_MAX_ANSWERS)}
        )
    for number, value in sorted(answers.items()):
        if len(value) > WHAT_IF_MAX_LENGTH:
            raise WhatIfTooLarge(
                _("Question %(number)s: an answer has at most %(limit)s characters.")
                % {"number": number, "limit": number_format(WHAT_IF_MAX_LENGTH)}
            )
    return answers


def _what_if_refused(request, exc: WhatIfTooLarge):
    return render(request, "400.html", {"message": str(exc)}, status=400)


@login_required
def lke_overview(request, unit_code: str, year: int):
    """The whole worksheet; ``?layer=unit|tpi`` shows the breakdown of one side alone. With htmx
    targeting the what-if panel it answers with that panel only ("reset"). ``?q88=1&q89=1``
    opens the what-if with those answers tried (the predicate check's "Try these answers";
    nothing is saved)."""
    programme, access, assessment = _get_worksheet_for_user(request, unit_code, year)
    layer = request.GET.get("layer", "effective")
    if layer not in selectors.LAYERS:
        layer = "effective"
    try:
        raw = _what_if_answers(request.GET) or None
    except WhatIfTooLarge as exc:
        return _what_if_refused(request, exc)
    return _overview_response(request, programme, access, assessment, layer=layer, raw=raw)


@login_required
@require_POST
def lke_what_if(request, unit_code: str, year: int):
    """Score hypothetical answers over the stored ones; nothing is saved."""
    programme, access, assessment = _get_worksheet_for_user(request, unit_code, year)
    try:
        raw = _what_if_answers(request.POST)
    except WhatIfTooLarge as exc:
        return _what_if_refused(request, exc)
    return _overview_response(request, programme, access, assessment, raw=raw)


@login_required
def lke_section(request, unit_code: str, year: int, section: str):
    programme, access, page, rights = _get_section_for_user(request, unit_code, year, section)
    return render(
        request,
        "evaluations/section.html",
        _page_context(
            request,
            programme,
            access,
            page,
            rights,
            history=selectors.section_history(page) if access.can_read_audit else None,
            status_moves=selectors.section_status_moves(page.section),
        ),
    )


@login_required
@require_POST
def lke_section_status(request, unit_code: str, year: int, section: str):
    programme, access, page, _rights = _get_section_for_user(request, unit_code, year, section)
    pokja_id = page.pokja.pk if page.pokja else None
    if not any(services.may_move(action, access, pokja_id) for action in services.TRANSITIONS):
        raise PermissionDenied
    form = SectionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the actions offered."))
        return redirect(_section_url(programme, page.section.code))
    action = form.cleaned_data["action"]
    if not services.may_move(action, access, pokja_id):
        raise PermissionDenied
    try:
        moved = services.section_transition(
            actor=request.user,
            programme=programme,
            code=page.section.code,
            action=action,
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(
            request,
            _("%(section)s is now: %(status)s.")
            % {"section": moved.name, "status": moved.get_status_display()},
        )
    return redirect(_section_url(programme, page.section.code))


@login_required
@require_POST
def lke_finalize(request, unit_code: str, year: int):
    programme, access, _assessment = _get_worksheet_for_user(request, unit_code, year)
    if not access.can_coordinate:
        raise PermissionDenied
    try:
        services.assessment_finalize(actor=request.user, programme=programme)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The worksheet is final and locked."))
    return redirect("lke_overview", **programme.url_kwargs())


# --------------------------------------------------------------------------- one question


def _save_answer(request, unit_code, year, number, *, side: str):
    ctx = _get_answer_for_user(request, unit_code, year, number)
    if not (ctx.rights.unit_role if side == "unit" else ctx.rights.tpi_role):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        errors = [f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()]
        return _question_response(request, ctx, error=" ".join(errors))
    setter = services.answer_set_unit if side == "unit" else services.answer_set_tpi
    try:
        setter(
            actor=request.user,
            programme=ctx.programme,
            number=number,
            value=form.cleaned_data["value"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        return _question_response(request, ctx, error=_error_text(exc))
    return _question_response(
        request, ctx, saved=_("Question %(number)s saved.") % {"number": number}
    )


@login_required
@require_POST
def lke_answer_unit(request, unit_code: str, year: int, number: int):
    return _save_answer(request, unit_code, year, number, side="unit")


@login_required
@require_POST
def lke_answer_tpi(request, unit_code: str, year: int, number: int):
    return _save_answer(request, unit_code, year, number, side="tpi")


def _evidence_context(request, unit_code, year, number) -> _AnswerContext:
    ctx = _get_answer_for_user(request, unit_code, year, number)
    if not ctx.rights.unit_role:
        raise PermissionDenied
    return ctx


def _evidence_add(request, unit_code: str, year: int, number: int, form_class):
    """A file (EvidenceUploadForm) or a link (EvidenceLinkForm) stored and attached."""
    ctx = _evidence_context(request, unit_code, year, number)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return _question_response(
            request,
            ctx,
            error=" ".join(e for errs in form.errors.values() for e in errs),
            open_evidence=True,
        )
    data = form.cleaned_data
    try:
        evidence = services.answer_evidence_add(
            actor=request.user,
            programme=ctx.programme,
            number=number,
            uploaded=data.get("file"),
            url=data.get("url", ""),
            title=data["title"],
        )
    except ValidationError as exc:
        return _question_response(request, ctx, error=_error_text(exc), open_evidence=True)
    saved = _("“%(title)s” attached.") % {"title": evidence.title}
    if getattr(evidence, "kept_title", False):
        saved = _(
            "This file is already stored as “%(title)s” by another Pokja: it is attached "
            "under that title."
        ) % {"title": evidence.title}
    return _question_response(request, ctx, saved=saved)


@login_required
@require_POST
def lke_evidence_upload(request, unit_code: str, year: int, number: int):
    return _evidence_add(request, unit_code, year, number, EvidenceUploadForm)


@login_required
@require_POST
def lke_evidence_link(request, unit_code: str, year: int, number: int):
    return _evidence_add(request, unit_code, year, number, EvidenceLinkForm)


@login_required
def lke_evidence_pick(request, unit_code: str, year: int, number: int):
    """Choose a piece of the programme's evidence for this question (GET: the choices)."""
    ctx = _evidence_context(request, unit_code, year, number)
    attached = list(ctx.answer.evidence.values_list("pk", flat=True))
    form = EvidencePickForm(request.POST or None, programme=ctx.programme, exclude=attached)
    if request.method == "POST":
        if not form.is_valid():
            return _question_response(
                request,
                ctx,
                error=_("Choose a piece of evidence from the list."),
                open_evidence=True,
            )
        try:
            services.answer_evidence_attach(
                actor=request.user,
                programme=ctx.programme,
                number=number,
                evidence=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            return _question_response(request, ctx, error=_error_text(exc), open_evidence=True)
        return _question_response(
            request,
            ctx,
            saved=_("“%(title)s” attached.") % {"title": form.cleaned_data["evidence"].title},
        )
    spec = ctx.programme.framework.spec.question(number)
    context = {
        "programme": ctx.programme,
        "access": ctx.access,
        "section": ctx.section,
        "question": spec,
        "form": form,
        "back": _section_url(ctx.programme, ctx.section.code, number),
    }
    template = (
        "evaluations/partials/evidence_pick.html"
        if request.htmx
        else "evaluations/evidence_pick.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def lke_evidence_remove(request, unit_code: str, year: int, number: int, evidence_id: int):
    ctx = _evidence_context(request, unit_code, year, number)
    evidence = _get_evidence_for_user(ctx.programme, evidence_id)
    try:
        services.answer_evidence_detach(
            actor=request.user, programme=ctx.programme, number=number, evidence=evidence
        )
    except ValidationError as exc:
        return _question_response(request, ctx, error=_error_text(exc))
    return _question_response(
        request,
        ctx,
        saved=_("“%(title)s” no longer supports this question.") % {"title": evidence.title},
    )
