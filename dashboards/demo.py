"""The demo world, composed from each app's own demo data.

``seed_demo(units=N)`` adds N more Polres for load tests and the multi-unit overview, each
with its own worksheet (better or worse answered), official survey figures, a few action
plan items (some late) and two months of daily score snapshots, so that the overview shows
realistic variety. Those units are load data: written in bulk, not through the audited
services, and scored once by the same computation the workers run.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from evaluations import demo as evaluations_demo
from evaluations.framework_spec import CHOICE, COUNT
from evaluations.loader import load_bundled_framework
from evaluations.models import Answer, ProgrammeScore, ScoreSnapshot
from evaluations.services import assessment_for, score_refresh
from notifications import demo as notifications_demo
from notifications import services as notifications_services
from pokja import demo as pokja_demo
from pokja.hooks import demo_programme_seeded
from pokja.models import ActionPlanItem, Pokja, Programme, programme_today
from publicpage import demo as publicpage_demo
from surveys import demo as surveys_demo
from surveys.models import OfficialFigure

SNAPSHOT_DAYS = 60  # daily history of each extra unit


@dataclass
class DemoResult:
    programme: Programme
    extra_programmes: list[Programme]


def seed_demo(*, units: int = 0) -> DemoResult:
    # The demo's people find the notices of what was done to their work in the app; nobody
    # is e-mailed.
    with notifications_services.in_app_only():
        return _seed_demo(units=units)


def _seed_demo(*, units: int) -> DemoResult:
    framework = load_bundled_framework("lke-2021")
    programme = pokja_demo.seed_organisation(framework)
    surveys_demo.seed_surveys(programme)
    pokja_demo.seed_action_plans(programme)
    pokja_demo.seed_registers(programme)
    evaluations_demo.seed_worksheet(programme)
    publicpage_demo.seed_public_page(programme)
    # The dashboards read stored scores: compute the demo's now (the workers keep it current)
    # and give it a history to draw.
    stored = score_refresh(programme_id=programme.pk, force=True)
    _seed_snapshots(programme, stored, random.Random(2018), programme_today(), days=120)  # noqa: S311
    # After the score and its history: the digest reports the stored score and its change.
    notifications_demo.seed_notifications(programme)
    # The apps above this one add theirs (pokja.hooks), e.g. the agency's confirmed proposal
    # of the demo unit to the national portal, whose snapshot holds the answers just stored.
    demo_programme_seeded(programme)
    extra = pokja_demo.seed_extra_units(framework, units) if units else []
    if extra:
        seed_unit_variety(extra)
    return DemoResult(programme=programme, extra_programmes=extra)


def _answer_text(spec, number: int, rng: random.Random, quality: float) -> str:
    """A unit's answer that is better the higher `quality` (0..1); sometimes none at all."""
    question = spec.question(number)
    if rng.random() > 0.6 + 0.4 * quality:
        return ""  # not answered yet
    if question.kind == CHOICE:
        options = sorted(question.options, key=lambda o: o.value, reverse=True)
        if rng.random() < quality:
            return options[0].key
        return rng.choice(options).key
    if question.kind == COUNT:
        return str(rng.randint(int(10 * quality), 12))
    return ""  # survey-fed index questions take the official figure


def seed_unit_variety(programmes: list[Programme], *, seed: int = 7) -> None:
    """Worksheets, survey figures, plan items and snapshot histories of the extra units."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    today = programme_today()
    sub_areas: dict[int, dict] = {}  # framework id -> area code -> its first leaf sub-area
    for programme in programmes:
        with transaction.atomic():  # one commit per unit: 500 units in a minute or two
            _seed_one(programme, sub_areas, rng, today)


def _seed_one(programme: Programme, sub_areas: dict, rng: random.Random, today) -> None:
    if programme.framework_id not in sub_areas:
        first: dict = {}
        for sub in (
            programme.framework.sub_areas.filter(children__isnull=True)
            .select_related("area")
            .order_by("order")
        ):
            first.setdefault(sub.area.code, sub)
        sub_areas[programme.framework_id] = first
    spec = programme.framework.spec
    quality = rng.uniform(0.35, 1.0)
    assessment = assessment_for(programme)
    by_text: dict[str, list[int]] = {}
    for pk, number in Answer.objects.filter(assessment=assessment).values_list("pk", "number"):
        by_text.setdefault(_answer_text(spec, number, rng, quality), []).append(pk)
    for text, ids in by_text.items():  # a few updates instead of one per answer
        if text:
            Answer.objects.filter(pk__in=ids).update(unit_value=text)
    OfficialFigure.objects.bulk_create(
        OfficialFigure(
            programme=programme,
            question=item.question,
            index=Decimal(str(round(rng.uniform(2.6 + quality, 3.3 + 0.7 * quality), 2))),
            source="TPN/BPS (demo)",
        )
        for item in spec.hasil_items
        if spec.question(item.question).kind not in (CHOICE, COUNT)
    )
    _seed_plan_items(programme, sub_areas[programme.framework_id], rng, quality, today)
    ProgrammeScore.objects.get_or_create(programme=programme)
    stored = score_refresh(programme_id=programme.pk, force=True)
    _seed_snapshots(programme, stored, rng, today)


def _seed_plan_items(
    programme: Programme, sub_areas: dict, rng: random.Random, quality: float, today
) -> None:
    items = []
    for pokja in Pokja.objects.filter(programme=programme):
        for number in range(1, rng.randint(1, 4) + 1):
            due = today + datetime.timedelta(days=rng.randint(-60, 90))
            late_chance = 0.6 * (1 - quality)
            if due < today and rng.random() > late_chance:
                status = rng.choice([ActionPlanItem.Status.DONE, ActionPlanItem.Status.VERIFIED])
            else:
                status = rng.choice(ActionPlanItem.OPEN_STATUSES)
            items.append(
                ActionPlanItem(
                    programme=programme,
                    pokja=pokja,
                    number=number,
                    title=f"Kegiatan {pokja.area_code} {number}",
                    sub_area=sub_areas[pokja.area_code],
                    start_date=due - datetime.timedelta(days=60),
                    due_date=due,
                    status=status,
                    progress=100 if status not in ActionPlanItem.OPEN_STATUSES else 40,
                )
            )
    ActionPlanItem.objects.bulk_create(items)


def _seed_snapshots(
    programme, stored, rng: random.Random, today, days: int = SNAPSHOT_DAYS
) -> None:
    if stored is None or stored.total is None:
        return
    start = stored.total * Decimal(str(round(rng.uniform(0.55, 0.9), 2)))
    snapshots = []
    for day in range(days):
        share = Decimal(day) / (days - 1)
        total = (start + (stored.total - start) * share).quantize(Decimal("0.01"))
        snapshots.append(
            ScoreSnapshot(
                programme=programme,
                date=today - datetime.timedelta(days=days - 1 - day),
                taken_at=stored.computed_at,
                total=total,
                unit_total=total,
                tpi_total=Decimal(0),
                answered=stored.answered,
                questions=stored.questions,
                with_evidence=stored.with_evidence,
            )
        )
    ScoreSnapshot.objects.bulk_create(snapshots, ignore_conflicts=True)
