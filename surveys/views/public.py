"""The pages service users see: no sign-in, no JavaScript, light enough for a cheap phone.

One response per respondent: a single-use code (code mode) or a random token in a cookie of
the browser (open mode). Every form carries a submission id, rendered into the page so it
also works with JavaScript off; sending the same form again (double tap, flaky network,
back and submit again) stores nothing new and shows the same thanks page.

The id must survive "back" even when the browser fetches the form again instead of showing
it from memory (the page varies with cookies, and the first visit had none). So the first
visit is redirected to an address naming this filled-in form (``?f=...``), and a cookie
remembers the random id given to that form: fetched again in the same browser, the page
carries the same id, while the address opened in another browser gets a new one. The id
is random, so nothing stored with a response leads back to a browser.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pokja.models import Unit
from surveys import codes as survey_codes
from surveys import services
from surveys.forms import PublicSurveyForm, answers_from_form, read_posted_answers
from surveys.models import Instrument, Survey, localized
from surveys.qr import CODE_PARAMETER
from surveys.selectors import browser_has_answered, submission_is_stored
from surveys.services import Outcome
from surveys.throttle import is_limited, over_limit

BROWSER_COOKIE = "zi_survey_browser"
# The query parameter naming one filled-in form, and the cookie remembering its submission
# id (see the module's notes).
FORM_PARAMETER = "f"
FORM_COOKIE = "zi_survey_form"
FORM_COOKIE_AGE = 24 * 3600
BROWSER_COOKIE_AGE = 400 * 24 * 3600  # longer than any survey period
RATE_WINDOW = 600  # seconds; the limits are per address and window (settings)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    checked: bool
    id: str


@dataclass(frozen=True)
class Question:
    name: str
    number: int | None
    legend: str
    options: tuple[Option, ...]
    error: str
    required: bool
    kind: str  # "item" | "profile" | "service"


# Every submission starts here, so: one short query on a unique index, no join and no
# query to compile. The instrument comes from the process's cache (Survey.spec) and the
# unit is read only when a page is rendered.
_PUBLIC_SURVEY_SQL = (
    f"SELECT s.*, i.content_hash AS instrument_hash FROM {Survey._meta.db_table} s "  # noqa: S608
    f"JOIN {Instrument._meta.db_table} i ON i.id = s.instrument_id WHERE s.public_token = %s"
)


def _public_survey(token: str) -> Survey:
    found = list(Survey.objects.raw(_PUBLIC_SURVEY_SQL, [token[:64]]))
    if not found:
        raise Http404
    return found[0]


def _unit(survey: Survey) -> Unit:
    return Unit.objects.filter(programmes__id=survey.programme_id).get()


def _questions(
    form: PublicSurveyForm, names: list[str], kind: str, start: int = 0
) -> list[Question]:
    questions = []
    for offset, name in enumerate(names):
        bound = form[name]
        current = bound.value()
        current = "" if current is None else str(current)
        choices = list(bound.field.choices)
        if not bound.field.required:
            # A chosen radio button cannot be unchosen without script: offer the way out.
            choices.append(("", _("Rather not say")))
        questions.append(
            Question(
                name=name,
                number=start + offset + 1 if kind == "item" else None,
                legend=str(bound.label),
                options=tuple(
                    Option(
                        value=str(value),
                        label=str(label),
                        checked=current == str(value) and (bool(value) or form.is_bound),
                        id=f"q-{name}-{index}",
                    )
                    for index, (value, label) in enumerate(choices)
                ),
                error=" ".join(str(e) for e in bound.errors),
                required=bound.field.required,
                kind=kind,
            )
        )
    return questions


def _form_context(survey: Survey, form: PublicSurveyForm, **extra) -> dict:
    spec = survey.spec
    profile_names = [f.code for f in spec.profile if f.code in form.fields and f.kind == "choice"]
    service = form.service_field
    errors = [
        {
            "anchor": f"f-{name}",
            "label": str(form[name].label),
            "message": " ".join(str(e) for e in form.errors[name]),
        }
        for name in form.fields
        if name in form.errors and name not in ("submission", "website")
    ]
    return {
        "survey": survey,
        "spec": spec,
        "unit": _unit(survey),
        "form": form,
        "service_question": _questions(form, [service], "service")[0] if service else None,
        "profile_questions": _questions(form, profile_names, "profile"),
        "item_questions": _questions(form, list(spec.item_codes), "item"),
        "error_summary": errors,
        "instructions": localized(spec.instructions),
        "title": localized(spec.title),
        **extra,
    }


def _render_form(request, survey, form, *, status=200, **extra):
    response = render(
        request, "surveys/public/form.html", _form_context(survey, form, **extra), status=status
    )
    # Private (the page holds a CSRF token) but cacheable, so "back" shows the same form
    # with the same submission id instead of a fresh one.
    patch_cache_control(response, private=True)
    return response


def _ensure_browser_token(request, response) -> None:
    if not survey_codes.valid_browser_token(request.COOKIES.get(BROWSER_COOKIE)):
        response.set_cookie(
            BROWSER_COOKIE,
            survey_codes.new_browser_token(),
            max_age=BROWSER_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def _unavailable(request, survey: Survey, *, status: int = 200):
    return render(
        request,
        "surveys/public/unavailable.html",
        {
            "survey": survey,
            "unit": _unit(survey),
            "title": localized(survey.spec.title),
            "phase": survey.current_phase,
        },
        status=status,
    )


def _message(request, survey: Survey, heading: str, text: str, *, status: int):
    return render(
        request,
        "surveys/public/message.html",
        {
            "survey": survey,
            "unit": _unit(survey),
            "title": localized(survey.spec.title),
            "heading": heading,
            "text": text,
        },
        status=status,
    )


def _already_answered(request, survey: Survey, *, status: int):
    return _message(
        request,
        survey,
        _("You have answered this survey already"),
        _(
            "This device has already sent a response to this survey, and each person "
            "answers once. Thank you for your time."
        ),
        status=status,
    )


def _too_many(request, survey):
    response = _message(
        request,
        survey,
        _("Too many attempts"),
        _(
            "Many answers came from your network in the last minutes. Please wait ten "
            "minutes and send your answers again."
        ),
        status=429,
    )
    response["Retry-After"] = str(RATE_WINDOW)
    return response


def _code_message(outcome: Outcome) -> str:
    if outcome == Outcome.CODE_USED:
        return _(
            "This code has been used already: each code is good for one response only. "
            "Ask the service counter for a new code."
        )
    return _("This code is not valid for this survey. Check it, or ask the service counter.")


@require_http_methods(["GET", "POST"])
def survey_public(request, token: str):
    survey = _public_survey(token)
    if request.method == "POST":
        return _submit(request, survey)
    if not survey.is_accepting:
        return _unavailable(request, survey)
    form_instance = request.GET.get(FORM_PARAMETER, "")
    if browser_has_answered(survey, request.COOKIES.get(BROWSER_COOKIE)) and not _is_sent_form(
        request, survey, form_instance
    ):
        # Said at once, not after every question is answered again for nothing.
        return _already_answered(request, survey, status=200)
    if not survey_codes.valid_form_instance(form_instance):
        # Give this filled-in form its own address, so that "back" (even when the browser
        # fetches the page again) brings back the same submission id.
        query = request.GET.copy()
        query[FORM_PARAMETER] = survey_codes.new_form_instance()
        response = HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        if not survey.uses_codes:
            _ensure_browser_token(request, response)
        return response
    submission = _remembered_submission(request, form_instance) or uuid.uuid4()
    initial = {"submission": submission}
    code_error = ""
    if survey.uses_codes and request.GET.get(CODE_PARAMETER):
        initial["code"] = request.GET[CODE_PARAMETER][:20]
        if is_limited(
            request,
            "code-failures",
            limit=settings.ZI_SURVEY_CODE_FAILURE_LIMIT,
            window=RATE_WINDOW,
        ):
            return _too_many(request, survey)
        refusal = services.code_status(survey, initial["code"])
        if refusal is not None:
            over_limit(
                request,
                "code-failures",
                limit=settings.ZI_SURVEY_CODE_FAILURE_LIMIT,
                window=RATE_WINDOW,
            )
            code_error = _code_message(refusal)
    form = PublicSurveyForm(initial=initial, survey=survey, spec=survey.spec)
    response = _render_form(request, survey, form, code_error=code_error)
    response.set_cookie(
        FORM_COOKIE,
        f"{form_instance}:{submission}",
        max_age=FORM_COOKIE_AGE,
        path=request.path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    if not survey.uses_codes:
        _ensure_browser_token(request, response)
    return response


def _is_sent_form(request, survey: Survey, form_instance: str) -> bool:
    """The browser is back on the very form it sent (its address and remembered submission
    id): shown again as it was, so that sending it again is the replay it is (thanks, nothing
    stored). Any other form in a browser that has answered gets the message instead."""
    if not survey_codes.valid_form_instance(form_instance):
        return False
    submission = _remembered_submission(request, form_instance)
    return submission is not None and submission_is_stored(survey, submission)


def _remembered_submission(request, form_instance: str) -> uuid.UUID | None:
    """The submission id this browser was given for this filled-in form, if any."""
    name, _, value = request.COOKIES.get(FORM_COOKIE, "").partition(":")
    if name != form_instance:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _bound_form(request, survey: Survey) -> PublicSurveyForm:
    """The posted form, with a submission id even when the client sent none usable."""
    form = PublicSurveyForm(request.POST, survey=survey, spec=survey.spec)
    if not form.is_valid() and "submission" in form.errors:
        # Our form always carries an id; a client that sent none (or a mangled one) gets
        # one here, so the page it is shown again can be sent again safely.
        data = request.POST.copy()
        data["submission"] = str(uuid.uuid4())
        form = PublicSurveyForm(data, survey=survey, spec=survey.spec)
        form.is_valid()
    return form


def _submit(request, survey: Survey):
    if over_limit(request, "submit", limit=settings.ZI_SURVEY_RATE_LIMIT, window=RATE_WINDOW):
        return _too_many(request, survey)
    thanks = HttpResponseRedirect(reverse("survey_thanks", kwargs={"token": survey.public_token}))
    thanks.status_code = 303
    if request.POST.get("website"):
        return thanks  # a bot filled the honeypot: it learns nothing, nothing is stored
    # A complete, well-formed form is read directly; anything else goes through the form
    # class, which says what is wrong question by question.
    posted = read_posted_answers(request.POST, survey, survey.spec)
    form = None
    if posted is None:
        form = _bound_form(request, survey)
        if form.errors:
            if not survey.is_accepting:
                return _unavailable(request, survey, status=403)
            return _render_form(request, survey, form, status=200)
        posted = answers_from_form(form)
    answers, code = posted
    browser_token = request.COOKIES.get(BROWSER_COOKIE)
    if not survey.uses_codes and not survey_codes.valid_browser_token(browser_token):
        # The cookie set with the form did not come back (expired, cleared or refused).
        response = _render_form(
            request,
            survey,
            form or _bound_form(request, survey),
            notice=_(
                "Please press Send once more. This survey counts one response per device, so "
                "your browser must accept cookies from this site."
            ),
        )
        _ensure_browser_token(request, response)
        return response
    if survey.uses_codes and is_limited(
        request, "code-failures", limit=settings.ZI_SURVEY_CODE_FAILURE_LIMIT, window=RATE_WINDOW
    ):
        return _too_many(request, survey)
    outcome = services.response_submit(
        survey=survey, answers=answers, code=code, browser_token=browser_token
    )
    if outcome.thanks:
        return thanks
    if outcome == Outcome.NOT_OPEN:
        return _unavailable(request, survey, status=403)
    if outcome == Outcome.ALREADY_ANSWERED:
        return _already_answered(request, survey, status=409)
    over_limit(
        request, "code-failures", limit=settings.ZI_SURVEY_CODE_FAILURE_LIMIT, window=RATE_WINDOW
    )
    form = form or _bound_form(request, survey)
    form.add_error("code", _code_message(outcome))
    return _render_form(request, survey, form, status=409 if outcome == Outcome.CODE_USED else 200)


@require_GET
def survey_thanks(request, token: str):
    survey = _public_survey(token)
    return render(
        request,
        "surveys/public/thanks.html",
        {"survey": survey, "unit": _unit(survey), "title": localized(survey.spec.title)},
    )


def survey_preview_response(request, survey: Survey) -> HttpResponse:
    """The public form as respondents will see it, for the coordinator (sends nothing)."""
    form = PublicSurveyForm(initial={"submission": uuid.uuid4()}, survey=survey, spec=survey.spec)
    return _render_form(request, survey, form, preview=True)
