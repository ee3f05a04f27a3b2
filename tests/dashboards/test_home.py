"""The home page: each role finds what needs them today, read from the stored figures, in a
number of queries that does not grow with the programmes, items or sections it lists."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from evaluations import services as evaluation_services
from evaluations.models import Answer, ProgrammeScore
from notifications.models import Notification
from pokja.access import programme_access
from pokja.models import ActionPlanItem, ProgrammeRole, programme_today
from pokja.services.plans import review_statuses
from tests.dashboards.test_dashboards import late_item, text
from tests.evaluations.test_views import scenario
from tests.factories import UserFactory, give_role, make_plan_item, make_programme
from tests.surveys.factories import lke_surveys

S = ActionPlanItem.Status


@pytest.fixture
def scored(world):
    """The dashboards' scenario, scored and stored (tests/dashboards/test_dashboards.py)."""
    scenario(world.programme)
    lke_surveys(world.programme)
    evaluation_services.score_refresh(programme_id=world.programme.pk)
    return world


def home(client, user) -> str:
    client.force_login(user)
    return text(client.get(reverse("home")))


def block(page: str, testid: str) -> str:
    """The inside of the element marked `testid` (up to its card section's next block)."""
    found = re.search(
        rf'data-testid="{testid}"(.*?)(?=data-testid="home-(?:score|predicate|mine|chair-\d|awaiting|late|review|roles)"|</section>)',
        page,
    )
    assert found, f"{testid} not on the page"
    return found.group(1)


def item_due(programme, pokja: int, days: int, *, owners=(), status=None, actor=None, **kwargs):
    """An item due `days` days from today (negative: late), with owners and a status."""
    today = programme_today()
    start = min(today, today + datetime.timedelta(days=days)) - datetime.timedelta(days=30)
    item = make_plan_item(
        programme,
        pokja,
        start_date=start,
        due_date=today + datetime.timedelta(days=days),
        **kwargs,
    )
    if owners:
        item.owners.set(owners)
    if status is not None:
        ActionPlanItem.objects.filter(pk=item.pk).update(
            status=status,
            progress=100 if status in (S.DONE, S.VERIFIED) else 40,
            status_changed_at=timezone.now(),
            return_reason="Bukti belum lengkap." if status == S.RETURNED else "",
        )
        item.refresh_from_db()
    return item


def item_link(item, anchor: str = "") -> str:
    url = reverse(
        "plan_item_detail",
        kwargs={**item.programme.url_kwargs(), "number": item.pokja.number, "item_id": item.pk},
    )
    return url + (f"#{anchor}" if anchor else "")


# --------------------------------------------------------------------------- coordinator


@pytest.mark.django_db
def test_the_coordinator_reads_the_score_what_blocks_it_and_what_waits_for_them(client, scored):
    """The scenario's stored score (see test_dashboards.test_the_shortfalls_come_cheapest_first):
    87.50; WBK fails on PW (7.50 of 15 = 50.0% < 60%), "Birokrasi bersih dan akuntabel"
    (17.50 < 18.25) and capaian kinerja q126 (0.00 < 2.50), in the framework's order."""
    programme = scored.programme
    long_late = late_item(programme, 5, owners=[scored.anggota2], title="Sosialisasi", days=12)
    late_item(programme, 2, owners=[scored.anggota2], title="SOP layanan", days=3)
    done = item_due(programme, 1, 5, status=S.DONE, title="SK Tim Pokja")
    item_due(programme, 1, 5, status=S.VERIFIED, title="Sudah diverifikasi")
    page = home(client, scored.coordinator)

    assert 'data-testid="home-total">87.50<' in page
    assert re.search(r'home-line-WBK" data-met="no">.*?WBK: not met', page)
    blockers = re.findall(r'data-testid="home-blocker">(.*?)</li>', page)
    assert [re.sub(r"<[^>]+>|✘", "", b).strip() for b in blockers] == [
        "Penguatan Pengawasan 50.0% (needs 60%)",
        "Birokrasi yang bersih dan akuntabel 17.50 (needs 18.25)",
        "Capaian kinerja lebih baik dari capaian kinerja sebelumnya (q126) 0.00 (needs 2.50)",
    ]
    assert "3 shortfalls block WBK" in page
    assert (
        reverse("programme_dashboard", kwargs=programme.url_kwargs()) + "#predicates-title" in page
    )

    awaiting = block(page, "home-awaiting")
    assert "1 item waits for your verification" in awaiting
    assert item_link(done, "review") in awaiting and "Sudah diverifikasi" not in awaiting

    late = block(page, "home-late")
    assert "2 late items" in late
    assert re.findall(r"(RA \d\.\d) · ", late) == [f"RA 5.{long_late.number}", "RA 2.1"]
    assert "Late, 12 days" in late and "Late, 3 days" in late
    assert scored.anggota2.display_name in late


@pytest.mark.django_db
def test_the_home_reads_the_stored_score_and_never_scores_on_the_page(client, scored):
    # An answer changes after the last computation: the home still shows what is stored
    # (the workers recompute it), and says that figures are being recomputed.
    Answer.objects.filter(assessment__programme=scored.programme, number=126).update(unit_value="A")
    ProgrammeScore.objects.filter(programme=scored.programme).update(
        generation=F("computed_generation") + 1
    )
    page = home(client, scored.pimpinan)
    assert 'data-testid="home-total">87.50<' in page
    assert 'data-testid="score-stale"' in page


@pytest.mark.django_db
def test_before_a_first_computation_the_home_says_so(client, world):
    page = home(client, world.coordinator)
    assert 'data-testid="home-no-score"' in page and "home-total" not in page


@pytest.mark.django_db
def test_the_head_of_unit_sees_the_score_the_predicate_check_and_the_dashboard(client, scored):
    late_item(scored.programme, 3, title="Analisis jabatan", days=2)
    page = home(client, scored.pimpinan)
    assert 'data-testid="home-total">87.50<' in page
    assert "3 shortfalls block WBK" in page
    dashboard = reverse("programme_dashboard", kwargs=scored.programme.url_kwargs())
    assert f'href="{dashboard}" data-testid="home-pimpinan-dashboard"' in page
    assert "1 late item" in block(page, "home-late")
    # Read only: nothing waits for their verification.
    assert "home-awaiting" not in page


# --------------------------------------------------------------------------- Pokja


@pytest.mark.django_db
def test_a_member_sees_their_items_late_returned_or_due_soon_one_tap_from_updating(client, world):
    programme, me = world.programme, world.anggota1
    late = item_due(programme, 1, -4, owners=[me], status=S.IN_PROGRESS, title="Terlambat")
    soon = item_due(programme, 1, 3, owners=[me], title="Segera")
    today = item_due(programme, 1, 0, owners=[me], title="Hari ini")
    returned = item_due(programme, 1, 30, owners=[me], status=S.RETURNED, title="Kembali")
    item_due(programme, 1, 20, owners=[me], title="Nanti")  # open, not yet pressing
    item_due(programme, 1, 2, owners=[me], status=S.DONE, title="Sudah selesai")
    item_due(programme, 1, -9, owners=[world.ketua1], title="Milik ketua")
    page = home(client, me)

    mine = block(page, "home-mine")
    # The longest late first, then by due date; the returned one is due last.
    assert re.findall(r"· (\w[\w ]*?)</a>", mine) == ["Terlambat", "Hari ini", "Segera"]
    assert "and 1 more" in mine
    assert item_link(late, "update") in mine and item_link(soon, "update") in mine
    assert "Late, 4 days" in mine and "due today" in mine and "due in 3 days" in mine
    assert item_link(returned) not in mine  # the fourth: counted, not listed
    plan = reverse("pokja_plan", kwargs={**programme.url_kwargs(), "number": 1})
    assert f"{plan}?owner={me.pk}" in mine
    assert "All my open items in Pokja 1 (5)" in mine
    assert "Sudah selesai" not in page and "Milik ketua" not in page
    assert today.pk  # listed above as "Hari ini"


@pytest.mark.django_db
def test_a_returned_item_is_listed_with_its_status(client, world):
    returned = item_due(world.programme, 1, 30, owners=[world.anggota1], status=S.RETURNED)
    mine = block(home(client, world.anggota1), "home-mine")
    assert item_link(returned, "update") in mine and "Returned" in mine


@pytest.mark.django_db
def test_a_chair_sees_their_pokja_questions_and_late_or_returned_items(client, scored):
    """MP in the scenario: 18 questions (q1-12, q88-93), all answered at their best, none
    with evidence; its stored score 8.00 of 8 (100.0%)."""
    programme, chair = scored.programme, scored.ketua1
    own = late_item(programme, 1, owners=[chair], title="Punya ketua", days=6)
    others = late_item(programme, 1, owners=[scored.anggota1], title="Punya anggota", days=2)
    back = item_due(programme, 1, 40, owners=[scored.anggota1], status=S.RETURNED, title="Ulang")
    late_item(programme, 2, owners=[scored.anggota2], title="Pokja lain", days=8)
    page = home(client, chair)

    pokja = block(page, "home-chair-1")
    assert "Area score 8.00 of 8.00 (100.0%)" in pokja
    assert "0 questions without an answer" in pokja and "18 without evidence" in pokja
    assert "of 18 · Draft" in pokja
    lke = reverse("lke_section", kwargs={**programme.url_kwargs(), "section": "MP"})
    assert f'href="{lke}"' in pokja
    assert "2 late items" in pokja and "1 returned" in pokja
    assert "1 of them yours, under My items" in pokja
    # Listed here: the others' items; the chair's own is under their items.
    assert item_link(others) in pokja and item_link(back) in pokja
    assert item_link(own) not in pokja
    assert item_link(own, "update") in block(page, "home-mine")
    assert "Pokja lain" not in page


# --------------------------------------------------------------------------- TPI and admin


@pytest.mark.django_db
def test_the_tpi_sees_the_sections_waiting_for_their_review(client, scored):
    programme = scored.programme
    for code in ("AK", "MP"):
        evaluation_services.section_transition(
            actor=scored.coordinator, programme=programme, code=code, action="submit"
        )
    evaluation_services.section_transition(
        actor=scored.tpi, programme=programme, code="MP", action="review"
    )
    page = home(client, scored.tpi)
    review = block(page, "home-review")
    assert "1 section waits for your review" in review and "1 of 7 reviewed" in review
    ak = reverse("lke_section", kwargs={**programme.url_kwargs(), "section": "AK"})
    assert f'href="{ak}"' in review and "Pokja 4 · " in review
    # The coordinator finalises what the TPI reviewed.
    assert "ready to finalise" in block(home(client, scored.coordinator), "home-awaiting")


@pytest.mark.django_db
def test_the_unit_admin_sees_the_roles_nobody_holds(client, world):
    page = home(client, world.unit_admin)
    roles = block(page, "home-roles")
    # koordinator, ketua1, anggota1, ketua2, anggota2, tpi, pimpinan
    assert "7 people hold roles" in roles
    assert "Chair of Pokja 3, Chair of Pokja 4, Chair of Pokja 5, Chair of Pokja 6" in roles
    assert "Coordinator" not in roles
    people = reverse("unit_people", kwargs={"unit_code": world.unit.code})
    assert f'href="{people}"' in page
    for number in (3, 4, 5, 6):
        give_role(UserFactory(), world.programme, ProgrammeRole.Kind.KETUA, number)
    assert 'data-testid="home-roles-complete"' in home(client, world.unit_admin)


@pytest.mark.django_db
def test_nobody_sees_another_units_items_on_their_home(client, world):
    late_item(world.programme, 1, owners=[world.anggota1], title="Rahasia Alpha", days=3)
    for person in (world.outsider, world.no_role):
        page = home(client, person)
        assert "Rahasia Alpha" not in page and world.unit.name not in page


@pytest.mark.django_db
def test_unread_notifications_appear_newest_first_with_their_count(client, world):
    for n in range(1, 5):
        Notification.objects.create(
            recipient=world.anggota1,
            programme=world.programme,
            kind=Notification.Kind.OVERDUE,
            item_type=Notification.ItemType.PLAN_ITEM,
            item_id=n,
            day=programme_today(),
            title=f"Pemberitahuan {n}",
            body="-",
            link="/",
            read_at=timezone.now() if n == 4 else None,
        )
    page = home(client, world.anggota1)
    notes = block(page, "home-notifications")
    assert "3 unread notifications" in notes
    assert re.findall(r"Pemberitahuan \d", notes)[::2] == ["Pemberitahuan 3", "Pemberitahuan 2"]
    assert "Pemberitahuan 4" not in notes
    assert 'data-testid="home-notifications"' not in home(client, world.anggota2)


# --------------------------------------------------------------------------- queries


def _more(world, n: int, *, start: int = 0) -> None:
    """More of everything the home lists: late, returned, done and owned items in the Pokja
    the roles touch."""
    programme = world.programme
    for index in range(start, start + n):
        late_item(programme, 1, owners=[world.anggota1, world.ketua1], days=index + 1)
        late_item(programme, 5, owners=[world.anggota2], days=index + 2)
        item_due(programme, 1, index % 7, owners=[world.anggota1], title=f"Segera {index}")
        item_due(programme, 2, 40, status=S.RETURNED, owners=[world.anggota2])
        item_due(programme, 3, 10, status=S.DONE)


def _another_year(world) -> None:
    """The same people in next year's programme, scored, with a late item and a section
    waiting for the TPI."""
    again = make_programme(unit=world.unit, year=2027)
    for user, kind, number in (
        (world.coordinator, ProgrammeRole.Kind.KOORDINATOR, None),
        (world.ketua1, ProgrammeRole.Kind.KETUA, 1),
        (world.anggota1, ProgrammeRole.Kind.ANGGOTA, 1),
        (world.tpi, ProgrammeRole.Kind.TPI, None),
        (world.pimpinan, ProgrammeRole.Kind.PIMPINAN, None),
    ):
        give_role(user, again, kind, number)
    late_item(again, 1, owners=[world.anggota1], days=4)
    evaluation_services.score_refresh(programme_id=again.pk)
    evaluation_services.section_transition(
        actor=world.coordinator, programme=again, code="AK", action="submit"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "queries"),
    [
        # session, user; visible units, programmes, their roles, unit roles, managed units;
        # stored scores, plan items and their owners, worksheet sections; notifications;
        # the menu's programmes
        ("coordinator", 13),
        ("ketua1", 13),
        ("pimpinan", 12),  # no sections
        ("anggota1", 11),  # no score, no sections
        ("tpi", 11),  # sections, no score; owns no item (no owners to load)
        ("unit_admin", 11),  # no items; the roles held and the Pokja of the programmes
    ],
)
def test_the_home_runs_the_same_queries_however_much_it_lists(
    client, scored, django_assert_num_queries, role, queries
):
    person = getattr(scored, role)
    client.force_login(person)
    url = reverse("home")
    _more(scored, 1)
    client.get(url)
    with django_assert_num_queries(queries):
        small = client.get(url)
    _more(scored, 8, start=1)
    _another_year(scored)
    with django_assert_num_queries(queries):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert large.content.count(b'data-testid="programme-card"') == 2
    assert len(large.content) > len(small.content)


@pytest.mark.django_db
def test_the_review_moves_stay_the_coordinators(world):
    """What the home links to ("#review") is there for the coordinator only."""
    item = item_due(world.programme, 1, 5, status=S.DONE)
    coordinator = programme_access(world.coordinator, world.programme)
    member = programme_access(world.anggota1, world.programme)
    assert review_statuses(item, coordinator) == [S.VERIFIED, S.RETURNED]
    assert review_statuses(item, member) == []


@pytest.mark.django_db
def test_an_owner_who_left_the_programme_sees_nothing_of_it(client, world):
    late_item(world.programme, 1, owners=[world.anggota1], title="Tugas lama", days=3)
    ProgrammeRole.objects.filter(user=world.anggota1).delete()
    page = home(client, world.anggota1)
    assert "Tugas lama" not in page and 'data-testid="no-programmes"' in page
