"""The audit-findings register (TLHP) with its settled percentage, and the change-agent
register with the counts of LKE questions 88-91."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from pokja import services
from pokja.models import AuditFinding, ChangeAgent, ChangeAgentChange
from pokja.selectors import TlhpSummary, change_agent_counts, tlhp_settled

pytestmark = pytest.mark.django_db
F = AuditFinding.FollowUp


def finding(world, status=F.NOT_STARTED, *, programme=None, **extra):
    values = {
        "source": AuditFinding.Source.APIP,
        "report_date": datetime.date(2026, 3, 2),
        "title": "Belanja barang tanpa bukti lengkap",
        "recommendation": "Lengkapi bukti pertanggungjawaban",
        "follow_up_status": status,
        "follow_up": "" if status == F.NOT_STARTED else "Bukti disusulkan",
        "settled_on": datetime.date(2026, 5, 1) if status == F.SETTLED else None,
    }
    values.update(extra)
    return services.finding_create(
        actor=world.coordinator, programme=programme or world.programme, **values
    )


# --------------------------------------------------------------------------- TLHP percentage


def test_the_settled_percentage_worked_by_hand(world):
    for status in [F.SETTLED] * 4 + [F.IN_PROGRESS, F.NOT_STARTED, F.CANNOT]:
        finding(world, status)
    finding(world, F.NOT_STARTED, programme=world.other_programme)  # not this unit's
    summary = tlhp_settled(world.programme)
    assert (summary.total, summary.settled, summary.in_progress, summary.not_started) == (
        7,
        4,
        1,
        1,
    )
    assert (summary.cannot, summary.owed) == (1, 6)
    # 4 of the 6 owed (the one that cannot be followed up is not owed): 66.666...%
    assert summary.ratio == Fraction(2, 3)
    assert summary.percent == Decimal("66.66666666666666666666666666666666")
    assert summary.percent_display == Decimal("66.67")
    assert not summary.all_settled


@pytest.mark.parametrize(
    ("counts", "percent", "settled"),
    [
        ((0, 0, 0, 0), Decimal(100), True),  # nothing found, nothing owed
        ((3, 0, 0, 0), Decimal(100), True),
        ((3, 0, 0, 2), Decimal(100), True),
        ((0, 0, 0, 2), Decimal(100), True),
        ((1, 1, 1, 0), Decimal("33.33333333333333333333333333333333"), False),
        ((7, 1, 0, 0), Decimal("87.5"), False),
        ((0, 1, 0, 0), Decimal(0), False),
    ],
)
def test_the_percentage_in_every_case(counts, percent, settled):
    settled_n, in_progress, not_started, cannot = counts
    summary = TlhpSummary(
        total=sum(counts),
        settled=settled_n,
        in_progress=in_progress,
        not_started=not_started,
        cannot=cannot,
    )
    assert summary.percent == percent
    assert summary.all_settled is settled


def test_the_percentage_is_one_query(world, django_assert_num_queries):
    for status in (F.SETTLED, F.IN_PROGRESS):
        finding(world, status)
    with django_assert_num_queries(1):
        assert tlhp_settled(world.programme).percent == Decimal(50)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"follow_up_status": F.SETTLED, "follow_up": "Disetor", "settled_on": None}, "settled_on"),
        (
            {
                "follow_up_status": F.SETTLED,
                "follow_up": "Disetor",
                "settled_on": datetime.date(2026, 1, 1),
            },
            "settled_on",
        ),
        ({"follow_up_status": F.IN_PROGRESS, "follow_up": ""}, "follow_up"),
        ({"settled_on": datetime.date(2026, 5, 1)}, "settled_on"),
        ({"follow_up_due": datetime.date(2026, 1, 1)}, "follow_up_due"),
        ({"amount": Decimal("-5")}, "amount"),
        ({"source": "kpk"}, "source"),
        ({"recommendation": "  "}, "recommendation"),
    ],
)
def test_bad_findings_name_the_field_and_save_nothing(world, extra, field):
    values = {
        "source": AuditFinding.Source.BPK,
        "report_date": datetime.date(2026, 3, 2),
        "title": "Temuan",
        "recommendation": "Rekomendasi",
        **extra,
    }
    with pytest.raises(ValidationError) as error:
        services.finding_create(actor=world.coordinator, programme=world.programme, **values)
    assert field in error.value.message_dict
    assert AuditFinding.objects.count() == 0


def test_following_up_a_finding_is_audited(world):
    item = finding(world, F.NOT_STARTED)
    services.finding_update(
        actor=world.coordinator,
        finding=item,
        follow_up_status=F.SETTLED,
        follow_up="Kelebihan bayar disetor ke kas negara",
        settled_on=datetime.date(2026, 6, 10),
    )
    entry = AuditEntry.objects.filter(object_type="pokja.auditfinding").latest("id")
    assert entry.changes["follow_up_status"] == ["belum", "sesuai"]
    assert tlhp_settled(world.programme).all_settled


# --------------------------------------------------------------------------- change agents


def test_change_agent_counts_are_the_answers_of_questions_88_to_91(world):
    agents = [
        services.change_agent_create(actor=world.ketua1, programme=world.programme, name=name)
        for name in ("Bripka Siregar", "Brigpol Nasution", "Ipda Harahap")
    ]
    made = datetime.date(2026, 4, 1)
    for agent, title, integrated in [
        (agents[0], "Antrean SKCK daring", True),
        (agents[0], "Papan informasi biaya", False),
        (agents[1], "Layanan SIM keliling terjadwal", True),
        (agents[1], "Kotak saran digital", False),
        (agents[2], "Apel pagi tematik", False),
    ]:
        services.change_agent_change_create(
            actor=world.ketua1,
            agent=agent,
            title=title,
            made_on=made,
            integrated=integrated,
            integration_note="SOP Sat Intelkam No. 3/2026" if integrated else "",
        )
    other = services.change_agent_create(
        actor=world.outsider, programme=world.other_programme, name="Orang lain"
    )
    services.change_agent_change_create(
        actor=world.outsider, agent=other, title="x", made_on=made, integrated=False
    )
    counts = change_agent_counts(world.programme)
    assert (counts.agents, counts.changes_made, counts.changes_integrated) == (3, 5, 2)
    assert counts.lke_answers() == {88: 3, 89: 5, 90: 5, 91: 2}


def test_an_integrated_change_says_where(world):
    agent = services.change_agent_create(actor=world.ketua1, programme=world.programme, name="A")
    with pytest.raises(ValidationError) as error:
        services.change_agent_change_create(
            actor=world.ketua1,
            agent=agent,
            title="Perubahan",
            made_on=datetime.date(2026, 1, 1),
            integrated=True,
        )
    assert "integration_note" in error.value.message_dict
    assert ChangeAgentChange.objects.count() == 0


def test_removing_an_agent_removes_and_audits_their_changes(world):
    agent = services.change_agent_create(actor=world.ketua1, programme=world.programme, name="A")
    change = services.change_agent_change_create(
        actor=world.ketua1, agent=agent, title="P", made_on=datetime.date(2026, 1, 1)
    )
    services.change_agent_delete(actor=world.ketua1, agent=agent)
    assert not ChangeAgent.objects.exists()
    assert AuditEntry.objects.filter(
        object_type="pokja.changeagentchange", object_id=str(change.pk), action="delete"
    ).exists()


# --------------------------------------------------------------------------- pages


def programme_url(world, name, **extra):
    return reverse(name, kwargs={"unit_code": world.unit.code, "year": 2026, **extra})


def test_the_findings_page_shows_the_percentage_with_constant_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.pimpinan)
    finding(world, F.SETTLED)
    finding(world, F.NOT_STARTED)
    url = programme_url(world, "findings")
    client.get(url)
    with django_assert_num_queries(10):
        response = client.get(url)
    html = response.content.decode()
    assert 'data-testid="tlhp-percent">50.00%' in html
    assert "Proposal condition not met yet" in html
    for _ in range(30):
        finding(world, F.IN_PROGRESS)
    with django_assert_num_queries(10):
        client.get(url)
    response = client.get(url + "?status=sesuai")
    assert len(response.context["findings"]) == 1


def test_the_coordinator_records_and_settles_a_finding_with_forms(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        programme_url(world, "finding_create"),
        {
            "source": "bpk",
            "auditor": "BPK RI Perwakilan Sumatera Utara",
            "report_number": "12/LHP/XVIII.MDN/2026",
            "report_date": "2026-04-10",
            "title": "Kelebihan pembayaran perjalanan dinas",
            "recommendation": "Setor kelebihan ke kas negara",
            "amount": "12500000",
            "follow_up_status": "belum",
        },
    )
    item = AuditFinding.objects.get()
    assert response.status_code == 302
    url = programme_url(world, "finding_detail", finding_id=item.pk)
    response = client.post(
        url,
        {
            "source": "bpk",
            "report_date": "2026-04-10",
            "title": item.title,
            "recommendation": item.recommendation,
            "follow_up_status": "sesuai",
            "follow_up": "",
        },
    )
    assert response.status_code == 200
    assert "settled_on" in response.context["form"].errors  # the date it was settled
    item.refresh_from_db()
    assert item.follow_up_status == "belum"


def test_a_member_of_another_pokja_reads_but_cannot_record_findings(client, world):
    client.force_login(world.anggota1)
    assert client.get(programme_url(world, "findings")).status_code == 200
    assert client.get(programme_url(world, "finding_create")).status_code == 403
    response = client.post(
        programme_url(world, "finding_create"),
        {"source": "apip", "report_date": "2026-01-01", "title": "x", "recommendation": "y"},
    )
    assert response.status_code == 403 and not AuditFinding.objects.exists()


def test_the_change_agent_page_shows_the_counts_with_constant_queries(
    client, world, django_assert_num_queries
):
    client.force_login(world.tpi)
    url = programme_url(world, "change_agents")

    def add(n):
        for i in range(n):
            agent = services.change_agent_create(
                actor=world.ketua1, programme=world.programme, name=f"Agen {i}"
            )
            services.change_agent_change_create(
                actor=world.ketua1, agent=agent, title="P", made_on=datetime.date(2026, 2, 1)
            )

    add(2)
    client.get(url)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert 'data-testid="q88">2<' in response.content.decode()
    add(20)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert 'data-testid="q89">22<' in response.content.decode()
    assert "Add a change agent" not in response.content.decode()  # TPI reads only


def test_pokja_1_keeps_the_change_agent_register_through_forms(client, world):
    client.force_login(world.anggota1)
    response = client.post(
        programme_url(world, "change_agent_create"),
        {"name": "Bripka Rahmat Siregar", "position": "Banit Sat Lantas"},
    )
    agent = ChangeAgent.objects.get()
    assert response.status_code == 302
    response = client.post(
        programme_url(world, "agent_change_create", agent_id=agent.pk),
        {"title": "SIM keliling terjadwal", "made_on": "2026-03-01", "integrated": "on"},
    )
    assert response.status_code == 200
    assert "integration_note" in response.context["form"].errors
    response = client.post(
        programme_url(world, "agent_change_create", agent_id=agent.pk),
        {
            "title": "SIM keliling terjadwal",
            "made_on": "2026-03-01",
            "integrated": "on",
            "integration_note": "SOP Sat Lantas 4/2026",
        },
    )
    assert response.status_code == 302
    assert change_agent_counts(world.programme).changes_integrated == 1
    client.force_login(world.anggota2)
    assert client.get(programme_url(world, "change_agent_create")).status_code == 403
