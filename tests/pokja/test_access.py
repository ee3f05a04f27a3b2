"""The authorization layer: who sees and changes what."""

import pytest
from django.http import Http404

from pokja.access import get_programme_for_user, programme_access, visible_programmes

pytestmark = pytest.mark.django_db


def test_roles_within_a_programme(world):
    p1, p2 = world.pokjas[1].pk, world.pokjas[2].pk
    member = programme_access(world.anggota1, world.programme)
    assert member.can_view and member.can_edit_pokja(p1) and not member.can_edit_pokja(p2)
    assert not member.can_coordinate and not member.can_review and not member.can_manage
    chair = programme_access(world.ketua1, world.programme)
    assert chair.is_chair_of(p1) and not chair.is_chair_of(p2)
    coordinator = programme_access(world.coordinator, world.programme)
    assert coordinator.can_edit_pokja(p1) and coordinator.can_edit_pokja(p2)
    assert coordinator.can_coordinate and not coordinator.can_review
    tpi = programme_access(world.tpi, world.programme)
    assert tpi.can_review and not tpi.can_edit_pokja(p1)
    head = programme_access(world.pimpinan, world.programme)
    assert head.can_view and not head.can_edit_pokja(p1) and not head.can_review
    admin = programme_access(world.unit_admin, world.programme)
    assert admin.can_manage and not admin.can_edit_pokja(p1)
    site = programme_access(world.site_admin, world.programme)
    assert site.can_manage and site.can_review and site.can_edit_pokja(p2)


def test_outsiders_and_people_without_roles_see_nothing(world):
    for user in (world.outsider, world.no_role):
        assert not programme_access(user, world.programme).can_view
        with pytest.raises(Http404):
            get_programme_for_user(user, world.unit.code, world.programme.year)
    assert list(visible_programmes(world.outsider)) == [world.other_programme]


def test_oversight_of_a_parent_unit_reads_the_units_below(world):
    access = programme_access(world.oversight, world.programme)
    assert access.can_view and not access.can_edit_pokja(world.pokjas[1].pk)
    assert not programme_access(world.oversight, world.other_programme).can_view
    assert list(visible_programmes(world.oversight)) == [world.programme]


def test_site_admin_sees_every_programme(world):
    assert set(visible_programmes(world.site_admin)) == {world.programme, world.other_programme}


def test_inactive_users_lose_access(world):
    world.coordinator.is_active = False
    world.coordinator.save()
    assert not programme_access(world.coordinator, world.programme).can_view
