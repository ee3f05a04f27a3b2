"""Action-plan items: creation rules, the status flow per role, lateness, history."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from audit.models import AuditEntry
from audit.services import audit_verify_chain
from pokja import services
from pokja.access import programme_access
from pokja.models import ActionPlanItem, ActionPlanMonitoring, Evidence
from pokja.selectors import plan_item_timeline, plan_items
from tests.factories import make_foreign_evidence, make_item_in, make_plan_item

pytestmark = pytest.mark.django_db
S = ActionPlanItem.Status
JAKARTA = ZoneInfo("Asia/Jakarta")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def access_of(world, user):
    return programme_access(user, world.programme)


def sub_area(world, code):
    return world.programme.framework.sub_areas.get(code=code)


def question(world, number):
    return world.programme.framework.questions.get(number=number)


# --------------------------------------------------------------------------- creation


def test_an_item_gets_the_next_number_of_its_pokja_and_an_audit_entry(world):
    first = make_plan_item(world.programme, 1, actor=world.ketua1)
    second = make_plan_item(world.programme, 1, actor=world.ketua1, title="Rapat evaluasi")
    other = make_plan_item(world.programme, 2, actor=world.ketua2)
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert second.code == "RA 1.2"
    entry = AuditEntry.objects.get(object_type="pokja.actionplanitem", object_id=str(first.pk))
    assert entry.action == "create" and entry.actor_username == "ketua1"
    assert entry.changes["title"] == [None, "Sosialisasi pakta integritas"]
    assert entry.programme_id == world.programme.pk


def test_every_field_the_issue_lists_is_kept(world):
    item = services.action_plan_create(
        actor=world.ketua1,
        pokja=world.pokjas[1],
        title="Menyusun rencana kerja ZI",
        description="Rencana kerja pembangunan ZI tahun berjalan",
        sub_area=sub_area(world, "MP.P.ii"),
        questions=[question(world, 3), question(world, 4)],
        expected_output="Dokumen rencana kerja yang ditandatangani Kapolres",
        success_indicator="Seluruh kegiatan memiliki target dan jadwal",
        owners=[world.ketua1, world.anggota1],
        start_date=datetime.date(2026, 1, 5),
        due_date=datetime.date(2026, 1, 31),
    )
    item.refresh_from_db()
    assert item.sub_area.code == "MP.P.ii"
    assert sorted(item.questions.values_list("number", flat=True)) == [3, 4]
    assert set(item.owners.all()) == {world.ketua1, world.anggota1}
    assert item.status == S.NOT_STARTED and item.progress == 0
    assert item.expected_output and item.success_indicator


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"due_date": datetime.date(2026, 1, 31), "start_date": datetime.date(2026, 2, 1)},
            "due_date",
        ),
        ({"progress": 101, "status": S.IN_PROGRESS}, "progress"),
        ({"progress": -1, "status": S.IN_PROGRESS}, "progress"),
        ({"title": "   "}, "title"),
        ({"sub_area_code": "TL.P.i"}, "sub_area"),  # a sub-area of another Pokja's area
        ({"questions_numbers": [13]}, "questions"),  # a question outside the sub-area
        ({"owners_names": ["anggota2"]}, "owners"),  # a member of another Pokja
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, changes, field):
    values = {
        "title": "Kegiatan",
        "start_date": datetime.date(2026, 2, 1),
        "due_date": datetime.date(2026, 3, 1),
        "sub_area": sub_area(world, changes.pop("sub_area_code", "MP.P.ii")),
    }
    if "questions_numbers" in changes:
        values["questions"] = [question(world, n) for n in changes.pop("questions_numbers")]
    if "owners_names" in changes:
        values["owners"] = [getattr(world, n) for n in changes.pop("owners_names")]
    values.update(changes)
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.action_plan_create(actor=world.ketua1, pokja=world.pokjas[1], **values)
    assert field in error.value.message_dict
    assert ActionPlanItem.objects.count() == 0
    assert AuditEntry.objects.count() == before


def test_a_sub_area_of_another_framework_is_unknown(world):
    from evaluations.models import Framework, FrameworkArea, FrameworkSubArea

    other = Framework.objects.create(
        slug="other", version=1, title="Other", content_hash="x", definition={}
    )
    area = FrameworkArea.objects.create(
        framework=other, code="MP", name="MP", pokja_number=1, weight=8
    )
    foreign = FrameworkSubArea.objects.create(
        framework=other, area=area, code="MP.P.i", part="pemenuhan", name="x", weight=1, order=1
    )
    with pytest.raises(ValidationError) as error:
        services.action_plan_create(
            actor=world.ketua1,
            pokja=world.pokjas[1],
            title="x",
            sub_area=foreign,
            start_date=datetime.date(2026, 1, 1),
            due_date=datetime.date(2026, 1, 2),
        )
    assert "sub_area" in error.value.message_dict


# --------------------------------------------------------------------------- status flow


FLOW_CASES = [
    # (role, from, to, allowed)
    ("anggota1", S.NOT_STARTED, S.IN_PROGRESS, True),
    ("anggota1", S.IN_PROGRESS, S.DONE, True),
    ("anggota1", S.NOT_STARTED, S.DONE, True),
    ("anggota1", S.DONE, S.IN_PROGRESS, True),
    ("anggota1", S.RETURNED, S.IN_PROGRESS, True),
    ("anggota1", S.RETURNED, S.DONE, True),
    ("ketua1", S.IN_PROGRESS, S.DONE, True),
    ("anggota1", S.DONE, S.VERIFIED, False),
    ("ketua1", S.DONE, S.VERIFIED, False),
    ("ketua1", S.DONE, S.RETURNED, False),
    ("anggota1", S.VERIFIED, S.IN_PROGRESS, False),
    ("anggota2", S.NOT_STARTED, S.IN_PROGRESS, False),  # another Pokja's member
    ("tpi", S.NOT_STARTED, S.IN_PROGRESS, False),
    ("pimpinan", S.DONE, S.VERIFIED, False),
    ("unit_admin", S.DONE, S.VERIFIED, False),
    ("coordinator", S.DONE, S.VERIFIED, True),
    ("coordinator", S.DONE, S.RETURNED, True),
    ("coordinator", S.VERIFIED, S.RETURNED, True),
    ("coordinator", S.NOT_STARTED, S.IN_PROGRESS, True),
    ("coordinator", S.IN_PROGRESS, S.VERIFIED, False),  # only a done item is verified
    ("coordinator", S.NOT_STARTED, S.RETURNED, False),
    ("site_admin", S.DONE, S.VERIFIED, True),
]


@pytest.mark.parametrize(("role", "start", "target", "allowed"), FLOW_CASES)
def test_status_transitions_per_role(world, role, start, target, allowed):
    user = getattr(world, role)
    item = make_item_in(world, start)
    note = "Bukti belum lengkap" if target == S.RETURNED else ""
    if allowed:
        services.action_plan_update_status(
            actor=user, access=access_of(world, user), item=item, status=target, note=note
        )
        item.refresh_from_db()
        assert item.status == target
    else:
        with pytest.raises((PermissionDenied, ValidationError)):
            services.action_plan_update_status(
                actor=user, access=access_of(world, user), item=item, status=target, note=note
            )
        item.refresh_from_db()
        assert item.status == start


def test_returning_needs_a_reason_which_is_kept(world):
    item = make_item_in(world, S.DONE)
    access = access_of(world, world.coordinator)
    with pytest.raises(ValidationError) as error:
        services.action_plan_return(actor=world.coordinator, access=access, item=item, reason=" ")
    assert "note" in error.value.message_dict
    services.action_plan_return(
        actor=world.coordinator, access=access, item=item, reason="Foto kegiatan belum ada"
    )
    item.refresh_from_db()
    assert item.status == S.RETURNED and item.return_reason == "Foto kegiatan belum ada"
    entry = AuditEntry.objects.filter(object_id=str(item.pk)).order_by("-id").first()
    assert entry.note == "Foto kegiatan belum ada"
    assert entry.changes["status"] == ["selesai", "dikembalikan"]
    assert entry.actor_username == "koordinator"


def test_progress_rules(world):
    member = access_of(world, world.anggota1)
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    # Progress on a not-started item means work has begun.
    services.action_plan_update_status(actor=world.anggota1, access=member, item=item, progress=30)
    item.refresh_from_db()
    assert (item.status, item.progress) == (S.IN_PROGRESS, 30)
    # Done is 100%.
    services.action_plan_update_status(
        actor=world.anggota1, access=member, item=item, status=S.DONE, progress=80
    )
    item.refresh_from_db()
    assert (item.status, item.progress) == (S.DONE, 100)
    with pytest.raises(ValidationError) as error:
        services.action_plan_update_status(
            actor=world.anggota1, access=member, item=item, progress=90
        )
    assert "progress" in error.value.message_dict
    for bad in (101, -5, "50", True):
        with pytest.raises(ValidationError) as error:
            services.action_plan_update_status(
                actor=world.anggota1, access=member, item=item, status=S.IN_PROGRESS, progress=bad
            )
        assert "progress" in error.value.message_dict
    item.refresh_from_db()
    assert (item.status, item.progress) == (S.DONE, 100)


def test_a_verified_item_is_locked_for_the_pokja_but_not_for_the_coordinator(world):
    item = make_item_in(world, S.VERIFIED)
    member = access_of(world, world.anggota1)
    with pytest.raises(PermissionDenied):
        services.action_plan_update(actor=world.anggota1, access=member, item=item, title="x")
    with pytest.raises(PermissionDenied):
        services.action_plan_add_evidence(
            actor=world.anggota1, access=member, item=item, url="https://example.test/a"
        )
    services.action_plan_update(
        actor=world.coordinator,
        access=access_of(world, world.coordinator),
        item=item,
        title="Judul diperbaiki",
    )
    item.refresh_from_db()
    assert item.title == "Judul diperbaiki"


def test_edit_checks_dates_and_keeps_questions_of_the_sub_area(world):
    item = make_plan_item(
        world.programme,
        1,
        actor=world.ketua1,
        sub_area_code="MP.P.ii",
        questions=[question(world, 3)],
    )
    member = access_of(world, world.anggota1)
    with pytest.raises(ValidationError) as error:
        services.action_plan_update(
            actor=world.anggota1, access=member, item=item, due_date=datetime.date(2026, 1, 1)
        )
    assert "due_date" in error.value.message_dict
    item.refresh_from_db()
    assert item.due_date == datetime.date(2026, 12, 31)
    services.action_plan_update(
        actor=world.anggota1, access=member, item=item, sub_area=sub_area(world, "MP.P.iii")
    )
    assert list(item.questions.all()) == []


# --------------------------------------------------------------------------- lateness


def _at(y, m, d, hh, mm):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=JAKARTA)


@pytest.mark.parametrize(
    ("moment", "late"),
    [
        (_at(2026, 11, 27, 23, 59), False),  # still the due date in Jakarta (16:59 UTC)
        (_at(2026, 11, 28, 0, 0), True),  # midnight WIB: 27 Nov 17:00 UTC, already late
        (_at(2026, 11, 28, 6, 59), True),  # 27 Nov 23:59 UTC: a UTC clock would say "not yet"
    ],
)
def test_lateness_turns_at_midnight_in_jakarta(world, monkeypatch, moment, late):
    from django.utils import timezone

    item = make_plan_item(
        world.programme, 1, actor=world.ketua1, due_date=datetime.date(2026, 11, 27)
    )
    monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(datetime.UTC))
    assert item.is_late is late
    assert item.days_late == (1 if late else 0)
    listed = plan_items(pokja=world.pokjas[1]).get(pk=item.pk)
    assert listed.late is late
    assert plan_items(pokja=world.pokjas[1], late=True).filter(pk=item.pk).exists() is late


def test_done_and_verified_items_are_never_late(world):
    today = datetime.date(2027, 1, 10)
    for status, late in [
        (S.NOT_STARTED, True),
        (S.IN_PROGRESS, True),
        (S.RETURNED, True),
        (S.DONE, False),
        (S.VERIFIED, False),
    ]:
        item = make_item_in(world, status)
        assert item.is_late_on(today) is late, status
        assert ActionPlanItem.objects.late(today).filter(pk=item.pk).exists() is late


# --------------------------------------------------------------------------- history


def test_the_history_shows_who_did_what_with_notes_comments_and_monitoring(world, settings):
    coordinator = access_of(world, world.coordinator)
    member = access_of(world, world.anggota1)
    item = make_plan_item(world.programme, 1, actor=world.ketua1, owners=[world.anggota1])
    services.action_plan_update_status(
        actor=world.anggota1, access=member, item=item, status=S.IN_PROGRESS, progress=40
    )
    services.action_plan_add_evidence(
        actor=world.anggota1,
        access=member,
        item=item,
        uploaded=SimpleUploadedFile("undangan.pdf", PDF, content_type="application/pdf"),
        title="Undangan sosialisasi",
    )
    services.action_plan_update_status(
        actor=world.anggota1, access=member, item=item, status=S.DONE
    )
    services.action_plan_comment_add(actor=world.anggota1, item=item, text="Mohon diverifikasi")
    services.action_plan_return(
        actor=world.coordinator, access=coordinator, item=item, reason="Daftar hadir belum ada"
    )
    services.action_plan_monitoring_record(
        actor=world.anggota1,
        access=member,
        item=item,
        month=10,
        percent=40,
        note="Sosialisasi di 3 Polsek",
        today=datetime.date(2026, 11, 27),
    )
    timeline = plan_item_timeline(item)
    kinds = [entry.kind for entry in timeline]
    assert kinds.count("comment") == 1 and kinds.count("monitoring") == 1
    returned = next(e for e in timeline if e.note == "Daftar hadir belum ada")
    assert returned.actor == world.coordinator.display_name
    assert {(c.label, c.old, c.new) for c in returned.changes} >= {("Status", "Done", "Returned")}
    evidence_entry = next(e for e in timeline if any(c.label == "Evidence" for c in e.changes))
    assert evidence_entry.changes[0].new == "Undangan sosialisasi"
    created = timeline[-1]
    assert created.actor == world.ketua1.display_name
    assert any(
        c.label == "Owners" and world.anggota1.display_name in c.new for c in created.changes
    )
    monitoring = next(e for e in timeline if e.kind == "monitoring")
    assert monitoring.month == 10
    assert audit_verify_chain().ok


def test_evidence_is_shared_between_items_and_detached_without_deleting(world):
    member = access_of(world, world.anggota1)
    first = make_plan_item(world.programme, 1, actor=world.ketua1)
    second = make_plan_item(world.programme, 1, actor=world.ketua1, title="Kedua")
    upload = SimpleUploadedFile("sk.pdf", PDF, content_type="application/pdf")
    evidence = services.action_plan_add_evidence(
        actor=world.anggota1, access=member, item=first, uploaded=upload
    )
    services.action_plan_attach_evidence(
        actor=world.anggota1, access=member, item=second, evidence=evidence
    )
    assert set(evidence.plan_items.all()) == {first, second}
    services.action_plan_detach_evidence(
        actor=world.anggota1, access=member, item=first, evidence=evidence
    )
    assert list(evidence.plan_items.all()) == [second]
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_of_another_programme_cannot_be_attached(world):
    foreign = make_foreign_evidence(world)
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    with pytest.raises(ValidationError) as error:
        services.action_plan_attach_evidence(
            actor=world.anggota1,
            access=access_of(world, world.anggota1),
            item=item,
            evidence=foreign,
        )
    assert "evidence" in error.value.message_dict


def test_a_forbidden_file_type_is_refused_and_nothing_is_attached(world):
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    with pytest.raises(ValidationError) as error:
        services.action_plan_add_evidence(
            actor=world.anggota1,
            access=access_of(world, world.anggota1),
            item=item,
            uploaded=SimpleUploadedFile("script.pdf", b"#!/bin/sh\necho hi\n"),
        )
    assert "file" in error.value.message_dict
    assert item.evidence.count() == 0 and Evidence.objects.count() == 0


def test_monitoring_is_one_entry_per_month_and_not_for_months_to_come(world):
    member = access_of(world, world.anggota1)
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    today = datetime.date(2026, 11, 27)
    record = services.action_plan_monitoring_record
    record(actor=world.anggota1, access=member, item=item, month=3, percent=20, today=today)
    record(actor=world.anggota1, access=member, item=item, month=3, percent=25, today=today)
    assert ActionPlanMonitoring.objects.get(item=item, month=3).percent == 25
    for month, percent, field in [(12, 10, "month"), (0, 10, "month"), (5, 101, "percent")]:
        with pytest.raises(ValidationError) as error:
            record(
                actor=world.anggota1,
                access=member,
                item=item,
                month=month,
                percent=percent,
                today=today,
            )
        assert field in error.value.message_dict
    assert ActionPlanMonitoring.objects.count() == 1


def test_deleting_an_item_is_audited_and_refused_once_verified(world):
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    pk = item.pk
    services.action_plan_delete(actor=world.ketua1, item=item)
    assert not ActionPlanItem.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_id=str(pk), action="delete").exists()
    verified = make_item_in(world, S.VERIFIED)
    with pytest.raises(ValidationError):
        services.action_plan_delete(actor=world.coordinator, item=verified)
