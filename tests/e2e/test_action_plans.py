"""Action plans in the browser: a Pokja member on a phone updates an item and attaches a photo;
the coordinator verifies one item and returns another with a reason."""

import io
import re

from PIL import Image

from pokja.demo import DEMO_PASSWORD
from pokja.models import ActionPlanItem

PROGRAMME = "/programmes/POLRES-LABUHANBATU/{year}"


def _photo(path):
    image = Image.new("RGB", (64, 48), (30, 120, 200))
    out = io.BytesIO()
    image.save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def _item(number: int) -> ActionPlanItem:
    return ActionPlanItem.objects.select_related("programme").get(pokja__number=1, number=number)


def test_a_member_updates_an_item_on_a_phone_and_attaches_a_photo(phone, demo, tmp_path):
    page = phone.page
    item = _item(3)  # "Rapat monitoring dan evaluasi bulanan", in progress at 80%
    assert (item.status, item.progress) == ("berjalan", 80)

    phone.login("anggota1", DEMO_PASSWORD)
    page.get_by_test_id("home-pokja").get_by_role("link").click()
    page.get_by_test_id("pokja-plan-tab").click()
    page.wait_for_load_state()
    assert page.url.endswith("/pokja/1/plan/")
    # Late items stand out.
    assert page.get_by_test_id("late-badge").first.inner_text().startswith("Terlambat")
    phone.screenshot("plan-list")

    card = page.locator(f"#item-{item.pk}")
    list_url = page.url
    card.get_by_test_id("quick-update").click()
    card.get_by_label("Progres (%)").fill("95")
    card.get_by_label("Catatan").fill("Rapat November terlaksana")
    card.get_by_role("button", name="Simpan").click()
    card = page.locator(f"#item-{item.pk}")
    card.get_by_test_id("saved").wait_for()
    assert page.url == list_url  # updated in place, no page load
    assert card.get_by_test_id("progress-value").inner_text() == "95%"
    phone.screenshot("updated-in-place")

    card.get_by_role("link", name=re.compile("RA 1.3")).click()
    page.wait_for_load_state()
    photo = _photo(tmp_path / "rapat-november.jpg")
    with page.expect_navigation():
        page.locator("#photo-input").set_input_files(str(photo))  # uploads on its own
    evidence = page.get_by_test_id("item-evidence")
    assert "rapat-november.jpg" in evidence.inner_text()
    phone.screenshot("photo-attached")

    page.get_by_test_id("quick-form").get_by_label("Status").select_option("selesai")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status-badge").inner_text() == "Selesai"
    history = page.get_by_test_id("history").inner_text()
    assert "Berjalan → Selesai" in history and "Rapat November terlaksana" in history
    phone.screenshot("marked-done")

    item.refresh_from_db()
    assert (item.status, item.progress) == ("selesai", 100)
    assert item.evidence.filter(content_type="image/jpeg").exists()
    phone.assert_no_console_errors()


def test_the_coordinator_verifies_one_item_and_returns_another_with_a_reason(phone, demo):
    page = phone.page
    verified, returned = _item(4), ActionPlanItem.objects.get(pokja__number=3, number=2)
    assert verified.status == returned.status == "selesai"
    year = verified.programme.year

    phone.login("koordinator", DEMO_PASSWORD)
    phone.goto(PROGRAMME.format(year=year) + "/plans/")
    awaiting = page.get_by_test_id("awaiting")
    assert "RA 1.4" in awaiting.inner_text() and "RA 3.2" in awaiting.inner_text()
    phone.screenshot("waiting-for-verification")

    awaiting.get_by_role("link", name=re.compile("RA 1.4")).click()
    page.wait_for_load_state()
    review = page.get_by_test_id("review-panel")
    review.get_by_label(re.compile("Catatan")).fill("SK dan daftar hadir lengkap.")
    review.get_by_role("button", name="Verifikasi").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status-badge").inner_text() == "Diverifikasi"
    history = page.get_by_test_id("history").inner_text()
    assert "Selesai → Diverifikasi" in history and "Kompol Ahmad Syaputra" in history
    assert "Ipda Fajar Nugroho" in history  # the member's earlier work, in the same history
    phone.screenshot("verified")

    phone.goto(PROGRAMME.format(year=year) + "/plans/")
    page.get_by_test_id("awaiting").get_by_role("link", name=re.compile("RA 3.2")).click()
    page.wait_for_load_state()
    review = page.get_by_test_id("review-panel")
    review.get_by_role("button", name="Kembalikan ke Pokja").click()  # no reason yet
    page.wait_for_load_state()
    assert "Isi alasan pengembalian kegiatan." in page.locator(".messages").inner_text()
    assert page.get_by_test_id("status-badge").inner_text() == "Selesai"
    review = page.get_by_test_id("review-panel")
    review.get_by_label(re.compile("Catatan")).fill(
        "Perkap pola mutasi belum ditandatangani Kapolres."
    )
    review.get_by_role("button", name="Kembalikan ke Pokja").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status-badge").inner_text() == "Dikembalikan"
    assert "belum ditandatangani" in page.get_by_test_id("return-reason").inner_text()
    phone.screenshot("returned")

    verified.refresh_from_db()
    returned.refresh_from_db()
    assert verified.status == "diverifikasi" and returned.status == "dikembalikan"
    assert returned.return_reason == "Perkap pola mutasi belum ditandatangani Kapolres."
    phone.assert_no_console_errors()


def test_the_coordinator_sees_every_pokja_plan_on_a_desktop(desktop, demo):
    page = desktop.page
    year = _item(1).programme.year
    desktop.login("koordinator", DEMO_PASSWORD)
    desktop.goto(PROGRAMME.format(year=year) + "/plans/")
    assert page.get_by_test_id("plan-summary").locator("tbody tr").count() == 6
    assert page.get_by_test_id("late-items").locator("tbody tr").count() >= 5
    desktop.screenshot("plans-overview")
    desktop.goto(PROGRAMME.format(year=year) + "/pokja/1/plan/monitoring/")
    assert page.get_by_test_id("monitoring-grid").locator("tbody tr").count() == 5
    desktop.screenshot("monitoring-grid")
    desktop.goto(PROGRAMME.format(year=year) + "/tlhp/")
    assert page.get_by_test_id("tlhp-percent").inner_text() == "50,00%"
    desktop.screenshot("findings")
    desktop.goto(PROGRAMME.format(year=year) + "/change-agents/")
    assert page.get_by_test_id("q88").inner_text() == "4"
    page.get_by_test_id("set-lke-answers").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("lke-in-step").is_visible()
    desktop.screenshot("change-agents")
    desktop.goto(PROGRAMME.format(year=year) + "/pokja/1/plan/")
    page.get_by_test_id("plan-drafts-link").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("plan-draft").count() > 5
    desktop.screenshot("plan-drafts")
    desktop.assert_no_console_errors()
