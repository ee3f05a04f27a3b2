"""The demo organisation: Polres Labuhanbatu under Polda Sumatera Utara.

Polres Labuhanbatu declared its Zona Integritas programme on 21 March 2018 and named its
Waka (deputy chief) coordinator of the six Pokja. Idempotent: running it again changes nothing.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

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


# --------------------------------------------------------------------------- action plans

# (title, sub-area, questions, expected output, success indicator, days from the start to the
#  reference day, days from the reference day to the due date, final state, progress, remark)
# The reference day is today (capped at the end of the programme year), so some items are late
# whenever the demo is created. States: verified, returned, done, berjalan, belum.
DEMO_PLANS: dict[int, list[tuple]] = {
    1: [
        (
            "Penyusunan SK Tim Pokja Zona Integritas",
            "MP.P.i",
            (1, 2),
            "SK Kapolres tentang Tim Pokja ZI",
            "Enam Pokja terbentuk dengan uraian tugas",
            320,
            -290,
            "verified",
            100,
            "",
        ),
        (
            "Penyusunan rencana kerja pembangunan ZI tahun berjalan",
            "MP.P.ii",
            (3, 4, 5),
            "Dokumen rencana kerja yang ditandatangani Kapolres",
            "Setiap kegiatan memiliki target, jadwal dan penanggung jawab",
            300,
            -260,
            "verified",
            100,
            "",
        ),
        (
            "Rapat monitoring dan evaluasi bulanan pembangunan ZI",
            "MP.P.iii",
            (6, 7, 8),
            "Notulen rapat dan daftar tindak lanjut",
            "Rapat terlaksana setiap bulan",
            290,
            30,
            "berjalan",
            80,
            "",
        ),
        (
            "Penunjukan dan pembekalan agen perubahan",
            "MP.P.iv",
            (10,),
            "SK agen perubahan dan materi pembekalan",
            "Setiap satuan fungsi memiliki agen perubahan",
            200,
            -20,
            "done",
            100,
            "SK dan daftar hadir pembekalan sudah diunggah.",
        ),
        (
            "Kampanye budaya kerja 'Labuhanbatu Bersih Melayani' di media sosial",
            "MP.P.iv",
            (11, 12),
            "Unggahan rutin di Instagram dan Facebook Polres",
            "Minimal 4 unggahan per bulan",
            150,
            -10,
            "returned",
            100,
            "Tautan unggahan media sosial belum dilampirkan; lampirkan minimal tiga tautan.",
        ),
    ],
    2: [
        (
            "Penyusunan SOP pelayanan SKCK, SIM dan SPKT",
            "TL.P.i",
            (13, 14),
            "SOP yang ditetapkan Kapolres",
            "SOP dipajang di ruang pelayanan",
            300,
            -220,
            "verified",
            100,
            "",
        ),
        (
            "Evaluasi penerapan SOP kegiatan utama",
            "TL.P.i",
            (15,),
            "Laporan evaluasi SOP per satuan fungsi",
            "Seluruh SOP utama dievaluasi",
            120,
            -12,
            "berjalan",
            40,
            "Menunggu laporan dari Sat Reskrim dan Sat Intelkam.",
        ),
        (
            "Pemanfaatan aplikasi e-Kinerja dan e-SDM",
            "TL.P.ii",
            (16, 17),
            "Data kinerja dan kepegawaian tercatat di aplikasi",
            "100% personel memiliki akun",
            180,
            25,
            "berjalan",
            65,
            "",
        ),
        (
            "Pembaruan informasi publik di website dan PPID",
            "TL.P.iii",
            (20, 21),
            "Daftar informasi publik yang mutakhir",
            "Informasi diperbarui setiap bulan",
            60,
            -5,
            "belum",
            0,
            "",
        ),
    ],
    3: [
        (
            "Analisis kebutuhan personel per satuan fungsi",
            "SDM.P.i",
            (22, 23),
            "Dokumen analisis beban kerja",
            "Kebutuhan personel sesuai DSP",
            290,
            -200,
            "verified",
            100,
            "",
        ),
        (
            "Penyusunan pola mutasi internal",
            "SDM.P.ii",
            (25, 26),
            "Perkap pola mutasi tingkat Polres",
            "Mutasi mempertimbangkan kompetensi",
            200,
            -15,
            "done",
            100,
            "",
        ),
        (
            "Pelatihan kompetensi pelayanan bagi Bhabinkamtibmas",
            "SDM.P.iii",
            (28, 29),
            "Sertifikat pelatihan dan laporan kegiatan",
            "80% Bhabinkamtibmas terlatih",
            150,
            -20,
            "berjalan",
            55,
            "",
        ),
        (
            "Penetapan SKP dan evaluasi kinerja individu triwulanan",
            "SDM.P.iv",
            (34, 35),
            "SKP seluruh personel",
            "Evaluasi triwulanan tepat waktu",
            250,
            33,
            "berjalan",
            75,
            "",
        ),
    ],
    4: [
        (
            "Penyusunan Perjanjian Kinerja Kapolres dan pejabat utama",
            "AK.P.i",
            (40, 41),
            "Dokumen Perjanjian Kinerja",
            "Ditandatangani paling lambat akhir Februari",
            320,
            -270,
            "verified",
            100,
            "",
        ),
        (
            "Penyusunan laporan kinerja triwulan",
            "AK.P.ii",
            (43, 44),
            "Laporan kinerja triwulan I-III",
            "Capaian dibandingkan dengan target",
            240,
            -25,
            "returned",
            100,
            "Capaian triwulan III belum dibandingkan dengan target; perbaiki tabel capaian.",
        ),
        (
            "Monitoring capaian IKU per satuan fungsi",
            "AK.P.ii",
            (45,),
            "Rekap capaian IKU bulanan",
            "IKU dipantau setiap bulan",
            200,
            33,
            "berjalan",
            70,
            "",
        ),
    ],
    5: [
        (
            "Sosialisasi pengendalian gratifikasi dan pembentukan UPG",
            "PW.P.i",
            (51, 52),
            "SK UPG dan dokumentasi sosialisasi",
            "Seluruh personel mengikuti sosialisasi",
            300,
            -210,
            "verified",
            100,
            "",
        ),
        (
            "Penilaian risiko dan rencana tindak pengendalian SPIP",
            "PW.P.ii",
            (53, 54),
            "Register risiko dan RTP",
            "Risiko utama memiliki RTP",
            160,
            -30,
            "berjalan",
            35,
            "Register risiko Sat Lantas belum masuk.",
        ),
        (
            "Pengelolaan pengaduan masyarakat melalui Dumas Presisi",
            "PW.P.iii",
            (57, 58),
            "Rekap pengaduan dan tindak lanjutnya",
            "Seluruh pengaduan ditindaklanjuti",
            280,
            -3,
            "done",
            100,
            "",
        ),
        (
            "Sosialisasi whistle-blowing system kepada personel",
            "PW.P.iv",
            (61,),
            "Materi dan daftar hadir sosialisasi",
            "Seluruh satuan fungsi tersosialisasi",
            20,
            20,
            "belum",
            0,
            "",
        ),
        (
            "Penandatanganan pernyataan tidak ada benturan kepentingan",
            "PW.P.v",
            (64, 65),
            "Pernyataan bertanda tangan pejabat utama",
            "100% pejabat utama menandatangani",
            90,
            15,
            "berjalan",
            60,
            "",
        ),
    ],
    6: [
        (
            "Penetapan dan publikasi standar pelayanan SKCK dan SIM",
            "PP.P.i",
            (69, 70),
            "Maklumat dan standar pelayanan",
            "Dipublikasikan di ruang layanan dan website",
            310,
            -240,
            "verified",
            100,
            "",
        ),
        (
            "Pelatihan budaya pelayanan prima bagi petugas SPKT",
            "PP.P.ii",
            (73, 74),
            "Laporan pelatihan",
            "Seluruh petugas SPKT terlatih",
            180,
            -40,
            "returned",
            100,
            "Daftar hadir dan foto pelatihan belum diunggah.",
        ),
        (
            "Survei kepuasan masyarakat semester II",
            "PP.P.iv",
            (82, 83),
            "Laporan IKM semester II",
            "Minimal 100 responden",
            100,
            30,
            "berjalan",
            50,
            "",
        ),
        (
            "Pemberian penghargaan petugas pelayanan terbaik bulanan",
            "PP.P.ii",
            (75,),
            "SK penghargaan bulanan",
            "Penghargaan diberikan setiap bulan",
            120,
            -8,
            "berjalan",
            45,
            "",
        ),
        (
            "Layanan SIM keliling dan informasi antrean daring",
            "PP.P.v",
            (85,),
            "Jadwal SIM keliling dan kanal informasi",
            "Jadwal terbit setiap pekan",
            210,
            -14,
            "done",
            100,
            "",
        ),
    ],
}


def _reference_day(programme: Programme) -> datetime.date:
    from pokja.models import programme_today

    return min(programme_today(), datetime.date(programme.year, 12, 31))


@transaction.atomic
def seed_action_plans(programme: Programme) -> None:
    """Plans for the six Pokja: some verified, some returned, some waiting, some late."""
    from pokja.access import programme_access
    from pokja.models import ActionPlanItem
    from pokja.services import (
        action_plan_add_link,
        action_plan_comment_add,
        action_plan_create,
        action_plan_monitoring_record,
        action_plan_return,
        action_plan_update_status,
        action_plan_verify,
    )

    S = ActionPlanItem.Status
    today = _reference_day(programme)
    coordinator = User.objects.get(username="koordinator")
    coordinator_access = programme_access(coordinator, programme)
    framework = programme.framework
    year_start = datetime.date(programme.year, 1, 2)
    for pokja in programme.pokjas.order_by("number"):
        if pokja.plan_items.exists() or pokja.number not in DEMO_PLANS:
            continue
        chair = User.objects.get(username=f"ketua{pokja.number}")
        member = User.objects.get(username=f"anggota{pokja.number}")
        member_access = programme_access(member, programme)
        for index, row in enumerate(DEMO_PLANS[pokja.number]):
            (title, code, numbers, output, indicator, back, ahead, state, progress, remark) = row
            start = max(year_start, today - datetime.timedelta(days=back))
            due = max(start, today + datetime.timedelta(days=ahead))
            item = action_plan_create(
                actor=chair,
                pokja=pokja,
                title=title,
                description=f"{title} di lingkungan Polres Labuhanbatu.",
                sub_area=framework.sub_areas.get(code=code),
                questions=list(framework.questions.filter(number__in=numbers)),
                expected_output=output,
                success_indicator=indicator,
                owners=[member] if index % 2 else [chair, member],
                start_date=start,
                due_date=due,
            )
            if state == "belum":
                continue
            action_plan_update_status(
                actor=member,
                access=member_access,
                item=item,
                status=S.IN_PROGRESS,
                progress=min(progress, 30) or 10,
                note="Kegiatan dimulai.",
            )
            _seed_monitoring(
                item,
                member,
                member_access,
                start,
                min(due, today),
                progress,
                action_plan_monitoring_record,
            )
            slug = title.lower().replace(" ", "-").replace("'", "")[:40]
            if state in ("verified", "done", "returned"):
                action_plan_add_link(
                    actor=member,
                    access=member_access,
                    item=item,
                    url=f"https://labuhanbatu.demo.polri.go.id/dokumen/{pokja.number}/{slug}",
                    title=f"Dokumen {output[:150]}",
                )
                action_plan_update_status(
                    actor=member,
                    access=member_access,
                    item=item,
                    status=S.DONE,
                    note=remark if state == "done" else "",
                )
                if state == "verified":
                    action_plan_verify(
                        actor=coordinator,
                        access=coordinator_access,
                        item=item,
                        note="Bukti lengkap.",
                    )
                elif state == "returned":
                    action_plan_return(
                        actor=coordinator, access=coordinator_access, item=item, reason=remark
                    )
            else:
                action_plan_update_status(
                    actor=member, access=member_access, item=item, progress=progress
                )
                if remark:
                    action_plan_comment_add(actor=chair, item=item, text=remark)


MONITORING_NOTES = [
    "Rapat persiapan dan pembagian tugas.",
    "Pengumpulan bahan dan koordinasi dengan satuan fungsi.",
    "Pelaksanaan kegiatan berjalan sesuai jadwal.",
    "Penyusunan laporan dan pengumpulan data dukung.",
    "Kegiatan tuntas; laporan disampaikan ke koordinator.",
]


def _seed_monitoring(item, actor, access, start, end, progress, record) -> None:
    year = item.programme.year
    first = start.month if start.year == year else 1
    last = end.month if end.year == year else 12
    months = list(range(first, last + 1))
    for position, month in enumerate(months, start=1):
        percent = round(progress * position / len(months))
        stage = MONITORING_NOTES[min(len(MONITORING_NOTES) - 1, (4 * position) // len(months))]
        record(actor=actor, access=access, item=item, month=month, percent=percent, note=stage)


# --------------------------------------------------------------------------- registers

DEMO_FINDINGS = [
    # (source, auditor, report number, days back, title, recommendation, amount, status,
    #  follow-up)
    (
        "bpk",
        "BPK RI Perwakilan Provinsi Sumatera Utara",
        "28.B/LHP/XVIII.MDN/05/2026",
        200,
        "Kelebihan pembayaran belanja perjalanan dinas",
        "Menyetorkan kelebihan pembayaran ke kas negara",
        "12450000",
        "sesuai",
        "Kelebihan pembayaran disetor ke kas negara dengan bukti setor NTPN.",
    ),
    (
        "apip",
        "Itwasda Polda Sumatera Utara",
        "LHA/14/III/2026/Itwasda",
        250,
        "Penatausahaan barang milik negara belum tertib (KIB tidak mutakhir)",
        "Memutakhirkan Kartu Inventaris Barang dan melakukan stock opname",
        None,
        "sesuai",
        "KIB dimutakhirkan dan berita acara stock opname ditandatangani.",
    ),
    (
        "apip",
        "Itwasda Polda Sumatera Utara",
        "LHA/14/III/2026/Itwasda",
        250,
        "SOP pelayanan SKCK belum ditinjau ulang sejak 2022",
        "Meninjau ulang dan menetapkan kembali SOP pelayanan SKCK",
        None,
        "sesuai",
        "SOP SKCK ditetapkan ulang dengan keputusan Kapolres.",
    ),
    (
        "apip",
        "Itwasda Polda Sumatera Utara",
        "LHA/14/III/2026/Itwasda",
        250,
        "Pertanggungjawaban BBM operasional belum didukung bukti lengkap",
        "Melengkapi bukti pertanggungjawaban BBM operasional",
        "8200000",
        "proses",
        "Bukti pertanggungjawaban triwulan I dan II sudah dilengkapi; triwulan III dalam proses.",
    ),
    (
        "bpk",
        "BPK RI Perwakilan Provinsi Sumatera Utara",
        "28.B/LHP/XVIII.MDN/05/2026",
        200,
        "Aset tanah Polsek Bilah Hulu belum bersertifikat",
        "Mengajukan penerbitan sertifikat hak pakai ke BPN",
        None,
        "proses",
        "Permohonan sertifikat sudah diajukan ke Kantor Pertanahan Labuhanbatu.",
    ),
    (
        "apip",
        "Itwasda Polda Sumatera Utara",
        "LHA/31/VIII/2026/Itwasda",
        90,
        "Register pengaduan masyarakat belum mencatat waktu penyelesaian",
        "Menambahkan kolom waktu penyelesaian pada register Dumas",
        None,
        "belum",
        "",
    ),
]

DEMO_AGENTS = [
    (
        "Bripka Rahmat Siregar",
        "Banit Sat Lantas",
        [
            ("Antrean SIM dengan nomor urut daring", True, "SOP Sat Lantas Nomor 4 Tahun 2026"),
            ("Papan informasi biaya PNBP di ruang tunggu", True, "Maklumat pelayanan Sat Lantas"),
        ],
    ),
    (
        "Brigpol Dinda Nasution",
        "Banit SPKT",
        [
            ("Formulir laporan polisi yang dapat diisi sebelum datang", False, ""),
            (
                "Ruang konsultasi ramah anak di SPKT",
                True,
                "Keputusan Kapolres tentang layanan SPKT",
            ),
        ],
    ),
    (
        "Bripda Yoga Pratama",
        "Banum Sium",
        [
            ("Apel pagi tematik budaya antikorupsi setiap Senin", False, ""),
        ],
    ),
    (
        "Aipda Sarmauli Lubis",
        "Bamin Sat Intelkam",
        [
            ("Notifikasi WhatsApp saat SKCK selesai dicetak", False, ""),
            ("Pengisian data SKCK di kios mandiri", False, ""),
        ],
    ),
]


@transaction.atomic
def seed_registers(programme: Programme) -> None:
    """Audit findings with their follow-up (half settled) and change agents with changes."""
    from pokja.models import AuditFinding, ChangeAgent
    from pokja.services import change_agent_change_create, change_agent_create, finding_create

    today = _reference_day(programme)
    keeper = User.objects.get(username="ketua5")
    if not AuditFinding.objects.filter(programme=programme).exists():
        for (
            source,
            auditor,
            number,
            back,
            title,
            recommendation,
            amount,
            status,
            follow_up,
        ) in DEMO_FINDINGS:
            report_date = today - datetime.timedelta(days=back)
            finding_create(
                actor=keeper,
                programme=programme,
                source=source,
                auditor=auditor,
                report_number=number,
                report_date=report_date,
                title=title,
                recommendation=recommendation,
                amount=Decimal(amount) if amount else None,
                follow_up_status=status,
                follow_up=follow_up,
                follow_up_due=report_date + datetime.timedelta(days=60),
                settled_on=(
                    report_date + datetime.timedelta(days=45) if status == "sesuai" else None
                ),
            )
    if not ChangeAgent.objects.filter(programme=programme).exists():
        chair = User.objects.get(username="ketua1")
        appointed = min(today, datetime.date(programme.year, 2, 14))
        for index, (name, position, changes) in enumerate(DEMO_AGENTS):
            agent = change_agent_create(
                actor=chair,
                programme=programme,
                name=name,
                position=position,
                decree_number=f"Kep/{31 + index}/II/{programme.year}",
                appointed_on=appointed,
            )
            for offset, (title, integrated, where) in enumerate(changes):
                change_agent_change_create(
                    actor=chair,
                    agent=agent,
                    title=title,
                    description=f"{title}, diprakarsai oleh {name}.",
                    made_on=min(today, appointed + datetime.timedelta(days=40 + 30 * offset)),
                    integrated=integrated,
                    integration_note=where,
                )
