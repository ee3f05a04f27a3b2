"""The demo world comes with notifications for its people, in the app only."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import translation
from django.utils.formats import number_format

from evaluations.models import ProgrammeScore
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_people_find_notifications_and_nothing_is_mailed(settings, demo):
    settings.DEBUG = True
    kinds = set(Notification.objects.values_list("recipient__username", "kind"))
    assert ("koordinator", "digest") in kinds
    assert any(kind in ("overdue", "due_7", "due_1") for _, kind in kinds)
    assert any(user.startswith("ketua") for user, _ in kinds)
    assert Notification.objects.filter(read_at__isnull=True).exists()
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    # The digest reports the score the dashboards show, not "not computed yet".
    digest = Notification.objects.get(recipient__username="koordinator", kind="digest")
    stored = ProgrammeScore.objects.get(programme=digest.programme)
    assert stored.total is not None
    with translation.override("id"):
        body = digest.text.body
        total = number_format(stored.total, decimal_pos=2)
    assert "belum dihitung" not in body
    assert f"Nilai: {total}" in body

    count = Notification.objects.count()
    call_command("seed_demo")
    assert Notification.objects.count() == count
