"""Reads of the public page: the published page, the version naming its cached content,
and the content itself, built only from what each switched-on block may show.

Nothing here reads a person's contact, a note, an evidence file (but the one pakta file the
unit chose), an LKE answer or a survey response beyond the aggregate of its survey.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import AuditEntry
from figures.formatting import number, whole
from figures.palette import TONES
from figures.svg import BarRow, horizontal_bars
from pokja.models import ActionPlanItem, ChangeAgent, Pokja, Programme, programme_today
from publicpage.models import ComplaintChannel, PublicPage, ServiceStandard
from surveys.indices import lke_score, round_display
from surveys.models import OfficialFigure, Survey, SurveyResponse, localized
from surveys.selectors import SurveyReport, lke_question_weights, survey_report

# The audited objects whose changes the public page shows (the newest one names its version
# and its "last updated"); LKE answers, evidence and notes change nothing public.
SHOWN_OBJECT_TYPES = (
    "pokja.programme",
    "pokja.unit",
    "pokja.pokja",
    "pokja.changeagent",
    "pokja.actionplanitem",
    "surveys.survey",
    "surveys.officialfigure",
    "publicpage.publicpage",
    "publicpage.servicestandard",
    "publicpage.complaintchannel",
)


def published_page(unit_code: str, year: int) -> PublicPage | None:
    """The page of UNIT/YEAR if its coordinator published it (one query)."""
    return (
        PublicPage.objects.select_related("programme__unit", "programme__framework")
        .filter(programme__unit__code=unit_code, programme__year=year, published=True)
        .first()
    )


def page_for_programme(programme: Programme) -> PublicPage:
    """The programme's page, or an unsaved one (off, every block off) before its first
    change (one query)."""
    page = PublicPage.objects.filter(programme=programme).first()
    if page is None:
        page = PublicPage(programme=programme)
    page.programme = programme
    return page


@dataclass(frozen=True)
class PageVersion:
    key: str  # names everything the page shows; any change gives a new one
    updated_at: datetime.datetime | None  # the newest change the page shows


def page_version(page: PublicPage) -> PageVersion:
    """One query: the page's settings, the newest audited change of what it shows, the newest
    survey response and official figure, and today's date (lateness moves at midnight)."""
    programme_id = page.programme_id
    row = (
        Programme.objects.filter(pk=programme_id)
        .annotate(
            audit_id=Subquery(
                AuditEntry.objects.filter(
                    programme_id=OuterRef("pk"), object_type__in=SHOWN_OBJECT_TYPES
                )
                .order_by("-id")
                .values("id")[:1]
            ),
            audit_at=Subquery(
                AuditEntry.objects.filter(
                    programme_id=OuterRef("pk"), object_type__in=SHOWN_OBJECT_TYPES
                )
                .order_by("-id")
                .values("at")[:1]
            ),
            response_id=Subquery(
                SurveyResponse.objects.filter(survey__programme_id=OuterRef("pk"))
                .order_by("-id")
                .values("id")[:1]
            ),
            figure_at=Subquery(
                OfficialFigure.objects.filter(programme_id=OuterRef("pk"))
                .order_by()
                .values("programme_id")
                .annotate(m=Max("entered_at"))
                .values("m")[:1]
            ),
            page_at=Subquery(
                PublicPage.objects.filter(programme_id=OuterRef("pk")).values("updated_at")[:1]
            ),
        )
        .values_list("audit_id", "audit_at", "response_id", "figure_at", "page_at")
        .get()
    )
    audit_id, audit_at, response_id, figure_at, page_at = row
    key = "|".join(str(part) for part in (programme_id, audit_id, response_id, figure_at, page_at))
    moments = [moment for moment in (audit_at, figure_at, page_at) if moment is not None]
    return PageVersion(key=f"{key}|{programme_today()}", updated_at=max(moments, default=None))


# ---------------------------------------------------------------------------------------
# The content.


@dataclass(frozen=True)
class SurveyFigure:
    code: str  # IPAK, IPKP, IKM
    title: str
    value: str  # as the reader sees it: "3,65", "82,50"
    scale: str  # "0-4", "25-100"
    category: str
    respondents: int
    start: datetime.date
    end: datetime.date
    index: Decimal | None  # on the answer scale (IKM / 25 for the SKM), for the chart


@dataclass(frozen=True)
class PlanProgress:
    number: int
    name: str
    done: int
    on_track: int
    late: int


@dataclass(frozen=True)
class RunningSurvey:
    title: str
    token: str
    end: datetime.date


@dataclass(frozen=True)
class PublicContent:
    page: PublicPage
    programme: Programme
    pokjas: list[Pokja]
    change_agents: list[dict]
    service_standards: list[ServiceStandard]
    complaint_channels: list[ComplaintChannel]
    survey_figures: list[SurveyFigure]
    survey_chart: str
    plan_progress: list[PlanProgress]
    running_surveys: list[RunningSurvey]

    @property
    def blocks(self) -> set[str]:
        return self.page.shown_blocks()


def _hasil_codes(programme: Programme) -> dict[int, str]:
    """LKE question -> the framework's code of the HASIL item it answers (ipak, ipkp)."""
    return {item.question: item.code for item in programme.framework.spec.hasil_items}


def _perception_category(programme: Programme, question: int, index: Decimal) -> str:
    """Which predicate's minimum the index reaches, by the framework's own criteria."""
    weight = lke_question_weights(programme).get(question)
    code = _hasil_codes(programme).get(question)
    if weight is None or code is None:
        return ""
    score = round_display(lke_score(index, weight))
    reached = None
    checked = []
    for predicate in programme.framework.spec.predicates:
        for criterion in predicate.criteria:
            if criterion.target == "hasil_item" and criterion.ref == code:
                checked.append(predicate.code)
                if criterion.minimum is not None and score >= criterion.minimum:
                    reached = predicate.code
    if not checked:
        return ""
    if reached is None:
        return _("Below the %(predicate)s minimum") % {"predicate": checked[0]}
    return _("Reaches the %(predicate)s minimum") % {"predicate": reached}


def _survey_figure(programme: Programme, report: SurveyReport) -> SurveyFigure:
    spec, result = report.spec, report.result
    survey = report.survey
    if spec.kind == "skm":
        ikm = result.ikm
        return SurveyFigure(
            code="IKM",
            title=localized(spec.title),
            value=number(ikm.shown) if ikm else "—",
            scale="25-100",
            category=f"{ikm.quality} · {localized(ikm.category)}" if ikm else "",
            respondents=report.respondents,
            start=survey.start_date,
            end=survey.end_date,
            index=result.index,
        )
    code = _hasil_codes(programme).get(spec.lke_question, spec.slug).upper()
    return SurveyFigure(
        code=code,
        title=localized(spec.title),
        value=number(result.index) if result.index is not None else "—",
        scale="0-4",
        category=""
        if result.index is None
        else _perception_category(programme, spec.lke_question, result.index),
        respondents=report.respondents,
        start=survey.start_date,
        end=survey.end_date,
        index=result.index,
    )


def survey_figures(programme: Programme) -> list[SurveyFigure]:
    """Per instrument kind (SPAK, SPKP, SKM): the latest published or closed survey with
    responses, and its figure. One query for the surveys, one aggregate per figure (at most
    one per instrument)."""
    surveys = (
        Survey.objects.filter(programme=programme)
        .exclude(status=Survey.Status.DRAFT)
        .filter(Exists(SurveyResponse.objects.filter(survey=OuterRef("pk"))))
        .select_related("instrument")
        .order_by("-end_date", "-start_date", "-pk")
    )
    chosen: dict[tuple[str, int | None], Survey] = {}
    for survey in surveys:
        key = (survey.instrument.kind, survey.instrument.lke_question)
        chosen.setdefault(key, survey)
    figures = []
    for survey in chosen.values():
        survey.programme = programme
        figures.append(_survey_figure(programme, survey_report(survey)))
    order = {"IPAK": 0, "IPKP": 1, "IKM": 2}
    return sorted(figures, key=lambda figure: (order.get(figure.code, 9), figure.code))


def survey_chart(figures: list[SurveyFigure]) -> str:
    rows = [
        BarRow(
            label=f"{figure.code} · {figure.title}",
            value=figure.index,
            text=figure.value,
            tone=TONES["series"],
        )
        for figure in figures
    ]
    if not rows:
        return ""
    ticks = [(Decimal(step), whole(step)) for step in range(5)]
    return horizontal_bars(
        rows,
        maximum=Decimal(4),
        ticks=ticks,
        title=_("Survey results on the answer scale (1 to 4; IKM divided by 25)"),
        width=160,  # short bars: the labels stay readable on a phone's width
    )


def plan_progress(programme: Programme) -> list[PlanProgress]:
    """Counts per Pokja of done, on-track and late plan items (one query)."""
    today = programme_today()
    done = Q(plan_items__status__in=(ActionPlanItem.Status.DONE, ActionPlanItem.Status.VERIFIED))
    open_ = Q(plan_items__status__in=ActionPlanItem.OPEN_STATUSES)
    late = open_ & Q(plan_items__due_date__lt=today)
    rows = (
        Pokja.objects.filter(programme=programme)
        .order_by("number")
        .annotate(
            n_done=Count("plan_items", filter=done),
            n_late=Count("plan_items", filter=late),
            n_on_track=Count("plan_items", filter=open_ & ~Q(plan_items__due_date__lt=today)),
        )
        .values_list("number", "name", "n_done", "n_on_track", "n_late")
    )
    return [PlanProgress(*row) for row in rows]


def running_surveys(programme: Programme) -> list[RunningSurvey]:
    today = timezone.localdate()
    rows = (
        Survey.objects.filter(
            programme=programme,
            status=Survey.Status.PUBLISHED,
            start_date__lte=today,
            end_date__gte=today,
        )
        .order_by("end_date", "pk")
        .values_list("title", "public_token", "end_date")
    )
    return [RunningSurvey(*row) for row in rows]


def public_content(page: PublicPage) -> PublicContent:
    """What the page shows: each block read only when it is switched on (one query per
    block at most, and one aggregate per survey figure)."""
    programme = page.programme
    blocks = page.shown_blocks()
    figures = survey_figures(programme) if "show_survey_results" in blocks else []
    return PublicContent(
        page=page,
        programme=programme,
        pokjas=list(Pokja.objects.filter(programme=programme).order_by("number"))
        if "show_pokja" in blocks
        else [],
        change_agents=list(
            ChangeAgent.objects.filter(programme=programme)
            .order_by("name", "pk")
            .values("name", "position")
        )
        if "show_change_agents" in blocks
        else [],
        service_standards=list(ServiceStandard.objects.filter(programme=programme))
        if "show_service_standards" in blocks
        else [],
        complaint_channels=list(ComplaintChannel.objects.filter(programme=programme))
        if "show_complaint_channels" in blocks
        else [],
        survey_figures=figures,
        survey_chart=survey_chart(figures),
        plan_progress=plan_progress(programme) if "show_plan_progress" in blocks else [],
        running_surveys=running_surveys(programme) if "show_running_surveys" in blocks else [],
    )
