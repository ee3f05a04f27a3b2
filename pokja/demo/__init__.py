"""The demo world's organisation side: the unit, its people and roles (``organisation``), the
Pokja's action plans (``plans``) and the registers of audit findings and change agents
(``registers``). Composed with the other apps' demo data by ``dashboards/demo.py``.
Idempotent: running it again changes nothing.
"""

# The package's names are those its modules list in their ``__all__``.
from pokja.demo import organisation, plans, registers
from pokja.demo.organisation import *  # noqa: F403
from pokja.demo.plans import *  # noqa: F403
from pokja.demo.registers import *  # noqa: F403

__all__ = [*organisation.__all__, *plans.__all__, *registers.__all__]
