"""The LKE and the action plans together: drafts from the questions that lose most points, and
the change-agent register set into LKE questions 88-91."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from dashboards import services
from dashboards.selectors import plan_drafts, rank_drafts
from evaluations.scoring import QuestionGain
from evaluations.selectors import programme_answers
from evaluations.services import answer_set_tpi, answer_set_unit, section_transition
from pokja import services as pokja_services
from pokja.models import ActionPlanItem
from tests.factories import make_plan_item

pytestmark = pytest.mark.django_db
THIRD = Decimal("0.3333333333333333333333333333333333")


def gain(number, points, area="MP", sub_area="MP.P.i", value="0"):
    return QuestionGain(
        number=number,
        answer=None,
        value=Decimal(value),
        best_value=Decimal(1),
        points=Decimal(points),
        part="pemenuhan",
        area=area,
        sub_area=sub_area,
        hasil_item=None,
        label=f"Pertanyaan {number}",
    )


def test_rank_drafts_keeps_the_area_orders_by_points_then_number_and_adds_up_repeats():
    gains = [
        gain(5, "0.25"),
        gain(3, "0.5"),
        gain(13, "2", area="TL", sub_area="TL.P.i"),  # another area
        gain(4, "0"),  # loses nothing
        gain(2, "0.25"),
        gain(121, "0.625", sub_area="PP.R.i"),
        gain(121, "0.5", sub_area="PP.R.i"),  # the same question in a second item
        gain(125, "9", area=None, sub_area=None),  # a HASIL item has no area
    ]
    drafts = rank_drafts(gains, "MP", planned=[2])
    assert [(d.number, d.points) for d in drafts] == [
        (121, Decimal("1.125")),
        (3, Decimal("0.5")),
        (2, Decimal("0.25")),
        (5, Decimal("0.25")),
    ]
    assert [d.planned for d in drafts] == [False, False, True, False]


def _answer(world, answers, side="unit"):
    setter = answer_set_unit if side == "unit" else answer_set_tpi
    for number, value in answers.items():
        setter(actor=None, programme=world.programme, number=number, value=value)


def test_drafts_rank_the_pokja_questions_by_points_at_stake_worked_by_hand(world):
    # MP: i (0.5, 2 items), ii and iii (1, 3 items each), iv (1.5, 4 items); reform i (2, two
    # ratio items), ii (1), iii (1). An item's points = sub-area weight / items x (1 - value).
    _answer(
        world,
        {1: "Ya", 10: "B", 92: "B", 93: "A", 88: 4, 89: 2, 90: 4, 91: 4, 13: "D"},
    )
    _answer(world, {9: "Ya"}, side="tpi")  # the TPI's answer wins
    drafts = plan_drafts(world.programme, world.pokjas[1])
    ranked = [(d.number, d.points) for d in drafts]
    assert ranked == [
        (89, Decimal("0.5")),  # 2 changes per 4 agents: 1 x (1 - 0.5)
        (11, Decimal("0.375")),  # unanswered: 1.5 / 4
        (12, Decimal("0.375")),
        (3, THIRD),
        (4, THIRD),
        (5, THIRD),
        (6, THIRD),
        (7, THIRD),
        (8, THIRD),
        (2, Decimal("0.25")),  # unanswered: 0.5 / 2
        (92, Decimal("0.25")),  # B of A-E is 0.75: 1 x 0.25
        (10, Decimal("0.1875")),  # B of A-C is 0.5: 0.375 x 0.5
    ]
    first = drafts[0]
    assert (first.sub_area, first.answer, first.value) == ("MP.R.i", 2, Decimal("0.5"))
    assert drafts[-1].answer == "B" and drafts[-1].points_display == Decimal("0.19")
    # Another Pokja sees only its own area.
    assert {d.sub_area[:2] for d in plan_drafts(world.programme, world.pokjas[2])} == {"TL"}


def test_a_question_already_in_the_plan_is_marked(world):
    question = world.programme.framework.questions.get(number=11)
    make_plan_item(world.programme, 1, sub_area_code="MP.P.iv", questions=[question])
    drafts = {d.number: d for d in plan_drafts(world.programme, world.pokjas[1])}
    assert drafts[11].planned and not drafts[12].planned


def drafts_url(world, *extra, name="pokja_plan_drafts", **kwargs):
    return reverse(name, kwargs={"unit_code": world.unit.code, "year": 2026, "number": 1, **kwargs})


def test_the_chair_accepts_a_draft_into_the_plan(client, world):
    client.force_login(world.ketua1)
    page = client.get(drafts_url(world)).content.decode()
    assert 'data-question="89"' in page and "Add to the plan" in page
    response = client.post(drafts_url(world, name="plan_draft_accept", question=89))
    item = ActionPlanItem.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/plan/{item.pk}/edit/")
    assert item.pokja == world.pokjas[1] and item.sub_area.code == "MP.R.i"
    assert list(item.questions.values_list("number", flat=True)) == [89]
    assert item.status == "belum_mulai" and item.title.startswith("Raise question 89")
    entry = AuditEntry.objects.get(object_type="pokja.actionplanitem", object_id=str(item.pk))
    assert entry.actor_username == "ketua1" and entry.note == "Accepted from the LKE drafts"
    page = client.get(drafts_url(world)).content.decode()
    assert "in the plan" in page


def test_members_read_drafts_but_only_the_chair_accepts_and_only_real_gaps(client, world):
    _answer(world, {93: "A"})
    client.force_login(world.anggota1)
    assert "Add to the plan" not in client.get(drafts_url(world)).content.decode()
    assert client.post(drafts_url(world, name="plan_draft_accept", question=92)).status_code == 403
    client.force_login(world.coordinator)
    response = client.post(drafts_url(world, name="plan_draft_accept", question=93), follow=True)
    assert "Question 93 loses no points now." in response.content.decode()
    response = client.post(drafts_url(world, name="plan_draft_accept", question=13), follow=True)
    assert "Question 13 loses no points now." in response.content.decode()  # not this area
    assert not ActionPlanItem.objects.exists()


def test_the_plan_page_links_to_the_drafts(client, world):
    client.force_login(world.pimpinan)
    plan = reverse("pokja_plan", kwargs={"unit_code": world.unit.code, "year": 2026, "number": 1})
    assert drafts_url(world) in client.get(plan).content.decode()


# --------------------------------------------------------------------------- change agents


def _register(world, agents=2, changes=3, integrated=1):
    import datetime

    made = datetime.date(2026, 3, 1)
    people = [
        pokja_services.change_agent_create(
            actor=world.ketua1, programme=world.programme, name=f"Agen {i}"
        )
        for i in range(agents)
    ]
    for i in range(changes):
        pokja_services.change_agent_change_create(
            actor=world.ketua1,
            agent=people[i % agents],
            title=f"Perubahan {i}",
            made_on=made,
            integrated=i < integrated,
            integration_note="SOP 1/2026" if i < integrated else "",
        )


def test_the_register_sets_questions_88_to_91_through_the_worksheet_service(world):
    _register(world)
    answers = services.change_agents_to_lke(actor=world.ketua1, programme=world.programme)
    assert answers == {88: 2, 89: 3, 90: 3, 91: 1}
    unit = programme_answers(world.programme, layer="unit")
    assert {n: unit[n].value for n in (88, 89, 90, 91)} == answers
    entries = AuditEntry.objects.filter(object_type="evaluations.answer", actor_username="ketua1")
    assert entries.count() == 4


def test_the_register_button_shows_to_pokja_1_and_the_coordinator(client, world):
    _register(world)
    url = reverse("change_agents", kwargs={"unit_code": world.unit.code, "year": 2026})
    for user, shown in [
        (world.ketua1, True),
        (world.anggota1, True),
        (world.coordinator, True),
        (world.anggota2, False),
        (world.tpi, False),
        (world.pimpinan, False),
    ]:
        client.force_login(user)
        html = client.get(url).content.decode()
        assert ('data-testid="set-lke-answers"' in html) is shown, user
    client.force_login(world.anggota1)
    set_url = reverse("change_agents_to_lke", kwargs={"unit_code": world.unit.code, "year": 2026})
    response = client.post(set_url, follow=True)
    html = response.content.decode()
    assert "LKE answers set from the register: q88 = 2, q89 = 3, q90 = 3, q91 = 1." in html
    assert 'data-testid="lke-in-step"' in html
    client.force_login(world.tpi)
    assert client.post(set_url).status_code == 403


def test_a_submitted_section_refuses_the_register_and_nothing_changes(client, world):
    _register(world)
    _answer(world, {88: 1})
    section_transition(actor=None, programme=world.programme, code="MP", action="submit")
    client.force_login(world.coordinator)
    set_url = reverse("change_agents_to_lke", kwargs={"unit_code": world.unit.code, "year": 2026})
    response = client.post(set_url, follow=True)
    assert "locked" in response.content.decode()
    unit = programme_answers(world.programme, layer="unit")
    assert unit[88].value == 1 and unit[89].value is None
