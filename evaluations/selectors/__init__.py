"""Reads of the LKE worksheet: answers by layer, scores, and what the pages show.

Every read here runs a fixed number of queries however many answers and evidence there are.
Answers are read back through the framework (``normalize_answer``), and the survey-fed
questions (q125, q127) always take the figure in force from
``surveys.selectors.lke_survey_figures``: where no figure exists the item is unanswered.

The package: ``answers`` (answers by layer, the breakdown they score to), ``worksheet`` (the
section pages, status changes, history), ``overview`` (the overview page, predicates and
shortfalls), ``what_if`` (a changed set of answers scored) and ``scores`` (stored scores, their
status and trend).
"""

from evaluations.selectors.answers import (
    LAYERS,
    AnswerLayers,
    Layer,
    answer_input,
    answer_layers,
    programme_answers,
    programme_breakdown,
    read_stored_value,
    survey_values,
)
from evaluations.selectors.overview import (
    AreaRow,
    ClosingStep,
    HasilRow,
    Overview,
    PredicateView,
    ShortfallRow,
    overview,
    predicate_views,
)
from evaluations.selectors.scores import (
    ScoreStatus,
    StoredScore,
    TrendPoint,
    score_snapshots_on,
    score_status,
    score_trend,
    stored_score,
    stored_scores,
    stored_shortfalls,
)
from evaluations.selectors.what_if import (
    FOCUS_SIZE,
    WhatIf,
    WhatIfItem,
    programme_what_if,
    what_if_from,
)
from evaluations.selectors.worksheet import (
    Block,
    PartBlock,
    QuestionRow,
    SectionPage,
    SectionSummary,
    StatusMove,
    section_history,
    section_page,
    section_status_moves,
)

__all__ = [
    "FOCUS_SIZE",
    "LAYERS",
    "AnswerLayers",
    "AreaRow",
    "Block",
    "ClosingStep",
    "HasilRow",
    "Layer",
    "Overview",
    "PartBlock",
    "PredicateView",
    "QuestionRow",
    "ScoreStatus",
    "SectionPage",
    "SectionSummary",
    "ShortfallRow",
    "StatusMove",
    "StoredScore",
    "TrendPoint",
    "WhatIf",
    "WhatIfItem",
    "answer_input",
    "answer_layers",
    "overview",
    "predicate_views",
    "programme_answers",
    "programme_breakdown",
    "programme_what_if",
    "read_stored_value",
    "score_snapshots_on",
    "score_status",
    "score_trend",
    "section_history",
    "section_page",
    "section_status_moves",
    "stored_score",
    "stored_scores",
    "stored_shortfalls",
    "survey_values",
    "what_if_from",
]
