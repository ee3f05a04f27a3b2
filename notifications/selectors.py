"""Reads of the notifications app: a person's notifications, and what the reminders are about."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from evaluations.models import Answer
from evaluations.selectors import score_snapshots_on, stored_scores
from notifications import rules
from notifications.models import Notification, NotificationPreference
from pokja.models import ActionPlanItem, Pokja, Programme, ProgrammeRole, User
from surveys.models import Survey


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("programme__unit")


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def unread_notifications(user, limit: int | None = None) -> list[Notification]:
    """The person's unread notifications, newest first (one query), e.g. for a home page's
    "what needs me today". Their ``text`` is written in the active language when read."""
    unread = notifications_for(user).filter(read_at__isnull=True)
    return list(unread[:limit] if limit is not None else unread)


def preference_for(user) -> NotificationPreference:
    """The person's preferences; the defaults (everything on) when never saved."""
    found = NotificationPreference.objects.filter(user=user).first()
    return found or NotificationPreference(user=user)


def opted_out(user_ids, kind: str) -> set[int]:
    """Which of `user_ids` turned off reminders of `kind` (urgent kinds: nobody)."""
    if kind == Notification.Kind.DIGEST:
        field = "digest"
    elif kind in Notification.NON_URGENT:
        field = "reminders"
    else:
        return set()
    return set(
        NotificationPreference.objects.filter(user_id__in=user_ids, **{field: False}).values_list(
            "user_id", flat=True
        )
    )


# --------------------------------------------------------------------------- who is told


@dataclass(frozen=True)
class People:
    """A programme's chairs (by Pokja id) and coordinators, active accounts only."""

    ketua: dict[int, User]
    coordinators: list[User]


def programme_people(programme: Programme) -> People:
    roles = ProgrammeRole.objects.filter(
        programme=programme,
        kind__in=[ProgrammeRole.Kind.KETUA, ProgrammeRole.Kind.KOORDINATOR],
        user__is_active=True,
    ).select_related("user")
    ketua, coordinators = {}, []
    for role in roles.order_by("pk"):
        if role.kind == ProgrammeRole.Kind.KETUA:
            ketua[role.pokja_id] = role.user
        else:
            coordinators.append(role.user)
    return People(ketua=ketua, coordinators=coordinators)


def plan_items_to_remind(programme: Programme, today: datetime.date) -> list[ActionPlanItem]:
    """Open items of the programme due in 7 days, due tomorrow, or overdue (on `today`)."""
    due = Q(due_date__in=[today + datetime.timedelta(days=7), today + datetime.timedelta(days=1)])
    return list(
        ActionPlanItem.objects.filter(programme=programme, status__in=ActionPlanItem.OPEN_STATUSES)
        .filter(due | Q(due_date__lt=today))
        .select_related("pokja")
        .prefetch_related("owners")
        .order_by("pokja__number", "number")
    )


def answers_without_evidence(programme: Programme) -> dict[int, int]:
    """Per Pokja (id): the LKE questions of its area the unit answered with no evidence."""
    pokjas = {p.area_code: p.pk for p in Pokja.objects.filter(programme=programme)}
    rows = (
        Answer.objects.filter(assessment__programme=programme, section_code__in=list(pokjas))
        .exclude(unit_value="")
        .filter(evidence_links__isnull=True)
        .values("section_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {pokjas[row["section_code"]]: row["n"] for row in rows}


def digest_facts(programme: Programme, today: datetime.date) -> rules.DigestFacts:
    """What the weekly digest reports: a fixed number of queries, whatever the programme holds."""
    stored = stored_scores([programme.pk]).get(programme.pk)
    week_ago = score_snapshots_on([programme.pk], today - datetime.timedelta(days=7))
    late = (
        Pokja.objects.filter(programme=programme)
        .annotate(
            late=Count(
                "plan_items",
                filter=Q(
                    plan_items__status__in=ActionPlanItem.OPEN_STATUSES,
                    plan_items__due_date__lt=today,
                ),
            )
        )
        .order_by("number")
    )
    surveys = (
        Survey.objects.filter(
            programme=programme, status=Survey.Status.PUBLISHED, end_date__gte=today
        )
        .annotate(respondents=Count("responses"))
        .order_by("end_date", "pk")
        .values("title", "respondents", "target_sample")
    )
    return rules.DigestFacts(
        programme=str(programme),
        target=programme.target,
        total=stored.total if stored and stored.is_computed else None,
        total_week_ago=week_ago[programme.pk].total if programme.pk in week_ago else None,
        meets=stored.meets if stored else {},
        shortfalls=(
            stored.figures.get("predicates", {}).get(programme.target, {}).get("shortfalls")
            if stored and stored.is_computed
            else None
        ),
        late=[rules.PokjaLate(p.number, p.name, p.late) for p in late],
        surveys=[
            rules.SurveyProgress(s["title"], s["respondents"], s["target_sample"]) for s in surveys
        ],
    )
