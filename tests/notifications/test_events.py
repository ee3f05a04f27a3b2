"""Event notices: when work is returned, verified, reviewed or noted by the TPI, the people who
must act hear of it at once in the app, by e-mail in their own language, each event once, and
never the person who acted."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from audit.models import AuditEntry
from evaluations import services as lke
from notifications import services
from notifications.events import notify_event
from notifications.models import Notification, NotificationPreference
from notifications.tasks import email_notification, event_emails
from pokja import hooks
from pokja import services as plans
from pokja.access import programme_access
from pokja.models import ActionPlanComment, ActionPlanItem, programme_today
from tests.factories import make_plan_item

pytestmark = pytest.mark.django_db


def done_item(world, owners=None, **kwargs) -> ActionPlanItem:
    """A done item of Pokja 1, owned by anggota1 unless said otherwise."""
    return make_plan_item(
        world.programme,
        1,
        owners=[world.anggota1] if owners is None else owners,
        status=ActionPlanItem.Status.DONE,
        title="Sosialisasi pakta integritas",
        **kwargs,
    )


def access(world, user):
    return programme_access(user, world.programme)


def told(**filters) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(**filters).order_by("recipient__username", "pk")
    return [(n.recipient.username, n.kind) for n in rows]


def item_url(world, item, anchor="") -> str:
    kwargs = {"unit_code": "POLRES-ALPHA", "year": 2026, "number": 1, "item_id": item.pk}
    return reverse("plan_item_detail", kwargs=kwargs) + anchor


def send_all() -> None:
    for pk in Notification.objects.filter(emailed_at__isnull=True).values_list("pk", flat=True):
        email_notification.apply(args=[pk]).get()


# --------------------------------------------------------------------------- plan items


def test_a_returned_item_tells_its_owners_and_chair_with_the_reason(world):
    item = done_item(world)
    plans.action_plan_return(
        actor=world.coordinator,
        access=access(world, world.coordinator),
        item=item,
        reason="Foto kegiatan belum diunggah",
    )
    assert told() == [("anggota1", "returned"), ("ketua1", "returned")]
    notice = Notification.objects.get(recipient=world.anggota1)
    entry = AuditEntry.objects.filter(object_type="pokja.actionplanitem").latest("id")
    assert notice.event == entry.pk  # the audited change is the event
    assert notice.day == programme_today()
    assert notice.link == item_url(world, item)
    assert notice.read_at is None and notice.emailed_at is None  # in the app at once
    code = f"RA 1.{item.number}"
    with translation.override("en"):
        assert notice.text.title == f"{code} was returned by {world.coordinator.display_name}"
        assert "Reason: Foto kegiatan belum diunggah" in notice.text.body
        assert f"{code} Sosialisasi pakta integritas" in notice.text.body
    with translation.override("id"):
        assert notice.text.title == (f"{code} dikembalikan oleh {world.coordinator.display_name}")
        assert "Alasan: Foto kegiatan belum diunggah" in notice.text.body


def test_the_same_item_returned_twice_in_a_day_is_told_twice(world):
    item = done_item(world)
    coordinator = access(world, world.coordinator)
    plans.action_plan_return(actor=world.coordinator, access=coordinator, item=item, reason="1")
    plans.action_plan_update_status(
        actor=world.anggota1, access=access(world, world.anggota1), item=item, status="selesai"
    )
    plans.action_plan_return(actor=world.coordinator, access=coordinator, item=item, reason="2")
    notices = Notification.objects.filter(recipient=world.anggota1, kind="returned")
    assert notices.count() == 2 and len({n.event for n in notices}) == 2
    assert {n.day for n in notices} == {programme_today()}
    with translation.override("en"):
        assert sorted(n.text.body.splitlines()[1] for n in notices) == ["Reason: 1", "Reason: 2"]
    # the Pokja's own move back to done tells nobody
    assert set(Notification.objects.values_list("kind", flat=True)) == {"returned"}


def test_a_verified_item_tells_owners_and_chair_once_each(world):
    item = done_item(world, owners=[world.anggota1, world.ketua1])  # the chair owns it too
    plans.action_plan_verify(
        actor=world.coordinator,
        access=access(world, world.coordinator),
        item=item,
        note="Bukti lengkap",
    )
    assert told() == [("anggota1", "verified"), ("ketua1", "verified")]
    with translation.override("en"):
        text = Notification.objects.get(recipient=world.ketua1).text
    assert text.title.endswith(f"was verified by {world.coordinator.display_name}")
    assert "Note: Bukti lengkap" in text.body


def test_the_actor_and_inactive_people_are_not_told(world):
    world.anggota1.is_active = False
    world.anggota1.save()
    item = done_item(world, owners=[world.anggota1, world.ketua1])
    # the chair returns nothing (only the coordinator does); a coordinator who is also the
    # chair would not be told of their own return
    world.ketua1.programme_roles.create(programme=world.programme, kind="koordinator")
    plans.action_plan_return(
        actor=world.ketua1, access=access(world, world.ketua1), item=item, reason="Ulangi"
    )
    assert told() == []


def test_the_systems_own_changes_are_not_events(world):
    item = done_item(world)
    plans.action_plan_update_status(
        actor=None, access=access(world, world.coordinator), item=item, status="diverifikasi"
    )
    assert told() == []


def test_an_event_is_stored_once_even_if_told_twice(world):
    item = done_item(world)
    plans.action_plan_return(
        actor=world.coordinator, access=access(world, world.coordinator), item=item, reason="x"
    )
    event = hooks.Event(
        kind=hooks.PLAN_RETURNED,
        programme_id=world.programme.pk,
        actor=world.coordinator,
        audit_entry_id=Notification.objects.first().event,
        subject=item,
        text="x",
    )
    assert notify_event(event) == 0  # a repeat: nothing new
    assert Notification.objects.count() == 2
    first = Notification.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=first.recipient,
            programme=first.programme,
            kind="returned",
            item_type="plan_item",
            item_id=item.pk,
            day=datetime.date(2026, 12, 14),  # another day: still the same event
            event=first.event,
            link="/",
        )


# --------------------------------------------------------------------------- TPI comments


def test_the_tpi_comments_on_a_plan_item_and_the_pokja_is_told(client, world):
    item = done_item(world)
    client.force_login(world.tpi)
    url = reverse(
        "plan_item_comment",
        kwargs={"unit_code": "POLRES-ALPHA", "year": 2026, "number": 1, "item_id": item.pk},
    )
    page = client.get(item_url(world, item)).content.decode()
    assert 'data-testid="tpi-comment-hint"' in page
    response = client.post(url, {"text": "Notulen rapat belum ditandatangani"})
    assert response.status_code == 302
    comment = ActionPlanComment.objects.get()
    assert comment.by_tpi and comment.author == world.tpi
    entry = AuditEntry.objects.get(object_type="pokja.actionplancomment")
    assert entry.changes["by_tpi"] == [None, True] and entry.actor_id == world.tpi.pk
    assert told() == [("anggota1", "tpi_comment"), ("ketua1", "tpi_comment")]
    notice = Notification.objects.get(recipient=world.anggota1)
    assert notice.link == item_url(world, item, "#tpi-notes")
    with translation.override("en"):
        assert notice.text.title == (
            f"Note from the TPI on RA 1.{item.number} ({world.tpi.display_name})"
        )
        assert "Notulen rapat belum ditandatangani" in notice.text.body

    # the Pokja reads it on the item itself
    client.force_login(world.anggota1)
    page = client.get(item_url(world, item)).content.decode()
    assert 'id="tpi-notes"' in page  # where the notice's link lands
    assert "Notulen rapat belum ditandatangani" in page
    assert "wrote a note as the TPI" in page


def test_only_the_programmes_tpi_writes_tpi_notes(client, world):
    item = done_item(world)
    plans.action_plan_comment_add(
        actor=world.coordinator,
        item=item,
        text="Lanjutkan",
        access=access(world, world.coordinator),
    )
    assert not ActionPlanComment.objects.get().by_tpi and told() == []
    with pytest.raises(PermissionDenied):
        plans.action_plan_comment_add(
            actor=world.pimpinan, item=item, text="x", access=access(world, world.pimpinan)
        )
    url = reverse(
        "plan_item_comment",
        kwargs={"unit_code": "POLRES-ALPHA", "year": 2026, "number": 1, "item_id": item.pk},
    )
    for user, status in [(world.anggota2, 403), (world.pimpinan, 403), (world.outsider, 404)]:
        client.force_login(user)
        assert client.post(url, {"text": "x"}).status_code == status
    assert ActionPlanComment.objects.count() == 1


# --------------------------------------------------------------------------- the LKE


def test_a_tpi_note_on_a_question_tells_the_areas_pokja_and_shows_on_the_question(client, world):
    p = world.programme
    lke.answer_set_tpi(actor=world.tpi, programme=p, number=1, value="Tidak", note="SK tim belum")
    assert told() == [("anggota1", "tpi_note"), ("ketua1", "tpi_note")]
    notice = Notification.objects.get(recipient=world.ketua1)
    assert notice.link == "/programmes/POLRES-ALPHA/2026/lke/MP/#q-1"
    assert notice.item_type == "question"
    with translation.override("en"):
        assert notice.text.title.startswith("Note from the TPI on question 1 (Pokja 1 · ")
        assert "SK tim belum" in notice.text.body
    # the same note saved again is no news; a changed answer with the same note neither
    lke.answer_set_tpi(actor=world.tpi, programme=p, number=1, value="Tidak", note="SK tim belum")
    lke.answer_set_tpi(actor=world.tpi, programme=p, number=1, value="Ya", note="SK tim belum")
    lke.answer_set_tpi(actor=world.tpi, programme=p, number=1, value="Ya", note="")
    assert Notification.objects.count() == 2
    lke.answer_set_tpi(actor=world.tpi, programme=p, number=1, value="Ya", note="Cukup")
    assert Notification.objects.count() == 4

    client.force_login(world.anggota1)
    page = client.get(notice.link.split("#")[0]).content.decode()
    assert 'data-testid="tpi-note-1"' in page and "Cukup" in page


def test_a_section_reviewed_or_returned_tells_its_pokja_but_not_the_actor(client, world):
    p = world.programme
    lke.section_transition(actor=world.ketua1, programme=p, code="MP", action="submit")
    assert told() == []  # submitting is the Pokja's own news
    lke.section_transition(
        actor=world.tpi, programme=p, code="MP", action="review", note="Sudah sesuai"
    )
    assert told(kind="reviewed") == [("anggota1", "reviewed"), ("ketua1", "reviewed")]
    lke.section_transition(actor=world.tpi, programme=p, code="MP", action="reopen")
    lke.section_transition(
        actor=world.ketua1, programme=p, code="MP", action="return", note="Ada yang salah"
    )
    assert told(kind="to_draft") == [("anggota1", "to_draft")]  # not the chair who did it
    notice = Notification.objects.get(kind="to_draft")
    assert notice.link == "/programmes/POLRES-ALPHA/2026/lke/MP/"
    with translation.override("id"):
        assert notice.text.title.endswith(f"dikembalikan ke draf oleh {world.ketua1.display_name}")
        assert "Alasan: Ada yang salah" in notice.text.body

    # the reason is on the section page for its Pokja, not only in the audit trail
    client.force_login(world.anggota1)
    page = client.get(notice.link).content.decode()
    assert 'data-testid="status-move-note"' in page and "Ada yang salah" in page
    assert 'data-testid="section-history"' not in page  # the audit trail stays the coordinator's


def test_the_hasil_section_reviewed_tells_the_coordinator(world):
    p = world.programme
    lke.section_transition(actor=world.coordinator, programme=p, code="hasil", action="submit")
    lke.section_transition(actor=world.tpi, programme=p, code="hasil", action="review")
    assert told() == [("koordinator", "reviewed")]


# --------------------------------------------------------------------------- e-mail, language


def test_each_person_is_mailed_in_their_own_language_through_the_task(world, settings):
    settings.SITE_URL = "https://zi.polres.example"
    world.anggota1.language = "en"
    world.anggota1.save()
    item = done_item(world)
    plans.action_plan_return(
        actor=world.coordinator,
        access=access(world, world.coordinator),
        item=item,
        reason="Foto belum ada",
    )
    assert mail.outbox == []  # the workers send it, after the commit
    send_all()
    english = next(m for m in mail.outbox if m.to == [world.anggota1.email])
    indonesian = next(m for m in mail.outbox if m.to == [world.ketua1.email])
    code = f"RA 1.{item.number}"
    assert english.subject == f"[ZI Tracker] {code} was returned by {world.coordinator}"
    assert f"Dear {world.anggota1.display_name}," in english.body
    assert "Reason: Foto belum ada" in english.body
    assert f"Open it: https://zi.polres.example{item_url(world, item)}\n" in english.body
    assert indonesian.subject == f"[ZI Tracker] {code} dikembalikan oleh {world.coordinator}"
    assert "Alasan: Foto belum ada" in indonesian.body
    assert f"Yth. {world.ketua1.display_name}" in indonesian.body
    # run again (a task delivered twice): nothing more
    for notice in Notification.objects.all():
        assert email_notification.apply(args=[notice.pk]).get() is False
    assert len(mail.outbox) == 2


def test_event_emails_turned_off_leave_the_notice_in_the_app(world):
    NotificationPreference.objects.create(user=world.anggota1, event_emails=False)
    item = done_item(world)
    plans.action_plan_verify(
        actor=world.coordinator, access=access(world, world.coordinator), item=item
    )
    assert told() == [("anggota1", "verified"), ("ketua1", "verified")]
    send_all()
    assert [m.to for m in mail.outbox] == [[world.ketua1.email]]


def test_a_lost_event_email_is_sent_by_the_repair_run(world, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_reminders.BrokenBackend"
    item = done_item(world)
    plans.action_plan_verify(
        actor=world.coordinator, access=access(world, world.coordinator), item=item
    )
    notice = Notification.objects.get(recipient=world.anggota1)
    with pytest.raises(services.EmailNotSent):
        email_notification.run(notice.pk)  # the mail server away: the task retries
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert event_emails.run() == 0  # too young: left to the tasks queued with them
    Notification.objects.update(created_at=notice.created_at - datetime.timedelta(minutes=5))
    assert event_emails.run() == 2
    assert len(mail.outbox) == 2
    assert event_emails.run() == 0 and len(mail.outbox) == 2


# --------------------------------------------------------------------------- the list


def test_the_list_shows_each_notice_in_the_page_language(client, world, django_assert_num_queries):
    item = done_item(world, due_date=datetime.date(2026, 12, 10))
    plans.action_plan_return(
        actor=world.coordinator, access=access(world, world.coordinator), item=item, reason="Foto"
    )
    # back in progress, 3 days late: the morning's reminder too
    plans.action_plan_update_status(
        actor=world.anggota1, access=access(world, world.anggota1), item=item, status="berjalan"
    )
    services.reminders_action_plans(
        programme_id=world.programme.pk, day=datetime.date(2026, 12, 13)
    )
    client.force_login(world.anggota1)
    url = reverse("notification_list")
    client.cookies["django_language"] = "en"
    with django_assert_num_queries(6):  # written out in Python: no query per notice
        english = client.get(url).content.decode()
    assert f"RA 1.{item.number} was returned by" in english and "Reason: Foto" in english
    assert f"Action plan RA 1.{item.number} is overdue (3 days)" in english
    assert "Due date: 10 December 2026" in english
    client.cookies["django_language"] = "id"
    indonesian = client.get(url).content.decode()
    assert f"RA 1.{item.number} dikembalikan oleh" in indonesian and "Alasan: Foto" in indonesian
    assert "Tenggat: 10 Desember 2026" in indonesian


def test_unread_notices_are_one_reusable_read(world, django_assert_num_queries):
    item = done_item(world)
    coordinator = access(world, world.coordinator)
    plans.action_plan_return(actor=world.coordinator, access=coordinator, item=item, reason="a")
    plans.action_plan_update_status(
        actor=world.anggota1, access=access(world, world.anggota1), item=item, status="selesai"
    )
    plans.action_plan_verify(actor=world.coordinator, access=coordinator, item=item)
    services.notification_mark_read(
        user=world.anggota1,
        notification=Notification.objects.get(recipient=world.anggota1, kind="returned"),
    )
    from notifications.selectors import unread_notifications

    with django_assert_num_queries(1):
        unread = unread_notifications(world.anggota1, limit=5)
        with translation.override("en"):
            titles = [n.text.title for n in unread]
    assert [n.kind for n in unread] == ["verified"]
    assert titles == [f"RA 1.{item.number} was verified by {world.coordinator.display_name}"]
