"""Reads of the dashboards app: the coordinator's dashboard and the Pokja dashboards (and the
pieces the home pages and the multi-unit overview draw with), the home pages (``home``), the
multi-unit overview (``overview``) and the plan drafts from the LKE (``drafts``).

Everything comes from STORED results (``evaluations.models.ProgrammeScore`` and its daily
``ScoreSnapshot``), the action-plan, survey and TLHP selectors, and one query of the answers
(for the points at stake per question). Each page issues a fixed number of queries whatever
the data size; nothing here scores a worksheet or aggregates survey responses.

The package: ``coordinator`` (the coordinator's dashboard), ``pokja`` (a Pokja's dashboard),
``charts`` (thresholds, the answers behind a stored score, area bars, the trend), ``plans``
(plan counts, late items), ``surveys`` (figures in force, the programme's surveys) and
``proposal`` (the proposal prerequisites), ``drafts`` (LKE gains turned into draft action
plans; the change-agent register beside the answers it feeds), ``home`` and ``overview``
(imported by their module name).
"""

from dashboards.selectors.charts import (
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
from dashboards.selectors.coordinator import (
    CoordinatorDashboard,
    FigureRow,
    coordinator_dashboard,
    figure_rows,
)
from dashboards.selectors.drafts import (
    ChangeAgentAnswers,
    PlanDraft,
    change_agent_answers,
    plan_drafts,
    rank_drafts,
)
from dashboards.selectors.plans import (
    LATE_LIMIT,
    LateRow,
    PokjaPlanRow,
    late_plan_items,
    plan_chart,
    plan_rows,
)
from dashboards.selectors.pokja import (
    ACTIVITY_LIMIT,
    PokjaDashboard,
    pokja_dashboard,
)
from dashboards.selectors.proposal import (
    Prerequisite,
    proposal_prerequisites,
)
from dashboards.selectors.surveys import (
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
    "ChangeAgentAnswers",
    "CoordinatorDashboard",
    "FigureInForce",
    "FigureRow",
    "LateRow",
    "PlanDraft",
    "PokjaDashboard",
    "PokjaPlanRow",
    "Prerequisite",
    "StoredAnswers",
    "SurveyRow",
    "Threshold",
    "TrendRow",
    "area_bars",
    "area_chart",
    "change_agent_answers",
    "coordinator_dashboard",
    "figure_rows",
    "figures_in_force",
    "late_plan_items",
    "percent_of",
    "plan_chart",
    "plan_drafts",
    "plan_rows",
    "pokja_dashboard",
    "proposal_prerequisites",
    "rank_drafts",
    "score_trend_points",
    "stored_answers",
    "survey_rows",
    "thresholds",
    "trend_chart",
    "with_today",
]
