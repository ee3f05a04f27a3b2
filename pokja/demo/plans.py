"""The demo action plans of the six Pokja, with their monitoring records. Idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction

from pokja.models import Programme, User

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
        action_plan_add_evidence,
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
                action_plan_add_evidence(
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


__all__ = [
    "seed_action_plans",
]
