"""The coordinator's dashboard, the Pokja dashboards and the multi-unit overview: what each
role sees, what the pages say (hand-computed), and their constant query counts."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.core.cache import cache
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from dashboards.models import ProposalRecord
from dashboards.selectors import coordinator_dashboard
from evaluations import services as evaluation_services
from evaluations.models import Answer, ProgrammeScore, ScoreSnapshot
from pokja.models import ProgrammeRole
from tests.evaluations.test_views import htmx, scenario
from tests.factories import UnitFactory, UserFactory, give_role, make_plan_item, make_programme
from tests.surveys.factories import lke_surveys


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode()).strip()


def dashboard_url(programme) -> str:
    return reverse("programme_dashboard", kwargs=programme.url_kwargs())


def pokja_url(programme, number: int) -> str:
    return reverse("pokja_dashboard", kwargs={**programme.url_kwargs(), "number": number})


@pytest.fixture
def scored(world):
    """The worksheet scenario of the evaluations tests, scored and stored: everything at its
    best but q126 E and PW PEMENUHAN (q51-q68) at its worst; both survey indices 4 (the
    programme's own SPAK and SPKP, 30 respondents answering 4 to every item)."""
    scenario(world.programme)
    lke_surveys(world.programme)
    evaluation_services.score_refresh(programme_id=world.programme.pk)
    return world


def late_item(programme, pokja_number: int, *, owners=(), days: int = 10, **kwargs):
    """An open item whose due date passed `days` days ago."""
    today = timezone.localdate()
    item = make_plan_item(
        programme,
        pokja_number,
        start_date=today - datetime.timedelta(days=days + 30),
        due_date=today - datetime.timedelta(days=days),
        **kwargs,
    )
    if owners:
        item.owners.set(owners)
    return item


def snapshots(programme, days: int, start_total: Decimal = Decimal("60.00")) -> None:
    today = timezone.localdate()
    ScoreSnapshot.objects.bulk_create(
        ScoreSnapshot(
            programme=programme,
            date=today - datetime.timedelta(days=days - i),
            taken_at=timezone.now(),
            total=start_total + Decimal(i) / 100,
            unit_total=start_total,
            tpi_total=Decimal(0),
        )
        for i in range(days)
        if not ScoreSnapshot.objects.filter(
            programme=programme, date=timezone.localdate() - datetime.timedelta(days=days - i)
        ).exists()
    )


# --------------------------------------------------------------------------- coordinator


def test_the_coordinator_reads_where_the_unit_stands(client, scored):
    programme = scored.programme
    late_item(programme, 5, owners=[scored.anggota2], title="Sosialisasi gratifikasi", days=12)
    snapshots(programme, 5)
    client.force_login(scored.coordinator)
    page = text(client.get(dashboard_url(programme)))
    assert 'data-testid="total">87.50<' in page
    assert "Last computed at" in page and 'data-testid="score-stale"' not in page
    # Components and parts of the stored figures: PENGUNGKIT 52.50 = PEMENUHAN 22.50 + REFORM 30
    assert re.search(r'component-pengungkit">.*?52\.50 / 60\.00.*?87\.50%', page)
    assert re.search(r'component-hasil">.*?35\.00 / 40\.00', page)
    # PW: pemenuhan 0 of 7.5, reform 7.5 of 7.5 = 7.50 of 15 (50.0%), below both area lines
    pw = re.search(r'data-testid="area-PW">(.*?)</tr>', page).group(1)
    assert "0.00 / 7.50" in pw and "7.50 / 7.50" in pw and "7.50 / 15.00" in pw
    assert "50.0" in pw and pw.count("not met") == 2
    assert reverse("pokja_dashboard", kwargs={**programme.url_kwargs(), "number": 5}) in pw
    # The trend: five snapshots, then today's point, which is the stored score the headline
    # shows; with the same numbers as a table.
    trend = re.search(r'data-testid="trend-table">(.*?)</table>', page).group(1)
    totals = re.findall(r'<tr><td>[^<]+</td><td class="text-end">([\d.]+)</td>', trend)
    assert totals == ["60.00", "60.01", "60.02", "60.03", "60.04", "87.50"]
    assert 'data-chart="trend-data"' in page and 'id="trend-data"' in page
    # Late items with owners and days late.
    late = re.search(r'data-testid="late-items"(.*?)</ul>', page).group(1)
    assert "Sosialisasi gratifikasi" in late and "12 days late" in late
    assert scored.anggota2.display_name in late
    # Surveys in force (stored with the score) and completeness per Pokja.
    assert re.search(r'figure-q125">.*?4\.00.*?17\.50 / 17\.50', page)
    # every question answered in the scenario; nothing has evidence or a TPI answer yet
    assert re.search(r'completeness-PW">.*?30 / 30</td><td class="text-end">0</td>', page)
    assert re.search(r'completeness-hasil">.*?3 / 3', page)


def test_the_shortfalls_come_cheapest_first(scored):
    """WBK on the scenario, by hand. Total 87.50 >= 75 and PENGUNGKIT 52.50 >= 40 pass.
    Failing: "Birokrasi bersih dan akuntabel" = q125 17.50 + q126 0 = 17.50 < 18.25 (gap 0.75);
    capaian kinerja q126 0 < 2.50 (gap 2.50); PW 7.50 < 60% of 15 = 9.00 (gap 1.50).
    Points at stake: q126 E -> A adds 5, closing either HASIL gap with one question; PW
    PEMENUHAN questions add 1.5 / items of their sub-area: PW.P.i (q51, q52) 0.75 each, so
    two questions close 1.50. Cheapest first: the fewest questions, then the smaller gap."""
    data = coordinator_dashboard(scored.programme)
    wbk = next(p for p in data.predicates if p.code == "WBK")
    assert not wbk.meets
    order = [
        (row.plan.shortfall.criterion, row.gap, [s.number for s in row.steps]) for row in wbk.rows
    ]
    assert order == [
        ("bersih_akuntabel", Decimal("0.75"), [126]),
        ("capaian_kinerja", Decimal("2.50"), [126]),
        ("area", Decimal("1.50"), [51, 52]),
    ]
    assert [s.points for s in wbk.rows[2].steps] == [Decimal("0.75"), Decimal("0.75")]


def test_the_dashboard_warns_while_a_change_waits_for_its_computation(client, scored):
    ProgrammeScore.objects.filter(programme=scored.programme).update(
        generation=F("computed_generation") + 1
    )
    client.force_login(scored.coordinator)
    page = text(client.get(dashboard_url(scored.programme)))
    assert 'data-testid="score-stale"' in page


def test_before_a_first_computation_the_dashboard_says_so(client, world):
    client.force_login(world.pimpinan)
    page = text(client.get(dashboard_url(world.programme)))
    assert "Not computed yet." in page and 'data-testid="no-score"' in page


# --------------------------------------------------------------------------- prerequisites


def prerequisite(page: str, code: str) -> str:
    return re.search(rf'data-testid="prereq-{code}" data-met="(\w+)"', page).group(1)


def test_prerequisites_derive_what_they_can_and_record_the_rest(client, scored):
    programme = scored.programme
    client.force_login(scored.coordinator)
    page = text(client.get(dashboard_url(programme)))
    assert prerequisite(page, "tlhp") == "yes"  # nothing owed: 100%
    assert prerequisite(page, "lhkpn") == "yes"  # best counts: every obliged filer reported
    assert prerequisite(page, "surveys") == "yes"
    assert prerequisite(page, "scores") == "no"  # WBK not met (see the shortfalls)
    assert prerequisite(page, "pencanangan") == "no"
    assert prerequisite(page, "audit_opinion") == "unknown"
    assert prerequisite(page, "sakip") == "unknown"
    entries = AuditEntry.objects.count()
    url = reverse("proposal_record", kwargs=programme.url_kwargs())
    response = client.post(url, {"audit_opinion": "WTP", "sakip_grade": "CC", "note": "LHP 2025"})
    assert response.status_code == 302
    record = ProposalRecord.objects.get(programme=programme)
    assert (record.audit_opinion, record.sakip_grade, record.updated_by) == (
        "WTP",
        "CC",
        scored.coordinator,
    )
    entry = AuditEntry.objects.latest("id")
    assert AuditEntry.objects.count() == entries + 1
    assert entry.action == "create" and entry.changes["sakip_grade"][1] == "CC"
    assert entry.programme_id == programme.pk and entry.actor_username == "koordinator"
    page = text(client.get(dashboard_url(programme)))
    assert prerequisite(page, "audit_opinion") == "yes"
    assert prerequisite(page, "sakip") == "no"  # WBK needs B or better; CC is below
    client.post(url, {"audit_opinion": "WTP", "sakip_grade": "A"})
    assert prerequisite(text(client.get(dashboard_url(programme))), "sakip") == "yes"


def test_a_bad_prerequisite_value_is_named_and_nothing_is_saved(client, scored):
    client.force_login(scored.coordinator)
    url = reverse("proposal_record", kwargs=scored.programme.url_kwargs())
    response = client.post(url, {"audit_opinion": "=HYPERLINK()", "sakip_grade": "Z"}, follow=True)
    assert response.status_code == 200
    page = text(response)
    assert "Agency audit opinion (BPK): Select a valid choice." in page
    assert "Agency SAKIP grade: Select a valid choice." in page
    assert not ProposalRecord.objects.exists()


def test_only_the_coordinator_records_prerequisites(client, scored):
    url = reverse("proposal_record", kwargs=scored.programme.url_kwargs())
    client.force_login(scored.ketua1)
    assert client.post(url, {"audit_opinion": "WTP"}).status_code == 403
    client.force_login(scored.pimpinan)
    page = text(client.get(dashboard_url(scored.programme)))
    assert 'data-testid="prerequisites-form"' not in page
    assert not ProposalRecord.objects.exists()


# --------------------------------------------------------------------------- Pokja


def test_a_pokja_member_sees_their_area_questions_and_items_mine_first(client, scored):
    programme = scored.programme
    other = make_plan_item(programme, 5, title="Kegiatan orang lain")
    mine = late_item(programme, 5, owners=[scored.anggota2], title="Kegiatan saya", days=3)
    ProgrammeRole.objects.filter(user=scored.anggota2).update(pokja=programme.pokjas.get(number=5))
    client.force_login(scored.anggota2)
    page = text(client.get(pokja_url(programme, 5)))
    assert 'data-testid="area-score">7.50<' in page
    # Questions by points at stake: PW.P.i's q51 and q52 (0.75 each) first, then PW.P.iv's
    # three questions (1.5 / 3 = 0.50), then PW.P.ii / iii (0.375), then PW.P.v (0.30).
    stakes = re.findall(r'data-testid="stake-q(\d+)"', page)
    assert stakes[:5] == ["51", "52", "63", "64", "65"] or stakes[:2] == ["51", "52"]
    assert re.search(r'stake-q51">.*?\+0\.75', page)
    items = re.findall(
        r'data-testid="plan-item"( class="table-warning" data-mine="1")?>\s*<th[^>]*><a[^>]*>([^<]+)</a>',
        page,
    )
    assert [code for _mine, code in items] == [mine.code, other.code]
    assert items[0][0]  # marked as mine
    late = re.search(r'data-testid="pokja-late"(.*?)</section>', page).group(1)
    assert "Kegiatan saya" in late and "3 days late" in late and "Kegiatan orang lain" not in late
    activity = re.search(r'data-testid="pokja-activity"(.*?)</section>', page).group(1)
    assert mine.code in activity  # its creation, from the audit trail


def test_the_recent_activity_names_people_as_other_pages_do(client, scored):
    item = make_plan_item(scored.programme, 1, actor=scored.ketua1, title="Rapat evaluasi")
    client.force_login(scored.anggota1)
    page = text(client.get(pokja_url(scored.programme, 1)))
    activity = re.search(r'data-testid="pokja-activity"(.*?)</section>', page).group(1)
    line = next(li for li in activity.split("</li>") if item.title in li or item.code in li)
    assert scored.ketua1.display_name in line
    assert scored.ketua1.display_name != scored.ketua1.username
    assert f" {scored.ketua1.username} " not in line


def test_stakes_question_order_by_hand(scored):
    from dashboards.selectors import pokja_dashboard

    pokja = scored.programme.pokjas.get(number=5)
    data = pokja_dashboard(scored.programme, pokja, scored.coordinator)
    points = [(q.number, q.points) for q in data.questions[:3]]
    assert points[0] == (51, Decimal("0.75")) and points[1] == (52, Decimal("0.75"))
    assert points[2][1] == Decimal("0.5")  # PW.P.iv: 1.5 / 3 questions


# --------------------------------------------------------------------------- who sees what


def test_a_pokja_member_of_another_unit_sees_nothing(client, scored):
    stranger = UserFactory(username="anggota-beta")
    give_role(stranger, scored.other_programme, ProgrammeRole.Kind.ANGGOTA, 1)
    client.force_login(stranger)
    assert client.get(dashboard_url(scored.programme)).status_code == 404
    assert client.get(pokja_url(scored.programme, 1)).status_code == 404
    assert client.get(reverse("units_overview")).status_code == 403
    assert client.get(reverse("units_overview_export")).status_code == 403
    home = text(client.get(reverse("home")))
    assert "Polres Alpha" not in home and "Polres Beta" in home


def test_the_overview_lists_only_the_units_under_oversight(client, scored):
    # Beta has a parent of its own; Alpha's parent's overseer must not see it.
    beta_parent = UnitFactory(code="POLDA-BETA", name="Polda Beta")
    scored.other_programme.unit.parent = beta_parent
    scored.other_programme.unit.save()
    evaluation_services.score_refresh(programme_id=scored.other_programme.pk)
    client.force_login(scored.oversight)
    page = text(client.get(reverse("units_overview")))
    assert re.findall(r'data-unit="([^"]+)"', page) == ["POLRES-ALPHA"]
    client.force_login(scored.site_admin)
    page = text(client.get(reverse("units_overview")))
    assert re.findall(r'data-unit="([^"]+)"', page) == ["POLRES-ALPHA", "POLRES-BETA"]


# --------------------------------------------------------------------------- overview


@pytest.fixture
def region(scored):
    """Alpha (scored 87.50) and three more units under the same Polda, one of them a level
    deeper (a Polsek under Polres Gamma), with different scores and late items."""
    parent = scored.parent_unit
    gamma = UnitFactory(code="POLRES-GAMMA", name="Polres Gamma", parent=parent)
    delta = UnitFactory(code="POLRES-DELTA", name="Polres Delta", parent=parent)
    sektor = UnitFactory(code="POLSEK-SATU", name="Polsek Satu", parent=gamma)
    programmes = {"ALPHA": scored.programme}
    for code, unit, values in (
        ("GAMMA", gamma, {1: "Ya", 2: "A"}),
        ("DELTA", delta, {}),
        ("SATU", sektor, {1: "Ya"}),
    ):
        programme = make_programme(unit=unit, year=2026)
        for number, value in values.items():
            evaluation_services.answer_set_unit(
                actor=None, programme=programme, number=number, value=value
            )
        evaluation_services.score_refresh(programme_id=programme.pk)
        programmes[code] = programme
    late_item(programmes["DELTA"], 1)
    late_item(programmes["DELTA"], 2)
    late_item(programmes["SATU"], 3)
    return programmes


def overview_rows(client, **params) -> list[str]:
    page = text(client.get(reverse("units_overview"), params))
    return re.findall(r'data-unit="([^"]+)"', page)


def test_the_overview_sorts_and_filters(client, scored, region):
    client.force_login(scored.oversight)
    assert overview_rows(client) == ["POLRES-ALPHA", "POLRES-DELTA", "POLRES-GAMMA", "POLSEK-SATU"]
    assert overview_rows(client, sort="-total")[0] == "POLRES-ALPHA"
    assert overview_rows(client, sort="late") == [
        "POLRES-DELTA",
        "POLSEK-SATU",
        "POLRES-ALPHA",
        "POLRES-GAMMA",
    ]
    assert overview_rows(client, unit="POLRES-GAMMA") == ["POLRES-GAMMA", "POLSEK-SATU"]
    assert overview_rows(client, late="1") == ["POLRES-DELTA", "POLSEK-SATU"]
    assert overview_rows(client, q="satu") == ["POLSEK-SATU"]
    assert overview_rows(client, meets="WBK") == []
    assert overview_rows(client, meets="none") == [
        "POLRES-ALPHA",
        "POLRES-DELTA",
        "POLRES-GAMMA",
        "POLSEK-SATU",
    ]
    # Unknown values are ignored, never an error.
    assert len(overview_rows(client, sort="drop table", year="x", unit="NOPE")) == 4


def test_the_overview_workbook_has_the_same_table(client, scored, region):
    region["DELTA"].unit.name = '=HYPERLINK("http://x")'
    region["DELTA"].unit.save()
    client.force_login(scored.oversight)
    response = client.get(reverse("units_overview_export"), {"sort": "late"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:5] == ("unit code", "unit", "year", "target", "total")
    assert [r[0] for r in rows[1:]] == [
        "POLRES-DELTA",
        "POLSEK-SATU",
        "POLRES-ALPHA",
        "POLRES-GAMMA",
    ]
    alpha = rows[3]
    assert alpha[4] == 87.5 and alpha[header.index("late items")] == 0
    assert rows[1][header.index("late items")] == 2
    assert rows[1][1] == '=HYPERLINK("http://x")'  # kept as text
    cell = sheet.cell(row=2, column=2)
    assert cell.data_type == "s"


# --------------------------------------------------------------------------- query counts


def warm(client, url: str) -> None:
    """One request first: the session's first use costs queries of its own."""
    assert client.get(url).status_code == 200


def grow(world, n: int) -> None:
    """More of everything the pages read: late items with owners, snapshots, audit entries."""
    for i in range(n):
        for number in (1, 5):
            late_item(world.programme, number, owners=[world.anggota1, world.anggota2], days=i + 1)
    snapshots(world.programme, 40 * n)


def test_the_coordinator_dashboard_issues_a_fixed_number_of_queries(
    client, scored, django_assert_num_queries
):
    """Built (cache miss) and served from the cache (hit): both constant as the data grows."""
    client.force_login(scored.coordinator)
    url = dashboard_url(scored.programme)
    grow(scored, 1)
    warm(client, url)
    for size in (1, 6):
        if size > 1:
            grow(scored, size)
        cache.clear()
        with django_assert_num_queries(21):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(9):  # the version, access, menu and the form's record
            assert client.get(url).status_code == 200
    # a change anyone makes shows at once: a new version, built again
    late_item(scored.programme, 3, title="Baru saja terlambat", days=1)
    assert "Baru saja terlambat" in text(client.get(url))


def test_the_cached_dashboard_is_the_same_for_every_viewer_and_keeps_forms_out(client, scored):
    url = dashboard_url(scored.programme)
    client.force_login(scored.pimpinan)
    first = text(client.get(url))
    client.force_login(scored.coordinator)
    second = text(client.get(url))
    assert 'data-testid="prerequisites-form"' not in first
    assert 'data-testid="prerequisites-form"' in second
    body = re.search(r'data-testid="dash-total".*data-testid="prerequisites">.*?</ul>', first)
    assert body and body.group(0) in second


def test_the_pokja_dashboard_issues_a_fixed_number_of_queries(
    client, scored, django_assert_num_queries
):
    client.force_login(scored.anggota1)
    url = pokja_url(scored.programme, 1)
    grow(scored, 1)
    make_plan_item(scored.programme, 1, actor=scored.ketua1)  # someone in the recent activity
    warm(client, url)
    # (the names of the people in the recent activity are one of them)
    with django_assert_num_queries(16):
        assert client.get(url).status_code == 200
    grow(scored, 6)
    with django_assert_num_queries(16):
        assert client.get(url).status_code == 200


def test_the_overview_issues_a_fixed_number_of_queries(
    client, scored, region, django_assert_num_queries
):
    client.force_login(scored.oversight)
    warm(client, reverse("units_overview"))
    url = reverse("units_overview")
    for size in (0, 6):
        for i in range(size):
            unit = UnitFactory(code=f"POLRES-X{i}", name=f"Polres X{i}", parent=scored.parent_unit)
            programme = make_programme(unit=unit, year=2026)
            evaluation_services.score_refresh(programme_id=programme.pk)
            late_item(programme, 1)
        cache.clear()
        with django_assert_num_queries(11):  # built
            assert client.get(url, {"sort": "-total"}).status_code == 200
        with django_assert_num_queries(9):  # from the cache
            assert client.get(url, {"sort": "-total"}).status_code == 200
        with django_assert_num_queries(8):
            assert client.get(reverse("units_overview_export")).status_code == 200
    assert len(overview_rows(client)) == 10


# --------------------------------------------------------------------------- what-if


def test_what_if_leaves_the_stored_answers_and_score_untouched(client, scored):
    programme = scored.programme
    stored = list(Answer.objects.order_by("pk").values_list("pk", "unit_value", "tpi_value"))
    score = ProgrammeScore.objects.values("total", "generation", "computed_at").get(
        programme=programme
    )
    entries = AuditEntry.objects.count()
    client.force_login(scored.coordinator)
    url = reverse("lke_what_if", kwargs=programme.url_kwargs())
    # The dashboard's cheapest WBK steps, tried: q126 A and q51, q52 A -> WBK met.
    page = text(htmx(client, url, {"q126": "A", "q51": "A", "q52": "A"}))
    assert re.search(r'data-testid="meets-WBK">meets the score thresholds<', page)
    assert list(Answer.objects.order_by("pk").values_list("pk", "unit_value", "tpi_value")) == (
        stored
    )
    assert (
        ProgrammeScore.objects.values("total", "generation", "computed_at").get(programme=programme)
        == score
    )
    assert AuditEntry.objects.count() == entries
    # and the dashboard still reads the real score
    assert 'data-testid="total">87.50<' in text(client.get(dashboard_url(programme)))


def test_oversight_of_the_parent_sees_the_programme_dashboards_read_only(client, scored):
    client.force_login(scored.oversight)
    page = text(client.get(dashboard_url(scored.programme)))
    assert 'data-testid="total">87.50<' in page
    assert 'data-testid="prerequisites-form"' not in page
    url = reverse("proposal_record", kwargs=scored.programme.url_kwargs())
    assert client.post(url, {"audit_opinion": "WTP"}).status_code == 403


def test_a_stale_dashboard_polls_its_score_line_and_reloads_once_the_workers_stored_it(
    client, scored
):
    programme = scored.programme
    status_url = reverse("programme_score_status", kwargs=programme.url_kwargs())
    client.force_login(scored.coordinator)

    # Current: the page does not poll, and a late poll asks for nothing more than a reload.
    assert status_url not in text(client.get(dashboard_url(programme)))
    # A change to the answers makes the stored score stale until a run stores it again.
    evaluation_services.answer_set_unit(
        actor=scored.ketua1, programme=programme, number=1, value="Tidak"
    )
    page = text(client.get(dashboard_url(programme)))
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 3s"' in page
    waiting = client.get(status_url, HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200 and f'hx-get="{status_url}"' in text(waiting)
    assert "HX-Refresh" not in waiting

    evaluation_services.score_refresh(programme_id=programme.pk)
    done = client.get(status_url, HTTP_HX_REQUEST="true")
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    assert status_url not in text(client.get(dashboard_url(programme)))
