"""A unit's administrators give roles to the unit's own people; anyone else is invited and
gets the role only by accepting. What the administrator sees never tells whether a username
belongs to an account elsewhere, and that person's details stay hidden until they accept."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from pokja.models import ProgrammeRole, RoleInvitation
from pokja.services.people import people_of_unit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def roles_url(world) -> str:
    return reverse(
        "programme_roles", kwargs={"unit_code": world.unit.code, "year": world.programme.year}
    )


def invite(client, world, username: str, kind: str = "tpi", **extra):
    return client.post(roles_url(world), {"username": username, "kind": kind, **extra})


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def page_text(response) -> str:
    """The page in one line, without its CSRF tokens (new with every session)."""
    text = re.sub(r"\s+", " ", response.content.decode())
    return re.sub(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*"', r'\1"', text)


@pytest.fixture
def stranger(world):
    """The coordinator of another unit, with details the unit must not learn uninvited."""
    person = world.outsider
    person.full_name = "AKP Rahasia Sekali"
    person.position = "Wakapolres Beta"
    person.phone = "0812-0000-1111"
    person.save()
    return person


def test_a_unit_admin_no_longer_pulls_in_an_account_of_another_unit(client, world, stranger):
    client.force_login(world.unit_admin)
    response = invite(client, world, stranger.username)
    assert response.status_code == 302
    # What was reported: the role was given at once and the person's details showed.
    assert not ProgrammeRole.objects.filter(user=stranger, programme=world.programme).exists()
    assert not people_of_unit(world.unit).filter(pk=stranger.pk).exists()
    invitation = RoleInvitation.objects.get(programme=world.programme)
    assert invitation.invitee == stranger and invitation.status == "open"
    page = page_text(client.get(roles_url(world)))
    for detail in (stranger.full_name, stranger.position, stranger.phone, stranger.email):
        assert detail not in page
    people = client.get(reverse("unit_people", kwargs={"unit_code": world.unit.code}))
    assert stranger.full_name not in page_text(people)
    person = reverse(
        "unit_person_detail", kwargs={"unit_code": world.unit.code, "user_id": stranger.pk}
    )
    assert client.get(person).status_code == 404


def test_nor_the_site_administrator(client, world):
    client.force_login(world.unit_admin)
    invite(client, world, world.site_admin.username, kind="koordinator")
    assert not ProgrammeRole.objects.filter(user=world.site_admin).exists()
    assert RoleInvitation.objects.get().invitee == world.site_admin


def _what_the_inviter_sees(client, world, username: str) -> tuple:
    response = invite(client, world, username)
    messages = [m.replace(username, "NAME") for m in said(response)]
    page = page_text(client.get(roles_url(world)))
    rows = re.findall(r'data-testid="invitation">(.*?)</li>', page)
    row = next(r for r in rows if username in r).replace(username, "NAME")
    # Each row withdraws its own invitation, with the page's token.
    row = re.sub(r'action="[^"]*"', "", row)
    return response.status_code, messages, row


def test_an_existing_name_elsewhere_reads_exactly_like_a_missing_one(client, world, stranger):
    client.force_login(world.unit_admin)
    existing = _what_the_inviter_sees(client, world, stranger.username)
    missing = _what_the_inviter_sees(client, world, "nobody-has-this-name")
    assert existing == missing
    assert existing[0] == 302 and "Invitation recorded for “NAME”" in existing[1][0]
    # Nor does the programme's trail tell them apart: no person is named or pointed to.
    entries = AuditEntry.objects.filter(object_type="pokja.roleinvitation")
    assert entries.count() == 2
    for entry in entries:
        assert set(entry.changes) == {"programme", "kind", "username", "expires_at"}
        assert entry.programme_id == world.programme.pk


def test_the_person_accepts_and_only_then_holds_the_role(client, world, stranger):
    client.force_login(world.unit_admin)
    invite(client, world, stranger.username, kind="anggota", pokja=world.pokjas[3].pk)
    client.force_login(stranger)
    badge = client.get(reverse("invitation_badge")).content.decode()
    assert reverse("invitation_list") in badge and ">1<" in badge
    listing = page_text(client.get(reverse("invitation_list")))
    assert world.unit.name in listing and world.unit_admin.display_name in listing
    invitation = RoleInvitation.objects.get()
    response = client.post(reverse("invitation_accept", kwargs={"invitation_id": invitation.pk}))
    assert response.status_code == 302
    role = ProgrammeRole.objects.get(user=stranger, programme=world.programme)
    assert (role.kind, role.pokja) == ("anggota", world.pokjas[3])
    assert people_of_unit(world.unit).filter(pk=stranger.pk).exists()
    invitation.refresh_from_db()
    assert invitation.status == "accepted"
    created = AuditEntry.objects.get(object_type="pokja.programmerole", action="create")
    assert created.actor_id == stranger.pk and created.programme_id == world.programme.pk
    assert AuditEntry.objects.filter(note="Invitation accepted", actor_id=stranger.pk).exists()
    # Accepted once: nothing more to accept, and the menu shows nothing.
    again = client.post(reverse("invitation_accept", kwargs={"invitation_id": invitation.pk}))
    assert again.status_code == 404
    assert client.get(reverse("invitation_badge")).content.decode().strip() == ""


def test_a_decline_looks_to_the_inviter_like_no_answer(client, world, stranger):
    client.force_login(world.unit_admin)
    invite(client, world, stranger.username)
    client.get(roles_url(world))  # shows the message of the invitation
    before = page_text(client.get(roles_url(world)))
    invitation = RoleInvitation.objects.get()
    client.force_login(stranger)
    url = reverse("invitation_decline", kwargs={"invitation_id": invitation.pk})
    assert "Invitation declined." in page_text(client.post(url, follow=True))
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert client.get(reverse("invitation_badge")).content.decode().strip() == ""
    client.force_login(world.unit_admin)
    assert page_text(client.get(roles_url(world))) == before
    declined = AuditEntry.objects.get(note="Invitation declined")
    assert declined.programme_id is None and declined.unit_id is None  # not in the unit's trail
    # Inviting again while it is open records nothing new.
    invite(client, world, stranger.username)
    assert RoleInvitation.objects.count() == 1


def test_withdrawn_or_expired_invitations_cannot_be_accepted(client, world, stranger):
    client.force_login(world.unit_admin)
    invite(client, world, stranger.username)
    invite(client, world, stranger.username, kind="pimpinan")
    withdrawn, expired = RoleInvitation.objects.order_by("pk")
    withdraw = reverse(
        "programme_invitation_withdraw",
        kwargs={**world.programme.url_kwargs(), "invitation_id": withdrawn.pk},
    )
    assert client.post(withdraw).status_code == 302
    RoleInvitation.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert "No open invitations." in page_text(client.get(roles_url(world)))
    client.force_login(stranger)
    for invitation in (withdrawn, expired):
        url = reverse("invitation_accept", kwargs={"invitation_id": invitation.pk})
        assert client.post(url).status_code == 404
    assert not ProgrammeRole.objects.filter(user=stranger, programme=world.programme).exists()


def test_someone_else_cannot_accept_an_invitation(client, world, stranger):
    client.force_login(world.unit_admin)
    invite(client, world, stranger.username)
    invitation = RoleInvitation.objects.get()
    for person in (world.unit_admin, world.no_role, world.coordinator):
        client.force_login(person)
        url = reverse("invitation_accept", kwargs={"invitation_id": invitation.pk})
        assert client.post(url).status_code == 404
    assert not ProgrammeRole.objects.filter(programme=world.programme, user=stranger).exists()


def test_a_role_refused_at_acceptance_is_explained_and_stays_open(client, world, stranger):
    client.force_login(world.unit_admin)
    invite(client, world, stranger.username, kind="ketua", pokja=world.pokjas[1].pk)  # has one
    invitation = RoleInvitation.objects.get()
    client.force_login(stranger)
    response = client.post(reverse("invitation_accept", kwargs={"invitation_id": invitation.pk}))
    assert response.status_code == 302
    assert any("already has a chair" in m for m in said(response))
    invitation.refresh_from_db()
    assert invitation.status == "open"


def test_the_unit_s_own_people_get_the_role_at_once(client, world):
    member = world.ketua2
    client.force_login(world.unit_admin)
    response = invite(client, world, member.username.upper(), kind="tpi")
    assert response.status_code == 302
    assert ProgrammeRole.objects.filter(user=member, kind="tpi").exists()
    assert not RoleInvitation.objects.exists()
    assert any("Role given to" in m for m in said(response))


def test_site_administrators_give_roles_to_any_account_and_hear_of_missing_ones(client, world):
    elsewhere = UserFactory(username="jauh")
    client.force_login(world.site_admin)
    assert invite(client, world, "jauh").status_code == 302
    assert ProgrammeRole.objects.filter(user=elsewhere, programme=world.programme).exists()
    response = invite(client, world, "tidak-ada")
    assert response.status_code == 200
    assert response.context["form"].errors["username"] == ["No account has this username."]
    assert not RoleInvitation.objects.exists()


def test_a_pokja_role_needs_its_pokja_and_bad_input_names_the_field(client, world):
    client.force_login(world.unit_admin)
    for data, field in (
        ({"username": "siapa", "kind": "anggota"}, "pokja"),
        ({"username": "", "kind": "tpi"}, "username"),
        ({"username": "siapa", "kind": "raja"}, "kind"),
        ({"username": "x" * 151, "kind": "tpi"}, "username"),
    ):
        response = client.post(roles_url(world), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors
    assert not RoleInvitation.objects.exists()
