"""The prerequisites of proposing a unit (PermenPANRB 90/2021), as the coordinator's dashboard
and the portal show them; the rules' data is ``dashboards.prerequisites``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dashboards.models import ProposalRecord
from dashboards.prerequisites import (
    ASSET_REPORTS,
    AUDIT_OPINION_REQUIRED,
    SAKIP_MINIMUM,
    YEARS_BUILDING,
    sakip_at_least,
)
from evaluations.selectors import StoredScore
from figures import formatting as fmt
from figures.date_fields import years_after
from pokja.models import Programme
from pokja.selectors import TlhpSummary

# --------------------------------------------------------------------------- prerequisites


@dataclass(frozen=True)
class Prerequisite:
    code: str
    label: str
    met: bool | None  # None: not known yet (nothing recorded or answered)
    detail: str
    recorded: bool = False  # the coordinator records it on the dashboard


def _asset_report(stored: StoredScore | None, name: str, sub_area: str) -> Prerequisite:
    label = _("%(report)s filed 100%%") % {"report": name}
    data = stored.breakdown.sub_areas.get(sub_area) if stored and stored.breakdown else None
    if data is None:
        return Prerequisite(name.lower(), label, None, _("No computed score yet."))
    if data.completeness.answered < data.completeness.total:
        return Prerequisite(
            name.lower(), label, None, _("Answer the LKE counts of %(code)s.") % {"code": sub_area}
        )
    met = data.score >= data.weight
    return Prerequisite(
        name.lower(),
        label,
        met,
        _("LKE %(code)s scores %(score)s of %(weight)s.")
        % {"code": sub_area, "score": fmt.number(data.score), "weight": fmt.number(data.weight)},
    )


def proposal_prerequisites(
    programme: Programme,
    *,
    stored: StoredScore | None,
    tlhp: TlhpSummary,
    record: ProposalRecord | None,
    today: datetime.date,
    target: str | None = None,
) -> list[Prerequisite]:
    """The conditions before a unit may be proposed (not scored), for its target predicate
    (or `target`, the predicate it is proposed for): derived where the application holds the
    facts, recorded by the coordinator otherwise (`record`: anything with an
    ``audit_opinion`` and a ``sakip_grade``)."""
    target = target or programme.target
    items = []
    declared = programme.pencanangan_date is not None and programme.pakta_document_id is not None
    items.append(
        Prerequisite(
            "pencanangan",
            _("Pencanangan and signed pakta integritas recorded"),
            declared,
            (
                _("Declared on %(date)s.") % {"date": fmt.day(programme.pencanangan_date)}
                if declared
                else _("Record the date and the signed document in the programme settings.")
            ),
        )
    )
    if programme.pencanangan_date is None:
        items.append(
            Prerequisite(
                "one_year",
                _("At least %(n)s year of building ZI") % {"n": YEARS_BUILDING},
                None,
                _("The pencanangan date is not recorded."),
            )
        )
    else:
        start = programme.pencanangan_date
        due = years_after(start, YEARS_BUILDING)
        items.append(
            Prerequisite(
                "one_year",
                _("At least %(n)s year of building ZI") % {"n": YEARS_BUILDING},
                # A date stored before dates had a range (year 9999) is never reached.
                today >= due if due is not None else False,
                _("Since %(start)s; reached on %(due)s.")
                % {"start": fmt.day(start), "due": fmt.day(due)},
            )
        )
    items.append(
        Prerequisite(
            "tlhp",
            _("Audit findings (TLHP) settled 100%"),
            tlhp.all_settled,
            _("%(settled)s of %(owed)s findings settled (%(percent)s%%).")
            % {
                "settled": tlhp.settled,
                "owed": tlhp.owed,
                "percent": fmt.number(tlhp.percent),
            },
        )
    )
    for name, sub_area in ASSET_REPORTS.items():
        items.append(_asset_report(stored, name, sub_area))
    surveys = stored.surveys if stored else {}
    missing = [f"q{n}" for n, f in sorted(surveys.items()) if f.get("index") is None]
    items.append(
        Prerequisite(
            "surveys",
            _("Survey figures present (IPAK, IPKP)"),
            bool(surveys) and not missing,
            (
                _("Missing: %(questions)s.") % {"questions": ", ".join(missing)}
                if missing or not surveys
                else _("Every survey-fed question has a figure.")
            )
            if stored
            else _("No computed score yet."),
        )
    )
    meets = stored.meets.get(target) if stored else None
    items.append(
        Prerequisite(
            "scores",
            _("Minimum scores of %(predicate)s met") % {"predicate": target},
            meets,
            _("See the predicate check above.") if stored else _("No computed score yet."),
        )
    )
    required_held = next(
        (p.requires_held for p in programme.framework.spec.predicates if p.code == target), None
    )
    if required_held:
        items.append(
            Prerequisite(
                "held",
                _("The unit already holds %(predicate)s") % {"predicate": required_held},
                programme.holds_wbk,
                _("Set in the programme settings."),
            )
        )
    opinion = record.audit_opinion if record else ""
    items.append(
        Prerequisite(
            "audit_opinion",
            _("Agency audit opinion %(opinion)s") % {"opinion": AUDIT_OPINION_REQUIRED},
            (opinion == AUDIT_OPINION_REQUIRED) if opinion else None,
            _("Recorded: %(value)s.") % {"value": opinion} if opinion else _("Not recorded."),
            recorded=True,
        )
    )
    grade = record.sakip_grade if record else ""
    minimum = SAKIP_MINIMUM.get(target, "")
    items.append(
        Prerequisite(
            "sakip",
            _("Agency SAKIP %(grade)s or better") % {"grade": minimum},
            sakip_at_least(grade, minimum) if grade else None,
            _("Recorded: %(value)s.") % {"value": grade} if grade else _("Not recorded."),
            recorded=True,
        )
    )
    return items


__all__ = [
    "Prerequisite",
    "proposal_prerequisites",
]
