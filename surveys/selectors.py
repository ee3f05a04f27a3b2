"""Reads of survey results for the rest of the application.

A survey's results come from ONE aggregate query over its responses, however many there
are: per item and answer value a filtered count (from which the exact count, sum and sum of
squares of each item follow), per profile option and service a filtered count, and the
count, mean and sample standard deviation of the respondent means. The arithmetic is
``surveys.indices``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _

from figures.palette import TONES, Tone, scale_tone
from surveys import codes as survey_codes
from surveys.indices import (
    ItemAggregate,
    RespondentAggregate,
    SurveyResult,
    lke_score,
    round_display,
    survey_results,
)
from surveys.instrument_spec import Dimension, InstrumentSpec, ProfileField, Text
from surveys.models import (
    BrowserClaim,
    Instrument,
    OfficialFigure,
    Survey,
    SurveyResponse,
    localized,
)


@dataclass(frozen=True)
class LkeSurveyFigure:
    """The survey index that answers one LKE question (125 IPAK, 127 IPKP) of a programme."""

    question: int
    index: Decimal | None  # 0..4, exact; None when no figure is available yet
    source: str  # "official" (TPN/BPS figure entered), "survey" (own survey), "none"
    label: str  # what the page shows as the source in force
    survey_id: int | None = None
    respondents: int = 0


# ---------------------------------------------------------------------------------------
# One survey's report.


CHART_ROW = 12  # height of one bar row in the SVG charts' user units
CHART_WIDTH = 300  # width of a full bar (100%, or the top of the scale)


class _ChartRow:
    """Where a record with a ``row`` (from 0) stands in an SVG bar chart."""

    row: int

    @property
    def y(self) -> int:
        return self.row * CHART_ROW

    @property
    def label_y(self) -> int:
        return self.row * CHART_ROW + 8


@dataclass(frozen=True)
class ValueCount(_ChartRow):
    value: int
    label: Text
    count: int
    percent: Decimal  # of the item's answers, two decimals
    row: int  # position in its chart, from 0
    tone: Tone = TONES["series"]  # the value's place on the scale (figures.palette)

    @property
    def bar_width(self) -> str:
        """Bar length in the SVG chart's units (a plain number, never localized)."""
        return f"{self.percent * CHART_WIDTH / 100:.2f}"


@dataclass(frozen=True)
class ItemReport(_ChartRow):
    code: str
    dimension: str
    question: Text
    answered: int
    mean: Decimal | None  # exact; NRR for SKM
    values: tuple[ValueCount, ...]
    scale_max: int
    row: int  # position in the chart of means, from 0

    @property
    def mean_shown(self) -> Decimal | None:
        return None if self.mean is None else round_display(self.mean)

    @property
    def mean_width(self) -> str:
        """The mean as a bar length in the SVG chart's units (the scale's top is full width)."""
        if self.mean is None:
            return "0"
        return f"{round_display(self.mean * CHART_WIDTH / self.scale_max):.2f}"

    @property
    def chart_height(self) -> int:
        return len(self.values) * CHART_ROW


@dataclass(frozen=True)
class DimensionReport:
    dimension: Dimension
    items: tuple[ItemReport, ...]


@dataclass(frozen=True)
class GroupCount:
    code: str
    label: str
    count: int
    percent: Decimal  # of all respondents

    @property
    def bar(self) -> str:
        """The percentage as a plain number for <meter value> (never localized)."""
        return f"{self.percent:.2f}"


@dataclass(frozen=True)
class ProfileReport:
    field: ProfileField
    label: str
    groups: tuple[GroupCount, ...]
    unanswered: int


@dataclass(frozen=True)
class SurveyReport:
    survey: Survey
    spec: InstrumentSpec
    result: SurveyResult
    items: tuple[ItemReport, ...]
    dimensions: tuple[DimensionReport, ...]
    services: tuple[GroupCount, ...]
    services_unanswered: int
    profile: tuple[ProfileReport, ...]
    target: int
    lke_weight: Decimal | None  # weight of the LKE question the instrument feeds

    @property
    def respondents(self) -> int:
        return self.result.respondents

    @property
    def index_shown(self) -> Decimal | None:
        return None if self.result.index is None else round_display(self.result.index)

    @property
    def lke_score_shown(self) -> Decimal | None:
        score = self.result.lke_score
        return None if score is None else round_display(score)

    @property
    def interval_shown(self) -> tuple[Decimal, Decimal] | None:
        interval = self.result.interval
        if interval is None:
            return None
        return round_display(interval.low), round_display(interval.high)

    @property
    def target_percent(self) -> Decimal:
        if not self.target:
            return Decimal(0)
        return min(Decimal(100), round_display(Fraction(100 * self.respondents, self.target)))

    @property
    def target_reached(self) -> bool:
        return self.respondents >= self.target

    @property
    def chart_width(self) -> int:
        return CHART_WIDTH

    @property
    def means_chart_width(self) -> int:
        return CHART_WIDTH + 32  # room for the item codes on the left

    @property
    def means_chart_height(self) -> int:
        return len(self.items) * CHART_ROW

    @property
    def mean_fill(self) -> str:
        return TONES["series"].colour

    def summary(self) -> dict[str, Any]:
        """JSON-ready figures as shown (two decimals), for the stored summary and exports."""

        def shown(value: Decimal | None) -> str | None:
            return None if value is None else str(round_display(value))

        ikm = self.result.ikm
        return {
            "instrument": self.spec.slug,
            "respondents": self.respondents,
            "target": self.target,
            "index": shown(self.result.index),
            "ikm": None if ikm is None else str(ikm.shown),
            "quality": None if ikm is None else ikm.quality,
            "lke_question": self.spec.lke_question,
            "lke_score": shown(self.result.lke_score),
        }


def _percent(part: int, whole: int) -> Decimal:
    return round_display(Fraction(100 * part, whole)) if whole else Decimal("0.00")


def _item_key(code: str, value: int) -> str:
    return f"i__{code}__{value}"


def _profile_key(field: str, option: str) -> str:
    return f"p__{field}__{option}"


def _service_key(code: str) -> str:
    return f"s__{code}"


def response_aggregates(spec: InstrumentSpec, service_codes: list[str]) -> dict[str, Any]:
    """The aggregate expressions of one survey's report (one SELECT with many FILTERs)."""
    aggregates: dict[str, Any] = {
        "n": Count("pk"),
        # Sums rather than AVG/STDDEV_SAMP: exact numerics on PostgreSQL, and SQLite's
        # STDDEV_SAMP fails on a single row instead of giving NULL.
        "mean_sum": Sum("respondent_mean"),
        "mean_squares": Sum(F("respondent_mean") * F("respondent_mean")),
    }
    for item in spec.items:
        # The text of the JSON value, cast to an integer: works alike on PostgreSQL and
        # SQLite and is several times faster on PostgreSQL than comparing jsonb values.
        answer = Cast(KT(f"answers__{item.code}"), IntegerField())
        for value in spec.scale.values:
            aggregates[_item_key(item.code, value)] = Count("pk", filter=Exact(answer, value))
    for profile_field in spec.profile:
        if profile_field.kind != "choice":
            continue
        for option in profile_field.options:
            aggregates[_profile_key(profile_field.code, option.code)] = Count(
                "pk", filter=Exact(KT(f"profile__{profile_field.code}"), option.code)
            )
    for code in service_codes:
        aggregates[_service_key(code)] = Count("pk", filter=Q(service=code))
    return aggregates


def _exact(value: Any) -> Fraction:
    return Fraction(value) if isinstance(value, (Decimal, int)) else Fraction(repr(float(value)))


def _mean_and_stddev(n: int, total: Any, squares: Any) -> tuple[Decimal | None, Decimal | None]:
    """Mean and sample standard deviation of the respondent means from their sums."""
    if not n or total is None:
        return None, None
    exact_total = _exact(total)
    mean = exact_total / n
    if n < 2:
        return Decimal(mean.numerator) / Decimal(mean.denominator), None
    variance = max(Fraction(0), (_exact(squares) - exact_total * exact_total / n) / (n - 1))
    return (
        Decimal(mean.numerator) / Decimal(mean.denominator),
        (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt(),
    )


def lke_question_weights(programme) -> dict[int, Decimal]:
    """Weights of the HASIL questions of the programme's framework that take an index.

    Read from the framework (17.5 for q125 and q127 in lke-2021). A survey feeds such a
    question when an instrument names it as its ``lke_question``.
    """
    spec = programme.framework.spec
    weights = {}
    for item in spec.hasil_items:
        question = spec.questions_by_number.get(item.question)
        if question is not None and question.index_range is not None:
            weights[item.question] = item.weight
    return weights


def _lke_scale_max(programme, question: int) -> int | None:
    spec = programme.framework.spec
    low, high = spec.questions_by_number[question].index_range
    return int(high) if low == 0 and high == int(high) else None


def survey_report(survey: Survey) -> SurveyReport:
    """Everything the results page shows about one survey, from one aggregate query."""
    spec = survey.spec
    service_codes = survey.service_codes()
    row = SurveyResponse.objects.filter(survey_id=survey.pk).aggregate(
        **response_aggregates(spec, service_codes)
    )
    n = row["n"]
    item_aggregates = {}
    item_values: dict[str, list[tuple[int, int]]] = {}
    for item in spec.items:
        counts = [(value, row[_item_key(item.code, value)]) for value in spec.scale.values]
        item_values[item.code] = counts
        item_aggregates[item.code] = ItemAggregate(
            count=sum(c for _, c in counts),
            total=sum(v * c for v, c in counts),
            sum_squares=sum(v * v * c for v, c in counts),
        )
    mean, stddev = _mean_and_stddev(n, row["mean_sum"], row["mean_squares"])
    weight = None
    scale_ok = False
    if spec.kind == "perception" and spec.lke_question is not None:
        weight = lke_question_weights(survey.programme).get(spec.lke_question)
        scale_ok = (
            weight is not None
            and _lke_scale_max(survey.programme, spec.lke_question) == spec.scale.max
        )
    result = survey_results(
        spec,
        items=item_aggregates,
        respondents=RespondentAggregate(
            n=n,
            mean=None
            if mean is None
            else min(max(mean, Decimal(spec.scale.min)), Decimal(spec.scale.max)),
            stddev=stddev,
        ),
        lke_weight=weight if scale_ok else None,
    )
    items = []
    for position, (item, item_result) in enumerate(zip(spec.items, result.items, strict=True)):
        values = tuple(
            ValueCount(
                value=value,
                label=label.label,
                count=count,
                percent=_percent(count, item_result.answered),
                row=row,
                tone=scale_tone(value, spec.scale.max),
            )
            for row, ((value, count), label) in enumerate(
                zip(item_values[item.code], item.labels, strict=True)
            )
        )
        items.append(
            ItemReport(
                code=item.code,
                dimension=item.dimension,
                question=item.question,
                answered=item_result.answered,
                mean=item_result.mean,
                values=values,
                scale_max=spec.scale.max,
                row=position,
            )
        )
    dimensions = tuple(
        DimensionReport(
            dimension=dimension,
            items=tuple(item for item in items if item.dimension == dimension.code),
        )
        for dimension in spec.dimensions
    )
    services = tuple(
        GroupCount(
            code=service["code"],
            label=service["name"],
            count=row[_service_key(service["code"])],
            percent=_percent(row[_service_key(service["code"])], n),
        )
        for service in survey.services
    )
    profile = []
    for profile_field in spec.profile:
        if profile_field.kind != "choice":
            continue
        groups = tuple(
            GroupCount(
                code=option.code,
                label=localized(option.label),
                count=row[_profile_key(profile_field.code, option.code)],
                percent=_percent(row[_profile_key(profile_field.code, option.code)], n),
            )
            for option in profile_field.options
        )
        profile.append(
            ProfileReport(
                field=profile_field,
                label=localized(profile_field.label),
                groups=groups,
                unanswered=n - sum(group.count for group in groups),
            )
        )
    return SurveyReport(
        survey=survey,
        spec=spec,
        result=result,
        items=tuple(items),
        dimensions=dimensions,
        services=services,
        services_unanswered=n - sum(service.count for service in services),
        profile=tuple(profile),
        target=survey.target_sample,
        lke_weight=weight,
    )


# ---------------------------------------------------------------------------------------
# Lists and the LKE.


def programme_surveys(programme) -> list[Survey]:
    """The programme's surveys with their number of responses (one query)."""
    return list(
        Survey.objects.filter(programme=programme)
        .select_related("instrument")
        .defer("instrument__definition")
        .annotate(response_count=Count("responses"))
        .order_by("-start_date", "-pk")
    )


def lke_survey_questions(programme) -> frozenset[int]:
    """The keys of `lke_survey_figures` without computing a figure (one query): the index
    questions of the programme's framework that some survey instrument feeds."""
    candidates = sorted(lke_question_weights(programme))
    if not candidates:
        return frozenset()
    return frozenset(
        Instrument.objects.filter(lke_question__in=candidates)
        .order_by()
        .values_list("lke_question", flat=True)
        .distinct()
    )


def lke_survey_figures(programme) -> dict[int, LkeSurveyFigure]:
    """The figures in force for the programme's survey-fed LKE questions (125 and 127).

    This is the one function through which the evaluation reads survey results. The keys
    are the questions some survey instrument feeds (its ``lke_question``) among the
    programme framework's HASIL questions that take an index. Per question: the official
    figure (TPN/BPS) when one is entered; otherwise the index of the programme's own survey
    in force; otherwise no figure (index None, source "none").

    Project rule for the own survey in force: among the programme's published (or closed)
    surveys of an instrument feeding the question that have responses, the one that ends
    last (then starts last). One query, plus one to load the surveys in force and one
    aggregate per question an own survey answers.
    """
    return _lke_figures(programme)[0]


def _lke_figures(
    programme, reports: dict[int, SurveyReport] | None = None
) -> tuple[dict[int, LkeSurveyFigure], set[int]]:
    """The figures, and the questions with an official figure; ``reports`` by survey id are
    reused instead of computed again."""
    candidates = sorted(lke_question_weights(programme))
    if not candidates:
        return {}, set()
    official = OfficialFigure.objects.filter(programme=programme, question=OuterRef("lke_question"))
    in_force = (
        Survey.objects.filter(
            programme=programme, instrument__lke_question=OuterRef("lke_question")
        )
        .exclude(status=Survey.Status.DRAFT)
        .filter(Exists(SurveyResponse.objects.filter(survey=OuterRef("pk"))))
        .order_by("-end_date", "-start_date", "-pk")
        .values("pk")[:1]
    )
    # One row per question an instrument feeds (every version of it agrees).
    rows = (
        Instrument.objects.filter(lke_question__in=candidates)
        .annotate(
            official_index=Subquery(official.values("index")[:1]),
            official_source=Subquery(official.values("source")[:1]),
            survey_id=Subquery(in_force),
        )
        .order_by()
        .values_list("lke_question", "official_index", "official_source", "survey_id")
        .distinct()
    )
    found = {question: (index, source, survey_id) for question, index, source, survey_id in rows}
    reports = dict(reports or {})
    wanted = {
        survey_id
        for index, _source, survey_id in found.values()
        if index is None and survey_id is not None and survey_id not in reports
    }
    if wanted:
        for survey in (
            Survey.objects.filter(pk__in=wanted)
            .select_related("instrument")
            .defer("instrument__definition", "results")
        ):
            survey.programme = programme
            reports[survey.pk] = survey_report(survey)
    figures = {}
    for question in sorted(found):
        index, source, survey_id = found[question]
        if index is not None:
            figures[question] = LkeSurveyFigure(
                question=question,
                index=index,
                source="official",
                label=_("Official figure: %(source)s") % {"source": source},
            )
        elif survey_id is not None:
            report = reports[survey_id]
            if report.result.index is None:
                label = _("Own survey “%(title)s”: no index yet (%(items)s without answers)") % {
                    "title": report.survey.title,
                    "items": ", ".join(report.result.unanswered_items),
                }
            else:
                label = _("Own survey “%(title)s” (%(n)s respondents)") % {
                    "title": report.survey.title,
                    "n": report.respondents,
                }
            figures[question] = LkeSurveyFigure(
                question=question,
                index=report.result.index,
                source="survey",
                label=label,
                survey_id=survey_id,
                respondents=report.respondents,
            )
        else:
            figures[question] = LkeSurveyFigure(
                question=question,
                index=None,
                source="none",
                label=_("No figure yet: no survey with responses and no official figure"),
            )
    return figures, {q for q, (index, _s, _i) in found.items() if index is not None}


@dataclass(frozen=True)
class LkeFigureRow:
    """A figure in force with what a page shows next to it."""

    figure: LkeSurveyFigure
    weight: Decimal
    scale_max: int | None  # top of the question's index range (4)
    has_official: bool

    @property
    def index_shown(self) -> Decimal | None:
        return None if self.figure.index is None else round_display(self.figure.index)

    @property
    def score_shown(self) -> Decimal | None:
        if self.figure.index is None or self.scale_max is None:
            return None
        return round_display(lke_score(self.figure.index, self.weight, self.scale_max))


def lke_figure_rows(
    programme, *, reports: dict[int, SurveyReport] | None = None
) -> list[LkeFigureRow]:
    """The figures in force with their weights and LKE scores, for the survey pages.

    ``reports`` (by survey id) spares the aggregate of a survey the page computed already.
    """
    weights = lke_question_weights(programme)
    figures, official = _lke_figures(programme, reports)
    return [
        LkeFigureRow(
            figure=figures[q],
            weight=weights[q],
            scale_max=_lke_scale_max(programme, q),
            has_official=q in official,
        )
        for q in sorted(figures)
    ]


def browser_has_answered(survey: Survey, browser_token: str | None) -> bool:
    """Whether the browser holding `browser_token` has sent its response to this open-mode
    survey (one query). Asks only about the token the browser itself presents, and the
    claim is kept apart from the response: nothing leads from one to the other."""
    if survey.uses_codes or not survey_codes.valid_browser_token(browser_token):
        return False
    assert browser_token is not None
    return BrowserClaim.objects.filter(
        survey_id=survey.pk, token_hash=survey_codes.browser_hash(survey.pk, browser_token)
    ).exists()


def submission_is_stored(survey: Survey, submission_id) -> bool:
    """Whether the filled-in form with this (random) submission id was stored (one query)."""
    return SurveyResponse.objects.filter(survey=survey, submission_id=submission_id).exists()
