import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from audit.models import AuditEntry
from pokja.demo import DEMO_PASSWORD
from pokja.models import Pokja, Programme, ProgrammeRole, Unit, UnitRole, User

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = {
    "koordinator",
    *(f"ketua{n}" for n in range(1, 7)),
    *(f"anggota{n}" for n in range(1, 7)),
    "tpi",
    "pimpinan",
    "operator",
    "admin",
}


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Unit, Programme, Pokja, User, ProgrammeRole, UnitRole, AuditEntry)
    }


def test_seed_demo_builds_the_demo_world_and_is_idempotent(settings, demo):
    # `demo` is what `seed_demo` built on an empty database (once per session); the command
    # run again on it changes nothing.
    settings.DEBUG = True
    first = counts()
    call_command("seed_demo")
    assert counts() == first
    unit = Unit.objects.get(code="POLRES-LABUHANBATU")
    assert unit.parent.code == "POLDA-SUMUT"
    programme = Programme.objects.get(unit=unit)
    assert str(programme.pencanangan_date) == "2018-03-21"
    assert programme.pokjas.count() == 6
    assert set(User.objects.values_list("username", flat=True)) >= DEMO_USERNAMES
    coordinator = ProgrammeRole.objects.get(programme=programme, kind="koordinator").user
    assert coordinator.username == "koordinator" and "Waka" in coordinator.position
    for number in range(1, 7):
        pokja = programme.pokjas.get(number=number)
        kinds = dict(pokja.roles.values_list("user__username", "kind"))
        assert kinds == {f"ketua{number}": "ketua", f"anggota{number}": "anggota"}
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="ketua3", password=DEMO_PASSWORD) is not None
    assert User.objects.get(username="admin").is_superuser


def test_seed_demo_adds_more_units_for_load_tests(settings):
    settings.DEBUG = True
    call_command("seed_demo", units=3)
    assert Unit.objects.filter(code__startswith="POLRES-DEMO-").count() == 3
    assert Programme.objects.count() == 4
    call_command("seed_demo", units=2)
    assert Unit.objects.filter(code__startswith="POLRES-DEMO-").count() == 5


def test_if_empty_leaves_an_existing_database_alone(settings, capsys):
    settings.DEBUG = True
    Unit.objects.create(code="SATKER-X", name="Satker X")
    call_command("seed_demo", if_empty=True)
    assert not Programme.objects.exists()
    assert "not seeded" in capsys.readouterr().out


def test_seed_demo_refuses_production_unless_forced(settings, monkeypatch):
    from tests.demo_world import demo_world

    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()
    # Forced, the command goes on to seed: the world seeding builds (kept once per session).
    monkeypatch.setattr("dashboards.management.commands.seed_demo.seed_demo", demo_world)
    call_command("seed_demo", force=True)
    assert User.objects.filter(username="koordinator").exists()


def test_extra_units_vary_for_the_overview(settings):
    """Different totals, some units meeting WBK and some not, some with late items, and a
    daily history per unit."""
    from decimal import Decimal

    from evaluations.models import ProgrammeScore, ScoreSnapshot
    from pokja.models import ActionPlanItem

    settings.DEBUG = True
    call_command("seed_demo", units=12)
    extra = Programme.objects.filter(unit__code__startswith="POLRES-DEMO-")
    scores = ProgrammeScore.objects.filter(programme__in=extra)
    assert scores.count() == 12 and not scores.filter(computed_at__isnull=True).exists()
    totals = sorted(scores.values_list("total", flat=True))
    assert len(set(totals)) >= 10 and totals[-1] - totals[0] > Decimal(10)
    meets = [s.meets.get("WBK") for s in scores]
    assert True in meets and False in meets
    late = {i.programme_id for i in ActionPlanItem.objects.filter(programme__in=extra).late()}
    assert 0 < len(late) < 12
    history = ScoreSnapshot.objects.filter(programme__in=extra)
    assert history.count() == 12 * 60
    # the latest snapshot is the stored total
    first = scores.first()
    assert history.filter(programme=first.programme).latest("date").total == first.total
