"""Importing a Pokja's action plan from a spreadsheet: the template, a downloaded plan, or the
unit's own rencana aksi workbook (see `pokja.plan_layout` for how its layout is read).

Preview first (`action_plan_import_preview` writes nothing), then `action_plan_import_apply`:
every row, or none. A row carrying an item's code updates that item through the same audited
services as the item's edit form (`action_plan_update`, `action_plan_update_status`), with
their checks and the item's workflow rights; a row without a code adds an item
(`action_plan_create`). Only the fields the file has a column for are compared and changed: a
file without an owners column leaves the owners as they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from pokja.access import ProgrammeAccess, programme_access
from pokja.models import ActionPlanItem, Pokja, ProgrammeRole, User
from pokja.plan_columns import field_choices, recognise
from pokja.plan_columns import field_label as _field_label
from pokja.plan_import import PlanImportContext, PlanRow, RowError, check_table
from pokja.plan_layout import (
    CODE,
    HEADER_ROWS_SEARCHED,
    IGNORE,
    RETURNED,
    Area,
    Layout,
    field_month,
    find_layout,
    squash,
)
from pokja.services.plans import (
    action_plan_create,
    action_plan_update,
    action_plan_update_status,
    allowed_statuses,
    can_change_item,
)
from pokja.spreadsheets import MAX_UPLOAD_BYTES, SpreadsheetError, read_table

Status = ActionPlanItem.Status
NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"
PREVIEW_ROWS = 200  # rows shown on the preview (every error is shown whatever their number)

# The item's fields a row may change, each with the file's field that holds it.
_FIELD_OF = {
    "title": "judul",
    "description": "uraian",
    "sub_area": "sub_area",
    "questions": "pertanyaan",
    "expected_output": "keluaran",
    "success_indicator": "indikator_keberhasilan",
    "owners": "penanggung_jawab",
    "start_date": "tanggal_mulai",
    "due_date": "tanggal_selesai",
    "status": "status",
    "progress": "progres",
}


class PlanImportError(Exception):
    """The file was not imported; `errors` says what to fix, row by row."""

    def __init__(self, errors: Sequence[RowError]):
        super().__init__(f"{len(errors)} problem(s) in the import file")
        self.errors = list(errors)


@dataclass
class PreviewRow:
    row: PlanRow
    action: str  # NEW, UPDATE or UNCHANGED
    changes: list[str] = field(default_factory=list)  # the item's fields that change, as named
    item: ActionPlanItem | None = None


@dataclass
class PlanImportPreview:
    name: str
    layout: Layout
    mapping: dict[int, str]  # column index -> field
    default_sub_area_id: int | None
    rows: list[PreviewRow]
    errors: list[RowError]
    sub_areas: list[tuple[int, str, str]]  # (id, code, name) of the Pokja's area
    sub_area_code: dict[int, str]
    member_name: dict[int, str]
    sample: list[list[str]] = field(default_factory=list)  # first data rows, per column

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def new_count(self) -> int:
        return self.count(NEW)

    @property
    def update_count(self) -> int:
        return self.count(UPDATE)

    @property
    def unchanged_count(self) -> int:
        return self.count(UNCHANGED)

    @property
    def shown_rows(self) -> list[PreviewRow]:
        return self.rows[:PREVIEW_ROWS]

    @property
    def sub_area_mapped(self) -> bool:
        return "sub_area" in self.mapping.values()

    @property
    def has_work(self) -> bool:
        return not self.errors and (self.new_count + self.update_count) > 0


def _import_world(pokja: Pokja):
    """The context rows are checked against, the sub-areas (id, code, name) and the members'
    names (id -> name) for the preview: a fixed number of queries."""
    programme = pokja.programme
    framework = programme.framework
    sub_areas = list(framework.sub_areas.filter(area__code=pokja.area_code).order_by("order"))
    parent_of = {s.pk: s.parent_id for s in sub_areas}
    questions: dict[int, dict[int, int]] = {s.pk: {} for s in sub_areas}
    for pk, number, sub_area_id in framework.questions.filter(
        sub_area_id__in=list(parent_of)
    ).values_list("pk", "number", "sub_area_id"):
        questions[sub_area_id][number] = pk
        if parent_of.get(sub_area_id):
            questions[parent_of[sub_area_id]][number] = pk
    members: dict[str, int] = {}
    names: dict[str, int | None] = {}
    display: dict[int, str] = {}
    for role in ProgrammeRole.objects.filter(
        pokja=pokja, kind__in=ProgrammeRole.POKJA_KINDS
    ).select_related("user"):
        user = role.user
        members[user.username.lower()] = user.pk
        display[user.pk] = user.display_name
        name = " ".join(user.display_name.lower().split())
        # Two people of one Pokja may share a name: then only their usernames tell them apart.
        names[name] = user.pk if names.get(name, user.pk) == user.pk else None
    areas = tuple(
        Area(number, code, name)
        for number, code, name in Pokja.objects.filter(programme_id=programme.pk)
        .order_by("number")
        .values_list("number", "area_code", "name")
    )
    context = PlanImportContext(
        sub_areas={s.code.lower(): s.pk for s in sub_areas},
        sub_area_codes=[s.code for s in sub_areas],
        questions=questions,
        members=members,
        member_names=names,
        year=programme.year,
        number=pokja.number,
        areas=areas,
        sub_area_names={squash(s.name): s.pk for s in sub_areas if s.name},
    )
    return context, [(s.pk, s.code, s.name) for s in sub_areas], display


def import_context(pokja: Pokja) -> PlanImportContext:
    return _import_world(pokja)[0]


def read_plan_file(name: str, data: bytes, filled: set | None = None) -> list[list]:
    """The first sheet of an uploaded plan, or PlanImportError naming the file's problem;
    `filled` receives the cells coloured without a value (see `read_table`)."""
    try:
        return read_table(SimpleUploadedFile(name or "plan", data), filled=filled)
    except SpreadsheetError as exc:
        raise PlanImportError([RowError(0, "", name or "", str(exc))]) from None


def plan_upload(uploaded: UploadedFile) -> tuple[str, bytes]:
    """The name and bytes of an uploaded plan; PlanImportError for an empty or too large
    file, before reading it."""
    name = uploaded.name or ""
    if not uploaded.size or uploaded.size > MAX_UPLOAD_BYTES:
        try:
            read_table(uploaded)  # its own message for the size
        except SpreadsheetError as exc:
            raise PlanImportError([RowError(0, "", name, str(exc))]) from None
    uploaded.seek(0)
    return name, uploaded.read(MAX_UPLOAD_BYTES + 1)


def _shown(value) -> str:
    """A cell as the preview shows it: a date without its midnight time."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sample(table, layout: Layout, rows: int = 3) -> list[list[str]]:
    out = []
    for cells in table[layout.data_index :]:
        values = [_shown(c) for c in cells]
        if any(v.strip() for v in values):
            out.append(values)
        if len(out) == rows:
            break
    return out


def action_plan_import_preview(
    *,
    actor: User | None,
    access: ProgrammeAccess,
    pokja: Pokja,
    name: str,
    data: bytes,
    mapping: Mapping[int, str] | None = None,
    default_sub_area_id: int | None = None,
) -> PlanImportPreview:
    """What importing the file under `mapping` (column index -> field; None: as guessed)
    would do, row by row, with every problem. Writes nothing.

    Raises PlanImportError when the file cannot be read or has no header at all."""
    filled: set[tuple[int, int]] = set()
    table = read_plan_file(name, data, filled)
    layout = find_layout(table, recognise)
    if layout is None:
        raise PlanImportError(
            [
                RowError(
                    0,
                    "",
                    name,
                    _(
                        "No header row found in the first %(n)d rows: the plan's columns need "
                        "headers such as Kegiatan, Penanggung Jawab, Batas Waktu or the months "
                        "(Jan..Des). Download the template to see them."
                    )
                    % {"n": HEADER_ROWS_SEARCHED},
                )
            ]
        )
    columns = {c.index for c in layout.columns}
    known = {key for key, _label in field_choices()}
    if mapping is None:
        chosen = layout.guessed()
    else:
        chosen = {i: key for i, key in mapping.items() if i in columns and key in known}
    context, sub_areas, display = _import_world(pokja)
    if default_sub_area_id not in {pk for pk, _code, _name in sub_areas}:
        default_sub_area_id = None
    # Until the sub-area of the rows is chosen, the rows are still read and shown (under a
    # stand-in sub-area, not shown), with the choice asked for: nothing imports without it.
    placeholder = None
    if default_sub_area_id is None and "sub_area" not in chosen.values() and sub_areas:
        placeholder = sub_areas[0][0]
    rows, errors = check_table(
        table,
        context,
        layout,
        chosen,
        default_sub_area_id=default_sub_area_id or placeholder,
        filled=filled,
    )
    if placeholder is not None:
        errors.insert(
            0,
            RowError(
                layout.header_row,
                _field_label("sub_area"),
                "",
                _("Choose the LKE sub-area of the rows, or the column that holds it."),
            ),
        )
    preview = PlanImportPreview(
        name=name,
        layout=layout,
        mapping=chosen,
        default_sub_area_id=default_sub_area_id,
        rows=[],
        errors=errors,
        sub_areas=sub_areas,
        sub_area_code={
            pk: code for pk, code, _name in sub_areas if placeholder is None or pk != placeholder
        },
        member_name=display,
        sample=_sample(table, layout),
    )
    mapped = set(chosen.values())
    if any(field_month(key) for key in mapped):
        mapped |= {"tanggal_mulai", "tanggal_selesai"}
    items = {}
    if CODE in mapped:
        items = {
            item.number: item
            for item in ActionPlanItem.objects.filter(pokja=pokja)
            .select_related("programme", "pokja")
            .prefetch_related("questions", "owners")
        }
    for row in rows:
        if row.item_number is None:
            preview.rows.append(PreviewRow(row, NEW))
            continue
        item = items.get(row.item_number)
        code = f"RA {pokja.number}.{row.item_number}"
        if item is None:
            errors.append(
                RowError(
                    row.row,
                    _written(layout, chosen, CODE),
                    code,
                    _(
                        "This Pokja's plan has no item %(code)s (it may have been removed); "
                        "clear the code to add the row as a new item."
                    )
                    % {"code": code},
                )
            )
            continue
        changes, problem = _changes(item, row, mapped, access)
        if problem:
            errors.append(RowError(row.row, _written(layout, chosen, problem[0]), *problem[1:]))
            continue
        preview.rows.append(PreviewRow(row, UPDATE if changes else UNCHANGED, changes, item))
    return preview


def _written(layout: Layout, mapping: Mapping[int, str], key: str) -> str:
    for column in layout.columns:
        if mapping.get(column.index) == key:
            return column.header
    return key


def _new_values(item: ActionPlanItem, row: PlanRow, mapped: set[str]) -> dict:
    """The item's fields the row gives, where they differ from the item's."""
    new = {
        "title": row.title,
        "description": row.description,
        "sub_area": row.sub_area_id,
        "questions": set(row.question_ids),
        "expected_output": row.expected_output,
        "success_indicator": row.success_indicator,
        "owners": set(row.owner_ids),
        "start_date": row.start_date,
        "due_date": row.due_date,
        "status": row.status,
        "progress": row.progress,
    }
    old = {
        "title": item.title,
        "description": item.description,
        "sub_area": item.sub_area_id,
        "questions": {q.pk for q in item.questions.all()},
        "expected_output": item.expected_output,
        "success_indicator": item.success_indicator,
        "owners": {o.pk for o in item.owners.all()},
        "start_date": item.start_date,
        "due_date": item.due_date,
        "status": item.status,
        "progress": item.progress,
    }
    given = {name for name, key in _FIELD_OF.items() if key in mapped}
    # An empty status or progress cell leaves the item's as they are; a new status without a
    # progress moves the progress by the flow's rules (done is at 100).
    if not row.status_written:
        given.discard("status")
    if row.progress_written:
        given.add("progress")
    else:
        given.discard("progress")
    return {name: new[name] for name in _FIELD_OF if name in given and new[name] != old[name]}


def _changes(item: ActionPlanItem, row: PlanRow, mapped: set[str], access: ProgrammeAccess):
    """(the labels of the fields that change, None) or ([], (field, value, problem))."""
    changed = _new_values(item, row, mapped)
    if not changed:
        return [], None
    if not can_change_item(item, access):
        return [], (
            CODE,
            item.code,
            _("%(code)s is verified: only the coordinator changes it.") % {"code": item.code},
        )
    status = changed.get("status")
    if status is not None:
        if status == RETURNED:
            return [], (
                "status",
                row.status,
                _("Return an item on its own page, with the reason for returning it."),
            )
        if status not in allowed_statuses(item, access):
            return [], (
                "status",
                Status(status).label,
                _("An item that is %(from)s cannot become %(to)s.")
                % {"from": item.get_status_display(), "to": Status(status).label},
            )
    labels = [str(ActionPlanItem._meta.get_field(name).verbose_name) for name in changed]
    return labels, None


@transaction.atomic
def action_plan_import_apply(
    *,
    actor: User,
    access: ProgrammeAccess,
    pokja: Pokja,
    name: str,
    data: bytes,
    mapping: Mapping[int, str] | None = None,
    default_sub_area_id: int | None = None,
) -> PlanImportPreview:
    """Import every row as the preview shows it, or nothing: the file is checked again here
    (the plan may have changed since the preview). Raises PlanImportError with every problem,
    or with the row a service refused."""
    preview = action_plan_import_preview(
        actor=actor,
        access=access,
        pokja=pokja,
        name=name,
        data=data,
        mapping=mapping,
        default_sub_area_id=default_sub_area_id,
    )
    if preview.errors:
        raise PlanImportError(preview.errors)
    if not preview.rows:
        raise PlanImportError([RowError(0, "", name, _("The file has no plan rows to import."))])
    mapped = set(preview.mapping.values())
    if any(field_month(key) for key in mapped):
        mapped |= {"tanggal_mulai", "tanggal_selesai"}
    for entry in preview.rows:
        row = entry.row
        note = _("Imported from %(file)s, row %(row)d") % {"file": name[:100], "row": row.row}
        try:
            if entry.action == NEW:
                entry.item = action_plan_create(
                    actor=actor,
                    pokja=pokja,
                    title=row.title,
                    description=row.description,
                    sub_area=row.sub_area_id,
                    questions=list(row.question_ids),
                    expected_output=row.expected_output,
                    success_indicator=row.success_indicator,
                    owners=list(row.owner_ids),
                    start_date=row.start_date,
                    due_date=row.due_date,
                    status=row.status,
                    progress=row.progress,
                    note=note,
                )
            elif entry.action == UPDATE:
                entry.item = _update(actor, access, entry.item, row, mapped, note)
        except (ValidationError, PermissionDenied) as exc:
            messages = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            # Leaving the atomic block undoes every row written before this one.
            raise PlanImportError([RowError(row.row, "", "", messages)]) from None
    return preview


def _update(actor, access, item, row: PlanRow, mapped: set[str], note: str) -> ActionPlanItem:
    changed = _new_values(item, row, mapped)
    fields = {k: v for k, v in changed.items() if k not in ("status", "progress")}
    for name in ("questions", "owners"):
        if name in fields:
            fields[name] = sorted(fields[name])
    if fields:
        item = action_plan_update(actor=actor, access=access, item=item, note=note, **fields)
    if "status" in changed or "progress" in changed:
        status = changed.get("status")
        progress = changed.get("progress")
        if status in (Status.DONE, Status.VERIFIED):
            progress = None  # done is at 100: the service sets it
        item = action_plan_update_status(
            actor=actor, access=access, item=item, status=status, progress=progress, note=note
        )
    return item


def action_plan_import(
    *,
    actor: User,
    pokja: Pokja,
    uploaded: UploadedFile,
    access: ProgrammeAccess | None = None,
    mapping: Mapping[int, str] | None = None,
    default_sub_area_id: int | None = None,
) -> list[ActionPlanItem]:
    """Import a file at once, its columns as guessed (the template, a downloaded plan): the
    items added or changed, or PlanImportError. The pages preview first."""
    access = access or programme_access(actor, pokja.programme)
    name, data = plan_upload(uploaded)
    preview = action_plan_import_apply(
        actor=actor,
        access=access,
        pokja=pokja,
        name=name,
        data=data,
        mapping=mapping,
        default_sub_area_id=default_sub_area_id,
    )
    return [entry.item for entry in preview.rows if entry.action != UNCHANGED]


__all__ = [
    "IGNORE",
    "NEW",
    "UNCHANGED",
    "UPDATE",
    "PlanImportError",
    "PlanImportPreview",
    "action_plan_import",
    "action_plan_import_apply",
    "action_plan_import_preview",
    "import_context",
]
