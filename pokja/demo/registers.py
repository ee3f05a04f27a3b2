"""The demo registers: audit findings (TLHP) and change agents. Idempotent."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction

from pokja.demo.plans import _reference_day
from pokja.models import Programme, User

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


__all__ = [
    "seed_registers",
]
