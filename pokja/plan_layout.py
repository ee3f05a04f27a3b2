"""Where a unit's own action-plan (rencana aksi) workbook keeps what: the header row under the
title rows, the field each column holds, a month grid instead of dates, and the loose words
people write for statuses, months, areas and dates. No ORM here.

A unit's workbook is rarely our template: the header sits on row 1 to 6 under the title
("RENCANA AKSI ZONA INTEGRITAS POLRES ..."), its headers are written loosely ("No", "Area
Perubahan", "Rencana Aksi", "Keluaran", "PIC", "Tenggat"), the schedule is often a grid of
months (Jan..Des) marked with "x", "v", "✓", 1 or a coloured fill, and the area column is
often merged over the rows of one area. `find_layout` guesses the header row and each
column's field; the person checks the guess on the preview and may change any column's field
(`pokja.plan_columns.field_choices`), and `pokja.plan_import.check_table` reads the rows under
that mapping.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pokja.spreadsheets import Cell

IGNORE = ""
AREA = "area"  # the Pokja or LKE area a row belongs to
CODE = "kode"  # the item's code an export writes (RA 1.3): the row updates that item
PERIOD = "waktu"  # a period in one cell ("Januari - Maret", "Triwulan II"): start and due
MONTH_PREFIX = "bulan_"
HEADER_ROWS_SEARCHED = 6  # the header is on one of the first rows, under the title rows

# Month names and their usual abbreviations, Indonesian and English.
_MONTHS = {
    1: ("januari", "jan", "january"),
    2: ("februari", "feb", "pebruari", "peb", "february"),
    3: ("maret", "mar", "march"),
    4: ("april", "apr"),
    5: ("mei", "may"),
    6: ("juni", "jun", "june"),
    7: ("juli", "jul", "july"),
    8: ("agustus", "agu", "agt", "ags", "aug", "august"),
    9: ("september", "sep", "sept"),
    10: ("oktober", "okt", "oct", "october"),
    11: ("november", "nov", "nop", "nopember"),
    12: ("desember", "des", "dec", "december"),
}
MONTH_NAMES = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)
MONTH_OF_WORD = {word: number for number, words in _MONTHS.items() for word in words}

# Loose headers -> field, compared after `squash` (lower case, letters and digits only).
# Exact names first; then the words a longer header starts with or contains (in order: the
# first that matches wins, so "target waktu" is a date before "target" is an output).
_EXACT = {
    "no": IGNORE,
    "waktu": PERIOD,
    "waktupelaksanaan": PERIOD,
    "jadwal": PERIOD,
    "jadwalpelaksanaan": PERIOD,
    "jangkawaktu": PERIOD,
    "periode": PERIOD,
    "periodepelaksanaan": PERIOD,
    "timeline": PERIOD,
    "period": PERIOD,
    "nomor": IGNORE,
    "nourut": IGNORE,
    "kode": CODE,
    "code": CODE,
    "koderencanaaksi": CODE,
    "pokja": AREA,
    "area": AREA,
    "areaperubahan": AREA,
    "arealke": AREA,
    "areapembangunan": AREA,
    "kelompokkerja": AREA,
    "kegiatan": "judul",
    "rencanaaksi": "judul",
    "rencanakegiatan": "judul",
    "namakegiatan": "judul",
    "aktivitas": "judul",
    "activity": "judul",
    "programkegiatan": "judul",
    "uraian": "uraian",
    "uraiankegiatan": "uraian",
    "deskripsi": "uraian",
    "rinciankegiatan": "uraian",
    "tahapan": "uraian",
    "langkahkegiatan": "uraian",
    "output": "keluaran",
    "keluaran": "keluaran",
    "target": "keluaran",
    "targetoutput": "keluaran",
    "hasilyangdiharapkan": "keluaran",
    "indikator": "indikator_keberhasilan",
    "indikatorkeberhasilan": "indikator_keberhasilan",
    "ukurankeberhasilan": "indikator_keberhasilan",
    "outcome": "indikator_keberhasilan",
    "penanggungjawab": "penanggung_jawab",
    "pj": "penanggung_jawab",
    "pic": "penanggung_jawab",
    "pelaksana": "penanggung_jawab",
    "subarea": "sub_area",
    "subarealke": "sub_area",
    "kodesubarea": "sub_area",
    "pertanyaanlke": "pertanyaan",
    "nomorpertanyaan": "pertanyaan",
    "waktumulai": "tanggal_mulai",
    "tanggalmulai": "tanggal_mulai",
    "tglmulai": "tanggal_mulai",
    "mulai": "tanggal_mulai",
    "start": "tanggal_mulai",
    "bataswaktu": "tanggal_selesai",
    "tenggat": "tanggal_selesai",
    "tenggatwaktu": "tanggal_selesai",
    "targetwaktu": "tanggal_selesai",
    "waktuselesai": "tanggal_selesai",
    "tanggalselesai": "tanggal_selesai",
    "tglselesai": "tanggal_selesai",
    "selesai": "tanggal_selesai",
    "deadline": "tanggal_selesai",
    "status": "status",
    "statuskegiatan": "status",
    "keterangan": "status",
    "capaian": "progres",
    "progres": "progres",
    "progress": "progres",
    "realisasi": "progres",
}
_CONTAINS = (
    ("waktupelaksanaan", PERIOD),
    ("jadwal", PERIOD),
    ("kode", CODE),
    ("subarea", "sub_area"),
    ("pertanyaan", "pertanyaan"),
    ("penanggung", "penanggung_jawab"),
    ("targetwaktu", "tanggal_selesai"),
    ("bataswaktu", "tanggal_selesai"),
    ("tenggat", "tanggal_selesai"),
    ("selesai", "tanggal_selesai"),
    ("mulai", "tanggal_mulai"),
    ("rencanaaksi", "judul"),
    ("kegiatan", "judul"),
    ("indikator", "indikator_keberhasilan"),
    ("keluaran", "keluaran"),
    ("output", "keluaran"),
    ("target", "keluaran"),
    ("area", AREA),
    ("pokja", AREA),
    ("status", "status"),
    ("progres", "progres"),
    ("capaian", "progres"),
)


def squash(text: str) -> str:
    """Text as compared loosely: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]+", "", str(text).lower())


def month_of(text: Cell) -> int | None:
    """The month a header names (Januari, Jan, Des, 1. Januari...), or None."""
    if not isinstance(text, str):
        return None
    word = re.sub(r"[^a-z]+", "", text.lower())
    return MONTH_OF_WORD.get(word)


def month_field(month: int) -> str:
    return f"{MONTH_PREFIX}{month}"


def field_month(field: str) -> int | None:
    if field.startswith(MONTH_PREFIX) and field[len(MONTH_PREFIX) :].isdigit():
        return int(field[len(MONTH_PREFIX) :])
    return None


def guess_field(header: str, known) -> str | None:
    """The field a loosely written header names: `known(header)` first (the template's own
    headers, see `pokja.plan_columns.column_of`), then a month, then the usual words of units'
    workbooks. None when nothing is recognised (the column is then ignored)."""
    key = known(header)
    if key is not None:
        return key
    month = month_of(header)
    if month is not None:
        return month_field(month)
    name = squash(header)
    if not name:
        return None
    if name in _EXACT:
        return _EXACT[name]
    for word, field in _CONTAINS:
        if word in name:
            return field
    return None


@dataclass(frozen=True)
class LayoutColumn:
    index: int  # 0-based position in the row
    letter: str  # as the spreadsheet program names it: A, B, ... AA
    header: str  # the header as the file writes it (with the group header above a month)
    field: str  # the guessed field, IGNORE when none

    @property
    def is_month(self) -> bool:
        return field_month(self.field) is not None


@dataclass(frozen=True)
class Layout:
    header_index: int  # 0-based row of the header
    data_index: int  # 0-based row of the first data row
    columns: tuple[LayoutColumn, ...]

    @property
    def header_row(self) -> int:
        """The header's row as the spreadsheet program numbers it."""
        return self.header_index + 1

    def guessed(self) -> dict[int, str]:
        return {c.index: c.field for c in self.columns}


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def find_layout(table: Sequence[Sequence[Cell]], known) -> Layout | None:
    """The header row (one of the first `HEADER_ROWS_SEARCHED` rows: the one naming most
    fields, at least two) and each column's guessed field; None when no row looks like one.

    A month grid is often headed on two rows ("Waktu Pelaksanaan" over Jan..Des): when the
    row under the header names three months or more, its months are taken as the headers of
    their columns and the data begins below it. A field named twice keeps the first column;
    the others are ignored (the person may choose otherwise on the preview)."""
    best, best_score = None, 1
    for index, row in enumerate(table[:HEADER_ROWS_SEARCHED]):
        fields = {f for c in row if (f := guess_field(_cell_text(c), known))}
        # A month grid counts once: the row of month names under a header is not the header.
        score = len({"month" if field_month(f) else f for f in fields})
        if score > best_score:
            best, best_score = index, score
    if best is None:
        return None
    header = [_cell_text(c) for c in table[best]]
    data_index = best + 1
    below = table[best + 1] if best + 1 < len(table) else []
    if sum(1 for c in below if month_of(_cell_text(c))) >= 3:
        under_row = [_cell_text(c) for c in below]
        width = max(len(header), len(under_row))
        header += [""] * (width - len(header))
        under_row += [""] * (width - len(under_row))
        # A month under the group header ("Waktu Pelaksanaan"), or a header of its own where
        # the row above is empty there.
        header = [
            under if month_of(under) or (under and not text) else text
            for text, under in zip(header, under_row, strict=True)
        ]
        data_index = best + 2
    columns = []
    taken: set[str] = set()
    for index, text in enumerate(header):
        if not text:
            continue
        field = guess_field(text, known) or IGNORE
        if field in taken and field != IGNORE:
            field = IGNORE
        # "Keterangan" is a status only where the file has no status column of its own.
        if (
            field == "status"
            and squash(text) == "keterangan"
            and any(squash(h) in ("status", "statuskegiatan") for h in header)
        ):
            field = IGNORE
        taken.add(field)
        columns.append(LayoutColumn(index, column_letter(index), text, field))
    return Layout(header_index=best, data_index=data_index, columns=tuple(columns))


# --------------------------------------------------------------------------- loose values

_UNMARKED = {"", "-", "\u2013", "0", "no", "tidak", "n", "false"}


def is_marked(value: Cell) -> bool:
    """A month cell marks the month: "x", "v", "✓", 1 (or a fill, see `check_table`)... but not
    an empty cell, "-" or 0."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value > 0
    return _cell_text(value).lower() not in _UNMARKED


def month_span(marked: Sequence[int], year: int) -> tuple[datetime.date, datetime.date]:
    """Start on the first day of the first marked month, due on the last day of the last."""
    first, last = min(marked), max(marked)
    return (
        datetime.date(year, first, 1),
        datetime.date(year, last, calendar.monthrange(year, last)[1]),
    )


NOT_STARTED, IN_PROGRESS, DONE = "belum_mulai", "berjalan", "selesai"
VERIFIED, RETURNED = "diverifikasi", "dikembalikan"
# Statuses as people write them, compared after `squash`.
LOOSE_STATUSES = {
    "": NOT_STARTED,
    "belum": NOT_STARTED,
    "belummulai": NOT_STARTED,
    "belumdimulai": NOT_STARTED,
    "belumdilaksanakan": NOT_STARTED,
    "belumterlaksana": NOT_STARTED,
    "notstarted": NOT_STARTED,
    "todo": NOT_STARTED,
    "rencana": NOT_STARTED,
    "berjalan": IN_PROGRESS,
    "sedangberjalan": IN_PROGRESS,
    "proses": IN_PROGRESS,
    "dalamproses": IN_PROGRESS,
    "onprogress": IN_PROGRESS,
    "onprocess": IN_PROGRESS,
    "inprogress": IN_PROGRESS,
    "ongoing": IN_PROGRESS,
    "sedangdilaksanakan": IN_PROGRESS,
    "dilaksanakan": IN_PROGRESS,
    "selesai": DONE,
    "sudahselesai": DONE,
    "done": DONE,
    "sudah": DONE,
    "terlaksana": DONE,
    "sudahdilaksanakan": DONE,
    "tercapai": DONE,
    "complete": DONE,
    "completed": DONE,
    "finished": DONE,
    "diverifikasi": VERIFIED,
    "terverifikasi": VERIFIED,
    "verified": VERIFIED,
    "dikembalikan": RETURNED,
    "returned": RETURNED,
}
STATUS_HELP = gettext_lazy(
    "Belum mulai (Belum, Belum dimulai), Berjalan (Proses, Sedang berjalan), Selesai (Done, "
    "Terlaksana), or a percentage such as 50%; empty means Belum mulai."
)


def loose_status(value: Cell) -> tuple[str, int | None] | None:
    """(status, progress or None) for what a status cell says, or None if it says nothing
    known. A percentage is a progress: 0% not started, 100% done, between in progress; a
    spreadsheet's percent cell holds the fraction (0.5 for 50%)."""
    if isinstance(value, float) and 0 < value < 1:
        return IN_PROGRESS, round(value * 100)
    text = _cell_text(value)
    percent = re.fullmatch(r"(\d{1,3})(?:[.,]0+)?\s*%?", text)
    if percent and (text.endswith("%") or text.isdigit()):
        number = int(percent.group(1))
        if number > 100:
            return None
        if number == 0:
            return NOT_STARTED, 0
        return (DONE, 100) if number == 100 else (IN_PROGRESS, number)
    status = LOOSE_STATUSES.get(squash(text))
    return None if status is None else (status, None)


def loose_date(value: Cell, year: int | None, *, end: bool) -> datetime.date | None:
    """A date written as words: "31 Maret 2026", "Maret 2026", or "Maret" alone (in the
    programme's year). A month without a day is its first day for a start, its last for a
    due date (`end`). None when the text is no such date."""
    if not isinstance(value, str):
        return None
    parts = re.findall(r"[a-z]+|\d+", value.lower())
    day = month = None
    found_year = None
    for part in parts:
        if part.isdigit():
            number = int(part)
            if len(part) == 4:
                found_year = number
            elif day is None and 1 <= number <= 31:
                day = number
            else:
                return None
        elif part in MONTH_OF_WORD and month is None:
            month = MONTH_OF_WORD[part]
        else:
            return None
    if month is None:
        return None
    found_year = found_year or year
    if found_year is None:
        return None
    last = calendar.monthrange(found_year, month)[1]
    if day is None:
        day = last if end else 1
    if day > last:
        return None
    return datetime.date(found_year, month, day)


_QUARTER = re.compile(r"(?:triwulan|tw|kuartal|quarter|q)\s*\.?\s*(iv|i{1,3}|[1-4])\b")
_SEMESTER = re.compile(r"(?:semester|smt)\s*\.?\s*(ii|i|[12])\b")
_RANGE = re.compile(
    r"\s+(?:to|until|hingga|sampai(?:\s+dengan)?|s\.?\s*/?\s*d\.?)\s+|\s*[-\u2013\u2014]\s*"
)
_WHOLE_YEAR = {"setiapbulan", "tiapbulan", "sepanjangtahun", "setahun", "januaridesember"}
PERIOD_HELP = gettext_lazy(
    "a period such as Januari - Maret, Maret s.d. Juni 2026, Triwulan II, Semester I or a "
    "month (Mei)"
)


def loose_period(value: Cell, year: int | None) -> tuple[datetime.date, datetime.date] | None:
    """(start, due) for a period written in one cell: "Januari - Maret", "Jan s.d. Mar 2026",
    "Triwulan II", "Semester I", "Mei", "Setiap bulan" (the whole year), or one date. The
    year is the one written, else the programme's. None when the text is no such period."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value, value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().lower()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            day = datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day, day
    years = re.findall(r"\b(\d{4})\b", text)
    year = int(years[-1]) if years else year
    if year is None:
        return None
    if squash(text) in _WHOLE_YEAR:
        return month_span([1, 12], year)
    roman = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
    for pattern, size in ((_QUARTER, 3), (_SEMESTER, 6)):
        match = pattern.search(text)
        if match:
            token = match.group(1)
            part = int(token) if token.isdigit() else roman[token]
            return month_span([size * (part - 1) + 1, size * part], year)
    parts = [p for p in _RANGE.split(re.sub(r"\b\d{4}\b", " ", text)) if p.strip()]
    if len(parts) == 1:
        start = loose_date(parts[0], year, end=False)
        due = loose_date(parts[0], year, end=True)
    elif len(parts) == 2:
        start = loose_date(parts[0], year, end=False)
        due = loose_date(parts[1], year, end=True)
    else:
        return None
    if start is None or due is None or due < start:
        return None
    return start, due


@dataclass(frozen=True)
class Area:
    number: int  # the Pokja's number
    code: str  # the LKE area code (MP, TL...)
    name: str  # Manajemen Perubahan...

    @property
    def label(self) -> str:
        return f"Pokja {self.number} · {self.name}"


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}


def area_of(value: Cell, areas: Sequence[Area]) -> Area | None:
    """The area a cell names: "Pokja 2", 2, "II", "TL", "Penataan Tata Laksana", "Area II.
    Penataan Tatalaksana"...; None when it names none of `areas`."""
    text = _cell_text(value)
    name = squash(text)
    if not name:
        return None
    by_number = {a.number: a for a in areas}
    for area in areas:
        if squash(area.name) and squash(area.name) in name:
            return area
    for area in areas:
        if name == squash(area.code):
            return area
    match = re.fullmatch(r"(?:(?:pokja|area)\s*)?([0-9]+|[ivx]+)(?:[\s.:)\-].*)?", text.lower())
    if match:
        token = match.group(1)
        number = int(token) if token.isdigit() else _ROMAN.get(token)
        return by_number.get(number)
    return None


def row_area(
    text: str,
    title: str,
    rest: bool,
    current: Area | None,
    areas: Sequence[Area],
    own: int | None,
) -> tuple[bool, Area | None, tuple[str, str] | None]:
    """(is a heading, the row's area, (value, problem) or None) for a row whose area cell
    says `text`, activity says `title`, and whose other cells hold something (`rest`).

    An empty area cell takes the area of the row above (`current`): a merged cell reads empty
    below its first row. A row naming only an area, in its area or its activity cell ("I.
    MANAJEMEN PERUBAHAN"), is a heading. A row of another Pokja than `own` is a problem."""

    def foreign(area: Area | None, value: str):
        if area is None or area.number == own:
            return None
        return (
            value or area.label,
            _("This row is of %(area)s; import it on that Pokja's page.") % {"area": area.label},
        )

    if not text:
        named = area_of(title, areas) if not rest else None
        if named is not None:
            return True, named, None
        return False, current, foreign(current, "")
    named = area_of(text, areas)
    if named is None:
        return (
            False,
            current,
            (
                text,
                _("Not a Pokja or area of this programme. Allowed: %(areas)s.")
                % {"areas": "; ".join(a.label for a in areas)},
            ),
        )
    if not rest and not title:
        return True, named, None
    return False, named, foreign(named, text)


def percent(value: Cell) -> int | None:
    """A progress cell: 45, "45%", or a spreadsheet's percent cell (0.45)."""
    if isinstance(value, float) and 0 < value < 1:
        return round(value * 100)
    return whole_number(_cell_text(value).rstrip("%").strip())


def whole_number(text: str) -> int | None:
    text = text.strip()
    if re.fullmatch(r"\d{1,6}", text):
        return int(text)
    if re.fullmatch(r"\d{1,6}\.0+", text):
        return int(text.split(".")[0])
    return None


def parse_date(value: Cell) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _cell_text(value)
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
