"""Reminders in the browser: a Pokja member sees the unread count in the menu, opens the list,
follows a reminder straight to the action plan item, and the count goes down."""

import datetime

from django.utils import translation

from notifications import services
from notifications.models import Notification
from pokja.demo import DEMO_PASSWORD
from pokja.models import ActionPlanItem, User, programme_today


def test_a_member_follows_a_reminder_to_the_item(desktop, demo):
    page = desktop.page
    anggota1 = User.objects.get(username="anggota1")
    item = (
        ActionPlanItem.objects.filter(pokja__number=1, status__in=ActionPlanItem.OPEN_STATUSES)
        .order_by("number")
        .first()
    )
    item.owners.add(anggota1)
    today = programme_today()
    ActionPlanItem.objects.filter(pk=item.pk).update(due_date=today + datetime.timedelta(days=1))
    services.reminders_action_plans(programme_id=demo.programme.pk, day=today, email=False)
    reminder = Notification.objects.get(recipient=anggota1, kind="due_1", item_id=item.pk)
    unread = Notification.objects.filter(recipient=anggota1, read_at__isnull=True).count()
    assert unread >= 1

    desktop.login("anggota1", DEMO_PASSWORD)
    badge = page.get_by_test_id("unread-count")
    badge.wait_for()  # loaded after the page by htmx
    assert badge.inner_text().startswith(str(unread))
    desktop.screenshot("menu-count")

    page.get_by_test_id("nav-notifications").click()
    page.wait_for_load_state()
    assert page.url.endswith("/notifications/")
    with translation.override("id"):
        title = reminder.text.title
    entry = page.get_by_test_id("notification").filter(has_text=title)
    assert f"RA 1.{item.number}" in entry.inner_text()
    assert "jatuh tempo besok" in entry.inner_text()
    desktop.screenshot("list")

    with page.expect_navigation():
        entry.get_by_role("button", name="Buka", exact=True).click()
    assert page.url.endswith(f"/pokja/1/plan/{item.pk}/")
    assert item.title in page.content()
    reminder.refresh_from_db()
    assert reminder.read_at is not None
    badge = page.get_by_test_id("nav-notifications")
    page.wait_for_function(
        "n => !document.querySelector('[data-testid=unread-count]') ||"
        " document.querySelector('[data-testid=unread-count]').innerText.startsWith(String(n))",
        arg=unread - 1,
    )
    desktop.screenshot("item")
    desktop.assert_no_console_errors()
