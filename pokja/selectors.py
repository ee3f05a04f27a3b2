"""Reads about the organisation, its action plans and registers that are more than one filter.

Dashboards and background tasks call these (never the models directly) for plan and register
figures."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from django.db import connection
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from audit.models import AuditEntry
from audit.presentation import fallback_actor_name
from pokja.models import (
    CHANGE_AGENTS_AREA_CODE,
    FINDINGS_AREA_CODE,
    ActionPlanComment,
    ActionPlanItem,
    ActionPlanMonitoring,
    AuditFinding,
    ChangeAgent,
    ChangeAgentChange,
    Evidence,
    Pokja,
    Programme,
    ProgrammeRole,
    RoleInvitation,
    Unit,
    User,
    programme_today,
)


def unit_ids_with_descendants(unit_ids: Iterable[int]) -> set[int]:
    """The given units and every unit below them, in one query."""
    ids = [int(i) for i in unit_ids]
    if not ids:
        return set()
    table = Unit._meta.db_table
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"WITH RECURSIVE tree(id) AS ("  # noqa: S608 - only our own table name is interpolated
        f" SELECT id FROM {table} WHERE id IN ({placeholders})"
        f" UNION SELECT u.id FROM {table} u JOIN tree ON u.parent_id = tree.id"
        f") SELECT id FROM tree"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return {row[0] for row in cursor.fetchall()}


def unit_ancestor_ids(unit_id: int) -> set[int]:
    """The unit and every unit above it, in one query."""
    table = Unit._meta.db_table
    sql = (
        f"WITH RECURSIVE up(id, parent_id) AS ("  # noqa: S608 - only our own table name
        f" SELECT id, parent_id FROM {table} WHERE id = %s"
        f" UNION SELECT u.id, u.parent_id FROM {table} u JOIN up ON u.id = up.parent_id"
        f") SELECT id FROM up"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [unit_id])
        return {row[0] for row in cursor.fetchall()}


def programmes_with_roles_for(user) -> QuerySet[Programme]:
    """Programmes in which the user holds a programme role (for navigation)."""
    return (
        Programme.objects.filter(roles__user=user)
        .select_related("unit")
        .distinct()
        .order_by("-year", "unit__name")
    )


# --------------------------------------------------------------------------- action plans

Status = ActionPlanItem.Status
# The counts the change-agent register gives, by LKE question number (lke-2021, MP.R.i):
# q88 change agents, q89 and q90 changes made, q91 changes integrated in the management system.
CHANGE_AGENT_QUESTIONS = {"agents": (88,), "changes_made": (89, 90), "changes_integrated": (91,)}
_EXACT = Context(prec=34, rounding=ROUND_FLOOR)


def pokja_members(pokja: Pokja) -> QuerySet[User]:
    """The Pokja's chair and members, by name."""
    return (
        User.objects.filter(
            programme_roles__pokja=pokja,
            programme_roles__kind__in=ProgrammeRole.POKJA_KINDS,
        )
        .distinct()
        .order_by("full_name", "username")
    )


def _count_of(through, fk: str) -> Coalesce:
    return Coalesce(
        Subquery(
            through.objects.filter(**{fk: OuterRef("pk")})
            .order_by()
            .values(fk)
            .annotate(n=Count("*"))
            .values("n")[:1]
        ),
        Value(0),
    )


def plan_items(
    *,
    pokja: Pokja | None = None,
    programme: Programme | None = None,
    status: str | None = None,
    owner_id: int | None = None,
    late: bool | None = None,
    sub_area_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[ActionPlanItem]:
    """Plan items of a Pokja (or a whole programme) for lists, filtered, in a fixed number of
    queries: `late` annotated by the database, owners prefetched, evidence and comments counted.
    """
    if pokja is None and programme is None:
        raise ValueError("plan_items needs a pokja or a programme")
    today = today or programme_today()
    items = ActionPlanItem.objects.all()
    if pokja is not None:
        items = items.filter(pokja=pokja)
    if programme is not None:
        items = items.filter(programme=programme)
    if status:
        items = items.filter(status=status)
    if owner_id:
        items = items.filter(owners__id=owner_id)
    if late is True:
        items = items.late(today)
    elif late is False:
        items = items.not_late(today)
    if sub_area_id:
        items = items.filter(sub_area_id=sub_area_id)
    return (
        items.with_lateness(today)
        .select_related("pokja", "sub_area")
        .prefetch_related(
            Prefetch("owners", queryset=User.objects.order_by("full_name", "username"))
        )
        .annotate(
            evidence_count=_count_of(ActionPlanItem.evidence.through, "actionplanitem_id"),
            comment_count=_count_of(ActionPlanComment, "item_id"),
        )
        .order_by("pokja__number", "number")
    )


@dataclass
class PlanCounts:
    """How many items a Pokja has in each status, and how many are late."""

    by_status: dict[str, int] = field(default_factory=dict)
    late: int = 0

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def count(self, status: str) -> int:
        return self.by_status.get(status, 0)

    @property
    def not_started(self) -> int:
        return self.count(Status.NOT_STARTED)

    @property
    def in_progress(self) -> int:
        return self.count(Status.IN_PROGRESS)

    @property
    def done(self) -> int:
        return self.count(Status.DONE)

    @property
    def verified(self) -> int:
        return self.count(Status.VERIFIED)

    @property
    def returned(self) -> int:
        return self.count(Status.RETURNED)

    @property
    def verified_percent(self) -> int:
        """Verified items as a whole percentage of all items, for progress bars."""
        return (self.verified * 100) // self.total if self.total else 0


def plan_status_counts(
    programme: Programme, *, today: datetime.date | None = None
) -> dict[int, PlanCounts]:
    """Counts per status (and late) of every Pokja of the programme, keyed by Pokja id.

    Every Pokja is present, with zero counts if it has no items. Two queries.
    """
    today = today or programme_today()
    counts = {pk: PlanCounts() for pk in programme.pokjas.values_list("pk", flat=True)}
    rows = (
        ActionPlanItem.objects.filter(programme=programme)
        .order_by()
        .values("pokja_id", "status")
        .annotate(n=Count("pk"), late=Count("pk", filter=ActionPlanItem.late_q(today)))
    )
    for row in rows:
        entry = counts.setdefault(row["pokja_id"], PlanCounts())
        entry.by_status[row["status"]] = row["n"]
        entry.late += row["late"]
    return counts


@dataclass(frozen=True)
class LateItem:
    item: ActionPlanItem  # with pokja, sub_area and owners loaded
    days_late: int

    @property
    def owners(self) -> list[User]:
        return list(self.item.owners.all())


def plan_late_items(
    programme: Programme, *, today: datetime.date | None = None, pokja: Pokja | None = None
) -> list[LateItem]:
    """Open items past their due date (Asia/Jakarta), the latest first, with their owners."""
    today = today or programme_today()
    items = plan_items(programme=programme, pokja=pokja, late=True, today=today).order_by(
        "due_date", "pokja__number", "number"
    )
    return [LateItem(item=item, days_late=item.days_late_on(today)) for item in items]


def plan_items_awaiting_verification(programme: Programme) -> QuerySet[ActionPlanItem]:
    """Items the Pokja marked done, waiting for the coordinator, the longest waiting first."""
    return plan_items(programme=programme, status=Status.DONE).order_by(
        "status_changed_at", "pokja__number", "number"
    )


@dataclass
class MonitoringRow:
    item: ActionPlanItem
    cells: list[ActionPlanMonitoring | None]


@dataclass
class MonitoringGrid:
    months: list[int]
    rows: list[MonitoringRow]


def plan_monitoring_grid(pokja: Pokja, *, today: datetime.date | None = None) -> MonitoringGrid:
    """Month x item: each item's realisation per month of the programme year (three queries)."""
    months = list(range(1, 13))
    items = list(
        ActionPlanItem.objects.filter(pokja=pokja)
        .with_lateness(today or programme_today())
        .select_related("pokja")
        .prefetch_related(Prefetch("monitoring", queryset=ActionPlanMonitoring.objects.all()))
        .order_by("number")
    )
    rows = []
    for item in items:
        by_month = {entry.month: entry for entry in item.monitoring.all()}
        rows.append(MonitoringRow(item=item, cells=[by_month.get(m) for m in months]))
    return MonitoringGrid(months=months, rows=rows)


def evidence_choices(programme: Programme, pokja: Pokja | None, *, limit: int = 200):
    """Evidence a person may attach again: the Pokja's own and the programme-wide pieces."""
    newest = (
        Evidence.objects.filter(programme=programme)
        .filter(Q(pokja=pokja) | Q(pokja__isnull=True) if pokja else Q())
        .order_by("-uploaded_at", "-pk")
        .values("pk")[:limit]
    )
    # Not sliced itself, so that a form field can still look a choice up in it.
    return Evidence.objects.filter(pk__in=Subquery(newest)).order_by("-uploaded_at", "-pk")


# --------------------------------------------------------------------------- item history


@dataclass
class TimelineChange:
    label: str
    old: str
    new: str


@dataclass
class TimelineEntry:
    at: datetime.datetime
    actor: str
    kind: str  # "created", "changed", "deleted", "comment", "tpi_comment", "monitoring"
    changes: list[TimelineChange] = field(default_factory=list)
    note: str = ""
    month: int | None = None

    @property
    def is_comment(self) -> bool:
        return self.kind in ("comment", "tpi_comment")


_TIMELINE_FIELDS = {
    "status",
    "progress",
    "return_reason",
    "title",
    "description",
    "sub_area",
    "questions",
    "expected_output",
    "success_indicator",
    "owners",
    "start_date",
    "due_date",
    "evidence",
    "percent",
    "note",
}


def plan_item_timeline(item: ActionPlanItem) -> list[TimelineEntry]:
    """The item's history, newest first: its audit entries (with their notes), the audit
    entries of its monthly monitoring, and its comments, in one readable list."""
    months = {str(pk): month for pk, month in item.monitoring.values_list("pk", "month")}
    entries = list(
        AuditEntry.objects.filter(
            Q(object_type=ActionPlanItem._meta.label_lower, object_id=str(item.pk))
            | Q(object_type=ActionPlanMonitoring._meta.label_lower, object_id__in=list(months))
        ).order_by("-at", "-id")
    )
    comments = list(item.comments.select_related("author"))
    labels = _value_labels(entries)
    users = labels["users"]
    timeline: list[TimelineEntry] = []
    monitoring_type = ActionPlanMonitoring._meta.label_lower
    for entry in entries:
        is_monitoring = entry.object_type == monitoring_type
        changes = [
            change
            for name, values in entry.changes.items()
            if name in _TIMELINE_FIELDS
            for change in [_timeline_change(name, values, labels, monitoring=is_monitoring)]
            if (change.old, change.new) != ("—", "—")  # an empty field of a new item
        ]
        timeline.append(
            TimelineEntry(
                at=entry.at,
                actor=users.get(entry.actor_id) or fallback_actor_name(entry.actor_username),
                kind="monitoring" if is_monitoring else str(entry.get_action_display()),
                changes=changes,
                note=entry.note,
                month=months.get(entry.object_id) if is_monitoring else None,
            )
        )
    for comment in comments:
        timeline.append(
            TimelineEntry(
                at=comment.created_at,
                actor=comment.author.display_name if comment.author else "—",
                kind="tpi_comment" if comment.by_tpi else "comment",
                note=comment.text,
            )
        )
    timeline.sort(key=lambda e: e.at, reverse=True)
    return timeline


def plan_item_tpi_notes(item: ActionPlanItem) -> list[ActionPlanComment]:
    """The internal assessors' (TPI) comments on the item, newest first (one query): shown
    on the item itself, where its Pokja works."""
    return list(
        item.comments.filter(by_tpi=True).select_related("author").order_by("-created_at", "-pk")
    )


def _value_labels(entries) -> dict[str, dict]:
    """Names for the ids that audit entries hold (users, sub-areas, questions, evidence)."""
    wanted: dict[str, set[int]] = {"users": set(), "sub_area": set(), "questions": set()}
    wanted["evidence"] = set()
    for entry in entries:
        if entry.actor_id:
            wanted["users"].add(entry.actor_id)
        for name, values in entry.changes.items():
            for value in values:
                ids = value if isinstance(value, list) else [value]
                ids = [i for i in ids if isinstance(i, int)]
                if name == "owners":
                    wanted["users"].update(ids)
                elif name in ("sub_area", "questions", "evidence"):
                    wanted[name].update(ids)
    sub_area_model = ActionPlanItem._meta.get_field("sub_area").related_model
    question_model = ActionPlanItem._meta.get_field("questions").related_model
    labels: dict[str, dict] = {"users": {}, "sub_area": {}, "questions": {}, "evidence": {}}
    if wanted["users"]:
        labels["users"] = {
            u.pk: u.display_name for u in User.objects.filter(pk__in=wanted["users"])
        }
    if wanted["sub_area"]:
        labels["sub_area"] = {
            s.pk: f"{s.code} {s.name}"
            for s in sub_area_model.objects.filter(pk__in=wanted["sub_area"])
        }
    if wanted["questions"]:
        labels["questions"] = dict(
            question_model.objects.filter(pk__in=wanted["questions"]).values_list("pk", "number")
        )
    if wanted["evidence"]:
        labels["evidence"] = dict(
            Evidence.objects.filter(pk__in=wanted["evidence"]).values_list("pk", "title")
        )
    return labels


def _timeline_change(name: str, values, labels, *, monitoring: bool) -> TimelineChange:
    old, new = [*list(values), None, None][:2]
    model = ActionPlanMonitoring if monitoring else ActionPlanItem
    label = str(model._meta.get_field(name).verbose_name)
    return TimelineChange(
        label=label[:1].upper() + label[1:],
        old=_humanise(name, old, labels),
        new=_humanise(name, new, labels),
    )


def _humanise(name: str, value, labels) -> str:
    if value in (None, "", []):
        return "—"
    if name == "status":
        try:
            return str(Status(value).label)
        except ValueError:
            return str(value)
    if name in ("progress", "percent"):
        return f"{value}%"
    if name in ("start_date", "due_date"):
        try:
            return date_format(datetime.date.fromisoformat(value), "j M Y")
        except (TypeError, ValueError):
            return str(value)
    if name == "owners":
        return ", ".join(labels["users"].get(i, f"#{i}") for i in value)
    if name == "questions":
        return ", ".join(f"q{labels['questions'].get(i, '?')}" for i in value)
    if name == "evidence":
        return ", ".join(labels["evidence"].get(i, f"#{i}") for i in value)
    if name == "sub_area":
        return labels["sub_area"].get(value, f"#{value}")
    return str(value)


# --------------------------------------------------------------------------- registers


def findings_pokja(programme: Programme) -> Pokja | None:
    """The Pokja that keeps the audit-findings register (Penguatan Pengawasan)."""
    return programme.pokjas.filter(area_code=FINDINGS_AREA_CODE).first()


def change_agents_pokja(programme: Programme) -> Pokja | None:
    """The Pokja that keeps the change-agent register (Manajemen Perubahan)."""
    return programme.pokjas.filter(area_code=CHANGE_AGENTS_AREA_CODE).first()


@dataclass(frozen=True)
class TlhpSummary:
    """How far the unit's audit findings are followed up.

    Project rule: a finding that cannot be followed up for a valid reason (BPK's fourth
    category, accepted by the auditor) is owed no more, so it is left out of the percentage;
    with nothing owed the percentage is 100.
    """

    total: int
    settled: int
    in_progress: int
    not_started: int
    cannot: int

    @property
    def owed(self) -> int:
        return self.total - self.cannot

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.settled, self.owed) if self.owed else Fraction(1)

    @property
    def percent(self) -> Decimal:
        """Exact when it terminates, else truncated at 34 significant digits."""
        ratio = self.ratio * 100
        return _EXACT.divide(Decimal(ratio.numerator), Decimal(ratio.denominator))

    @property
    def percent_display(self) -> Decimal:
        return self.percent.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def all_settled(self) -> bool:
        """The proposal condition: every finding owed is settled (100%)."""
        return self.settled == self.owed


def tlhp_settled(programme: Programme) -> TlhpSummary:
    """The unit's findings by follow-up status and the exact percentage settled (one query)."""
    FollowUp = AuditFinding.FollowUp
    counts = dict(
        AuditFinding.objects.filter(programme=programme)
        .order_by()
        .values_list("follow_up_status")
        .annotate(n=Count("pk"))
    )
    return TlhpSummary(
        total=sum(counts.values()),
        settled=counts.get(FollowUp.SETTLED, 0),
        in_progress=counts.get(FollowUp.IN_PROGRESS, 0),
        not_started=counts.get(FollowUp.NOT_STARTED, 0),
        cannot=counts.get(FollowUp.CANNOT, 0),
    )


@dataclass(frozen=True)
class ChangeAgentCounts:
    agents: int
    changes_made: int
    changes_integrated: int

    def lke_answers(self) -> dict[int, int]:
        """The counts as answers of LKE questions 88-91, keyed by question number."""
        answers = {}
        for name, numbers in CHANGE_AGENT_QUESTIONS.items():
            for number in numbers:
                answers[number] = getattr(self, name)
        return dict(sorted(answers.items()))


def change_agent_counts(programme: Programme) -> ChangeAgentCounts:
    """Change agents, changes they made, and changes integrated in the management system."""
    changes = ChangeAgentChange.objects.filter(agent__programme=programme).aggregate(
        made=Count("pk"), integrated=Count("pk", filter=Q(integrated=True))
    )
    return ChangeAgentCounts(
        agents=ChangeAgent.objects.filter(programme=programme).count(),
        changes_made=changes["made"],
        changes_integrated=changes["integrated"],
    )


def invitations_to(user) -> QuerySet[RoleInvitation]:
    """The invitations `user` may still accept, newest first."""
    return RoleInvitation.objects.filter(
        invitee=user, status=RoleInvitation.Status.OPEN, expires_at__gt=timezone.now()
    ).select_related("programme__unit", "pokja", "invited_by")


def open_invitations(programme: Programme) -> QuerySet[RoleInvitation]:
    """A programme's invitations not yet accepted, as its administrators see them: a declined
    one stays open until it expires, like one to a name no account has."""
    return RoleInvitation.objects.filter(
        programme=programme,
        status__in=(RoleInvitation.Status.OPEN, RoleInvitation.Status.DECLINED),
        expires_at__gt=timezone.now(),
    ).select_related("pokja", "invited_by")
