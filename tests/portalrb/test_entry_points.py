"""Where an agency ZI administrator reaches the agency's pages from: a block on the home page
and the menu's entry (loaded by htmx). Nobody else is shown either, and neither adds a query
to the pages."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pokja.models import Unit, UnitRole, programme_today
from tests.factories import UnitFactory, UserFactory, give_role, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    agency = UnitFactory(code="POLDA-ALPHA", name="Polda Alpha", kind=Unit.Kind.POLDA)
    programme = make_programme(unit=UnitFactory(code="POLRES-SATU", parent=agency), year=2026)
    admin = UserFactory(username="agency-admin")
    UnitRole.objects.create(user=admin, unit=agency, kind=UnitRole.Kind.AGENCY)
    coordinator = UserFactory(username="coord")
    give_role(coordinator, programme, "koordinator")
    overseer = UserFactory(username="overseer")
    UnitRole.objects.create(user=overseer, unit=agency, kind=UnitRole.Kind.OVERSIGHT)
    unit_admin = UserFactory(username="unit-admin")
    UnitRole.objects.create(user=unit_admin, unit=agency, kind=UnitRole.Kind.ADMIN)
    return {
        "agency": agency,
        "admin": admin,
        "coordinator": coordinator,
        "overseer": overseer,
        "unit_admin": unit_admin,
        "no_role": UserFactory(username="nobody"),
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _more_agencies(user, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        agency = UnitFactory(code=f"POLDA-X{i}", name=f"Polda X{i}", kind=Unit.Kind.POLDA)
        UnitRole.objects.create(user=user, unit=agency, kind=UnitRole.Kind.AGENCY)


def test_the_agency_admins_home_leads_to_the_proposal_the_tokens_and_the_fetch_log(people):
    response = _client(people["admin"]).get(reverse("home"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('data-testid="home-agency"') == 1
    for name, kwargs in (
        ("portalrb_proposal", {"unit_code": "POLDA-ALPHA", "year": programme_today().year}),
        ("portalrb_tokens", {"unit_code": "POLDA-ALPHA"}),
        ("portalrb_fetch_log", {"unit_code": "POLDA-ALPHA"}),
    ):
        assert f'href="{reverse(name, kwargs=kwargs)}"' in page
    # an agency administrator with no programme role is not told they have nothing to do
    assert 'data-testid="no-programmes"' not in page


@pytest.mark.parametrize("who", ["coordinator", "overseer", "unit_admin", "no_role"])
def test_nobody_else_is_shown_the_agency_on_the_home_page_or_in_the_menu(people, who):
    client = _client(people[who])
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-agency"' not in home
    assert "/agencies/POLDA-ALPHA/portal/" not in home
    menu = client.get(reverse("portalrb_menu"))
    assert menu.status_code == 200 and menu.content.decode().strip() == ""


def test_the_home_block_adds_no_query(people, django_assert_num_queries):
    admin = people["admin"]
    client = _client(admin)
    url = reverse("home")
    # the same person without the role: the page's own queries
    role = UnitRole.objects.get(user=admin)
    role.delete()
    client.get(url)
    with CaptureQueriesContext(connection) as without:
        client.get(url)
    UnitRole.objects.create(user=admin, unit=people["agency"], kind=UnitRole.Kind.AGENCY)
    with django_assert_num_queries(len(without)):
        one = client.get(url)
    _more_agencies(admin, 3)
    with django_assert_num_queries(len(without)):
        four = client.get(url)
    assert one.content.decode().count('data-testid="home-agency"') == 1
    assert four.content.decode().count('data-testid="home-agency"') == 4


def test_the_menu_lists_the_agencies_in_a_fixed_number_of_queries(
    people, django_assert_num_queries
):
    client = _client(people["admin"])
    url = reverse("portalrb_menu")
    # session, user; the agencies
    with django_assert_num_queries(3):
        menu = client.get(url).content.decode()
    assert 'data-testid="nav-agency"' in menu
    assert (
        f'href="{reverse("portalrb_proposal", args=["POLDA-ALPHA", programme_today().year])}"'
        in menu
    )
    assert f'href="{reverse("portalrb_tokens", args=["POLDA-ALPHA"])}"' in menu
    assert f'href="{reverse("portalrb_fetch_log", args=["POLDA-ALPHA"])}"' in menu
    _more_agencies(people["admin"], 3)
    with django_assert_num_queries(3):
        menu = client.get(url).content.decode()
    assert menu.count('data-testid="nav-agency-proposal"') == 4


def test_a_site_administrator_finds_every_agency_in_the_menu(people):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    menu = _client(superuser).get(reverse("portalrb_menu")).content.decode()
    assert reverse("portalrb_proposal", args=["POLDA-ALPHA", programme_today().year]) in menu


def test_every_page_loads_the_menus_entry_without_a_query_of_its_own(people):
    page = _client(people["coordinator"]).get(reverse("home")).content.decode()
    assert f'hx-get="{reverse("portalrb_menu")}"' in page
    assert _client(people["no_role"]).get(reverse("portalrb_menu")).status_code == 200
    assert Client().get(reverse("portalrb_menu")).status_code == 302  # sign in first
