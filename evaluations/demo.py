"""A partly filled LKE worksheet for the demo unit, Polres Labuhanbatu.

The picture a coordinator meets in November: Pokja 4 (Akuntabilitas Kinerja) has answered
everything with evidence and submitted it, and the TPI has started re-answering; Pokja 1
(Manajemen Perubahan) has answered its questions with evidence but not yet taken the counts of
questions 88-91 from the change-agent register; Pelayanan Publik is nearly complete;
Tatalaksana is half done; SDM and Pengawasan are weak. So WBK is blocked by those areas (and by
the surveys, which have no result yet). Idempotent: a worksheet with answers is left alone.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from evaluations.models import Answer
from evaluations.services import (
    answer_evidence_add,
    answer_set_tpi,
    answer_set_unit,
    assessment_for,
    section_transition,
)
from pokja.models import Programme, User

LINK_BASE = "https://drive.labuhanbatu.demo.polri.go.id/zi/2026"

# question -> (answer, note); by area, in the order the Pokja worked.
UNIT_ANSWERS: dict[str, dict[int, tuple[object, str]]] = {
    "MP": {
        1: ("Ya", "SK Kapolres Labuhanbatu Nomor Kep/45/I/2026 tentang Tim Pokja ZI."),
        2: ("A", "Anggota tim dipilih dari setiap satuan fungsi melalui rapat seleksi."),
        3: ("Ya", "Rencana kerja ZI 2026 disahkan Kapolres pada 6 Januari 2026."),
        4: ("B", "Sebagian besar kegiatan sudah memiliki target terukur."),
        5: ("A", "Disosialisasikan pada apel pagi dan melalui grup WhatsApp satuan."),
        6: ("B", "Monev dilakukan per triwulan; triwulan III belum dilaporkan."),
        7: ("A", "Rapat evaluasi dipimpin Wakapolres setiap bulan."),
        8: ("B", "Sebagian rekomendasi monev sudah ditindaklanjuti."),
        9: ("Ya", "SK agen perubahan Nomor Kep/52/II/2026."),
        10: ("B", "Agen perubahan ada di 9 dari 12 satuan fungsi."),
        11: ("A", "Kapolres menjadi role model dalam apel dan pelayanan langsung."),
        # q88-q91 come from the change-agent register (Pokja 1 sets them from there).
        92: ("B", "Target ZI tercantum dalam Renja 2026; capaian di atas 50%."),
        93: ("B", "Nilai PRESISI diinternalisasi; belum seluruhnya dituangkan dalam SOP."),
    },
    "TL": {
        13: ("B", "SOP utama sudah disusun; sebagian belum direviu."),
        14: ("C", ""),
        15: ("B", "Peta proses bisnis disusun Bag Ren."),
        16: ("A", "Aplikasi SP2HP online dan e-Tilang digunakan."),
        17: ("B", ""),
        19: ("B", "Informasi publik diumumkan melalui website dan media sosial."),
        20: ("A", "PPID pelaksana ditetapkan dengan SK Kapolres."),
        94: ("C", "Baru sebagian proses bisnis yang terdigitalisasi."),
        95: ("B", ""),
        97: ("C", ""),
        99: ("D", "Evaluasi keterbukaan informasi belum dilakukan."),
    },
    "SDM": {
        22: ("Ya", "Kebutuhan personel disusun berdasarkan DSP."),
        23: ("C", ""),
        24: ("Tidak", "Pola mutasi belum dituangkan dalam kebijakan tertulis."),
        25: ("Ya", ""),
        26: ("D", ""),
        28: ("Ya", "Sasaran kinerja pegawai disusun melalui e-Kinerja."),
        29: ("C", ""),
        34: ("C", "Data personel belum seluruhnya mutakhir."),
        38: ("C", ""),
        100: ("C", ""),
        102: (14, "Pelanggaran disiplin tahun 2025 menurut data Si Propam."),
        103: (11, "Pelanggaran disiplin s.d. November 2026."),
        104: (9, ""),
    },
    "AK": {
        40: ("A", "Pimpinan terlibat langsung dalam penyusunan Renstra dan Renja."),
        41: ("A", ""),
        42: ("B", "Perjanjian kinerja ditandatangani seluruh kepala satuan."),
        43: ("Ya", "Renja 2026 dan perjanjian kinerja tersedia."),
        44: ("Ya", ""),
        45: ("Ya", ""),
        46: ("B", "Indikator kinerja sebagian sudah berorientasi hasil."),
        47: ("Ya", "Laporan kinerja triwulanan disampaikan ke Polda."),
        48: ("A", ""),
        49: ("Ya", ""),
        50: ("B", ""),
        105: (8, "Sasaran kinerja dalam perjanjian kinerja 2026."),
        106: (7, "Tujuh sasaran tercapai 100% atau lebih per Oktober."),
        107: ("B", ""),
        108: ("B", "Penghargaan kinerja diberikan setiap triwulan."),
    },
    "PW": {
        51: ("B", "Kebijakan gratifikasi sudah ada; pelaporan belum rutin."),
        52: ("C", ""),
        53: ("C", ""),
        55: ("B", "Spanduk larangan pungli dipasang di ruang pelayanan."),
        57: ("B", ""),
        58: ("Ya", "SPIP dibahas dalam rapat Wasidik."),
        61: ("C", "Kanal pengaduan tersedia; tindak lanjut belum terdokumentasi."),
        64: ("C", ""),
        109: ("C", ""),
        110: (37, "Pengaduan masyarakat melalui Dumas Presisi tahun 2026."),
        111: (4, "Masih dalam proses klarifikasi."),
        112: (29, ""),
        113: (6, "Pejabat wajib LHKPN."),
        114: (0, ""),
        115: (0, ""),
        116: (6, "Seluruh wajib lapor sudah menyampaikan LHKPN."),
    },
    "PP": {
        69: ("B", "Standar pelayanan SKCK, SIM dan SPKT sudah ditetapkan."),
        70: ("B", ""),
        71: ("A", "Maklumat pelayanan dipasang di setiap ruang pelayanan."),
        72: ("Ya", ""),
        73: ("B", "Budaya pelayanan prima disosialisasikan kepada petugas."),
        74: ("A", ""),
        75: ("B", ""),
        76: ("B", ""),
        77: ("A", "Ruang tunggu, ruang laktasi dan jalur disabilitas tersedia."),
        78: ("B", ""),
        79: ("B", ""),
        80: ("A", "Inovasi SIM keliling dan SKCK online."),
        81: ("A", ""),
        82: ("B", ""),
        83: ("A", "Survei kepuasan dilakukan setiap semester."),
        84: ("B", ""),
        85: ("B", ""),
        86: ("Ya", ""),
        87: ("A", ""),
        121: ("B", "Inovasi pelayanan sudah diterapkan di sebagian besar unit layanan."),
        122: (12, "Jenis perizinan/pelayanan yang ada."),
        123: (9, "Pelayanan yang sudah dipermudah (online atau jemput bola)."),
        124: ("B", ""),
    },
    "hasil": {
        126: (
            "B",
            "Capaian IKU 2026 100% dan lebih baik dari 2025 (Laporan Kinerja triwulan III).",
        ),
    },
}

# Questions whose answers have evidence; a few of them as uploaded PDF files.
EVIDENCE_FILES = {
    1: "SK Tim Pokja ZI Polres Labuhanbatu 2026",
    3: "Rencana Kerja Pembangunan ZI 2026",
    43: "Rencana Kerja dan Perjanjian Kinerja 2026",
    69: "SK Standar Pelayanan Polres Labuhanbatu",
}
EVIDENCE_LINKS: dict[int, str] = {
    **dict.fromkeys((2, 4, 5, 6, 7, 8, 9, 10, 11), "Dokumen pendukung Manajemen Perubahan"),
    92: "Renja Polres Labuhanbatu 2026",
    93: "Dokumentasi internalisasi nilai PRESISI",
    **dict.fromkeys((13, 15, 16, 20), "Dokumen pendukung Tatalaksana"),
    22: "Daftar Susunan Personel 2026",
    28: "Rekap sasaran kinerja pegawai (e-Kinerja)",
    102: "Rekap pelanggaran disiplin 2025-2026 (Si Propam)",
    **dict.fromkeys(
        (40, 41, 42, 44, 45, 47, 48, 49, 105, 106), "Dokumen pendukung Akuntabilitas Kinerja"
    ),
    55: "Foto spanduk larangan pungli",
    110: "Rekap Dumas Presisi 2026",
    **dict.fromkeys(
        (70, 71, 72, 73, 74, 77, 80, 83, 86, 87, 121, 122, 123),
        "Dokumen pendukung Pelayanan Publik",
    ),
    126: "Laporan Kinerja Triwulan III 2026",
}
TPI_ANSWERS = {
    40: ("A", "Sesuai; notulen penyusunan Renja ditandatangani Kapolres."),
    42: ("C", "Perjanjian kinerja belum sampai tingkat Kanit."),
    43: ("Ya", ""),
    46: ("C", "Indikator kinerja sebagian besar masih berorientasi output."),
    106: (6, "Satu sasaran belum didukung data capaian."),
}


def _pdf(title: str) -> bytes:
    """A small, valid one-page PDF whose text is the title (unique per title)."""
    text = title.replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 60 760 Td ({text}) Tj ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _people(programme: Programme) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(programme_roles__programme=programme)}


@transaction.atomic
def seed_worksheet(programme: Programme) -> None:
    """Fill the demo programme's worksheet as described above, once."""
    assessment = assessment_for(programme)
    if Answer.objects.filter(assessment=assessment).exclude(unit_value="").exists():
        return
    people = _people(programme)
    numbers = {p.area_code: p.number for p in programme.pokjas.all()}
    for section, answers in UNIT_ANSWERS.items():
        number = numbers.get(section)
        chair = people.get(f"ketua{number}") if number else people.get("koordinator")
        member = people.get(f"anggota{number}") if number else chair
        for question, (value, note) in answers.items():
            actor = member if question % 2 else chair
            answer_set_unit(
                actor=actor, programme=programme, number=question, value=value, note=note
            )
            if question in EVIDENCE_FILES:
                title = EVIDENCE_FILES[question]
                answer_evidence_add(
                    actor=actor,
                    programme=programme,
                    number=question,
                    uploaded=SimpleUploadedFile(
                        f"{title.lower().replace(' ', '-')}.pdf",
                        _pdf(title),
                        content_type="application/pdf",
                    ),
                    title=title,
                )
            elif question in EVIDENCE_LINKS:
                answer_evidence_add(
                    actor=actor,
                    programme=programme,
                    number=question,
                    url=f"{LINK_BASE}/{section.lower()}/q{question}",
                    title=f"{EVIDENCE_LINKS[question]} (q{question})",
                )
    section_transition(
        actor=people.get(f"ketua{numbers['AK']}"),
        programme=programme,
        code="AK",
        action="submit",
        note="Seluruh jawaban Pokja 4 sudah dilengkapi data dukung.",
    )
    tpi = people.get("tpi")
    for question, (value, note) in TPI_ANSWERS.items():
        answer_set_tpi(actor=tpi, programme=programme, number=question, value=value, note=note)
