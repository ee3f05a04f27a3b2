"""Who gets what from every URL of the project.

Every named URL pattern must have an entry here (or be listed in PUBLIC or EXEMPT); the
matrix test fails for a URL added without one. Each entry builds the URL from the standard
test world (tests.factories.World) and says the expected status for every role:

    anonymous   not signed in                 no_role    signed in, no role anywhere
    outsider    coordinator of another unit   koordinator, ketua1, anggota1 (Pokja 1),
    anggota2    member of Pokja 2             tpi, pimpinan, unit_admin, site_admin
    oversight   oversight role on the parent unit (read only)

Statuses: 302 for anonymous (sent to sign in); 404 when the person may not see the object
(its existence is not revealed); 403 when they may see it but not do this; 200 to read;
302 after a successful change.

Changing ids in URLs (IDOR) is tried for every entry with the same builders applied to a
mirror of the world (`mirror_world`: the other unit's programme with a full cast of its own):
the other programme's objects addressed through this programme's URL, and the other
programme's own URLs, must answer 404 to this world's people. A builder that cannot run on
the mirror gets an explicit `foreign` builder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.factories import UserFactory, World, give_role

ROLES = (
    "anonymous",
    "no_role",
    "outsider",
    "koordinator",
    "ketua1",
    "anggota1",
    "anggota2",
    "tpi",
    "pimpinan",
    "unit_admin",
    "oversight",
    "site_admin",
)
VIEWERS = (
    "koordinator",
    "ketua1",
    "anggota1",
    "anggota2",
    "tpi",
    "pimpinan",
    "unit_admin",
    "oversight",
    "site_admin",
)


def statuses(default: int, **by_role: int) -> dict[str, int]:
    expected = dict.fromkeys(ROLES, default)
    expected["anonymous"] = 302
    expected.update(by_role)
    return expected


def read_by_viewers(**overrides: int) -> dict[str, int]:
    """Everyone who can see the programme reads (200); others get 404."""
    return statuses(404, **{**dict.fromkeys(VIEWERS, 200), **overrides})


def programme_kwargs(world: World) -> dict:
    return {"unit_code": world.unit.code, "year": world.programme.year}


@dataclass
class Case:
    kwargs: Callable[[World], dict]
    expect: dict[str, int]
    method: str = "get"
    data: Callable[[World], dict] = field(default=lambda world: {})
    # Extra set-up on the world before the requests (e.g. an uploaded file to download).
    prepare: Callable[[World], None] | None = None
    # The URL kwargs on the mirror world, when `kwargs` cannot build them there.
    foreign: Callable[[World], dict] | None = None


# URL parameters that say which programme or unit a URL is about; the others name objects.
SCOPE_KEYS = frozenset({"unit_code", "year"})


def mirror_world(world: World) -> World:
    """The other unit's programme as a world of its own, with a person in every role.

    Its `outsider` is this world's coordinator, and this world's outsider coordinates it.
    """
    from pokja.models import UnitRole

    other = world.other_programme
    K = "koordinator", "ketua", "anggota", "tpi", "pimpinan"
    cast = {
        name: UserFactory(username=f"beta-{name}")
        for name in ("ketua1", "anggota1", "ketua2", "anggota2", "tpi", "pimpinan", "admin")
    }
    give_role(cast["ketua1"], other, K[1], 1)
    give_role(cast["anggota1"], other, K[2], 1)
    give_role(cast["ketua2"], other, K[1], 2)
    give_role(cast["anggota2"], other, K[2], 2)
    give_role(cast["tpi"], other, K[3])
    give_role(cast["pimpinan"], other, K[4])
    UnitRole.objects.create(user=cast["admin"], unit=other.unit, kind=UnitRole.Kind.ADMIN)
    oversight = UserFactory(username="beta-oversight")
    UnitRole.objects.create(user=oversight, unit=other.unit, kind=UnitRole.Kind.OVERSIGHT)
    return dataclasses.replace(
        world,
        parent_unit=other.unit,
        unit=other.unit,
        programme=other,
        pokjas={p.number: p for p in other.pokjas.all()},
        coordinator=world.outsider,
        ketua1=cast["ketua1"],
        anggota1=cast["anggota1"],
        ketua2=cast["ketua2"],
        anggota2=cast["anggota2"],
        tpi=cast["tpi"],
        pimpinan=cast["pimpinan"],
        unit_admin=cast["admin"],
        oversight=oversight,
        outsider=world.coordinator,
        other_programme=world.programme,
        extra={},
    )


def _pakta_evidence(world: World) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pokja.services import evidence_add_file

    evidence = evidence_add_file(
        actor=world.coordinator,
        programme=world.programme,
        pokja=world.pokjas[1],
        uploaded=SimpleUploadedFile(
            "pakta.pdf", b"%PDF-1.4\n% test\n", content_type="application/pdf"
        ),
        title="Pakta",
    )
    return {"pk": evidence.pk}


def _role_of_anggota1(world: World) -> dict:
    role = world.programme.roles.get(user=world.anggota1)
    return {**programme_kwargs(world), "role_id": role.pk}


# People who see the unit (through a role in it, or oversight above it) without administering it.
UNIT_SEERS = ("koordinator", "ketua1", "anggota1", "anggota2", "tpi", "pimpinan", "oversight")


def for_unit_admins(ok: int) -> dict[str, int]:
    """Unit pages: administrators get `ok`; others who see the unit 403; the rest 404."""
    return statuses(404, **dict.fromkeys(UNIT_SEERS, 403), unit_admin=ok, site_admin=ok)


def unit_kwargs(world: World) -> dict:
    return {"unit_code": world.unit.code}


def _person(world: World) -> dict:
    # ketua2 is nobody's test identity in the walk, so changing them changes no requester.
    return {**unit_kwargs(world), "user_id": world.ketua2.pk}


def _person_programme_role(world: World) -> dict:
    role = world.programme.roles.get(user=world.ketua2)
    return {**_person(world), "role_id": role.pk}


def _person_unit_role(world: World) -> dict:
    from pokja.models import UnitRole

    role, _ = UnitRole.objects.get_or_create(
        user=world.ketua2, unit=world.unit, kind=UnitRole.Kind.ADMIN
    )
    return {**_person(world), "role_id": role.pk}


MATRIX: dict[str, Case] = {
    "home": Case(lambda w: {}, statuses(200)),
    "programme_create": Case(lambda w: {}, statuses(403, unit_admin=200, site_admin=200)),
    "programme_detail": Case(programme_kwargs, read_by_viewers()),
    "programme_settings": Case(
        programme_kwargs,
        read_by_viewers(
            **{r: 403 for r in VIEWERS if r not in ("koordinator", "unit_admin", "site_admin")}
        ),
    ),
    "programme_roles": Case(
        programme_kwargs,
        read_by_viewers(**{r: 403 for r in VIEWERS if r not in ("unit_admin", "site_admin")}),
    ),
    "programme_role_remove": Case(
        _role_of_anggota1,
        read_by_viewers(
            **{r: 403 for r in VIEWERS if r not in ("unit_admin", "site_admin")},
            unit_admin=302,
            site_admin=302,
        ),
        method="post",
    ),
    "pokja_detail": Case(lambda w: {**programme_kwargs(w), "number": 1}, read_by_viewers()),
    "evidence_download": Case(_pakta_evidence, read_by_viewers()),
    "audit_trail": Case(
        programme_kwargs,
        read_by_viewers(
            **{r: 403 for r in VIEWERS if r not in ("koordinator", "unit_admin", "site_admin")}
        ),
    ),
    "unit_people": Case(unit_kwargs, for_unit_admins(200)),
    "unit_person_create": Case(unit_kwargs, for_unit_admins(200)),
    "unit_person_detail": Case(_person, for_unit_admins(200)),
    "unit_person_role_give": Case(_person, for_unit_admins(200), method="post"),
    "unit_person_role_remove": Case(_person_programme_role, for_unit_admins(302), method="post"),
    "unit_person_unit_role_remove": Case(_person_unit_role, for_unit_admins(302), method="post"),
    "unit_person_set_active": Case(
        _person, for_unit_admins(302), method="post", data=lambda w: {"active": "0"}
    ),
    "unit_person_password_reset": Case(_person, for_unit_admins(302), method="post"),
    "unit_person_unlock": Case(_person, for_unit_admins(302), method="post"),
}

# URLs whose object parameters are numbered within the programme (Pokja 1..6, question
# numbers): the same number in another programme is this programme's own object, so there is
# no foreign id to try through this programme's URL (the other programme's URL is still tried).
PROGRAMME_LOCAL_IDS = {"pokja_detail"}

# Reachable without signing in, answering 200 to everyone.
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "healthz",
}

# Not walked: Django's own admin (staff only, tested by Django), views that need a token
# or are POST-only plumbing of Django itself.
EXEMPT_PREFIXES = ("admin:",)
EXEMPT = {
    "logout",  # POST-only; signs out whoever asks
    "password_change",  # Django's own view, login required
    "password_change_done",
    "password_reset_confirm",  # needs a one-time token
    "set_language",  # Django's own view, sets a cookie
}
