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

# The package's names are those its modules list in their ``__all__`` (the modules under
# another name here: ``overview`` and ``what_if`` are also names of functions they export).
import evaluations.selectors.answers as _answers
import evaluations.selectors.overview as _overview
import evaluations.selectors.scores as _scores
import evaluations.selectors.what_if as _what_if
import evaluations.selectors.worksheet as _worksheet
from evaluations.selectors.answers import *  # noqa: F403
from evaluations.selectors.overview import *  # noqa: F403
from evaluations.selectors.scores import *  # noqa: F403
from evaluations.selectors.what_if import *  # noqa: F403
from evaluations.selectors.worksheet import *  # noqa: F403

__all__ = [
    *_answers.__all__,
    *_overview.__all__,
    *_scores.__all__,
    *_what_if.__all__,
    *_worksheet.__all__,
]
