"""Action-plan pages: the list with filters and the in-place update, the item page, evidence,
the monitoring grid and the coordinator's overview, with constant query counts."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit.models import AuditEntry
from pokja.models import ActionPlanItem, ActionPlanMonitoring, Evidence
from tests.factories import make_foreign_evidence, make_item_in, make_plan_item

pytestmark = pytest.mark.django_db
S = ActionPlanItem.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


def pokja_url(world, name, number=1, **extra):
    return reverse(
        name,
        kwargs={
            "unit_code": world.unit.code,
            "year": world.programme.year,
            "number": number,
            **extra,
        },
    )


def item_url(world, item, name="plan_item_detail"):
    return pokja_url(world, name, item.pokja.number, item_id=item.pk)


def bulk_items(world, count, *, pokja_number=1, start=1):
    """Many items quickly (lists and counts only need the rows), with owners."""
    pokja = world.pokjas[pokja_number]
    sub_area = world.programme.framework.sub_areas.filter(area__code=pokja.area_code).first()
    statuses = [S.NOT_STARTED, S.IN_PROGRESS, S.DONE, S.VERIFIED, S.RETURNED]
    items = ActionPlanItem.objects.bulk_create(
        ActionPlanItem(
            programme=world.programme,
            pokja=pokja,
            number=start + i,
            title=f"Kegiatan {start + i}",
            sub_area=sub_area,
            start_date=datetime.date(2026, 1, 1),
            due_date=datetime.date(2026, 1 + i % 12, 1 + i % 28),
            status=statuses[i % 5],
            progress=(i * 7) % 101,
        )
        for i in range(count)
    )
    through = ActionPlanItem.owners.through
    through.objects.bulk_create(
        [through(actionplanitem_id=item.pk, user_id=world.anggota1.pk) for item in items]
        + [through(actionplanitem_id=item.pk, user_id=world.ketua1.pk) for item in items[::2]]
    )
    return items


# --------------------------------------------------------------------------- the list


def test_the_plan_list_keeps_a_constant_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.anggota1)
    url = pokja_url(world, "pokja_plan")
    filtered = url + f"?status=berjalan&late=1&owner={world.ketua1.pk}"
    bulk_items(world, 10)
    client.get(url)  # warm the session
    with django_assert_num_queries(15):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="plan-item"') == 10
    with django_assert_num_queries(16):  # the filter form checks the owner
        client.get(filtered)
    bulk_items(world, 490, start=11)
    with django_assert_num_queries(15):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('data-testid="plan-item"') == 50  # one page
    assert "Page 1 of 10" in html
    with django_assert_num_queries(16):
        client.get(filtered)


def test_filters_status_owner_late_and_sub_area(client, world, monkeypatch):
    client.force_login(world.coordinator)
    a = make_plan_item(
        world.programme,
        1,
        title="Alpha",
        owners=[world.anggota1],
        due_date=datetime.date(2026, 3, 1),
        sub_area_code="MP.P.ii",
    )
    b = make_plan_item(
        world.programme, 1, title="Beta", owners=[world.ketua1], sub_area_code="MP.P.iii"
    )
    ActionPlanItem.objects.filter(pk=b.pk).update(status=S.IN_PROGRESS, progress=50)
    url = pokja_url(world, "pokja_plan")

    def titles(query):
        html = client.get(url + query).content.decode()
        return {t for t in ("Alpha", "Beta") if f"· {t}</a>" in html}

    assert titles("") == {"Alpha", "Beta"}
    assert titles("?status=berjalan") == {"Beta"}
    assert titles(f"?owner={world.anggota1.pk}") == {"Alpha"}
    assert titles("?late=1") == {"Alpha"}  # due 1 March 2026, not started
    assert titles("?late=0") == {"Beta"}
    sub_area = world.programme.framework.sub_areas.get(code="MP.P.iii")
    assert titles(f"?sub_area={sub_area.pk}") == {"Beta"}
    # Nonsense filters are ignored (and shown as errors), never a 500.
    response = client.get(url + "?status=nope&owner=abc&late=x&sub_area=999999")
    assert response.status_code == 200
    assert set(response.context["filter_form"].errors) == {"status", "owner", "late", "sub_area"}
    assert a.pk != b.pk


def test_the_list_answers_an_htmx_filter_with_the_list_alone(client, world):
    client.force_login(world.anggota1)
    make_plan_item(world.programme, 1, title="Alpha")
    response = client.get(
        pokja_url(world, "pokja_plan") + "?status=belum_mulai",
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="plan-list",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="plan-list"') and "<html" not in html


def test_late_items_are_obvious(client, world):
    client.force_login(world.anggota1)
    make_plan_item(world.programme, 1, title="Terlambat", due_date=datetime.date(2026, 2, 1))
    html = client.get(pokja_url(world, "pokja_plan")).content.decode()
    assert 'data-testid="late-badge"' in html and "is-late" in html


# --------------------------------------------------------------------------- quick update


def test_a_member_updates_status_and_progress_in_place(client, world):
    client.force_login(world.anggota1)
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    response = client.post(
        item_url(world, item, "plan_item_status"),
        {"status": "berjalan", "progress": "35", "note": "Undangan sudah dikirim"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<article") and 'data-testid="saved"' in html
    assert "35%" in html
    item.refresh_from_db()
    assert (item.status, item.progress) == (S.IN_PROGRESS, 35)
    entry = AuditEntry.objects.filter(object_id=str(item.pk)).order_by("-id").first()
    assert entry.note == "Undangan sudah dikirim" and entry.actor_username == "anggota1"


def test_an_in_place_error_is_shown_in_the_card_and_nothing_changes(client, world):
    client.force_login(world.coordinator)
    item = make_item_in(world, S.DONE)
    response = client.post(
        item_url(world, item, "plan_item_status"),
        {"status": "dikembalikan", "progress": "100", "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Give the reason for returning the item." in response.content.decode()
    response = client.post(
        item_url(world, item, "plan_item_status"),
        {"status": "berjalan", "progress": "150"},
        HTTP_HX_REQUEST="true",
    )
    assert "Progress (%)" in response.content.decode()  # the field is named
    item.refresh_from_db()
    assert item.status == S.DONE


def test_a_member_cannot_verify_even_by_forging_the_form(client, world):
    client.force_login(world.anggota1)
    item = make_item_in(world, S.DONE)
    response = client.post(item_url(world, item, "plan_item_status"), {"status": "diverifikasi"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.status == S.DONE


def test_the_coordinator_verifies_from_the_item_page(client, world):
    client.force_login(world.coordinator)
    item = make_item_in(world, S.DONE)
    page = client.get(item_url(world, item)).content.decode()
    assert 'data-testid="review-panel"' in page
    response = client.post(
        item_url(world, item, "plan_item_status"),
        {"status": "diverifikasi", "note": "Lengkap", "next": item_url(world, item)},
    )
    assert response.status_code == 302 and response.url == item_url(world, item)
    item.refresh_from_db()
    assert item.status == S.VERIFIED
    # The member sees it verified and can no longer change it.
    client.force_login(world.anggota1)
    page = client.get(item_url(world, item)).content.decode()
    assert 'data-testid="quick-form"' not in page and 'data-testid="photo-form"' not in page


def test_an_unsafe_next_address_is_not_followed(client, world):
    client.force_login(world.anggota1)
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    response = client.post(
        item_url(world, item, "plan_item_status"),
        {"status": "berjalan", "progress": "5", "next": "https://evil.example/"},
    )
    assert response.url == item_url(world, item)


# --------------------------------------------------------------------------- forms


def _form_data(world, **changes):
    data = {
        "title": "Survei internal budaya kerja",
        "sub_area": world.programme.framework.sub_areas.get(code="MP.P.iv").pk,
        "questions": [world.programme.framework.questions.get(number=9).pk],
        "owners": [world.anggota1.pk],
        "start_date": "2026-04-01",
        "due_date": "2026-05-31",
        "expected_output": "Laporan survei",
        "success_indicator": "80% pegawai mengisi",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_activity_is_added_with_a_form(client, world):
    client.force_login(world.anggota1)
    response = client.post(pokja_url(world, "plan_item_create"), _form_data(world))
    item = ActionPlanItem.objects.get()
    assert response.status_code == 302 and response.url == item_url(world, item)
    assert list(item.owners.all()) == [world.anggota1]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_date": "2026-03-01"}, "due_date"),
        ({"owners": ["OWNER2"]}, "owners"),
        ({"sub_area": "999999"}, "sub_area"),
        ({"sub_area": "TL"}, "sub_area"),
        ({"questions": ["Q13"]}, "questions"),
        ({"start_date": "31/31/2026"}, "start_date"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_form_input_names_the_field_and_saves_nothing(client, world, change, field):
    framework = world.programme.framework
    substitutes = {
        "OWNER2": world.anggota2.pk,
        "TL": framework.sub_areas.get(code="TL.P.i").pk,
        "Q13": framework.questions.get(number=13).pk,
    }
    change = {
        k: ([substitutes.get(x, x) for x in v] if isinstance(v, list) else substitutes.get(v, v))
        for k, v in change.items()
    }
    client.force_login(world.anggota1)
    response = client.post(pokja_url(world, "plan_item_create"), _form_data(world, **change))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ActionPlanItem.objects.count() == 0


def test_a_question_of_another_sub_area_of_the_area_is_refused_by_the_service(client, world):
    client.force_login(world.anggota1)
    other = world.programme.framework.questions.get(number=3)  # MP.P.ii, not MP.P.iv
    response = client.post(
        pokja_url(world, "plan_item_create"), _form_data(world, questions=[other.pk])
    )
    assert response.status_code == 200
    assert "questions" in response.context["form"].errors
    assert ActionPlanItem.objects.count() == 0


def test_editing_changes_only_what_changed_and_is_audited(client, world):
    item = make_plan_item(world.programme, 1, actor=world.ketua1, sub_area_code="MP.P.iv")
    client.force_login(world.anggota1)
    data = _form_data(world, title="Judul baru")
    response = client.post(item_url(world, item, "plan_item_edit"), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "Judul baru"
    entry = AuditEntry.objects.filter(object_id=str(item.pk), action="update").latest("id")
    assert entry.changes["title"] == ["Sosialisasi pakta integritas", "Judul baru"]


# --------------------------------------------------------------------------- evidence


def test_a_photo_from_the_phone_is_attached(client, world):
    client.force_login(world.anggota1)
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    page = client.get(item_url(world, item)).content.decode()
    assert 'accept="image/*" capture="environment"' in page
    photo = SimpleUploadedFile("IMG_0001.JPG", jpeg_bytes(), content_type="image/jpeg")
    response = client.post(
        item_url(world, item, "plan_item_evidence_add"), {"kind": "file", "file": photo}
    )
    assert response.status_code == 302
    evidence = item.evidence.get()
    assert evidence.content_type == "image/jpeg" and evidence.pokja == world.pokjas[1]
    page = client.get(item_url(world, item)).content.decode()
    assert "IMG_0001.JPG" in page


def test_too_big_or_forbidden_files_are_refused_naming_the_field(client, world, settings):
    settings.ZI_EVIDENCE_MAX_MB = 1
    client.force_login(world.anggota1)
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024 + 1))
    response = client.post(
        item_url(world, item, "plan_item_evidence_add"), {"kind": "file", "file": big}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "File or photo: The file is 1.0 MB; the limit is 1 MB." in html
    exe = SimpleUploadedFile("tool.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(
        item_url(world, item, "plan_item_evidence_add"), {"kind": "file", "file": exe}
    )
    assert "This kind of file is not accepted" in response.content.decode()
    assert Evidence.objects.count() == 0 and item.evidence.count() == 0


def _two_items_the_first_with_a_link(client, world, url: str, title: str):
    """Two items of Pokja 1, the first given a link by its member through the form (signed
    in as them): the items and the link's evidence."""
    client.force_login(world.anggota1)
    first = make_plan_item(world.programme, 1, actor=world.ketua1)
    second = make_plan_item(world.programme, 1, actor=world.ketua1, title="Kedua")
    client.post(
        item_url(world, first, "plan_item_evidence_add"),
        {"kind": "link", "url": url, "title": title},
    )
    return first, second, first.evidence.get()


def test_links_and_existing_evidence_are_attached(client, world):
    first, second, evidence = _two_items_the_first_with_a_link(
        client, world, "https://drive.example/notulen", "Notulen rapat"
    )
    page = client.get(item_url(world, second)).content.decode()
    assert "Notulen rapat" in page  # offered for picking
    client.post(
        item_url(world, second, "plan_item_evidence_add"), {"kind": "pick", "evidence": evidence.pk}
    )
    assert list(second.evidence.all()) == [evidence]
    # A piece of another programme cannot be picked.
    foreign = make_foreign_evidence(world)
    response = client.post(
        item_url(world, second, "plan_item_evidence_add"), {"kind": "pick", "evidence": foreign.pk}
    )
    assert response.status_code == 200 and "evidence" in response.context["pick_form"].errors
    # Detaching keeps the piece.
    response = client.post(
        pokja_url(world, "plan_item_evidence_remove", item_id=second.pk, evidence_id=evidence.pk)
    )
    assert response.status_code == 302 and second.evidence.count() == 0
    assert first.evidence.count() == 1


def test_an_evidence_id_of_another_item_cannot_be_detached_through_this_one(client, world):
    first, second, evidence = _two_items_the_first_with_a_link(
        client, world, "https://drive.example/a", "A"
    )
    response = client.post(
        pokja_url(world, "plan_item_evidence_remove", item_id=second.pk, evidence_id=evidence.pk)
    )
    assert response.status_code == 404 and first.evidence.count() == 1


def test_an_item_of_another_pokja_is_not_reached_by_changing_the_url(client, world):
    client.force_login(world.anggota1)
    item2 = make_plan_item(world.programme, 2, actor=world.ketua2)
    url = pokja_url(world, "plan_item_detail", number=1, item_id=item2.pk)
    assert client.get(url).status_code == 404
    other = make_plan_item(world.other_programme, 1)
    url = pokja_url(world, "plan_item_detail", number=1, item_id=other.pk)
    assert client.get(url).status_code == 404


# --------------------------------------------------------------------------- item page


def test_the_item_page_shows_history_comments_and_monitoring(client, world):
    client.force_login(world.anggota1)
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    client.post(item_url(world, item, "plan_item_status"), {"status": "berjalan", "progress": "20"})
    client.post(item_url(world, item, "plan_item_comment"), {"text": "Menunggu jadwal Kapolres"})
    client.post(
        item_url(world, item, "plan_item_monitoring"),
        {"month": "10", "percent": "20", "note": "Rapat persiapan"},
    )
    response = client.get(item_url(world, item))
    html = response.content.decode()
    assert "Menunggu jadwal Kapolres" in html and "Rapat persiapan" in html
    assert "reported the realisation of October" in html
    assert "Not started" in html and "In progress" in html  # the status change, readable
    assert ActionPlanMonitoring.objects.get(item=item).percent == 20


def test_bad_monitoring_and_comment_input_is_reported(client, world):
    client.force_login(world.anggota1)
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    response = client.post(
        item_url(world, item, "plan_item_monitoring"), {"month": "13", "percent": "120"}
    )
    assert response.status_code == 200
    assert {"month", "percent"} <= set(response.context["monitoring_form"].errors)
    response = client.post(item_url(world, item, "plan_item_comment"), {"text": "  "})
    assert "text" in response.context["comment_form"].errors
    assert not ActionPlanMonitoring.objects.exists() and not item.comments.exists()


# --------------------------------------------------------------------------- grid and overview


def test_the_monitoring_grid_is_month_by_item_with_constant_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.coordinator)
    items = bulk_items(world, 5)
    ActionPlanMonitoring.objects.bulk_create(
        ActionPlanMonitoring(item=item, month=m, percent=10 * m, note=f"Bulan {m}")
        for item in items
        for m in (1, 2, 3)
    )
    url = pokja_url(world, "pokja_plan_monitoring")
    client.get(url)
    with django_assert_num_queries(10) as small:
        response = client.get(url)
    grid = response.context["grid"]
    assert [c.percent if c else None for c in grid.rows[0].cells[:4]] == [10, 20, 30, None]
    more = bulk_items(world, 495, start=6)
    ActionPlanMonitoring.objects.bulk_create(
        ActionPlanMonitoring(item=item, month=4, percent=40) for item in more
    )
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["grid"].rows) == 500


def test_the_overview_shows_counts_waiting_and_late_with_constant_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.coordinator)
    bulk_items(world, 10)
    bulk_items(world, 10, pokja_number=2)
    url = reverse("programme_plans", kwargs={"unit_code": world.unit.code, "year": 2026})
    client.get(url)
    with django_assert_num_queries(14) as small:
        response = client.get(url)
    counts = response.context["summaries"][0][1]
    assert counts.total == 10 and counts.done == 2
    assert 'data-testid="awaiting"' in response.content.decode()
    bulk_items(world, 490, start=11)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url)


# --------------------------------------------------------------------------- one control per action


def _status_options(page: str, item) -> list[str]:
    select = re.search(rf'<select[^>]*id="status-{item.pk}"[^>]*>(.*?)</select>', page, re.S)
    return re.findall(r'<option value="(\w+)"', select.group(1)) if select else []


def test_the_coordinator_reviews_a_done_item_with_one_control(client, world):
    item = make_item_in(world, S.DONE)
    client.force_login(world.coordinator)
    page = client.get(item_url(world, item)).content.decode()
    # The review (verify, return with a reason) and no status list that verifies or returns too.
    review = re.search(r'data-testid="review-panel"(.*?)</section>', page, re.S).group(1)
    assert re.findall(r'name="status" value="(\w+)"', review) == [S.VERIFIED, S.RETURNED]
    assert "required when returning" in review
    assert 'data-testid="quick-form"' not in page and _status_options(page, item) == []
    # The same on the coordinator's list of what waits for verification.
    page = client.get(reverse("programme_plans", kwargs=world.programme.url_kwargs()))
    card = re.search(rf'id="item-{item.pk}"(.*?)</article>', page.content.decode(), re.S).group(1)
    assert 'data-testid="quick-review"' in card and 'data-testid="quick-update"' not in card
    assert re.findall(r'name="status" value="(\w+)"', card) == [S.VERIFIED, S.RETURNED]


def test_work_statuses_and_the_review_are_separate_controls(client, world):
    item = make_item_in(world, S.IN_PROGRESS)
    client.force_login(world.coordinator)
    page = client.get(item_url(world, item)).content.decode()
    assert _status_options(page, item) == [S.IN_PROGRESS, S.NOT_STARTED, S.DONE]
    assert 'data-testid="review-panel"' not in page
    ActionPlanItem.objects.filter(pk=item.pk).update(status=S.VERIFIED, progress=100)
    page = client.get(item_url(world, item)).content.decode()
    review = re.search(r'data-testid="review-panel"(.*?)</section>', page, re.S).group(1)
    assert re.findall(r'name="status" value="(\w+)"', review) == [S.RETURNED]
    assert "Verify" not in review and 'data-testid="quick-form"' not in page


@pytest.mark.parametrize("status", [S.NOT_STARTED, S.IN_PROGRESS, S.DONE, S.RETURNED])
def test_members_see_no_hint_for_a_return_they_cannot_make(client, world, status):
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    ActionPlanItem.objects.filter(pk=item.pk).update(
        status=status, progress=100 if status == S.DONE else 10
    )
    client.force_login(world.anggota1)
    for url in (item_url(world, item), pokja_url(world, "pokja_plan")):
        page = client.get(url).content.decode()
        assert 'data-testid="quick-form"' in page
        assert "required when returning" not in page
        assert 'data-testid="review-form"' not in page
        moves = _status_options(page, item)[1:]  # the first is the current status
        assert moves and S.VERIFIED not in moves and S.RETURNED not in moves


def test_the_coordinator_returns_an_item_in_place_from_the_list(client, world):
    item = make_item_in(world, S.DONE)
    client.force_login(world.coordinator)
    response = client.post(
        item_url(world, item, "plan_item_status"),
        {"status": S.RETURNED, "note": ""},
        HTTP_HX_REQUEST="true",
    )
    card = response.content.decode()
    assert (
        "Give the reason for returning the item." in card and 'data-testid="quick-review"' in card
    )
    response = client.post(
        item_url(world, item, "plan_item_status"),
        {"status": S.RETURNED, "note": "Notulen belum ada."},
        HTTP_HX_REQUEST="true",
    )
    card = response.content.decode()
    assert 'data-status="dikembalikan"' in card and 'data-testid="saved"' in card
    item.refresh_from_db()
    assert item.status == S.RETURNED and item.return_reason == "Notulen belum ada."
