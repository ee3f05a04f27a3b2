"""The coordinator's dashboard: the stored score, its figures, plans, surveys, prerequisites and
the activity of the whole programme."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from dashboards.models import ProposalRecord
from dashboards.selectors.charts import (
    AreaBar,
    Threshold,
    TrendRow,
    _computed,
    area_bars,
    area_chart,
    percent_of,
    score_trend_points,
    stored_answers,
    thresholds,
    trend_chart,
    with_today,
)
from dashboards.selectors.plans import (
    LATE_LIMIT,
    LateRow,
    PokjaPlanRow,
    late_plan_items,
    plan_chart,
    plan_rows,
)
from dashboards.selectors.proposal import Prerequisite, proposal_prerequisites
from dashboards.selectors.surveys import (
    FigureInForce,
    SurveyRow,
    figures_in_force,
    survey_rows,
)
from evaluations.framework_spec import FrameworkSpec
from evaluations.selectors import (
    PredicateView,
    ScoreStatus,
    StoredScore,
    predicate_views,
    score_status,
    stored_score,
)
from pokja.models import Pokja, Programme, programme_today
from pokja.selectors import TlhpSummary, plan_status_counts, tlhp_settled

# --------------------------------------------------------------------------- the coordinator


@dataclass
class CoordinatorDashboard:
    programme: Programme
    status: ScoreStatus
    stored: StoredScore | None
    lines: list[Threshold]
    figures: list[FigureRow]  # components, each followed by its parts
    areas: list[AreaBar]
    area_chart: dict
    trend: list[TrendRow]
    trend_chart: dict
    predicates: list[PredicateView]
    survey_figures: list[FigureInForce]
    surveys: list[SurveyRow]
    plans: list[PokjaPlanRow]
    plan_chart: dict
    late: list[LateRow]
    late_total: int
    hasil_completeness: dict
    tlhp: TlhpSummary
    prerequisites: list[Prerequisite]
    record: ProposalRecord | None
    today: datetime.date


@dataclass(frozen=True)
class FigureRow:
    """One line of the total's table: a component, or one of its parts beneath it."""

    code: str
    name: str
    score: Decimal
    weight: Decimal
    depth: int  # 0 component, 1 its part
    parent: str | None  # the component of a part

    @property
    def percent(self) -> Decimal:
        return percent_of(self.score, self.weight)


def figure_rows(spec: FrameworkSpec, figures: dict) -> list[FigureRow]:
    """The framework's hierarchy as its data states it: each component (PENGUNGKIT, HASIL),
    then its own parts beneath it (PEMENUHAN and REFORM make up PENGUNGKIT), in the data's
    order (stored figures are JSON objects whose key order the database does not keep)."""
    components = figures.get("components") or {}
    parts = figures.get("parts") or {}
    rows = []
    for component in spec.components:
        data = components.get(component.code)
        if data is None:
            continue
        rows.append(
            FigureRow(
                component.code,
                data.get("name", component.name),
                Decimal(data["score"]),
                Decimal(data["weight"]),
                0,
                None,
            )
        )
        for code in component.parts:
            part = parts.get(code)
            if part is not None:
                rows.append(
                    FigureRow(
                        code,
                        part.get("name", code),
                        Decimal(part["score"]),
                        Decimal(part["weight"]),
                        1,
                        component.code,
                    )
                )
    return rows


def coordinator_dashboard(programme: Programme) -> CoordinatorDashboard:
    spec = programme.framework.spec
    today = programme_today()
    status = score_status(programme)
    stored = _computed(stored_score(programme))
    figures = stored.figures if stored else {}
    answers = stored_answers(programme, stored)
    lines = thresholds(spec)
    pokjas = list(Pokja.objects.filter(programme=programme).order_by("number"))
    kwargs = programme.url_kwargs()

    def pokja_url(number: int) -> str:
        return reverse("pokja_dashboard", kwargs={**kwargs, "number": number})

    areas = area_bars(
        spec,
        figures,
        lines,
        reviewed=answers.reviewed,
        survey_fed=answers.survey_fed,
        url_of=pokja_url,
    )
    predicates: list[PredicateView] = []
    if stored is not None and stored.breakdown is not None:
        predicates, _gains = predicate_views(
            spec, stored.breakdown, answers.effective, answers.survey_fed
        )
    hasil = [q for q in spec.questions if q.area is None]
    hasil_completeness = {
        "questions": len(hasil),
        "answered": sum(1 for q in hasil if answers.effective[q.number].value is not None),
        "with_evidence": sum(1 for q in hasil if answers.effective[q.number].has_evidence),
        "reviewed": sum(1 for q in hasil if q.number in answers.reviewed),
    }
    counts = plan_status_counts(programme, today=today)
    plans = plan_rows(pokjas, counts)
    tlhp = tlhp_settled(programme)
    record = ProposalRecord.objects.filter(programme=programme).first()
    trend = with_today(score_trend_points(programme), stored, today)
    return CoordinatorDashboard(
        programme=programme,
        status=status,
        stored=stored,
        lines=lines,
        figures=figure_rows(spec, figures),
        areas=areas,
        area_chart=area_chart(areas, lines),
        trend=trend,
        trend_chart=trend_chart(trend, lines),
        predicates=predicates,
        survey_figures=figures_in_force(stored),
        surveys=survey_rows(programme),
        plans=plans,
        plan_chart=plan_chart(plans),
        late=late_plan_items(programme, today=today, limit=LATE_LIMIT),
        late_total=sum(c.late for c in counts.values()),
        hasil_completeness=hasil_completeness,
        tlhp=tlhp,
        prerequisites=proposal_prerequisites(
            programme, stored=stored, tlhp=tlhp, record=record, today=today
        ),
        record=record,
        today=today,
    )


__all__ = [
    "CoordinatorDashboard",
    "FigureRow",
    "coordinator_dashboard",
    "figure_rows",
]
