"""Reads of the coordinator's dashboard and the Pokja dashboards (and the pieces the home pages
and the multi-unit overview draw with).

Everything comes from STORED results (``evaluations.models.ProgrammeScore`` and its daily
``ScoreSnapshot``), the action-plan, survey and TLHP selectors, and one query of the answers
(for the points at stake per question). Each page issues a fixed number of queries whatever
the data size; nothing here scores a worksheet or aggregates survey responses.

The package: ``coordinator`` (the coordinator's dashboard), ``pokja`` (a Pokja's dashboard),
``charts`` (thresholds, the answers behind a stored score, area bars, the trend), ``plans``
(plan counts, late items), ``surveys`` (figures in force, the programme's surveys) and
``proposal`` (the proposal prerequisites).
"""

from dashboards.dashboard_selectors.charts import (
    TREND_POINTS,
    AreaBar,
    AreaPart,
    StoredAnswers,
    Threshold,
    TrendRow,
    area_bars,
    area_chart,
    percent_of,
    score_trend_points,
    stored_answers,
    thresholds,
    trend_chart,
    with_today,
)
from dashboards.dashboard_selectors.coordinator import (
    CoordinatorDashboard,
    FigureRow,
    coordinator_dashboard,
    figure_rows,
)
from dashboards.dashboard_selectors.plans import (
    LATE_LIMIT,
    LateRow,
    PokjaPlanRow,
    late_plan_items,
    plan_chart,
    plan_rows,
)
from dashboards.dashboard_selectors.pokja import (
    ACTIVITY_LIMIT,
    PokjaDashboard,
    pokja_dashboard,
)
from dashboards.dashboard_selectors.proposal import (
    Prerequisite,
    proposal_prerequisites,
)
from dashboards.dashboard_selectors.surveys import (
    FigureInForce,
    SurveyRow,
    figures_in_force,
    survey_rows,
)

__all__ = [
    "ACTIVITY_LIMIT",
    "LATE_LIMIT",
    "TREND_POINTS",
    "AreaBar",
    "AreaPart",
    "CoordinatorDashboard",
    "FigureInForce",
    "FigureRow",
    "LateRow",
    "PokjaDashboard",
    "PokjaPlanRow",
    "Prerequisite",
    "StoredAnswers",
    "SurveyRow",
    "Threshold",
    "TrendRow",
    "area_bars",
    "area_chart",
    "coordinator_dashboard",
    "figure_rows",
    "figures_in_force",
    "late_plan_items",
    "percent_of",
    "plan_chart",
    "plan_rows",
    "pokja_dashboard",
    "proposal_prerequisites",
    "score_trend_points",
    "stored_answers",
    "survey_rows",
    "thresholds",
    "trend_chart",
    "with_today",
]
