"""A person's notification pages: their own only, the unread count, read marks, settings."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from notifications.models import Notification, NotificationPreference

pytestmark = pytest.mark.django_db


def notify(user, programme, n: int = 0, **changes) -> Notification:
    values = {
        "recipient": user,
        "programme": programme,
        "kind": Notification.Kind.OVERDUE,
        "item_type": Notification.ItemType.PLAN_ITEM,
        "item_id": 1000 + n,
        "day": datetime.date(2026, 12, 13),
        "title": f"Rencana aksi RA 1.{n} terlambat (3 hari)",
        "body": f"RA 1.{n} Sosialisasi\nTenggat: 10 Desember 2026",
        "link": reverse(
            "pokja_plan", kwargs={"unit_code": "POLRES-ALPHA", "year": 2026, "number": 1}
        ),
    }
    return Notification.objects.create(**(values | changes))


def test_the_list_shows_ones_own_notifications_in_constant_queries(
    client, world, django_assert_num_queries
):
    mine = notify(world.anggota1, world.programme, 1)
    notify(world.anggota2, world.programme, 2, title="Bukan untuk anggota1")
    client.force_login(world.anggota1)
    url = reverse("notification_list")
    # session, user, the page of notifications (count, rows), the unread count, the menu
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert mine.title in page and "Bukan untuk anggota1" not in page
    assert "1 unread notification" in page
    for n in range(3, 13):
        notify(world.anggota1, world.programme, n, read_at=mine.created_at)
    with django_assert_num_queries(6):
        page = client.get(url).content.decode()
    assert page.count('data-testid="notification"') == 11
    assert "1 unread notification" in page


def test_the_menu_loads_the_unread_count_without_a_query_on_every_page(client, world):
    client.force_login(world.anggota1)
    home = client.get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("notification_badge")}"' in home
    badge = client.get(reverse("notification_badge")).content.decode()
    assert "unread-count" not in badge
    notify(world.anggota1, world.programme, 1)
    notify(world.anggota1, world.programme, 2)
    notify(world.anggota2, world.programme, 3)
    badge = client.get(reverse("notification_badge")).content.decode()
    assert '<span class="badge rounded-pill text-bg-warning" data-testid="unread-count">2<' in badge


def test_open_marks_read_and_goes_to_the_item(client, world):
    n = notify(world.anggota1, world.programme, 1)
    client.force_login(world.anggota1)
    url = reverse("notification_read", kwargs={"notification_id": n.pk})
    assert client.get(url).status_code == 405  # a change: POST only
    response = client.post(url, {"open": "1"})
    assert response.status_code == 302 and response["Location"] == n.link
    n.refresh_from_db()
    assert n.read_at is not None
    # marking read without opening goes back to the list, and reading again changes nothing
    first_read = n.read_at
    response = client.post(url)
    assert response["Location"] == reverse("notification_list")
    n.refresh_from_db()
    assert n.read_at == first_read


def test_a_link_to_another_site_is_never_followed(client, world):
    n = notify(world.anggota1, world.programme, 1, link="https://evil.example/")
    client.force_login(world.anggota1)
    response = client.post(
        reverse("notification_read", kwargs={"notification_id": n.pk}), {"open": "1"}
    )
    assert response["Location"] == reverse("notification_list")


def test_someone_elses_notification_is_not_found(client, world):
    n = notify(world.anggota2, world.programme, 1)
    client.force_login(world.anggota1)
    response = client.post(reverse("notification_read", kwargs={"notification_id": n.pk}))
    assert response.status_code == 404
    n.refresh_from_db()
    assert n.read_at is None


def test_mark_all_read_touches_only_ones_own(client, world):
    for n in range(3):
        notify(world.anggota1, world.programme, n)
    other = notify(world.anggota2, world.programme, 9)
    client.force_login(world.anggota1)
    assert client.post(reverse("notification_read_all")).status_code == 302
    assert not Notification.objects.filter(recipient=world.anggota1, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_preferences_are_saved_and_audited(client, world):
    client.force_login(world.coordinator)
    url = reverse("notification_preferences")
    page = client.get(url).content.decode()
    assert 'name="digest"' in page and "checked" in page
    assert 'name="language"' in page and 'name="event_emails"' in page
    # digest unchecked, the rest kept
    response = client.post(url, {"reminders": "on", "event_emails": "on", "language": "id"})
    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=world.coordinator)
    assert (preference.digest, preference.reminders, preference.event_emails) == (
        False,
        True,
        True,
    )
    entry = AuditEntry.objects.get(object_type="notifications.notificationpreference")
    assert entry.actor_id == world.coordinator.pk
    assert entry.changes == {"digest": [True, False]}
    assert not AuditEntry.objects.filter(object_type="pokja.user").exists()  # still Indonesian
    client.post(url, {"reminders": "on", "event_emails": "on", "language": "id"})  # the same
    assert (
        AuditEntry.objects.filter(object_type="notifications.notificationpreference").count() == 1
    )


def test_the_language_chosen_in_the_settings_is_the_persons_and_the_pages(client, world):
    client.force_login(world.anggota1)
    url = reverse("notification_preferences")
    response = client.post(url, {"language": "en", "reminders": "on", "digest": "on"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    world.anggota1.refresh_from_db()
    assert world.anggota1.language == "en"
    entry = AuditEntry.objects.get(object_type="pokja.user", object_id=str(world.anggota1.pk))
    assert entry.changes == {"language": ["id", "en"]}
    preference = NotificationPreference.objects.get(user=world.anggota1)
    assert preference.event_emails is False  # unchecked
    page = client.get(url).content.decode()
    assert "Your notification settings are saved." in page
    response = client.post(url, {"language": "fr", "reminders": "on"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    world.anggota1.refresh_from_db()
    assert world.anggota1.language == "en"


def test_switching_the_interface_language_stores_the_persons_language(client, world):
    switch = reverse("set_language")
    client.post(switch, {"language": "en", "next": "/"})  # not signed in: the cookie only
    assert not AuditEntry.objects.filter(object_type="pokja.user").exists()
    client.force_login(world.anggota1)
    response = client.post(switch, {"language": "en", "next": "/notifications/"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert response.cookies["django_language"].value == "en"
    world.anggota1.refresh_from_db()
    assert world.anggota1.language == "en"
    client.post(switch, {"language": "en", "next": "/"})  # unchanged: recorded once
    client.post(switch, {"language": "xx", "next": "/"})  # unknown: ignored
    world.anggota1.refresh_from_db()
    assert world.anggota1.language == "en"
    entries = AuditEntry.objects.filter(object_type="pokja.user", object_id=str(world.anggota1.pk))
    assert [e.changes for e in entries] == [{"language": ["id", "en"]}]


def test_a_language_chosen_before_signing_in_becomes_the_persons(client, world):
    from tests.factories import DEFAULT_PASSWORD

    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.post(reverse("login"), {"username": "anggota1", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    world.anggota1.refresh_from_db()
    assert world.anggota1.language == "en"
    client.logout()  # and its cookies: another device
    client.post(reverse("login"), {"username": "anggota1", "password": DEFAULT_PASSWORD})
    world.anggota1.refresh_from_db()
    assert world.anggota1.language == "en"  # no choice on this device: the stored one stays
