"""The demo programme's public page: published with most blocks, at /p/<UNIT>/<YEAR>/."""

from __future__ import annotations

from pokja.models import Programme, User
from publicpage import services
from publicpage.models import PublicPage

STANDARDS = (
    {
        "service": "Penerbitan SKCK",
        "requirements": "KTP, Kartu Keluarga, akta kelahiran, pas foto 4x6 berlatar merah",
        "duration": "1 hari kerja",
        "cost": "Rp 30.000 (PNBP)",
        "product": "Surat Keterangan Catatan Kepolisian",
    },
    {
        "service": "Penerbitan SIM A dan C",
        "requirements": "KTP, surat keterangan sehat jasmani dan rohani, lulus ujian teori dan praktik",
        "duration": "1 hari kerja setelah lulus ujian",
        "cost": "SIM A Rp 120.000, SIM C Rp 100.000 (PNBP)",
        "product": "Surat Izin Mengemudi",
    },
    {
        "service": "Laporan polisi (SPKT)",
        "requirements": "Identitas pelapor",
        "duration": "Segera, 24 jam",
        "cost": "Gratis",
        "product": "Surat Tanda Terima Laporan Polisi",
    },
)
CHANNELS = (
    {"name": "Call center", "contact": "110", "hours": "24 jam"},
    {"name": "WhatsApp Pengaduan", "contact": "0811-6000-110", "hours": "24 jam"},
    {"name": "SP4N LAPOR!", "contact": "https://www.lapor.go.id", "hours": ""},
    {"name": "Kotak pengaduan", "contact": "Ruang SPKT Polres", "hours": "Senin-Jumat 08.00-16.00"},
)
# The change agents stay off: a unit publishes what it chooses.
BLOCKS = {
    "show_pencanangan",
    "show_pokja",
    "show_service_standards",
    "show_complaint_channels",
    "show_survey_results",
    "show_plan_progress",
    "show_running_surveys",
}


def seed_public_page(programme: Programme) -> None:
    """Idempotent: a programme whose page exists keeps it as it is."""
    if PublicPage.objects.filter(programme=programme).exists():
        return
    coordinator = User.objects.filter(username="koordinator").first()
    for standard in STANDARDS:
        services.service_standard_add(actor=coordinator, programme=programme, **standard)
    for channel in CHANNELS:
        services.complaint_channel_add(actor=coordinator, programme=programme, **channel)
    services.public_page_update(
        actor=coordinator,
        programme=programme,
        published=True,
        blocks=BLOCKS,
        pakta_document=programme.pakta_document,
    )
