"""Reminders and the digest, run for a given day: who gets what, once, in the recipient's
language, with a link straight to the item; escalation counted in Asia/Jakarta days."""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from evaluations import services as lke
from evaluations.models import Answer, ProgrammeScore
from notifications import services
from notifications.models import Notification, NotificationPreference
from notifications.selectors import digest_facts
from notifications.tasks import action_plan_reminders, evidence_reminders, weekly_digest
from pokja.models import ActionPlanItem, Programme
from tests.factories import make_item_due, make_plan_item
from tests.surveys.factories import add_responses, make_survey, uniform

pytestmark = pytest.mark.django_db

# 00:30 WIB on 13 December 2026 is still 12 December in UTC.
AT_13_DEC_0030_WIB = "2026-12-12T17:30:00+00:00"


def sent(kind: str | None = None) -> list[tuple[str, str]]:
    rows = Notification.objects.order_by("recipient__username", "kind")
    if kind:
        rows = rows.filter(kind=kind)
    return [(n.recipient.username, n.kind) for n in rows]


def run(task, at: str) -> int:
    return task.apply(kwargs={"at": at}).get()


def test_due_in_seven_days_and_tomorrow_reach_the_owners(world):
    make_item_due(world, datetime.date(2026, 12, 20))
    make_item_due(world, datetime.date(2026, 12, 14), pokja=2)
    make_item_due(world, datetime.date(2026, 12, 25))  # 12 days ahead: nothing yet
    assert run(action_plan_reminders, AT_13_DEC_0030_WIB) == 2
    assert sent() == [("anggota1", "due_7"), ("anggota2", "due_1")]
    assert Notification.objects.get(kind="due_1").day == datetime.date(2026, 12, 13)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        # 13 Dec WIB (12 Dec UTC): 2 days late by the UTC date, but 3 by the WIB date
        (datetime.date(2026, 12, 10), [("anggota1", "overdue"), ("ketua1", "escalation")]),
        (datetime.date(2026, 12, 11), [("anggota1", "overdue")]),
        (
            datetime.date(2026, 12, 6),  # day 7
            [("anggota1", "overdue"), ("ketua1", "escalation"), ("koordinator", "escalation")],
        ),
        (datetime.date(2026, 12, 7), [("anggota1", "overdue"), ("ketua1", "escalation")]),
    ],
)
def test_escalation_on_day_three_and_day_seven_in_jakarta(world, due, expected):
    make_item_due(world, due)
    run(action_plan_reminders, AT_13_DEC_0030_WIB)
    assert sent() == expected


def test_a_chair_who_owns_the_item_is_not_told_twice(world):
    item = make_item_due(world, datetime.date(2026, 12, 1), owners=[world.anggota1, world.ketua1])
    run(action_plan_reminders, AT_13_DEC_0030_WIB)
    assert sent() == [
        ("anggota1", "overdue"),
        ("ketua1", "overdue"),
        ("koordinator", "escalation"),
    ]
    assert {n.item_id for n in Notification.objects.all()} == {item.pk}


def test_run_twice_or_again_later_the_same_day_creates_and_mails_nothing_more(world):
    make_item_due(world, datetime.date(2026, 12, 1))
    assert run(action_plan_reminders, AT_13_DEC_0030_WIB) == 3
    assert len(mail.outbox) == 3
    assert run(action_plan_reminders, AT_13_DEC_0030_WIB) == 0
    assert run(action_plan_reminders, "2026-12-13T23:59:00+07:00") == 0  # same WIB day
    assert Notification.objects.count() == 3 and len(mail.outbox) == 3
    assert run(action_plan_reminders, "2026-12-14T00:01:00+07:00") == 3  # the next day
    assert len(mail.outbox) == 6


def test_the_database_refuses_a_second_notification_of_a_day(world):
    from django.db import IntegrityError, transaction

    fields = {
        "recipient": world.anggota1,
        "programme": world.programme,
        "kind": "overdue",
        "item_type": "plan_item",
        "item_id": 7,
        "title": "t",
        "body": "b",
        "link": "/",
    }
    Notification.objects.create(**fields, day=datetime.date(2026, 12, 13))
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(**fields, day=datetime.date(2026, 12, 13))
    Notification.objects.create(**fields, day=datetime.date(2026, 12, 14))
    Notification.objects.create(
        **(fields | {"kind": "escalation"}), day=datetime.date(2026, 12, 13)
    )
    assert Notification.objects.count() == 3


def test_the_same_message_twice_is_stored_once(world):
    message = services.Message("overdue", "plan_item", 42, {"code": "RA 1.1"}, "/x/")
    day = datetime.date(2026, 12, 13)
    kwargs = {"recipient": world.anggota1, "programme_id": world.programme.pk, "day": day}
    assert services.notification_create(**kwargs, message=message) is not None
    assert services.notification_create(**kwargs, message=message) is None
    assert Notification.objects.count() == 1


def test_the_mail_is_indonesian_and_links_straight_to_the_item(world, settings):
    settings.SITE_URL = "https://zi.polres.example"
    item = make_item_due(world, datetime.date(2026, 12, 10), title="Survei internal")
    run(action_plan_reminders, AT_13_DEC_0030_WIB)
    message = next(m for m in mail.outbox if m.to == [world.ketua1.email])
    code = f"RA 1.{item.number}"
    assert message.subject == f"[ZI Tracker] Pokja 1: rencana aksi {code} terlambat (3 hari)"
    link = f"https://zi.polres.example/programmes/POLRES-ALPHA/2026/pokja/1/plan/{item.pk}/"
    assert f"Buka: {link}\n" in message.body
    assert f"{code} Survei internal" in message.body
    assert "Tenggat: 10 Desember 2026" in message.body
    assert f"Yth. {world.ketua1.display_name}" in message.body
    notification = Notification.objects.get(recipient=world.ketua1)
    assert notification.link == link.removeprefix("https://zi.polres.example")
    assert notification.emailed_at is not None


def test_readers_of_english_get_their_reminders_and_digest_in_english(world, settings):
    settings.SITE_URL = "https://zi.polres.example"
    for person in (world.anggota1, world.coordinator):
        person.language = "en"
        person.save()
    item = make_item_due(world, datetime.date(2026, 12, 10), title="Survei internal")
    lke.score_refresh(programme_id=world.programme.pk, force=True)
    run(action_plan_reminders, AT_13_DEC_0030_WIB)
    run(weekly_digest, "2026-12-14T07:00:00+07:00")
    code = f"RA 1.{item.number}"
    owner = next(m for m in mail.outbox if m.to == [world.anggota1.email])
    assert owner.subject == f"[ZI Tracker] Action plan {code} is overdue (3 days)"
    assert f"Dear {world.anggota1.display_name}," in owner.body
    assert "Due date: 10 December 2026" in owner.body and "Status: Not started" in owner.body
    chair = next(m for m in mail.outbox if m.to == [world.ketua1.email])  # still Indonesian
    assert chair.subject == f"[ZI Tracker] Pokja 1: rencana aksi {code} terlambat (3 hari)"
    digest = next(m for m in mail.outbox if "digest" in m.subject)
    assert digest.to == [world.coordinator.email]
    assert digest.subject == f"[ZI Tracker] Weekly digest: {world.programme}"
    total = ProgrammeScore.objects.get(programme=world.programme).total
    assert f"Score: {total}" in digest.body and "Nilai" not in digest.body
    assert "The week up to 14 December 2026." in digest.body


def test_reminders_turned_off_stop_the_non_urgent_kinds_only(world):
    NotificationPreference.objects.create(user=world.anggota1, reminders=False)
    make_item_due(world, datetime.date(2026, 12, 20))  # due in 7 days: not urgent
    make_item_due(world, datetime.date(2026, 12, 12))  # overdue: urgent
    run(action_plan_reminders, AT_13_DEC_0030_WIB)
    assert sent() == [("anggota1", "overdue")]


def test_a_failed_mail_is_sent_by_a_later_run_and_then_only_once(world, settings, caplog):
    make_item_due(world, datetime.date(2026, 12, 12))
    settings.EMAIL_BACKEND = "tests.notifications.test_reminders.BrokenBackend"
    with (
        caplog.at_level(logging.WARNING, logger="notifications.services"),
        pytest.raises(services.EmailNotSent),
    ):
        action_plan_reminders.run(at=AT_13_DEC_0030_WIB)
    assert "could not e-mail notification" in caplog.text
    assert Notification.objects.get().emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert action_plan_reminders.run(at=AT_13_DEC_0030_WIB) == 0  # nothing new...
    assert len(mail.outbox) == 1  # ... but the mail that failed
    action_plan_reminders.run(at=AT_13_DEC_0030_WIB)
    assert len(mail.outbox) == 1


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server away")


def test_done_items_and_closed_programmes_get_no_reminders(world):
    make_item_due(world, datetime.date(2026, 12, 1), status=ActionPlanItem.Status.DONE)
    make_plan_item(
        world.other_programme,
        1,
        start_date=datetime.date(2026, 1, 5),
        due_date=datetime.date(2026, 12, 1),
    )  # 12 days late: its coordinator would be told, were the programme open
    Programme.objects.filter(pk=world.other_programme.pk).update(status=Programme.Status.CLOSED)
    assert run(action_plan_reminders, AT_13_DEC_0030_WIB) == 0


def test_a_programme_deleted_meanwhile_is_skipped_quietly(world, caplog):
    caplog.set_level(logging.INFO, logger="notifications.services")
    assert services.reminders_action_plans(programme_id=10**9, day=datetime.date(2026, 12, 13)) == 0
    assert services.reminders_evidence(programme_id=10**9, day=datetime.date(2026, 12, 13)) == 0
    assert services.digest_send(programme_id=10**9, day=datetime.date(2026, 12, 13)) == 0
    assert caplog.text.count(f"programme {10**9} no longer exists") == 3


# --------------------------------------------------------------------------- evidence


def pokja_questions(programme, number: int) -> list[int]:
    area = programme.pokjas.get(number=number).area_code
    lke.assessment_for(programme)
    return list(
        Answer.objects.filter(assessment__programme=programme, section_code=area)
        .order_by("number")
        .values_list("number", flat=True)
    )


def test_answers_without_evidence_weekly_to_the_chair(world):
    p = world.programme
    first, second, third = pokja_questions(p, 1)[:3]
    for number in (first, second, third):
        answer = Answer.objects.get(assessment__programme=p, number=number)
        value = answer.question.options[0]["key"] if answer.question.options else "1"
        lke.answer_set_unit(actor=None, programme=p, number=number, value=value)
    lke.answer_evidence_add(
        actor=world.coordinator, programme=p, number=first, url="https://e.go.id/1"
    )
    monday = "2026-12-14T06:30:00+07:00"
    assert run(evidence_reminders, monday) == 1
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (world.ketua1, "evidence")
    with translation.override("id"):
        assert notification.text.title == "Pokja 1: 2 jawaban LKE tanpa data dukung"
    assert notification.text.title == "Pokja 1: 2 LKE answers without evidence"  # English page
    assert (
        notification.link
        == f"/programmes/POLRES-ALPHA/2026/lke/{p.pokjas.get(number=1).area_code}/"
    )
    assert run(evidence_reminders, monday) == 0
    NotificationPreference.objects.create(user=world.ketua1, reminders=False)
    assert run(evidence_reminders, "2026-12-21T06:30:00+07:00") == 0


# --------------------------------------------------------------------------- digest


def test_the_digest_reports_score_change_predicate_late_items_and_surveys(world, monkeypatch):
    p = world.programme
    lke.score_snapshot_take(programme_id=p.pk, date=datetime.date(2026, 12, 7))
    week_ago = lke.score_refresh(programme_id=p.pk, force=True).total
    first = pokja_questions(p, 1)[0]
    answer = Answer.objects.get(assessment__programme=p, number=first)
    lke.answer_set_unit(
        actor=None, programme=p, number=first, value=answer.question.options[0]["key"]
    )
    now = lke.score_refresh(programme_id=p.pk).total
    assert now > week_ago
    make_item_due(world, datetime.date(2026, 12, 1))
    make_item_due(world, datetime.date(2026, 12, 10))
    make_item_due(world, datetime.date(2026, 12, 3), pokja=2)
    make_item_due(world, datetime.date(2026, 12, 20), pokja=2)  # not late
    survey = make_survey(
        p,
        "spak-2021",
        start=datetime.date(2026, 12, 1),
        end=datetime.date(2026, 12, 31),
        population=1000,
    )
    add_responses(survey, [uniform(survey, 4)] * 3)

    facts = digest_facts(p, datetime.date(2026, 12, 14))
    assert facts.total == now and facts.total_week_ago == week_ago
    assert [(x.number, x.late) for x in facts.late] == [
        (1, 2),
        (2, 1),
        (3, 0),
        (4, 0),
        (5, 0),
        (6, 0),
    ]
    assert [(s.respondents, s.target) for s in facts.surveys] == [(3, survey.target_sample)]

    assert run(weekly_digest, "2026-12-14T07:00:00+07:00") == 2  # and the other programme's
    digest = Notification.objects.get(kind="digest", programme=p)
    assert digest.recipient == world.coordinator
    change = now - week_ago
    with translation.override("id"):
        body = digest.text.body
    assert f"Nilai: {format(now, 'f').replace('.', ',')}" in body
    assert f"perubahan dalam seminggu: +{format(change, 'f').replace('.', ',')}" in body
    # the digest reads the stored score, as the dashboards do
    stored = ProgrammeScore.objects.get(programme=p)
    shortfalls = stored.figures["predicates"]["WBK"]["shortfalls"]
    assert shortfalls > 0 and facts.shortfalls == shortfalls
    assert f"belum memenuhi WBK ({shortfalls} syarat belum terpenuhi)" in body
    assert "Rencana aksi terlambat: 3" in body
    assert "Pokja 1 " in body and ": 2\n" in body
    assert f"3 dari {survey.target_sample} responden" in body
    with translation.override("en"):  # the same digest read in English: English figures
        english = digest.text
    assert english.title == f"Weekly digest: {p}"
    assert f"Score: {now} (change in a week: +{change})" in english.body
    assert "The week up to 14 December 2026." in english.body
    assert "Late action plan items: 3" in english.body
    assert run(weekly_digest, "2026-12-14T07:05:00+07:00") == 0
    assert len([m for m in mail.outbox if m.to == [world.coordinator.email]]) == 1


def test_the_digest_can_be_turned_off(world):
    NotificationPreference.objects.create(user=world.coordinator, digest=False)
    assert run(weekly_digest, "2026-12-14T07:00:00+07:00") == 1
    assert sent() == [("outsider", "digest")]  # the other programme's coordinator


def test_the_digest_reads_a_fixed_number_of_queries(world, django_assert_num_queries):
    day = datetime.date(2026, 12, 14)
    make_item_due(world, datetime.date(2026, 12, 1))
    with django_assert_num_queries(4):
        digest_facts(world.programme, day)
    for pokja in (2, 3, 4):
        make_item_due(world, datetime.date(2026, 12, 2), pokja=pokja, owners=[])
    make_survey(world.programme, "spak-2021", start=day, end=day + datetime.timedelta(days=9))
    lke.score_snapshot_take(programme_id=world.programme.pk, date=day - datetime.timedelta(days=8))
    with django_assert_num_queries(4):
        facts = digest_facts(world.programme, day)
    assert sum(x.late for x in facts.late) == 4 and len(facts.surveys) == 1
    assert facts.total_week_ago == Decimal(facts.total_week_ago)
