"""The columns of the action-plan import template and of the plan exports: their codes, their
headers in the file's language, how a file's header is recognised in either language, and what
a column of a unit's own workbook may be mapped to. No ORM here.

Headers are written as people read them, in the file's language (the interface language of
the download, Indonesian for the background exports). A file is read back whatever its
language: each column is recognised by its header in Indonesian or English, or by the fixed
code older files carried (``judul``, ``tanggal_mulai``...). The rows are checked by
`pokja.plan_import`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pokja.plan_layout import (
    AREA,
    CODE,
    IGNORE,
    MONTH_NAMES,
    PERIOD,
    month_field,
)

DATE_HELP = gettext_lazy("a date as YYYY-MM-DD (e.g. 2026-03-31) or DD/MM/YYYY (31/03/2026)")


@dataclass(frozen=True)
class Column:
    key: str  # the fixed code older templates and exports carried as header
    label: Promise  # the header people read, in the file's language
    required: bool = False
    help: Promise | str = ""

    @property
    def header(self) -> str:
        return str(self.label)


COLUMNS: tuple[Column, ...] = (
    Column(
        "judul", gettext_lazy("Activity"), True, gettext_lazy("Activity (up to 200 characters).")
    ),
    Column(
        "uraian", gettext_lazy("Description"), False, gettext_lazy("Description of the activity.")
    ),
    Column(
        "sub_area",
        gettext_lazy("LKE sub-area"),
        True,
        gettext_lazy("Code of the LKE sub-area of this Pokja's area, e.g. MP.P.ii (see sheet 2)."),
    ),
    Column(
        "pertanyaan",
        gettext_lazy("LKE questions"),
        False,
        gettext_lazy("LKE question numbers of that sub-area, separated by commas, e.g. 3, 4."),
    ),
    Column(
        "keluaran",
        gettext_lazy("Expected output"),
        False,
        gettext_lazy("Expected output (tepat sasaran)."),
    ),
    Column(
        "indikator_keberhasilan",
        gettext_lazy("Success indicator"),
        False,
        gettext_lazy("Success indicator (tepat guna)."),
    ),
    Column(
        "penanggung_jawab",
        gettext_lazy("Owners"),
        False,
        gettext_lazy(
            "The owners, Pokja members, by name or username, separated by semicolons (see sheet 2)."
        ),
    ),
    Column("tanggal_mulai", gettext_lazy("Start date"), True, DATE_HELP),
    Column(
        "tanggal_selesai",
        gettext_lazy("Due date"),
        True,
        gettext_lazy("Due date, not before the start date."),
    ),
    Column(
        "status",
        gettext_lazy("Status"),
        False,
        gettext_lazy("Belum mulai, Berjalan or Selesai; empty means Belum mulai."),
    ),
    Column(
        "progres",
        gettext_lazy("Progress (%)"),
        False,
        gettext_lazy("Progress, a whole number 0 to 100; empty means 0 (100 for Selesai)."),
    ),
)
# What an export adds after the template's columns: read back, and ignored. Their lower-case
# names are the headers exports carried before (in either language).
EXPORT_COLUMNS: tuple[Column, ...] = (
    Column("kode", gettext_lazy("Code")),
    Column("terlambat", gettext_lazy("Late")),
    Column("hari_terlambat", gettext_lazy("Days late")),
    Column("data_dukung", gettext_lazy("Evidence")),
    Column("alasan_pengembalian", gettext_lazy("Reason for returning")),
)
HEADER = tuple(c.key for c in COLUMNS)  # the codes (kept as aliases of the headers)
REQUIRED = tuple(c.key for c in COLUMNS if c.required)
OWNER_SEPARATOR = "; "  # names can hold commas ("Budi Santoso, S.H.")
_COLUMN_BY_KEY = {c.key: c for c in (*COLUMNS, *EXPORT_COLUMNS)}


def header_row() -> list[str]:
    """The template's headers in the active language."""
    return [c.header for c in COLUMNS]


def export_header(*, with_return_reason: bool = False) -> list[str]:
    """The template's headers and what an export adds after them (see `export_row`), in the
    active language."""
    extra = EXPORT_COLUMNS if with_return_reason else EXPORT_COLUMNS[:-1]
    return [*header_row(), *(c.header for c in extra)]


def export_row(item, today, *, with_return_reason: bool = False) -> list:
    """One plan item as an export row under `export_header`. The item comes with its
    questions and owners prefetched, as `pokja.selectors.plan_items` gives it."""
    row = [
        item.title,
        item.description,
        item.sub_area.code,
        ", ".join(str(q.number) for q in sorted(item.questions.all(), key=lambda q: q.number)),
        item.expected_output,
        item.success_indicator,
        OWNER_SEPARATOR.join(owner.display_name for owner in item.owners.all()),
        item.start_date,
        item.due_date,
        item.get_status_display(),
        item.progress,
        item.code,
        _("yes") if item.late else _("no"),
        item.days_late_on(today),
        item.evidence_count,
    ]
    if with_return_reason:
        row.append(item.return_reason if item.status == item.Status.RETURNED else "")
    return row


def _name(text: str) -> str:
    """A header as compared: case, spacing and underscores do not matter."""
    return " ".join(text.replace("_", " ").lower().split())


@cache
def _known_headers() -> dict[str, str]:
    """Every header a column is recognised by -> its key: the code, and the header in each
    language of the site (today's and the lower-case one exports carried before)."""
    known: dict[str, str] = {}
    old_export_names = {
        "kode": "code",
        "terlambat": "late",
        "hari_terlambat": "days late",
        "data_dukung": "evidence",
        "alasan_pengembalian": "reason for returning",
    }
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            for column in (*COLUMNS, *EXPORT_COLUMNS):
                names = {column.key, column.header}
                if column.key in old_export_names:
                    names.add(_(old_export_names[column.key]))
                for name in names:
                    found = known.setdefault(_name(name), column.key)
                    if found != column.key:
                        raise ValueError(f"header {name!r} names {found} and {column.key}")
    return known


def column_of(header: str) -> str | None:
    """The key of the column a file's header names, or None if it names none."""
    return _known_headers().get(_name(header))


def recognise(header: str) -> str | None:
    """The field a header of the template or an export names (see `field_choices`): the
    columns an export adds other than the code are ignored; None if it names none."""
    key = column_of(header)
    if key is None:
        return None
    return key if key in HEADER or key == CODE else IGNORE


def field_choices() -> list[tuple[str, str]]:
    """What a column of the file may hold, in the active language: the preview's choices."""
    months = [
        (month_field(m), _("Month: %(month)s") % {"month": MONTH_NAMES[m - 1]})
        for m in range(1, 13)
    ]
    return [
        (IGNORE, _("— ignore this column —")),
        *((c.key, c.header) for c in COLUMNS),
        (CODE, _("Item code (RA 1.3): updates that item")),
        (AREA, _("Pokja or area")),
        (PERIOD, _("Period (start to due, e.g. Januari - Maret)")),
        *months,
    ]


def field_label(key: str) -> str:
    return dict(field_choices()).get(key, key)
