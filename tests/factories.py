"""Factories and the standard test world."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import factory

from pokja import services
from pokja.models import ActionPlanItem, Pokja, Programme, ProgrammeRole, Unit, UnitRole, User

DEFAULT_PASSWORD = "a-Long-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="id_ID")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create and results:
            instance.save(update_fields=["password"])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"POLRES-TEST-{n}")
    name = factory.Sequence(lambda n: f"Polres Test {n}")
    kind = Unit.Kind.POLRES


def framework_for_tests():
    """The bundled LKE framework, loaded once per database."""
    from evaluations.loader import load_bundled_framework

    return load_bundled_framework("lke-2021")


def make_programme(
    *, unit: Unit | None = None, year: int = 2026, actor=None, **kwargs
) -> Programme:
    return services.programme_create(
        actor=actor,
        unit=unit or UnitFactory(),
        year=year,
        framework=kwargs.pop("framework", None) or framework_for_tests(),
        **kwargs,
    )


def give_role(user: User, programme: Programme, kind: str, pokja_number: int | None = None):
    pokja = programme.pokjas.get(number=pokja_number) if pokja_number else None
    return ProgrammeRole.objects.create(user=user, programme=programme, kind=kind, pokja=pokja)


def give_pokja_and_review_roles(cast: dict[str, User], programme: Programme) -> None:
    """The roles of the world's cast below the coordinator: chair and member of Pokja 1 and
    of Pokja 2, the TPI reviewer, the head of unit (`cast` by their usernames in the world)."""
    K = ProgrammeRole.Kind
    give_role(cast["ketua1"], programme, K.KETUA, 1)
    give_role(cast["anggota1"], programme, K.ANGGOTA, 1)
    give_role(cast["ketua2"], programme, K.KETUA, 2)
    give_role(cast["anggota2"], programme, K.ANGGOTA, 2)
    give_role(cast["tpi"], programme, K.TPI)
    give_role(cast["pimpinan"], programme, K.PIMPINAN)


@dataclass
class World:
    parent_unit: Unit
    unit: Unit
    programme: Programme
    pokjas: dict[int, Pokja]
    coordinator: User
    ketua1: User
    anggota1: User
    ketua2: User
    anggota2: User
    tpi: User
    pimpinan: User
    unit_admin: User
    site_admin: User
    oversight: User
    outsider: User
    other_programme: Programme
    no_role: User
    extra: dict = field(default_factory=dict)
    # The agency ZI administrator of the parent unit (proposes to the national portal).
    agency_admin: User | None = None

    def users_by_role(self) -> dict[str, User | None]:
        return {
            "anonymous": None,
            "no_role": self.no_role,
            "outsider": self.outsider,
            "koordinator": self.coordinator,
            "ketua1": self.ketua1,
            "anggota1": self.anggota1,
            "anggota2": self.anggota2,
            "tpi": self.tpi,
            "pimpinan": self.pimpinan,
            "unit_admin": self.unit_admin,
            "oversight": self.oversight,
            "agency": self.agency_admin,
            "site_admin": self.site_admin,
        }


def build_world() -> World:
    K = ProgrammeRole.Kind
    parent = UnitFactory(code="POLDA-TEST", name="Polda Test", kind=Unit.Kind.POLDA)
    unit = UnitFactory(code="POLRES-ALPHA", name="Polres Alpha", parent=parent)
    other_unit = UnitFactory(code="POLRES-BETA", name="Polres Beta")
    programme = make_programme(unit=unit, year=2026)
    other_programme = make_programme(unit=other_unit, year=2026)
    users = {
        name: UserFactory(username=name)
        for name in (
            "koordinator",
            "ketua1",
            "anggota1",
            "ketua2",
            "anggota2",
            "tpi",
            "pimpinan",
            "unitadmin",
            "oversight",
            "agency",
            "outsider",
            "norole",
        )
    }
    site_admin = UserFactory(username="siteadmin", is_superuser=True, is_staff=True)
    give_role(users["koordinator"], programme, K.KOORDINATOR)
    give_pokja_and_review_roles(users, programme)
    give_role(users["outsider"], other_programme, K.KOORDINATOR)
    UnitRole.objects.create(user=users["unitadmin"], unit=unit, kind=UnitRole.Kind.ADMIN)
    UnitRole.objects.create(user=users["oversight"], unit=parent, kind=UnitRole.Kind.OVERSIGHT)
    UnitRole.objects.create(user=users["agency"], unit=parent, kind=UnitRole.Kind.AGENCY)
    return World(
        parent_unit=parent,
        unit=unit,
        programme=programme,
        pokjas={p.number: p for p in programme.pokjas.all()},
        coordinator=users["koordinator"],
        ketua1=users["ketua1"],
        anggota1=users["anggota1"],
        ketua2=users["ketua2"],
        anggota2=users["anggota2"],
        tpi=users["tpi"],
        pimpinan=users["pimpinan"],
        unit_admin=users["unitadmin"],
        site_admin=site_admin,
        oversight=users["oversight"],
        outsider=users["outsider"],
        other_programme=other_programme,
        no_role=users["norole"],
        agency_admin=users["agency"],
    )


def decimal(value) -> Decimal:
    return Decimal(str(value))


def make_plan_item(
    programme: Programme,
    pokja_number: int = 1,
    *,
    sub_area_code: str | None = None,
    actor=None,
    **kwargs,
):
    """An action-plan item of a Pokja, created through the service (audited)."""
    import datetime

    pokja = programme.pokjas.get(number=pokja_number)
    framework = programme.framework
    sub_area = (
        framework.sub_areas.get(code=sub_area_code)
        if sub_area_code
        else framework.sub_areas.filter(area__code=pokja.area_code).order_by("order").first()
    )
    values = {
        "title": "Sosialisasi pakta integritas",
        "start_date": datetime.date(2026, 2, 1),
        "due_date": datetime.date(2026, 12, 31),
        **kwargs,
    }
    return services.action_plan_create(actor=actor, pokja=pokja, sub_area=sub_area, **values)


def make_item_in(world: World, status: str):
    """An item of Pokja 1 (added by its chair) put straight in `status`, past the workflow:
    at 100% when done or verified, else at 40%."""
    S = ActionPlanItem.Status
    item = make_plan_item(world.programme, 1, actor=world.ketua1)
    if status != S.NOT_STARTED:
        ActionPlanItem.objects.filter(pk=item.pk).update(
            status=status, progress=100 if status in (S.DONE, S.VERIFIED) else 40
        )
        item.refresh_from_db()
    return item


def make_item_due(world: World, due, pokja: int = 1, **kwargs):
    """An item of the world's programme begun on 5 January 2026 and due on `due`, owned by the
    Pokja's member (anggota1 or anggota2) unless `owners` says otherwise."""
    import datetime

    owners = kwargs.pop("owners", [world.anggota1] if pokja == 1 else [world.anggota2])
    return make_plan_item(
        world.programme,
        pokja,
        start_date=datetime.date(2026, 1, 5),
        due_date=due,
        owners=owners,
        **kwargs,
    )


def make_foreign_evidence(world: World):
    """A piece of evidence of the other programme (a link its coordinator added): nothing of
    this programme may be given it."""
    return services.evidence_add_link(
        actor=world.outsider,
        programme=world.other_programme,
        pokja=None,
        url="https://example.test/asing",
        title="Asing",
    )
