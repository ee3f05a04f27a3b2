"""The demo world's organisation side: the unit, its people and roles (``organisation``), the
Pokja's action plans (``plans``) and the registers of audit findings and change agents
(``registers``). Composed with the other apps' demo data by ``dashboards/demo.py``.
Idempotent: running it again changes nothing.
"""

from pokja.demo.organisation import (
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    DEMO_UNIT_CODE,
    PARENT_UNIT_CODE,
    seed_extra_units,
    seed_organisation,
)
from pokja.demo.plans import seed_action_plans
from pokja.demo.registers import seed_registers

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_PEOPLE",
    "DEMO_UNIT_CODE",
    "PARENT_UNIT_CODE",
    "seed_action_plans",
    "seed_extra_units",
    "seed_organisation",
    "seed_registers",
]
