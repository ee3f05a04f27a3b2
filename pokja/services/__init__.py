"""Writes of the organisation app, all audited: `from pokja import services` or
`from pokja.services import <name>`.

organisation: programmes, roles, people; evidence: files and links and what they support; plans: action plans, their status flow,
monitoring, comments and evidence; plan_imports: a plan's spreadsheet, previewed, then
imported; registers: audit findings (TLHP), change agents.
"""

# The package's names are those its modules list in their ``__all__``.
from pokja.services import evidence, organisation, plan_imports, plans, registers
from pokja.services.evidence import *  # noqa: F403
from pokja.services.organisation import *  # noqa: F403
from pokja.services.plan_imports import *  # noqa: F403
from pokja.services.plans import *  # noqa: F403
from pokja.services.registers import *  # noqa: F403

__all__ = [
    *evidence.__all__,
    *organisation.__all__,
    *plan_imports.__all__,
    *plans.__all__,
    *registers.__all__,
]
