"""Who is reminded of what, and on which day: plain rules, no database.

Days are dates in Asia/Jakarta (``pokja.models.programme_date``): an item due on the 20th is
1 day late on the 21st (WIB), whatever the server's clock zone says.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

# Kinds (the values of notifications.models.Notification.Kind).
DUE_IN_7 = "due_7"
DUE_IN_1 = "due_1"
OVERDUE = "overdue"
ESCALATION = "escalation"

# Audiences of a reminder about an action plan item.
OWNERS = "owners"
KETUA = "ketua"
COORDINATOR = "coordinator"

# Days overdue from which the Pokja chair, then the coordinator, are told as well.
ESCALATE_TO_KETUA_AFTER = 3
ESCALATE_TO_COORDINATOR_AFTER = 7


def plan_item_reminders(due: datetime.date, today: datetime.date) -> list[tuple[str, str]]:
    """The reminders an OPEN action plan item gets on `today`: (kind, audience) pairs."""
    days = (due - today).days
    if days == 7:
        return [(DUE_IN_7, OWNERS)]
    if days == 1:
        return [(DUE_IN_1, OWNERS)]
    if days >= 0:
        return []
    late = -days
    reminders = [(OVERDUE, OWNERS)]
    if late >= ESCALATE_TO_KETUA_AFTER:
        reminders.append((ESCALATION, KETUA))
    if late >= ESCALATE_TO_COORDINATOR_AFTER:
        reminders.append((ESCALATION, COORDINATOR))
    return reminders


# --------------------------------------------------------------------------- the digest


@dataclass(frozen=True)
class PokjaLate:
    number: int
    name: str
    late: int


@dataclass(frozen=True)
class SurveyProgress:
    title: str
    respondents: int
    target: int | None

    @property
    def percent(self) -> int | None:
        """Respondents as a whole percentage of the target (rounded down), None without one."""
        if not self.target:
            return None
        return self.respondents * 100 // self.target


@dataclass(frozen=True)
class DigestFacts:
    """What the weekly digest reports, read from the stored figures."""

    programme: str
    target: str  # WBK or WBBM
    total: Decimal | None  # the stored score, None if never computed
    total_week_ago: Decimal | None  # the snapshot of a week earlier (or the last before it)
    meets: dict[str, bool]  # predicate -> whether the score meets it
    late: list[PokjaLate]  # every Pokja, in number order
    surveys: list[SurveyProgress]
    shortfalls: int | None = None  # requirements of the target predicate not met yet


@dataclass(frozen=True)
class Digest:
    total: Decimal | None
    change: Decimal | None  # since a week ago; None when either end is unknown
    meets_target: bool
    shortfalls: int | None  # of the target predicate, when it is not met
    late_total: int
    late: list[PokjaLate]  # only the Pokja with late items
    surveys: list[SurveyProgress]

    @property
    def sign(self) -> str:
        """ "+" before a rise (a fall shows its own minus)."""
        return "+" if self.change is not None and self.change > 0 else ""


def digest_of(facts: DigestFacts) -> Digest:
    change = (
        None
        if facts.total is None or facts.total_week_ago is None
        else facts.total - facts.total_week_ago
    )
    late = [p for p in facts.late if p.late]
    meets_target = bool(facts.meets.get(facts.target))
    return Digest(
        total=facts.total,
        change=change,
        meets_target=meets_target,
        shortfalls=None if meets_target else facts.shortfalls,
        late_total=sum(p.late for p in late),
        late=late,
        surveys=list(facts.surveys),
    )
