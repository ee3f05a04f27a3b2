"""The proposal prerequisites (PermenPANRB 90/2021) as data: dashboards/proposal_prerequisites.json.

Pure Python, no Django: the grade ladder, the minimum per predicate and the LKE sub-areas that
say whether the asset reports were filed live in the data file, not in code.
"""

from __future__ import annotations

import json
from pathlib import Path

DATA_FILE = Path(__file__).with_name("proposal_prerequisites.json")
_DATA = json.loads(DATA_FILE.read_text(encoding="utf-8"))

AUDIT_OPINIONS: tuple[str, ...] = tuple(_DATA["audit_opinions"])
AUDIT_OPINION_REQUIRED: str = _DATA["audit_opinion_required"]
SAKIP_GRADES: tuple[str, ...] = tuple(_DATA["sakip_grades"])  # best first
SAKIP_MINIMUM: dict[str, str] = dict(_DATA["sakip_minimum"])
ASSET_REPORTS: dict[str, str] = dict(_DATA["asset_reports"])  # name -> LKE sub-area code
YEARS_BUILDING: int = int(_DATA["years_building"])


def sakip_at_least(grade: str, minimum: str) -> bool:
    """Whether SAKIP `grade` is `minimum` or better (the ladder is ordered best first)."""
    if grade not in SAKIP_GRADES or minimum not in SAKIP_GRADES:
        return False
    return SAKIP_GRADES.index(grade) <= SAKIP_GRADES.index(minimum)
