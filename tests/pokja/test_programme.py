from datetime import date

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from pokja.models import Pokja, Programme
from pokja.services import programme_create, programme_role_add
from tests.factories import UnitFactory, UserFactory, framework_for_tests

pytestmark = pytest.mark.django_db


def test_creating_a_programme_creates_six_pokja_one_per_lke_area():
    framework = framework_for_tests()
    actor = UserFactory()
    programme = programme_create(
        actor=actor,
        unit=UnitFactory(code="POLRES-X"),
        year=2026,
        framework=framework,
        pencanangan_date=date(2018, 3, 21),
    )
    pokjas = list(programme.pokjas.order_by("number").values_list("number", "area_code"))
    assert pokjas == [(1, "MP"), (2, "TL"), (3, "SDM"), (4, "AK"), (5, "PW"), (6, "PP")]
    assert (
        Pokja.objects.get(programme=programme, number=5)
        .name.lower()
        .startswith("penguatan pengawasan")
    )
    entry = AuditEntry.objects.get(object_type="pokja.programme", object_id=str(programme.pk))
    assert entry.action == "create" and entry.actor_username == actor.username
    assert programme.key == "POLRES-X/2026"


def test_one_programme_per_unit_and_year():
    framework = framework_for_tests()
    unit = UnitFactory()
    programme_create(actor=None, unit=unit, year=2026, framework=framework)
    with pytest.raises(ValidationError) as error:
        programme_create(actor=None, unit=unit, year=2026, framework=framework)
    assert "year" in error.value.message_dict
    assert Programme.objects.filter(unit=unit).count() == 1


def test_chair_and_member_roles_need_a_pokja_of_the_same_programme(world):
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        programme_role_add(actor=None, programme=world.programme, user=user, kind="anggota")
    assert "pokja" in error.value.message_dict
    foreign_pokja = world.other_programme.pokjas.get(number=1)
    with pytest.raises(ValidationError):
        programme_role_add(
            actor=None, programme=world.programme, user=user, kind="anggota", pokja=foreign_pokja
        )


def test_a_pokja_has_one_chair(world):
    with pytest.raises(ValidationError) as error:
        programme_role_add(
            actor=None,
            programme=world.programme,
            user=UserFactory(),
            kind="ketua",
            pokja=world.pokjas[1],
        )
    assert "already has a chair" in str(error.value)


def test_giving_the_same_role_twice_is_refused_cleanly(world):
    with pytest.raises(ValidationError) as error:
        programme_role_add(
            actor=None,
            programme=world.programme,
            user=world.anggota1,
            kind="anggota",
            pokja=world.pokjas[1],
        )
    assert "already has this role" in str(error.value)
