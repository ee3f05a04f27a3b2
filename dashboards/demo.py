"""The demo world, composed from each app's own demo data."""

from __future__ import annotations

from dataclasses import dataclass

from evaluations import demo as evaluations_demo
from evaluations.loader import load_bundled_framework
from notifications import demo as notifications_demo
from pokja import demo as pokja_demo
from pokja.models import Programme
from surveys import demo as surveys_demo


@dataclass
class DemoResult:
    programme: Programme
    extra_programmes: list[Programme]


def seed_demo(*, units: int = 0) -> DemoResult:
    framework = load_bundled_framework("lke-2021")
    programme = pokja_demo.seed_organisation(framework)
    surveys_demo.seed_surveys(programme)
    pokja_demo.seed_action_plans(programme)
    pokja_demo.seed_registers(programme)
    evaluations_demo.seed_worksheet(programme)
    notifications_demo.seed_notifications(programme)
    extra = pokja_demo.seed_extra_units(framework, units) if units else []
    return DemoResult(programme=programme, extra_programmes=extra)
