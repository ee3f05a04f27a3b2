"""Unit administrators manage the people of their unit, and only of their unit."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from audit.models import AuditEntry
from pokja.models import ProgrammeRole, UnitRole, User
from tests.factories import DEFAULT_PASSWORD, UserFactory, give_role

pytestmark = pytest.mark.django_db

STRONG = "Sangat-Rahasia-2026"


def signs_in(client, username: str, password: str) -> bool:
    """Through the sign-in page, as people do (and as the throttling sees it)."""
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def people_url(world, name="unit_people", **kwargs):
    return reverse(name, kwargs={"unit_code": world.unit.code, **kwargs})


def person_url(world, person, name="unit_person_detail", **kwargs):
    return people_url(world, name, user_id=person.pk, **kwargs)


def new_person(world, **overrides):
    data = {
        "username": "brigpol.baru",
        "full_name": "Brigpol Baru Santoso",
        "position": "Bamin Ren",
        "email": "baru@example.test",
        "role": "anggota",
        "programme": world.programme.pk,
        "pokja_number": 3,
        "password_choice": "password",
        "password": STRONG,
    }
    data.update(overrides)
    return data


def test_the_list_shows_the_unit_people_and_no_one_else(client, world):
    client.force_login(world.unit_admin)
    response = client.get(people_url(world))
    assert response.status_code == 200
    listed = {p.username for p in response.context["page"].object_list}
    assert {"koordinator", "ketua1", "anggota1", "tpi", "pimpinan", "unitadmin"} <= listed
    assert "outsider" not in listed and "norole" not in listed and "siteadmin" not in listed


def test_the_list_costs_the_same_with_more_people(client, world, django_assert_num_queries):
    client.force_login(world.unit_admin)
    url = people_url(world)
    client.get(url)
    # session, user, unit, admin rights, count, page, programme roles, unit roles, locks, nav
    with django_assert_num_queries(10):
        client.get(url)
    for i in range(20):
        give_role(UserFactory(username=f"tambahan{i}"), world.programme, "anggota", 1 + i % 6)
    with django_assert_num_queries(10):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 8 + 20


def test_search_and_status_filter(client, world):
    world.anggota2.is_active = False
    world.anggota2.save()
    client.force_login(world.unit_admin)
    found = client.get(people_url(world), {"q": "ketua"}).context["page"].object_list
    assert {p.username for p in found} == {"ketua1", "ketua2"}
    inactive = client.get(people_url(world), {"status": "inactive"}).context["page"].object_list
    assert [p.username for p in inactive] == ["anggota2"]


def test_adding_a_person_with_a_password_gives_the_role_and_is_audited(client, world):
    client.force_login(world.unit_admin)
    response = client.post(people_url(world, "unit_person_create"), new_person(world))
    person = User.objects.get(username="brigpol.baru")
    assert response.status_code == 302
    assert response["Location"] == person_url(world, person)
    role = ProgrammeRole.objects.get(user=person)
    assert (role.kind, role.pokja) == ("anggota", world.pokjas[3])
    created = AuditEntry.objects.get(object_type="pokja.user", object_id=str(person.pk))
    assert created.unit_id == world.unit.pk and created.actor_username == "unitadmin"
    assert "password" not in created.changes
    assert AuditEntry.objects.filter(
        object_type="pokja.programmerole", object_id=str(role.pk), action="create"
    ).exists()
    client.logout()
    assert signs_in(client, "brigpol.baru", STRONG)


def test_adding_a_person_by_e_mail_lets_them_choose_their_password(client, world):
    client.force_login(world.unit_admin)
    response = client.post(
        people_url(world, "unit_person_create"),
        new_person(world, password_choice="link", password=""),
    )
    assert response.status_code == 302
    person = User.objects.get(username="brigpol.baru")
    assert not person.has_usable_password()
    (message,) = mail.outbox
    assert message.to == ["baru@example.test"]
    assert "brigpol.baru" in message.body
    link = re.search(r"https?://\S+/accounts/reset/\S+/", message.body).group(0)
    assert link.startswith("http://127.0.0.1:8000/")  # ZI_SITE_URL, not the request's host
    assert AuditEntry.objects.filter(
        object_id=str(person.pk), note="Password reset e-mail sent"
    ).exists()
    client.logout()
    path = link.split("127.0.0.1:8000", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": STRONG, "new_password2": STRONG},
    )
    assert done.status_code == 302
    assert signs_in(client, "brigpol.baru", STRONG)
    # The link works once.
    assert not client.get(path, follow=True).context["validlink"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "KOORDINATOR"}, "username"),
        ({"password": "12345678"}, "password"),
        ({"password": "brigpol.baru1"}, "password"),
        ({"password_choice": "link", "password": "", "email": ""}, "email"),
        ({"pokja_number": ""}, "pokja_number"),
        ({"programme": "other"}, "programme"),
        ({"role": "superuser"}, "role"),
    ],
)
def test_adding_errors_name_the_field_and_save_nothing(client, world, overrides, field):
    if overrides.get("programme") == "other":
        overrides = {**overrides, "programme": world.other_programme.pk}
    client.force_login(world.unit_admin)
    before = AuditEntry.objects.count()
    response = client.post(people_url(world, "unit_person_create"), new_person(world, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert not User.objects.filter(username__in=["brigpol.baru", "KOORDINATOR"]).exists()
    assert AuditEntry.objects.count() == before
    assert not mail.outbox


def test_a_role_the_model_refuses_leaves_no_half_created_person(client, world):
    client.force_login(world.unit_admin)
    # Pokja 1 already has a chair: refused by the service after the account was created.
    response = client.post(
        people_url(world, "unit_person_create"), new_person(world, role="ketua", pokja_number=1)
    )
    assert response.status_code == 200
    assert "already has a chair" in str(response.context["form"].errors)
    assert not User.objects.filter(username="brigpol.baru").exists()


def test_unit_administrators_cannot_grant_oversight_site_administrators_can(client, world):
    for user, allowed in ((world.unit_admin, False), (world.site_admin, True)):
        client.force_login(user)
        response = client.post(
            person_url(world, world.ketua2, "unit_person_role_give"), {"role": "unit-oversight"}
        )
        granted = UnitRole.objects.filter(user=world.ketua2, kind="oversight").exists()
        assert granted is allowed
        assert response.status_code == (302 if allowed else 200)


def test_giving_and_removing_roles_is_audited(client, world):
    client.force_login(world.unit_admin)
    client.post(
        person_url(world, world.ketua2, "unit_person_role_give"),
        {"role": "anggota", "programme": world.programme.pk, "pokja_number": 5},
    )
    role = ProgrammeRole.objects.get(user=world.ketua2, pokja=world.pokjas[5])
    client.post(person_url(world, world.ketua2, "unit_person_role_remove", role_id=role.pk))
    assert not ProgrammeRole.objects.filter(pk=role.pk).exists()
    actions = AuditEntry.objects.filter(
        object_type="pokja.programmerole", object_id=str(role.pk)
    ).values_list("action", flat=True)
    assert sorted(actions) == ["create", "delete"]
    client.post(person_url(world, world.ketua2, "unit_person_role_give"), {"role": "unit-admin"})
    unit_role = UnitRole.objects.get(user=world.ketua2, kind="admin")
    client.post(
        person_url(world, world.ketua2, "unit_person_unit_role_remove", role_id=unit_role.pk)
    )
    assert not UnitRole.objects.filter(pk=unit_role.pk).exists()
    assert AuditEntry.objects.filter(object_type="pokja.unitrole", action="delete").exists()


def test_the_last_role_of_an_active_account_stays_until_it_is_deactivated(client, world):
    client.force_login(world.unit_admin)
    role = ProgrammeRole.objects.get(user=world.anggota1)
    url = person_url(world, world.anggota1, "unit_person_role_remove", role_id=role.pk)
    response = client.post(url, follow=True)
    assert ProgrammeRole.objects.filter(pk=role.pk).exists()
    assert "Deactivate the account first" in response.content.decode()
    client.post(person_url(world, world.anggota1, "unit_person_set_active"), {"active": "0"})
    client.post(url)
    assert not ProgrammeRole.objects.filter(pk=role.pk).exists()


def test_an_administrator_keeps_their_own_administrator_role(client, world):
    client.force_login(world.unit_admin)
    role = UnitRole.objects.get(user=world.unit_admin)
    give_role(world.unit_admin, world.programme, "tpi")  # so it is not the last role
    client.post(
        person_url(world, world.unit_admin, "unit_person_unit_role_remove", role_id=role.pk)
    )
    assert UnitRole.objects.filter(pk=role.pk).exists()


def test_deactivating_signs_the_person_out_and_reactivating_lets_them_in(client, world):
    theirs = client.__class__()
    theirs.force_login(world.anggota1)
    programme_url = reverse(
        "programme_detail", kwargs={"unit_code": world.unit.code, "year": world.programme.year}
    )
    assert theirs.get(programme_url).status_code == 200
    client.force_login(world.unit_admin)
    client.post(person_url(world, world.anggota1, "unit_person_set_active"), {"active": "0"})
    world.anggota1.refresh_from_db()
    assert not world.anggota1.is_active
    assert theirs.get(programme_url).status_code == 302  # back to the sign-in page
    assert not signs_in(theirs, "anggota1", DEFAULT_PASSWORD)
    client.post(person_url(world, world.anggota1, "unit_person_set_active"), {"active": "1"})
    assert signs_in(theirs, "anggota1", DEFAULT_PASSWORD)
    changes = [
        e.changes["is_active"]
        for e in AuditEntry.objects.filter(object_type="pokja.user").order_by("id")
    ]
    assert changes == [[True, False], [False, True]]


def test_accounts_shared_with_other_units_are_left_to_site_administrators(client, world):
    # The coordinator of Polres Beta also assesses Alpha: Alpha's administrator may change
    # that role but not lock the account Beta depends on.
    give_role(world.outsider, world.programme, "tpi")
    client.force_login(world.unit_admin)
    page = client.get(person_url(world, world.outsider))
    assert page.status_code == 200 and not page.context["can_manage_account"]
    for name, data in (
        ("unit_person_set_active", {"active": "0"}),
        ("unit_person_password_reset", {}),
        ("unit_person_unlock", {}),
        ("unit_person_detail", {"full_name": "Diganti", "email": "attacker@example.test"}),
    ):
        assert client.post(person_url(world, world.outsider, name), data).status_code == 403
    world.outsider.refresh_from_db()
    assert world.outsider.is_active and world.outsider.email == "outsider@example.test"
    assert not mail.outbox
    client.force_login(world.site_admin)
    client.post(person_url(world, world.outsider, "unit_person_set_active"), {"active": "0"})
    world.outsider.refresh_from_db()
    assert not world.outsider.is_active


def test_nobody_deactivates_themselves_or_a_site_administrator(client, world):
    give_role(world.site_admin, world.programme, "pimpinan")
    client.force_login(world.unit_admin)
    for person in (world.unit_admin, world.site_admin):
        url = person_url(world, person, "unit_person_set_active")
        assert client.post(url, {"active": "0"}).status_code == 403
        person.refresh_from_db()
        assert person.is_active


def test_a_password_link_is_sent_and_audited_only_with_an_address(client, world):
    client.force_login(world.unit_admin)
    response = client.post(
        person_url(world, world.anggota1, "unit_person_password_reset"), follow=True
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [world.anggota1.email]
    assert "sent to" in response.content.decode()
    world.anggota2.email = ""
    world.anggota2.save()
    response = client.post(
        person_url(world, world.anggota2, "unit_person_password_reset"), follow=True
    )
    assert len(mail.outbox) == 1
    assert "no e-mail address" in response.content.decode()
    notes = AuditEntry.objects.filter(note="Password reset e-mail sent")
    assert list(notes.values_list("object_id", flat=True)) == [str(world.anggota1.pk)]


def test_editing_details_is_audited(client, world):
    client.force_login(world.unit_admin)
    response = client.post(
        person_url(world, world.anggota1),
        {"full_name": "Ipda Fajar N.", "position": "Paur Humas", "email": "fajar@example.test"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.filter(object_type="pokja.user").latest("id")
    assert entry.changes["email"] == ["anggota1@example.test", "fajar@example.test"]


def test_a_locked_account_is_shown_and_can_be_unlocked(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    other = client.__class__(REMOTE_ADDR="10.1.1.1")
    for _ in range(3):
        other.post(reverse("login"), {"username": "anggota1", "password": "salah"})
    assert (
        other.post(
            reverse("login"), {"username": "anggota1", "password": DEFAULT_PASSWORD}
        ).status_code
        == 429
    )
    client.force_login(world.unit_admin)
    page = client.get(person_url(world, world.anggota1))
    assert page.context["locked"]
    client.post(person_url(world, world.anggota1, "unit_person_unlock"))
    assert not client.get(person_url(world, world.anggota1)).context["locked"]
    response = other.post(reverse("login"), {"username": "anggota1", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(note="Sign-in lock lifted").exists()


def test_other_units_and_their_people_are_out_of_reach(client, world):
    other_unit = world.other_programme.unit
    client.force_login(world.unit_admin)
    assert client.get(reverse("unit_people", args=[other_unit.code])).status_code == 404
    # Beta's coordinator through Alpha's address: not one of Alpha's people.
    assert client.get(person_url(world, world.outsider)).status_code == 404
    assert (
        client.post(
            person_url(world, world.outsider, "unit_person_set_active"), {"active": "0"}
        ).status_code
        == 404
    )
    # A role of Alpha's person, but addressed through another person.
    role = ProgrammeRole.objects.get(user=world.anggota1)
    url = person_url(world, world.anggota2, "unit_person_role_remove", role_id=role.pk)
    assert client.post(url).status_code == 404
    assert ProgrammeRole.objects.filter(pk=role.pk).exists()
