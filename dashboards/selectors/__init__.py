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

# The package's names are those its modules list in their ``__all__``.
from dashboards.selectors import charts, coordinator, drafts, plans, pokja, proposal, surveys
from dashboards.selectors.charts import *  # noqa: F403
from dashboards.selectors.coordinator import *  # noqa: F403
from dashboards.selectors.drafts import *  # noqa: F403
from dashboards.selectors.plans import *  # noqa: F403
from dashboards.selectors.pokja import *  # noqa: F403
from dashboards.selectors.proposal import *  # noqa: F403
from dashboards.selectors.surveys import *  # noqa: F403

__all__ = [
    *charts.__all__,
    *coordinator.__all__,
    *drafts.__all__,
    *plans.__all__,
    *pokja.__all__,
    *proposal.__all__,
    *surveys.__all__,
]
