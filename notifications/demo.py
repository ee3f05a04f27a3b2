"""Demo notifications: today's reminders and the digest of the demo programme, in the app
only (no e-mail), the oldest marked read. Idempotent: one per person, item, kind and day."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from notifications import services
from notifications.models import Notification
from pokja.models import Programme, programme_today


@transaction.atomic
def seed_notifications(programme: Programme, *, today: datetime.date | None = None) -> int:
    today = today or programme_today()
    created = 0
    # last Monday's digest and evidence reminder, and this morning's action plan reminders
    monday = today - datetime.timedelta(days=today.weekday())
    created += services.digest_send(programme_id=programme.pk, day=monday, email=False)
    created += services.reminders_evidence(programme_id=programme.pk, day=monday, email=False)
    created += services.reminders_action_plans(programme_id=programme.pk, day=today, email=False)
    Notification.objects.filter(programme=programme, day__lt=today, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return created
