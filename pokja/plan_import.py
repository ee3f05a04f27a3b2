"""The row-by-row check of a filled action-plan template, an export or a unit's own workbook.
No ORM here. The template's and the exports' columns, and how a header is recognised, are
`pokja.plan_columns`.

Owners are written by their names and read back by name or username, so an export imports
back, and a file filled in by one person imports for every other. Of the columns an export adds, the code is read (see below); lateness, evidence and the
reason for returning are read and ignored.
A unit's own workbook (title rows, loose headers, a month grid, merged area cells) is read by
`check_table` under a mapping of its columns to fields, guessed by `pokja.plan_layout` and
checked by the person on the preview. A row carrying an item's code (RA 1.3, as exports write
it) updates that item; the others are new items.
A file imports only if every row is right; otherwise every bad row is reported with its row
number (as the spreadsheet program shows it), column, value and what is allowed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from figures.date_fields import EARLIEST, LATEST, check_date_range, programme_date_range
from pokja.plan_columns import (
    _COLUMN_BY_KEY,
    DATE_HELP,
    HEADER,
    REQUIRED,
    column_of,
    field_choices,
    field_label,
    header_row,
)
from pokja.plan_layout import (
    AREA,
    CODE,
    DONE,
    IGNORE,
    IN_PROGRESS,
    NOT_STARTED,
    PERIOD,
    PERIOD_HELP,
    RETURNED,
    STATUS_HELP,
    VERIFIED,
    Area,
    Layout,
    field_month,
    is_marked,
    loose_date,
    loose_period,
    loose_status,
    month_span,
    row_area,
    squash,
)
from pokja.plan_layout import (
    parse_date as _date,
)
from pokja.plan_layout import (
    percent as _percent,
)
from pokja.plan_layout import (
    whole_number as _whole_number,
)
from pokja.spreadsheets import Cell
from zi_tracker.forms import LONG_TEXT_LENGTH

TITLE_MAX = 200


_LIST_SPLIT = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class PlanImportContext:
    """What the rows are checked against: one Pokja of one programme."""

    sub_areas: Mapping[str, int]  # sub-area code, lower case -> id
    sub_area_codes: Sequence[str]  # for messages, as written in the framework
    questions: Mapping[int, Mapping[int, int]]  # sub-area id -> {question number -> id}
    members: Mapping[str, int]  # username, lower case -> user id
    # name, lower case -> user id; None where two members share the name
    member_names: Mapping[str, int | None] = field(default_factory=dict)
    year: int | None = None  # the programme's evaluation year: the dates' range follows it
    number: int | None = None  # the Pokja's number: codes RA <number>.<n> are its items
    areas: Sequence[Area] = ()  # every Pokja of the programme, to tell rows of another
    sub_area_names: Mapping[str, int] = field(default_factory=dict)  # squashed name -> id

    @property
    def own_area(self) -> Area | None:
        return next((a for a in self.areas if a.number == self.number), None)

    def member(self, text: str) -> tuple[int | None, str]:
        """(user id, "") for the member `text` names, by username first, then by name;
        (None, "unknown") if it names nobody, (None, "shared") if two members share it."""
        key = " ".join(text.lower().split())
        if key in self.members:
            return self.members[key], ""
        if key not in self.member_names:
            return None, "unknown"
        user_id = self.member_names[key]
        return (user_id, "") if user_id is not None else (None, "shared")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class PlanRow:
    row: int
    title: str
    description: str
    sub_area_id: int
    question_ids: tuple[int, ...]
    expected_output: str
    success_indicator: str
    owner_ids: tuple[int, ...]
    start_date: datetime.date
    due_date: datetime.date
    status: str
    progress: int
    item_number: int | None = None  # the number of the item its code names: an update
    progress_written: bool = True  # False: the file gave neither progress nor a percentage
    status_written: bool = True  # False: the status cell was empty


CODE_PATTERN = re.compile(r"\s*(?:RA\s*)?(\d{1,3})\s*[.\-/]\s*(\d{1,5})\s*", re.I)


def check_rows(
    table: Sequence[Sequence[Cell]], context: PlanImportContext
) -> tuple[list[PlanRow], list[RowError]]:
    """Every row of `table` (the template's header first, strictly: every column named by
    the template or an export) as a PlanRow, or every problem found."""
    if not table or not any(_text(c) for c in table[0]):
        return [], [RowError(1, "", "", _("The file has no header row; use the template."))]
    header = [_text(c) for c in table[0]]
    errors: list[RowError] = []
    mapping: dict[int, str] = {}
    seen: set[str] = set()
    for index, name in enumerate(header):
        if not name:
            continue
        key = column_of(name)
        if key is None:
            errors.append(
                RowError(
                    1,
                    name,
                    name,
                    _("Unknown column. The columns are: %(columns)s.")
                    % {"columns": ", ".join(header_row())},
                )
            )
        elif key in seen:
            errors.append(RowError(1, name, name, _("This column appears twice.")))
        else:
            seen.add(key)
            if key in HEADER or key == CODE:
                mapping[index] = key
    for key in REQUIRED:
        if key not in seen:
            errors.append(
                RowError(1, _COLUMN_BY_KEY[key].header, "", _("This required column is missing."))
            )
    if errors:
        return [], errors
    layout = Layout(header_index=0, data_index=1, columns=())
    return check_table(table, context, layout, mapping, headers=header)


def check_table(
    table: Sequence[Sequence[Cell]],
    context: PlanImportContext,
    layout: Layout,
    mapping: Mapping[int, str],
    *,
    default_sub_area_id: int | None = None,
    headers: Sequence[str] | None = None,
    filled: Set[tuple[int, int]] = frozenset(),
) -> tuple[list[PlanRow], list[RowError]]:
    """The rows below `layout`'s header read under `mapping` (column index -> field, see
    `field_choices`) as PlanRows, or every problem found, each naming the file's row,
    the column as the file heads it, the value and what is allowed.

    `default_sub_area_id`: the sub-area of rows that name none (a unit's own workbook has no
    sub-area codes). A Pokja or area column may be merged over the rows of one area: an empty
    cell takes the area of the row above; a row naming only an area is a heading. Rows of
    another Pokja are refused, naming it. `filled`: the (row, column) indexes of empty cells
    with a coloured fill: a month marked by colour, unless the row's every month is (a
    striped row)."""
    header_row_number = layout.header_row
    if headers is None:
        headers = {c.index: c.header for c in layout.columns}
    else:
        headers = dict(enumerate(headers))
    errors: list[RowError] = []
    written: dict[str, str] = {}
    columns_of: dict[str, list[int]] = {}
    known = {key for key, _label in field_choices()}
    for index, key in sorted(mapping.items()):
        if key == IGNORE:
            continue
        name = headers.get(index, "")
        if key not in known:
            errors.append(RowError(header_row_number, name, key, _("Unknown field.")))
            continue
        columns_of.setdefault(key, []).append(index)
        written.setdefault(key, name)
    for key, indexes in columns_of.items():
        if len(indexes) > 1:
            names = ", ".join(headers.get(i, "") or str(i + 1) for i in indexes)
            errors.append(
                RowError(
                    header_row_number,
                    names,
                    field_label(key),
                    _("Two columns are mapped to %(field)s; choose it for one only.")
                    % {"field": field_label(key)},
                )
            )
    months = sorted(
        (month, indexes[0])
        for key, indexes in columns_of.items()
        if (month := field_month(key)) is not None
    )
    missing = []
    if "judul" not in columns_of:
        missing.append(field_label("judul"))
    if not months and PERIOD not in columns_of:
        missing += [
            field_label(k) for k in ("tanggal_mulai", "tanggal_selesai") if k not in columns_of
        ]
    for label in missing:
        errors.append(
            RowError(
                header_row_number,
                label,
                "",
                _("No column holds this field; choose it for one of the file's columns.")
                if label == field_label("judul")
                else _(
                    "No column holds this field; choose it for a column, or map the columns "
                    "of a month grid to their months."
                ),
            )
        )
    if "sub_area" not in columns_of and default_sub_area_id is None:
        errors.append(
            RowError(
                header_row_number,
                field_label("sub_area"),
                "",
                _("Choose the LKE sub-area of the rows, or the column that holds it."),
            )
        )
    if errors:
        return [], errors
    if months and context.year is None:  # a month grid needs the programme's year
        raise ValueError("a month grid is read in the programme's year")
    positions = {key: indexes[0] for key, indexes in columns_of.items() if field_month(key) is None}

    rows: list[PlanRow] = []
    codes: dict[int, int] = {}  # item number -> the row that names it
    area = context.own_area
    for offset, cells in enumerate(table[layout.data_index :], start=layout.data_index + 1):
        values = {key: _cell(cells, i) for key, i in positions.items()}
        marked = [m for m, i in months if is_marked(_cell(cells, i))]
        coloured = [m for m, i in months if (offset - 1, i) in filled]
        if coloured and len(coloured) < len(months):
            marked = sorted({*marked, *coloured})
        if all(_text(v) == "" for v in values.values()) and not marked:
            continue  # blank lines between rows are harmless
        if _not_an_item(values, marked):
            continue  # a note or the signature block under the table ("Mengetahui, ...")
        if context.areas:
            heading, area, problem = _row_area(offset, values, marked, area, context, written)
            if problem is not None:
                errors.append(problem)
                continue
            if heading:
                continue
        row, row_errors = _check_row(offset, values, marked, context, written, default_sub_area_id)
        if row is not None and row.item_number is not None:
            if row.item_number in codes:
                row_errors.append(
                    RowError(
                        offset,
                        written.get(CODE, CODE),
                        _text(values.get(CODE)),
                        _("Row %(row)d already names this item.") % {"row": codes[row.item_number]},
                    )
                )
                row = None
            else:
                codes[row.item_number] = offset
        errors.extend(row_errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        errors.append(
            RowError(
                layout.data_index + 1, "", "", _("The file has no plan rows below the header.")
            )
        )
    return rows, errors


# An item names its activity, its code or when it runs; a row with none of them is a line of
# text around the table (notes, "Mengetahui, Kapolres ...", a name and NRP under a signature).
_WHAT_MAKES_AN_ITEM = ("judul", CODE, "tanggal_mulai", "tanggal_selesai", PERIOD)


def _not_an_item(values, marked) -> bool:
    return not marked and all(_text(values.get(key)) == "" for key in _WHAT_MAKES_AN_ITEM)


def _row_area(number, values, marked, area, context, written):
    """(is a heading, the row's area, its RowError or None): see `plan_layout.row_area`."""
    heading, area, problem = row_area(
        _text(values.get(AREA)),
        _text(values.get("judul")),
        any(_text(v) for k, v in values.items() if k not in (AREA, "judul")) or bool(marked),
        area,
        context.areas,
        context.number,
    )
    if problem is not None:
        problem = RowError(number, written.get(AREA) or field_label(AREA), *problem)
    return heading, area, problem


def _check_row(
    number: int,
    values: Mapping[str, Cell],
    marked: Sequence[int],
    context: PlanImportContext,
    written: Mapping[str, str],
    default_sub_area_id: int | None = None,
) -> tuple[PlanRow | None, list[RowError]]:
    errors: list[RowError] = []

    def bad(column: str, value: Cell, message: str) -> None:
        # The column named as the file names it.
        errors.append(
            RowError(number, written.get(column) or field_label(column), _text(value), message)
        )

    item_number = None
    code_text = _text(values.get(CODE))
    if code_text:
        match = CODE_PATTERN.fullmatch(code_text)
        if match is None:
            bad(
                CODE,
                code_text,
                _("Not an item code; codes are written RA %(pokja)s.1, RA %(pokja)s.2...")
                % {"pokja": context.number or 1},
            )
        elif context.number is not None and int(match.group(1)) != context.number:
            bad(
                CODE,
                code_text,
                _(
                    "This is an item of Pokja %(pokja)s; import it on that Pokja's page, or clear "
                    "the code to add the row as a new item."
                )
                % {"pokja": int(match.group(1))},
            )
        else:
            item_number = int(match.group(2))

    title = _text(values.get("judul"))
    if not title:
        bad("judul", title, _("Required: the activity."))
    elif len(title) > TITLE_MAX:
        bad("judul", title[:60] + "…", _("At most %(n)d characters.") % {"n": TITLE_MAX})

    sub_area_id = None
    code = _text(values.get("sub_area"))
    if not code and default_sub_area_id is not None:
        sub_area_id = default_sub_area_id
    elif not code:
        bad("sub_area", code, _("Required: one of %(codes)s.") % {"codes": _codes(context)})
    else:
        sub_area_id = context.sub_areas.get(code.lower()) or context.sub_area_names.get(
            squash(code)
        )
        if sub_area_id is None:
            bad(
                "sub_area",
                code,
                _("Unknown sub-area for this Pokja. Allowed: %(codes)s.")
                % {"codes": _codes(context)},
            )

    question_ids: list[int] = []
    raw_questions = values.get("pertanyaan")
    if _text(raw_questions) and sub_area_id is not None:
        allowed = context.questions.get(sub_area_id, {})
        for part in _split(raw_questions):
            number_value = _whole_number(part)
            if number_value is None or number_value not in allowed:
                bad(
                    "pertanyaan",
                    part,
                    _("Not a question of sub-area %(code)s. Allowed: %(numbers)s.")
                    % {
                        "code": code,
                        "numbers": ", ".join(str(n) for n in sorted(allowed)) or "—",
                    },
                )
            elif allowed[number_value] not in question_ids:
                question_ids.append(allowed[number_value])

    owner_ids: list[int] = []
    for text, (user_id, problem) in _owners(values.get("penanggung_jawab"), context):
        if problem == "shared":
            bad(
                "penanggung_jawab",
                text,
                _("Two members of this Pokja are called %(name)s: write their username.")
                % {"name": text},
            )
        elif problem:
            bad(
                "penanggung_jawab",
                text,
                _(
                    "Not a member of this Pokja. Members: %(members)s. To import without "
                    "owners, choose “ignore” for this column."
                )
                % {"members": ", ".join(sorted(context.members)) or "—"},
            )
        elif user_id not in owner_ids:
            owner_ids.append(user_id)

    dates_range = programme_date_range(context.year) if context.year else (EARLIEST, LATEST)
    span = month_span(marked, context.year) if marked and context.year else None
    period_told = False  # a bad period is told once, not again as missing dates
    if _text(values.get(PERIOD)):
        span = loose_period(values.get(PERIOD), context.year)
        if span is None:
            bad(PERIOD, values.get(PERIOD), _("Write %(f)s.") % {"f": PERIOD_HELP})
            period_told = True
    start = _date(values.get("tanggal_mulai")) or loose_date(
        values.get("tanggal_mulai"), context.year, end=False
    )
    if start is None and not _text(values.get("tanggal_mulai")) and span:
        start = span[0]
    if start is None:
        if not period_told:
            bad(
                "tanggal_mulai",
                values.get("tanggal_mulai"),
                _("Required: %(f)s.") % {"f": DATE_HELP},
            )
    elif not _in_range("tanggal_mulai", start, dates_range, bad, written):
        start = None
    due = _date(values.get("tanggal_selesai")) or loose_date(
        values.get("tanggal_selesai"), context.year, end=True
    )
    if due is None and not _text(values.get("tanggal_selesai")) and span:
        due = span[1]
    if due is None:
        if not period_told:
            bad(
                "tanggal_selesai",
                values.get("tanggal_selesai"),
                _("Required: %(f)s.") % {"f": DATE_HELP},
            )
    elif not _in_range("tanggal_selesai", due, dates_range, bad, written):
        due = None
    elif start is not None and due < start:
        bad(
            "tanggal_selesai",
            values.get("tanggal_selesai"),
            _("The due date is before the start date (%(start)s).") % {"start": start.isoformat()},
        )

    status_text = _text(values.get("status"))
    read_status = loose_status(values.get("status"))
    status, status_progress = read_status if read_status else (None, None)
    if status is None:
        bad("status", status_text, str(STATUS_HELP))
    elif status in (VERIFIED, RETURNED) and item_number is None:
        bad(
            "status",
            status_text,
            _(
                "Allowed: Belum mulai, Berjalan or Selesai (only the coordinator verifies or "
                "returns items)."
            ),
        )
        status = None

    raw_progress = values.get("progres")
    progress_written = bool(_text(raw_progress)) or status_progress is not None
    progress: int | None = 100 if status in (DONE, VERIFIED) else (status_progress or 0)
    if _text(raw_progress):
        progress = _percent(raw_progress)
        if progress is None or not 0 <= progress <= 100:
            bad("progres", raw_progress, _("A whole number from 0 to 100."))
            progress = None
        elif status in (DONE, VERIFIED) and progress != 100:
            bad(
                "progres", raw_progress, _("A Selesai item is at 100; leave it empty or write 100.")
            )
        elif status == NOT_STARTED and progress != 0:
            if status_text:
                bad(
                    "progres",
                    raw_progress,
                    _(
                        "A Belum mulai item is at 0; write Berjalan as its status if work has begun."
                    ),
                )
            else:
                status = IN_PROGRESS  # no status written, but work has begun

    for column in ("uraian", "keluaran", "indikator_keberhasilan"):
        text = _text(values.get(column))
        if len(text) > LONG_TEXT_LENGTH:
            bad(
                column,
                text[:60] + "…",
                _("At most %(n)s characters.") % {"n": number_format(LONG_TEXT_LENGTH)},
            )

    if errors:
        return None, errors
    assert sub_area_id is not None and start is not None and due is not None
    assert status is not None and progress is not None
    return (
        PlanRow(
            row=number,
            title=title,
            description=_text(values.get("uraian")),
            sub_area_id=sub_area_id,
            question_ids=tuple(question_ids),
            expected_output=_text(values.get("keluaran")),
            success_indicator=_text(values.get("indikator_keberhasilan")),
            owner_ids=tuple(owner_ids),
            start_date=start,
            due_date=due,
            status=status,
            progress=progress,
            item_number=item_number,
            progress_written=progress_written,
            status_written=bool(status_text),
        ),
        [],
    )


def _cell(cells: Sequence[Cell], index: int) -> Cell:
    return cells[index] if index < len(cells) else None


def _codes(context: PlanImportContext) -> str:
    return ", ".join(context.sub_area_codes)


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _split(value: Cell) -> list[str]:
    return [part.strip() for part in _LIST_SPLIT.split(_text(value)) if part.strip()]


def _owners(value: Cell, context: PlanImportContext) -> list[tuple[str, tuple[int | None, str]]]:
    """The owners a cell names, each with what it names (see `PlanImportContext.member`).

    Owners are separated by semicolons or lines; older files separated usernames by commas,
    and a name may hold a comma ("Budi Santoso, S.H."): within a part, the longest run of
    comma-separated pieces that names a member is taken, piece by piece."""
    found = []
    for part in re.split(r"[;\n]+", _text(value)):
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        start = 0
        while start < len(pieces):
            for end in range(len(pieces), start, -1):
                text = ", ".join(pieces[start:end])
                member = context.member(text)
                if member[1] != "unknown" or end == start + 1:
                    found.append((text, member))
                    start = end
                    break
    return found


def _in_range(column, value, dates_range, bad, written) -> bool:
    """The same range as the plan item form's dates; False (and the row's error) outside."""
    try:
        check_date_range(value, written.get(column, column), *dates_range)
    except ValidationError as exc:
        bad(column, value.isoformat(), " ".join(exc.messages))
        return False
    return True
