"""The demo organisation: Polres Labuhanbatu under Polda Sumatera Utara, its people and roles,
and the extra units of the multi-unit overview.

Polres Labuhanbatu declared its Zona Integritas programme on 21 March 2018 and named its
Waka (deputy chief) coordinator of the six Pokja. Idempotent: running it again changes nothing.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from pokja.models import Programme, ProgrammeRole, Unit, UnitRole, User
from pokja.services import programme_create

DEMO_PASSWORD = "zona-integritas-demo"  # noqa: S105 - published in the README on purpose
DEMO_UNIT_CODE = "POLRES-LABUHANBATU"
PARENT_UNIT_CODE = "POLDA-SUMUT"

# username -> (full name, position)
DEMO_PEOPLE = {
    "koordinator": ("Kompol Ahmad Syaputra", "Wakapolres Labuhanbatu"),
    "ketua1": ("AKP Rudi Hartono", "Kabag Ops"),
    "ketua2": ("AKP Sri Wahyuni", "Kabag Ren"),
    "ketua3": ("AKP Budi Santoso", "Kabag SDM"),
    "ketua4": ("AKP Dewi Lestari", "Kasi Keu"),
    "ketua5": ("AKP Hendra Gunawan", "Kasi Propam"),
    "ketua6": ("AKP Maria Simanjuntak", "Kasat Lantas"),
    "anggota1": ("Ipda Fajar Nugroho", "Paur Humas"),
    "anggota2": ("Ipda Rina Marpaung", "Paur Ren"),
    "anggota3": ("Bripka Agus Salim", "Bamin SDM"),
    "anggota4": ("Brigpol Lina Siregar", "Bamin Keu"),
    "anggota5": ("Bripka Dedi Pohan", "Banit Propam"),
    "anggota6": ("Brigpol Yuni Nasution", "Banit Regident"),
    "tpi": ("AKBP Sutrisno", "Irwasda Polda Sumatera Utara"),
    "pimpinan": ("AKBP Bambang Prasetyo", "Kapolres Labuhanbatu"),
    "operator": ("Bripda Rizky Harahap", "Operator Bag Ren"),
    "admin": ("Administrator ZI Tracker", "Site administrator"),
}


def _demo_user(username: str, **extra) -> User:
    full_name, position = DEMO_PEOPLE[username]
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "full_name": full_name,
            "position": position,
            "email": f"{username}@labuhanbatu.demo.polri.go.id",
            **extra,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_organisation(framework) -> Programme:
    """Units, the current year's programme, six Pokja and one demo person per role."""
    polda, _ = Unit.objects.get_or_create(
        code=PARENT_UNIT_CODE,
        defaults={"name": "Polda Sumatera Utara", "kind": Unit.Kind.POLDA, "address": "Medan"},
    )
    unit, _ = Unit.objects.get_or_create(
        code=DEMO_UNIT_CODE,
        defaults={
            "name": "Polres Labuhanbatu",
            "kind": Unit.Kind.POLRES,
            "parent": polda,
            "address": "Jl. MH Thamrin No. 1, Rantauprapat, Labuhanbatu",
        },
    )
    year = timezone.localdate().year
    programme = Programme.objects.filter(unit=unit, year=year).first()
    if programme is None:
        programme = programme_create(
            actor=None,
            unit=unit,
            year=year,
            framework=framework,
            target=Programme.Target.WBK,
            holds_wbk=False,
            pencanangan_date=datetime.date(2018, 3, 21),
        )
    K = ProgrammeRole.Kind
    _demo_user("admin", is_staff=True, is_superuser=True)
    pokjas = {p.number: p for p in programme.pokjas.all()}
    assignments = [
        ("koordinator", K.KOORDINATOR, None),
        ("tpi", K.TPI, None),
        ("pimpinan", K.PIMPINAN, None),
    ]
    for number in pokjas:
        assignments.append((f"ketua{number}", K.KETUA, number))
        assignments.append((f"anggota{number}", K.ANGGOTA, number))
    for username, kind, number in assignments:
        ProgrammeRole.objects.get_or_create(
            user=_demo_user(username),
            programme=programme,
            kind=kind,
            pokja=pokjas.get(number) if number else None,
        )
    UnitRole.objects.get_or_create(user=_demo_user("operator"), unit=unit, kind=UnitRole.Kind.ADMIN)
    return programme


REGIONS = [
    "Asahan",
    "Batubara",
    "Dairi",
    "Deli Serdang",
    "Humbang Hasundutan",
    "Karo",
    "Langkat",
    "Mandailing Natal",
    "Nias",
    "Padang Lawas",
    "Pakpak Bharat",
    "Samosir",
    "Serdang Bedagai",
    "Simalungun",
    "Tapanuli Selatan",
    "Tapanuli Tengah",
    "Tapanuli Utara",
    "Toba",
    "Labuhanbatu Selatan",
    "Labuhanbatu Utara",
    "Binjai",
    "Pematangsiantar",
    "Sibolga",
    "Tanjungbalai",
    "Tebing Tinggi",
    "Belawan",
    "Pelabuhan Belawan",
    "Medan Kota",
]


@transaction.atomic
def seed_extra_units(framework, count: int, *, seed: int = 2018) -> list[Programme]:
    """`count` more Polres under the Polda, each with this year's programme and people."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not security
    polda = Unit.objects.get(code=PARENT_UNIT_CODE)
    year = timezone.localdate().year
    existing = Unit.objects.filter(code__startswith="POLRES-DEMO-").count()
    programmes = []
    K = ProgrammeRole.Kind
    for index in range(existing + 1, existing + count + 1):
        region = REGIONS[(index - 1) % len(REGIONS)]
        suffix = "" if index <= len(REGIONS) else f" {index // len(REGIONS) + 1}"
        unit = Unit.objects.create(
            code=f"POLRES-DEMO-{index:03d}",
            name=f"Polres {region}{suffix}",
            kind=Unit.Kind.POLRES,
            parent=polda,
        )
        programme = programme_create(
            actor=None,
            unit=unit,
            year=year,
            framework=framework,
            target=Programme.Target.WBBM if rng.random() < 0.15 else Programme.Target.WBK,
            holds_wbk=rng.random() < 0.2,
            pencanangan_date=datetime.date(year - rng.randint(0, 3), rng.randint(1, 12), 15),
        )
        coordinator = User.objects.create(
            username=f"waka.demo{index:03d}", full_name=f"Waka Polres {region}{suffix}"
        )
        coordinator.set_password(DEMO_PASSWORD)
        coordinator.save(update_fields=["password"])
        ProgrammeRole.objects.create(user=coordinator, programme=programme, kind=K.KOORDINATOR)
        programmes.append(programme)
    return programmes


__all__ = [
    "DEMO_PASSWORD",
    "DEMO_PEOPLE",
    "DEMO_UNIT_CODE",
    "PARENT_UNIT_CODE",
    "seed_extra_units",
    "seed_organisation",
]
