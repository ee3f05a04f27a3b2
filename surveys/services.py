"""Writes of the survey app: surveys, codes, responses (online and paper), official figures.

Everything a signed-in user changes is audited in the same transaction. Anonymous
submissions are not: an audit entry per response would tie a time to each answer.
"""

from __future__ import annotations

import contextlib
import datetime
import enum
import hashlib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import (
    audit_change,
    audit_created,
    audited_create,
    audited_delete,
    audited_save,
    audited_update,
    editable_only,
    locked,
)
from pokja.hooks import programme_changed, responses_added
from surveys import codes as survey_codes
from surveys.indices import respondent_mean
from surveys.models import (
    BrowserClaim,
    CodeBatch,
    Instrument,
    OfficialFigure,
    ResponseImport,
    Survey,
    SurveyCode,
    SurveyResponse,
)
from surveys.response_csv import CsvProblem, ResponseCsvError, parse_response_csv
from surveys.selectors import SurveyReport, survey_report

SURVEY_FIELDS = (
    "programme",
    "instrument",
    "title",
    "start_date",
    "end_date",
    "services",
    "population",
    "target_sample",
    "mode",
    "status",
)
EDITABLE_FIELDS = frozenset(
    {"instrument", "title", "start_date", "end_date", "services", "population", "mode", "status"}
)
OFFICIAL_FIGURE_FIELDS = ("programme", "question", "index", "source")
SERVICE_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_SERVICES = 40
MAX_CODES_PER_BATCH = 2000
MEAN_STEP = Decimal("0.000001")


# ---------------------------------------------------------------------------------------
# Surveys.


def _clean_services(services: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
    cleaned: list[dict[str, str]] = []
    seen: set[str] = set()
    if len(services) > MAX_SERVICES:
        raise ValidationError({"services": _("At most %(n)s service types.") % {"n": MAX_SERVICES}})
    for service in services:
        code = str(service.get("code", "")).strip()
        name = str(service.get("name", "")).strip()
        if not SERVICE_CODE.match(code):
            raise ValidationError(
                {
                    "services": _(
                        "Service code %(code)r: use lower-case letters, digits, '-' or '_' "
                        "(at most 40)."
                    )
                    % {"code": code}
                }
            )
        if not name or len(name) > 120:
            raise ValidationError(
                {
                    "services": _("Service %(code)s needs a name of 1 to 120 characters.")
                    % {"code": code}
                }
            )
        if code in seen:
            raise ValidationError(
                {"services": _("Service code %(code)s appears twice.") % {"code": code}}
            )
        seen.add(code)
        cleaned.append({"code": code, "name": name})
    return cleaned


def _validate_survey(survey: Survey) -> None:
    errors: dict[str, list[str]] = {}
    if survey.start_date and survey.end_date and survey.end_date < survey.start_date:
        errors.setdefault("end_date", []).append(_("The last day must not be before the first."))
    if survey.population is not None and survey.population < 1:
        errors.setdefault("population", []).append(
            _("Give the number of service users (1 or more).")
        )
    if survey.instrument_id and survey.instrument.kind not in ("skm", "perception"):
        errors.setdefault("instrument", []).append(_("Unknown instrument kind."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def survey_create(
    *,
    actor,
    programme,
    instrument: Instrument,
    title: str,
    start_date: datetime.date,
    end_date: datetime.date,
    population: int,
    services: Sequence[Mapping[str, str]],
    mode: str,
    status: str = Survey.Status.DRAFT,
) -> Survey:
    """A new survey of ``programme``; the target sample follows from the population."""
    survey = Survey(
        programme=programme,
        instrument=instrument,
        title=title.strip(),
        start_date=start_date,
        end_date=end_date,
        population=population,
        services=_clean_services(services),
        mode=mode,
        status=status,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audited_create(survey, SURVEY_FIELDS, actor=actor, check=_check_survey, programme=programme)
    programme_changed(programme.pk)
    return survey


def _check_survey(survey: Survey) -> None:
    _validate_survey(survey)
    survey.target_sample = survey.compute_target_sample()
    survey.full_clean(exclude=["public_token", "created_by", "results"])


@transaction.atomic
def survey_update(*, actor, survey: Survey, **changes) -> Survey:
    """Change a survey's settings; the instrument is fixed once responses exist."""
    editable_only(changes, EDITABLE_FIELDS, service="survey_update")
    survey = locked(survey, "instrument", "programme")
    has_responses = survey.responses.exists()
    if (
        "instrument" in changes
        and changes["instrument"].pk != survey.instrument_id
        and has_responses
    ):
        raise ValidationError(
            {"instrument": _("The instrument cannot change once the survey has responses.")}
        )
    if "services" in changes:
        changes["services"] = _clean_services(changes["services"])
        removed = set(survey.service_codes()) - {s["code"] for s in changes["services"]}
        used = (
            sorted(
                survey.responses.filter(service__in=removed)
                .values_list("service", flat=True)
                .distinct()
            )
            if removed and has_responses
            else []
        )
        if used:
            raise ValidationError(
                {
                    "services": _(
                        "Service %(codes)s already has responses; keep it (you may rename it)."
                    )
                    % {"codes": ", ".join(used)}
                }
            )
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    audited_update(
        survey,
        SURVEY_FIELDS,
        actor=actor,
        changes=changes,
        check=_check_survey,
        programme=survey.programme,
    )
    # The status and dates decide which survey is in force for the LKE.
    programme_changed(survey.programme_id)
    return survey


# ---------------------------------------------------------------------------------------
# Single-use codes.


@transaction.atomic
def survey_codes_generate(*, actor, survey: Survey, count: int) -> tuple[CodeBatch, list[str]]:
    """A batch of new single-use codes. The codes are returned once and stored only hashed."""
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValidationError(
            {"count": _("Generate 1 to %(max)s codes at a time.") % {"max": MAX_CODES_PER_BATCH}}
        )
    batch = CodeBatch.objects.create(
        survey=survey,
        size=count,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    chosen: dict[str, str] = {}  # hash -> code
    while len(chosen) < count:
        fresh = {}
        while len(chosen) + len(fresh) < count:
            code = survey_codes.new_code()
            digest = survey_codes.code_hash(survey.pk, code)
            if digest not in chosen:
                fresh[digest] = code
        # A clash with an earlier batch is astronomically rare, but must never merge two codes.
        taken = set(
            SurveyCode.objects.filter(survey=survey, code_hash__in=list(fresh)).values_list(
                "code_hash", flat=True
            )
        )
        chosen.update({digest: code for digest, code in fresh.items() if digest not in taken})
    SurveyCode.objects.bulk_create(
        SurveyCode(survey=survey, batch=batch, code_hash=digest) for digest in chosen
    )
    audit_change(
        actor=actor,
        obj=batch,
        before=None,
        after={"survey": survey.pk, "size": count},
        programme=survey.programme,
        note=_("%(n)s single-use codes generated (stored only as hashes).") % {"n": count},
    )
    return batch, sorted(chosen.values())


# ---------------------------------------------------------------------------------------
# Responses.


class Outcome(enum.StrEnum):
    ACCEPTED = "accepted"
    REPLAY = "replay"  # this submission was stored before: same thanks, nothing new
    NOT_OPEN = "not_open"
    CODE_UNKNOWN = "code_unknown"
    CODE_USED = "code_used"
    ALREADY_ANSWERED = "already_answered"  # open mode: this browser answered already

    @property
    def thanks(self) -> bool:
        return self in (Outcome.ACCEPTED, Outcome.REPLAY)


@dataclass(frozen=True)
class Answers:
    """One filled-in form, validated against the survey's instrument."""

    submission_id: uuid.UUID
    items: Mapping[str, int | None]
    profile: Mapping[str, str | None] = field(default_factory=dict)
    service: str = ""


def build_response(
    survey: Survey, answers: Answers, channel: str, today: datetime.date
) -> SurveyResponse:
    """An unsaved response row, checked against the survey's instrument and services."""
    spec = survey.spec
    known = set(spec.item_codes)
    items = {code: value for code, value in answers.items.items() if value is not None}
    for code, value in items.items():
        if code not in known:
            raise ValueError(f"{spec.slug} has no item {code}")
        if isinstance(value, bool) or not isinstance(value, int) or value not in spec.scale.values:
            raise ValueError(f"item {code}: {value!r} is not on the scale")
    if not items:
        raise ValueError("a response needs at least one answer")
    profile = {}
    choice_fields = {f.code: f for f in spec.profile if f.kind == "choice"}
    for code, value in answers.profile.items():
        if value in (None, ""):
            continue
        profile_field = choice_fields.get(code)
        if profile_field is None or value not in {o.code for o in profile_field.options}:
            raise ValueError(f"profile {code}: {value!r} is not an option")
        profile[code] = value
    if answers.service and answers.service not in survey.service_codes():
        raise ValueError(f"service {answers.service!r} is not one of the survey's")
    mean = respondent_mean(items)
    assert mean is not None
    return SurveyResponse(
        survey=survey,
        submission_id=answers.submission_id,
        answers=items,
        profile=profile,
        service=answers.service or "",
        respondent_mean=mean.quantize(MEAN_STEP, rounding=ROUND_HALF_UP),
        channel=channel,
        submitted_on=today,
    )


def _is_stored(survey: Survey, submission_id: uuid.UUID) -> bool:
    return SurveyResponse.objects.filter(survey=survey, submission_id=submission_id).exists()


def response_submit(
    *,
    survey: Survey,
    answers: Answers,
    code: str | None = None,
    browser_token: str | None = None,
    today: datetime.date | None = None,
) -> Outcome:
    """Store one online response, at most once per submission id, code and browser.

    In code mode the code is consumed in the same transaction that stores the response; the
    response does not record which code. In open mode the browser's token is claimed the
    same way. A submission id already stored (a replay) changes nothing and answers REPLAY.
    """
    today = today or timezone.localdate()
    if survey.phase(today) != Survey.Phase.OPEN:
        # A response accepted just before closing and replayed after it is still thanked.
        return Outcome.REPLAY if _is_stored(survey, answers.submission_id) else Outcome.NOT_OPEN
    response = build_response(survey, answers, SurveyResponse.Channel.ONLINE, today)
    normalized = survey_codes.normalize_code(code) if survey.uses_codes else None
    hashes = survey_codes.code_hashes(survey.pk, normalized) if normalized else []
    if not survey.uses_codes and not survey_codes.valid_browser_token(browser_token):
        raise ValueError("open mode needs the browser's token")
    try:
        if survey.uses_codes:
            stored = bool(hashes) and _insert_claimed(response, code_hashes=hashes)
        else:
            assert browser_token is not None
            token_hash = survey_codes.browser_hash(survey.pk, browser_token)
            stored = _insert_claimed(response, token_hash=token_hash)
    except IntegrityError:
        # The submission id is stored already, or (open mode) this browser has answered.
        if _is_stored(survey, answers.submission_id):
            return Outcome.REPLAY
        return Outcome.ALREADY_ANSWERED
    if stored:
        # A new response moves the index in force; the stored score follows (coalesced, and
        # without every respondent writing the programme's score row: pokja.hooks).
        transaction.on_commit(partial(responses_added, survey.programme_id))
        return Outcome.ACCEPTED
    # The code was not there to consume: used before, by this submission or another one.
    if _is_stored(survey, answers.submission_id):
        return Outcome.REPLAY
    if hashes and SurveyCode.objects.filter(survey=survey, code_hash__in=hashes).exists():
        return Outcome.CODE_USED
    return Outcome.CODE_UNKNOWN


def _insert_claimed(
    response: SurveyResponse, *, code_hashes: list[str] | None = None, token_hash: str = ""
) -> bool:
    """Consume the code (or claim the browser) and insert the response: both or neither.

    False when no unused code matched. Raises IntegrityError when the submission id, or
    the browser's claim, is stored already. Marking the code used only where it is still
    unused makes two submissions racing for one code unable to both win.
    """
    if connection.vendor == "postgresql":
        return _insert_claimed_in_one_statement(response, code_hashes, token_hash)
    survey_id = response.survey_id
    with transaction.atomic():
        if code_hashes is not None:
            if not SurveyCode.objects.filter(
                survey_id=survey_id, code_hash__in=code_hashes, used=False
            ).update(used=True):
                return False
        else:
            BrowserClaim.objects.create(survey_id=survey_id, token_hash=token_hash)
        response.save(force_insert=True)
    return True


_RESPONSE_FIELDS = [f for f in SurveyResponse._meta.concrete_fields if not f.primary_key]


def _insert_claimed_in_one_statement(
    response: SurveyResponse, code_hashes: list[str] | None, token_hash: str
) -> bool:
    """PostgreSQL: the claim and the insert as ONE statement (a data-modifying WITH).

    Every online submission runs this, so it is one round trip and one commit instead of a
    transaction of three statements; the statement is atomic by itself.
    """
    quote = connection.ops.quote_name
    if code_hashes is not None:
        claim = (
            f"UPDATE {quote(SurveyCode._meta.db_table)} SET used = true "  # noqa: S608
            "WHERE survey_id = %s AND code_hash = ANY(%s) AND NOT used RETURNING 1"
        )
        claim_params: list = [response.survey_id, list(code_hashes)]
    else:
        claim = (
            f"INSERT INTO {quote(BrowserClaim._meta.db_table)} (survey_id, token_hash) "  # noqa: S608
            "VALUES (%s, %s) RETURNING 1"
        )
        claim_params = [response.survey_id, token_hash]
    columns = ", ".join(quote(f.column) for f in _RESPONSE_FIELDS)
    values = ", ".join(["%s"] * len(_RESPONSE_FIELDS))
    sql = (
        f"WITH claimed AS ({claim}) "  # noqa: S608 - table and column names from the models
        f"INSERT INTO {quote(SurveyResponse._meta.db_table)} ({columns}) "
        f"SELECT {values} FROM claimed"
    )
    params = claim_params + [
        f.get_db_prep_save(getattr(response, f.attname), connection) for f in _RESPONSE_FIELDS
    ]
    # Inside an enclosing transaction (tests, a caller's atomic block) a failing statement
    # must not spoil it: a savepoint then. Alone it needs none.
    savepoint = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
    with savepoint, connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def code_status(survey: Survey, code: str | None) -> Outcome | None:
    """Whether a code typed or scanned would be accepted now: None if so, else the refusal."""
    normalized = survey_codes.normalize_code(code)
    if normalized is None:
        return Outcome.CODE_UNKNOWN
    used = (
        SurveyCode.objects.filter(
            survey=survey, code_hash__in=survey_codes.code_hashes(survey.pk, normalized)
        )
        .values_list("used", flat=True)
        .first()
    )
    if used is None:
        return Outcome.CODE_UNKNOWN
    return Outcome.CODE_USED if used else None


@dataclass(frozen=True)
class ImportResult:
    record: ResponseImport
    count: int


def responses_import(
    *,
    actor,
    survey: Survey,
    content: bytes,
    file_name: str,
    today: datetime.date | None = None,
) -> ImportResult:
    """Import paper responses from a CSV file: all rows or none.

    Raises ResponseCsvError listing every bad row (and a file imported before). Paper
    responses need no code: the paper form was handed out by the unit itself.
    """
    today = today or timezone.localdate()
    spec = survey.spec
    sheet = parse_response_csv(content, spec, services=survey.service_codes())
    digest = hashlib.sha256(content).hexdigest()
    service_field = next((f.code for f in spec.profile if f.kind == "service"), None)
    rows = []
    for row in sheet.rows:
        profile = {k: v for k, v in row.profile.items() if k != service_field}
        answers = Answers(
            submission_id=uuid.uuid4(),
            items=row.answers,
            profile=profile,
            service=(row.profile.get(service_field) or "") if service_field else "",
        )
        rows.append(build_response(survey, answers, SurveyResponse.Channel.PAPER, today))
    try:
        with transaction.atomic():
            record = ResponseImport.objects.create(
                survey=survey,
                file_name=file_name[:200],
                sha256=digest,
                rows=len(rows),
                imported_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            SurveyResponse.objects.bulk_create(rows, batch_size=1000)
            audit_created(
                record,
                ("survey", "file_name", "sha256", "rows"),
                actor=actor,
                programme=survey.programme,
            )
            programme_changed(survey.programme_id)
    except IntegrityError:
        earlier = ResponseImport.objects.filter(survey=survey, sha256=digest).first()
        when = (
            timezone.localtime(earlier.imported_at).strftime("%Y-%m-%d %H:%M") if earlier else "-"
        )
        raise ResponseCsvError(
            [
                CsvProblem(
                    None,
                    None,
                    None,
                    _("this file was imported already (%(when)s); nothing was stored again")
                    % {"when": when},
                )
            ]
        ) from None
    # A user's import is rare and the summary one query: keep it current right away.
    survey_results_refresh(survey_id=survey.pk)
    return ImportResult(record=record, count=len(rows))


# ---------------------------------------------------------------------------------------
# Results and the official figure.


def survey_results_refresh(*, survey_id: int) -> SurveyReport | None:
    """(Re)compute a survey's results and store their summary on the survey.

    Safe to run any number of times and from a background task (takes an id; returns None
    quietly when the survey is gone). Pages about one survey compute live and do not need
    it; the stored summary serves pages that list many surveys at once.
    """
    survey = (
        Survey.objects.select_related("instrument", "programme__framework")
        .filter(pk=survey_id)
        .first()
    )
    if survey is None:
        return None
    report = survey_report(survey)
    Survey.objects.filter(pk=survey_id).update(
        results=report.summary(), results_computed_at=timezone.now()
    )
    return report


@transaction.atomic
def official_figure_set(
    *, actor, programme, question: int, index: Decimal, source: str
) -> OfficialFigure:
    """Enter (or correct) the official index for an LKE question; it wins over own surveys."""
    if not Decimal(0) <= index <= Decimal(4):
        raise ValidationError({"index": _("The index lies between 0 and 4.")})
    if not source.strip():
        raise ValidationError({"source": _("Say where the figure comes from.")})
    figure = (
        OfficialFigure.objects.select_for_update()
        .filter(programme=programme, question=question)
        .first()
    )
    figure = audited_save(
        figure or OfficialFigure(programme=programme, question=question),
        OFFICIAL_FIGURE_FIELDS,
        actor=actor,
        changes={
            "index": index.quantize(Decimal("0.0001")),
            "source": source.strip(),
            "entered_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
        programme=programme,
    )
    programme_changed(programme.pk)
    return figure


@transaction.atomic
def official_figure_clear(*, actor, programme, question: int) -> bool:
    """Remove the official figure; the programme's own survey is in force again."""
    figure = (
        OfficialFigure.objects.select_for_update()
        .filter(programme=programme, question=question)
        .first()
    )
    if figure is None:
        return False
    audited_delete(figure, OFFICIAL_FIGURE_FIELDS, actor=actor, programme=programme)
    programme_changed(programme.pk)
    return True
