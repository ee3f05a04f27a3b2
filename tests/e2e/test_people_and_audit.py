"""The unit administrator manages people and invites someone of another unit; the
coordinator and the head of unit read what changed."""

from __future__ import annotations

from django.core import mail

from pokja.demo import DEMO_PASSWORD, DEMO_UNIT_CODE
from pokja.models import ProgrammeRole, User
from tests.factories import UserFactory


def test_the_operator_adds_a_person_and_the_coordinator_sees_it_in_the_trail(
    desktop, demo, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = desktop.page
    desktop.login("operator", DEMO_PASSWORD)
    page.get_by_test_id("home-manage").get_by_role("link").click()
    page.get_by_role("link", name="Semua personel satuan kerja").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("person-row").count() >= 15
    desktop.screenshot("people-list")
    page.get_by_role("link", name="Tambah personel").click()
    page.get_by_label("Nama pengguna").fill("brigpol.siregar")
    page.get_by_label("Nama lengkap").fill("Brigpol Andi Siregar")
    page.get_by_label("Jabatan").fill("Bamin Ops")
    page.get_by_label("Surel", exact=True).fill("andi.siregar@labuhanbatu.demo.polri.go.id")
    page.get_by_role("combobox", name="Peran").select_option("anggota")
    page.get_by_label("Pokja (untuk ketua dan anggota)").select_option("2")
    desktop.screenshot("person-form")
    page.get_by_role("button", name="Tambah", exact=True).click()
    page.wait_for_load_state()
    assert "tautan untuk memilih kata sandi dikirim" in page.inner_text("main")
    assert page.get_by_text("Belum ada kata sandi").first.is_visible()
    assert len(mail.outbox) == 1
    desktop.screenshot("person-page")
    page.get_by_role("button", name="Nonaktifkan").click()
    page.wait_for_load_state()
    assert not User.objects.get(username="brigpol.siregar").is_active
    desktop.assert_no_console_errors()

    desktop.logout()
    desktop.login("koordinator", DEMO_PASSWORD)
    desktop.goto(f"/programmes/{DEMO_UNIT_CODE}/{demo.programme.year}/")
    page.get_by_role("link", name="Jejak audit").click()
    page.wait_for_load_state()
    trail = page.get_by_test_id("history").inner_text()
    operator = User.objects.get(username="operator")
    # People by their names, as everywhere else; the filter too.
    assert operator.display_name in trail and "Brigpol Andi Siregar" in trail
    assert operator.display_name != "operator"
    page.get_by_label("Siapa").select_option(label=operator.display_name)
    page.get_by_role("button", name="Saring").click()
    page.wait_for_load_state()
    assert "actor=operator" in page.url
    desktop.screenshot("audit-trail")
    desktop.assert_no_console_errors()


def test_the_audit_trail_reads_well_on_a_phone(phone, demo):
    phone.login("koordinator", DEMO_PASSWORD)
    phone.goto(f"/programmes/{DEMO_UNIT_CODE}/{demo.programme.year}/audit/")
    assert phone.page.get_by_test_id("audit-count").is_visible()
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width}px)"
    phone.screenshot("audit-trail")
    phone.assert_no_console_errors()


def test_the_head_of_unit_reads_the_trail_and_the_settings_and_changes_nothing(
    desktop, phone, demo
):
    for journey in (desktop, phone):
        page = journey.page
        journey.login("pimpinan", DEMO_PASSWORD)
        journey.goto(f"/programmes/{DEMO_UNIT_CODE}/{demo.programme.year}/audit/")
        assert page.get_by_test_id("audit-entry").count() > 0
        assert page.get_by_test_id("audit-actor").first.inner_text() not in ("", "system")
        journey.screenshot("audit-trail")
        journey.goto(f"/programmes/{DEMO_UNIT_CODE}/{demo.programme.year}/settings/")
        assert page.get_by_test_id("read-only").is_visible()
        assert page.get_by_label("Target predikat").is_disabled()
        assert page.locator("main button[type=submit]").count() == 0
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1366 if journey is desktop else width <= 390
        journey.screenshot("settings")
        journey.assert_no_console_errors()


def test_someone_of_another_unit_is_invited_and_accepts(desktop, demo):
    guest = UserFactory(username="tamu.polda", full_name="Kompol Tamu Polda", phone="0812-1")
    page = desktop.page
    desktop.login("operator", DEMO_PASSWORD)
    desktop.goto(f"/programmes/{DEMO_UNIT_CODE}/{demo.programme.year}/roles/")
    page.get_by_label("Nama pengguna").fill("tamu.polda")
    page.get_by_role("combobox", name="Peran").select_option("tpi")
    page.get_by_role("button", name="Berikan peran").click()
    page.wait_for_load_state()
    main = page.inner_text("main")
    assert "Undangan untuk “tamu.polda” dicatat" in main
    assert guest.full_name not in main
    assert page.get_by_test_id("invitation").count() == 1
    desktop.screenshot("roles-invited")
    desktop.assert_no_console_errors()

    desktop.logout()
    desktop.login("tamu.polda", "a-Long-test-password-1")
    page.get_by_test_id("nav-invitations").click()  # loaded into the menu
    page.wait_for_load_state()
    desktop.screenshot("invitations")
    page.get_by_role("button", name="Terima").click()
    page.wait_for_load_state()
    assert "Anda sekarang" in page.inner_text("main")
    assert ProgrammeRole.objects.filter(user=guest, programme=demo.programme, kind="tpi").exists()
    assert page.get_by_test_id("nav-invitations").count() == 0
    desktop.assert_no_console_errors()
