"""The unit administrator manages people; the coordinator reads what changed."""

from __future__ import annotations

from django.core import mail

from pokja.demo import DEMO_PASSWORD, DEMO_UNIT_CODE
from pokja.models import User


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
    assert "operator" in trail and "Brigpol Andi Siregar" in trail
    page.get_by_label("Siapa").select_option("operator")
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
