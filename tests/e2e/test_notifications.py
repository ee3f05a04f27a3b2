"""Notifications in the browser: a Pokja member sees the unread count in the menu, opens the
list, follows a reminder straight to the action plan item, and the count goes down; an item
returned by the coordinator and a TPI note reach the owner in their language, on a phone."""

import datetime
import re

from django.utils import timezone, translation
from playwright.sync_api import expect

from notifications import services
from notifications.models import Notification
from pokja.demo import DEMO_PASSWORD
from pokja.models import ActionPlanItem, User, programme_today
from tests.e2e.conftest import SCREENSHOTS


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


def test_a_returned_item_reaches_its_owner_in_english_on_a_phone(desktop, phone, demo):
    """The coordinator returns an item with a reason; its owner, signed in in English on a
    phone, sees the notice, opens the item and reads the reason; a TPI note on a question of
    the owner's area is on the question itself."""
    programme = demo.programme
    base = f"/programmes/{programme.unit.code}/{programme.year}"
    anggota1 = User.objects.get(username="anggota1")
    item = (
        ActionPlanItem.objects.filter(programme=programme, pokja__number=1)
        .order_by("number")
        .first()
    )
    ActionPlanItem.objects.filter(pk=item.pk).update(
        status=ActionPlanItem.Status.DONE, progress=100
    )
    item.owners.add(anggota1)
    Notification.objects.filter(recipient=anggota1).update(read_at=timezone.now())
    reason = "Foto sosialisasi di Polsek belum diunggah"

    # The coordinator returns it, with the reason, on the item's page (desktop, Indonesian).
    desktop.login("koordinator", DEMO_PASSWORD)
    desktop.goto(f"{base}/pokja/1/plan/{item.pk}/")
    panel = desktop.page.get_by_test_id("review-panel")
    panel.get_by_label(re.compile("Catatan")).fill(reason)
    with desktop.page.expect_navigation():
        panel.get_by_role("button", name="Kembalikan ke Pokja").click()
    expect(desktop.page.get_by_test_id("return-reason")).to_contain_text(reason)
    desktop.screenshot("returned-by-the-coordinator")

    # The TPI leaves a note on question 2 (Manajemen Perubahan, Pokja 1).
    desktop.logout()
    desktop.login("tpi", DEMO_PASSWORD)
    desktop.goto(f"{base}/lke/MP/#q-2")
    form = desktop.page.get_by_test_id("tpi-form-2")
    form.locator("input[name=value]").first.check()
    form.locator("textarea[name=note]").fill("SK tim kerja belum ditandatangani Kapolres.")
    form.get_by_role("button").click()
    expect(
        desktop.page.get_by_test_id("question-2").get_by_test_id("question-saved")
    ).to_be_visible()
    desktop.assert_no_console_errors()

    # The owner, on a phone, chooses English before signing in.
    page = phone.page
    phone.goto("/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("button", name="EN").click()
    phone.login("anggota1", DEMO_PASSWORD)
    anggota1.refresh_from_db()
    assert anggota1.language == "en"  # the e-mails follow the choice too
    page.get_by_role("button", name="Open the menu").click()
    badge = page.get_by_test_id("unread-count")
    badge.wait_for()
    assert badge.inner_text().startswith("2")  # the return and the TPI note
    phone.screenshot("menu-count")
    with page.expect_navigation():
        page.get_by_test_id("nav-notifications").click()
    code = f"RA 1.{item.number}"
    entry = page.get_by_test_id("notification").filter(has_text=f"{code} was returned by")
    expect(entry).to_contain_text(f"Reason: {reason}")
    note = page.get_by_test_id("notification").filter(has_text="Note from the TPI on question 2")
    expect(note).to_contain_text("SK tim kerja belum ditandatangani Kapolres.")
    phone.screenshot("notifications-in-english")

    with page.expect_navigation():
        entry.get_by_role("button", name="Go to the item").click()
    assert page.url.endswith(f"/pokja/1/plan/{item.pk}/")
    expect(page.get_by_test_id("return-reason")).to_contain_text(reason)
    expect(page.get_by_test_id("status-badge")).to_have_text("Returned")
    phone.screenshot("item-with-the-reason")

    # The TPI's note is on the question itself, where the Pokja answers.
    page.go_back()
    with page.expect_navigation():
        note.get_by_role("button", name="Go to the item").click()
    assert "/lke/MP/" in page.url
    tpi_note = page.get_by_test_id("tpi-note-2")
    expect(tpi_note).to_contain_text("SK tim kerja belum ditandatangani Kapolres.")
    tpi_note.scroll_into_view_if_needed()
    phone.screenshot("tpi-note-on-the-question")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_test_id("question-2").screenshot(
        path=str(SCREENSHOTS / f"{phone.name}-question-2-with-the-tpi-note.png")
    )
    phone.assert_no_console_errors()


def test_a_section_returned_by_the_tpi_shows_its_reason_to_the_pokja(desktop, phone, demo):
    """The TPI returns the submitted AK section (Pokja 4) to draft with a reason; a member of
    Pokja 4 is told and reads the reason on the section itself; the person's settings page
    sets the language of their notices."""
    programme = demo.programme
    section = f"/programmes/{programme.unit.code}/{programme.year}/lke/AK/"
    number = programme.pokjas.get(area_code="AK").number
    reason = "Data dukung q58 belum ditandatangani pejabat berwenang."

    desktop.login("tpi", DEMO_PASSWORD)
    desktop.goto(section)
    form = desktop.page.get_by_test_id("status-form")
    form.locator("#status-note").fill(reason)
    with desktop.page.expect_navigation():
        form.get_by_role("button", name="Kembalikan ke draf").click()
    expect(desktop.page.get_by_test_id("section-status")).to_have_text("Draf")
    desktop.logout()

    desktop.login(f"anggota{number}", DEMO_PASSWORD)
    desktop.goto("/notifications/")
    entry = desktop.page.get_by_test_id("notification").filter(has_text="dikembalikan ke draf")
    expect(entry).to_contain_text(f"Alasan: {reason}")
    with desktop.page.expect_navigation():
        entry.get_by_role("button", name="Buka").click()
    assert desktop.page.url.endswith(section)
    move = desktop.page.get_by_test_id("status-move")
    expect(move).to_contain_text("Draf: oleh")
    expect(move.get_by_test_id("status-move-note")).to_have_text(reason)
    desktop.screenshot("section-returned-with-its-reason")
    desktop.assert_no_console_errors()

    # On a phone, the member chooses English for their notices on the settings page.
    phone.login(f"anggota{number}", DEMO_PASSWORD)
    phone.goto("/notifications/preferences/")
    phone.page.locator("select[name=language]").select_option("en")
    with phone.page.expect_navigation():
        phone.page.get_by_role("button", name="Simpan").click()
    expect(phone.page.locator("main")).to_contain_text("Your notification settings are saved.")
    assert User.objects.get(username=f"anggota{number}").language == "en"
    phone.goto("/notifications/")
    expect(
        phone.page.get_by_test_id("notification").filter(has_text="returned to draft")
    ).to_contain_text(f"Reason: {reason}")
    phone.screenshot("notices-after-choosing-english")
    phone.goto("/notifications/preferences/")
    phone.screenshot("settings-in-english")
    phone.assert_no_console_errors()
