"""A Pokja's dashboard: its area's bar, the questions that lose it points (drafts of plan
items), its plan items and its activity."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from audit.models import AuditEntry
from audit.presentation import EntryRow, describe_entries
from dashboards.selectors.charts import (
    AreaBar,
    Threshold,
    _computed,
    area_bars,
    stored_answers,
    thresholds,
)
from dashboards.selectors.drafts import PlanDraft, rank_drafts
from dashboards.selectors.plans import LateRow
from evaluations.models import Answer
from evaluations.scoring import question_gains
from evaluations.selectors import ScoreStatus, score_status, stored_score
from pokja.models import ActionPlanItem, Pokja, Programme, programme_today
from pokja.selectors import PlanCounts, plan_items

ACTIVITY_LIMIT = 20


# --------------------------------------------------------------------------- a Pokja


@dataclass
class PokjaDashboard:
    programme: Programme
    pokja: Pokja
    status: ScoreStatus
    area: AreaBar | None
    lines: list[Threshold]
    questions: list[PlanDraft]
    items: list[ActionPlanItem]  # mine first
    mine: frozenset[int]
    late: list[LateRow]
    counts: PlanCounts
    activity: list[EntryRow]  # who did what, named as people
    today: datetime.date


def pokja_dashboard(programme: Programme, pokja: Pokja, user) -> PokjaDashboard:
    spec = programme.framework.spec
    today = programme_today()
    status = score_status(programme)
    stored = _computed(stored_score(programme))
    answers = stored_answers(programme, stored)
    lines = thresholds(spec)
    bars = area_bars(
        spec,
        stored.figures if stored else {},
        lines,
        reviewed=answers.reviewed,
        survey_fed=answers.survey_fed,
    )
    area = next((bar for bar in bars if bar.code == pokja.area_code), None)
    planned = ActionPlanItem.questions.through.objects.filter(
        actionplanitem__pokja=pokja
    ).values_list("frameworkquestion__number", flat=True)
    questions = rank_drafts(question_gains(spec, answers.effective), pokja.area_code, planned)
    items = list(plan_items(pokja=pokja, today=today))
    mine = frozenset(
        item.pk for item in items if any(owner.pk == user.pk for owner in item.owners.all())
    )
    items.sort(key=lambda item: (item.pk not in mine, item.number))
    late = [
        LateRow(item, item.days_late_on(today))
        for item in sorted((i for i in items if i.late), key=lambda i: (i.due_date, i.number))
    ]
    counts = PlanCounts()
    for item in items:
        counts.by_status[item.status] = counts.by_status.get(item.status, 0) + 1
        counts.late += bool(item.late)
    area_answers = [
        str(pk)
        for number, pk in answers.answer_ids.items()
        if spec.questions_by_number[number].area == pokja.area_code
    ]
    about = Q(
        object_type=ActionPlanItem._meta.label_lower, object_id__in=[str(i.pk) for i in items]
    )
    about |= Q(object_type=Answer._meta.label_lower, object_id__in=area_answers)
    activity = describe_entries(
        AuditEntry.objects.filter(Q(programme_id=programme.pk) & about).order_by("-id")[
            :ACTIVITY_LIMIT
        ],
        changes=False,
    )
    return PokjaDashboard(
        programme=programme,
        pokja=pokja,
        status=status,
        area=area,
        lines=lines,
        questions=questions,
        items=items,
        mine=mine,
        late=late,
        counts=counts,
        activity=activity,
        today=today,
    )


__all__ = [
    "ACTIVITY_LIMIT",
    "PokjaDashboard",
    "pokja_dashboard",
]
