"""Writing to the audit trail. Call these inside the transaction that makes the change.

Every audited write of the services goes through the helpers here: `audited_create`,
`audited_update` (set, check, save, record), `audited_save` (either), `audited_delete`, and `audited` (a block whose
changes to the named fields are recorded) for writes of another shape; `locked` takes the
row lock an update starts with. `programme=` puts the entry in that programme's (and its
unit's) trail.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from audit.anchors import (
    Anchor,
    anchor_file_path,
    anchor_folder,
    append_anchor,
    newest_anchor,
    read_anchor_file,
)
from audit.models import AuditChainHead, AuditEntry

GENESIS_HASH = "0" * 64
logger = logging.getLogger("audit")


def _json_value(value: Any) -> Any:
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, models.Model):
        return value.pk
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def audit_snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The JSON-native values of `fields` of `obj`; foreign keys as ids, files as names."""
    snapshot = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            value = sorted((obj.pk and getattr(obj, name).values_list("pk", flat=True)) or [])
        elif field.is_relation:
            value = getattr(obj, field.attname)
        else:
            value = getattr(obj, name)
        snapshot[name] = _json_value(value)
    return snapshot


def audit_diff(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> dict[str, list[Any]]:
    before, after = before or {}, after or {}
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = _json_value(before.get(key)), _json_value(after.get(key))
        if old != new:
            changes[key] = [old, new]
    return changes


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    changes: Mapping[str, list[Any]] | None = None,
    programme_id: int | None = None,
    unit_id: int | None = None,
    note: str = "",
    programme: models.Model | None = None,
) -> AuditEntry:
    """Append one entry to the chain. `actor` is a user or None for the system; `programme`
    (any record with a pk and a unit_id) gives the programme and unit ids at once."""
    if programme is not None:
        programme_id, unit_id = programme.pk, programme.unit_id
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id if object_id is not None else obj.pk
        object_repr = object_repr if object_repr is not None else str(obj)
    if not object_type or object_id is None:
        raise ValueError("an audit entry needs an object or an object type and id")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        entry = AuditEntry(
            at=timezone.now(),
            actor_id=actor.pk if authenticated else None,
            actor_username=actor.get_username() if authenticated else "system",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            object_repr=(object_repr or "")[:200],
            programme_id=programme_id,
            unit_id=unit_id,
            changes=_json_value(dict(changes or {})),
            note=note,
            prev_hash=head.last_hash,
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
        head.last_entry_id = entry.pk
        head.last_hash = entry.entry_hash
        head.save()
    return entry


def audit_change(
    *,
    actor,
    obj: models.Model,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    programme_id: int | None = None,
    unit_id: int | None = None,
    note: str = "",
    object_repr: str | None = None,
    programme: models.Model | None = None,
) -> AuditEntry | None:
    """Record a create (before=None), delete (after=None) or update; nothing if unchanged."""
    changes = audit_diff(before, after)
    if before is None:
        action = AuditEntry.Action.CREATE
    elif after is None:
        action = AuditEntry.Action.DELETE
    else:
        action = AuditEntry.Action.UPDATE
        if not changes and not note:
            return None
    return audit_record(
        actor=actor,
        action=action,
        obj=obj,
        object_repr=object_repr,
        changes=changes,
        programme_id=programme_id,
        unit_id=unit_id,
        note=note,
        programme=programme,
    )


# --------------------------------------------------------------------------- audited writes


def locked(obj: models.Model, *related: str) -> models.Model:
    """`obj` read again under a row lock (with `related` joined), as an update starts."""
    query = obj._meta.model._default_manager.select_for_update(of=("self",) if related else ())
    if related:
        query = query.select_related(*related)
    return query.get(pk=obj.pk)


class AuditedChange:
    """What an `audited` block recorded: the snapshots and the entry (None if unchanged)."""

    def __init__(self, before: dict[str, Any] | None):
        self.before = before
        self.after: dict[str, Any] | None = None
        self.entry: AuditEntry | None = None

    @property
    def changed(self) -> bool:
        return self.before != self.after


@contextmanager
def audited(
    obj: models.Model,
    fields: Iterable[str],
    *,
    actor,
    programme: models.Model | None = None,
    note: str = "",
    **scope,
) -> Iterator[AuditedChange]:
    """Record what the block changes of `fields` of `obj` (nothing if nothing changed; no
    entry if the block raises)."""
    fields = tuple(fields)
    change = AuditedChange(audit_snapshot(obj, fields))
    yield change
    change.after = audit_snapshot(obj, fields)
    change.entry = audit_change(
        actor=actor,
        obj=obj,
        before=change.before,
        after=change.after,
        programme=programme,
        note=note,
        **scope,
    )


def audited_create(
    obj: models.Model,
    fields: Iterable[str],
    *,
    actor,
    programme: models.Model | None = None,
    check: Callable[[models.Model], None] | None = None,
    note: str = "",
    **scope,
) -> models.Model:
    """Check (`check`, e.g. a model's full_clean), save and record a new row."""
    if check is not None:
        check(obj)
    obj.save()
    audit_created(obj, fields, actor=actor, programme=programme, note=note, **scope)
    return obj


def audit_created(
    obj: models.Model,
    fields: Iterable[str],
    *,
    actor,
    programme: models.Model | None = None,
    note: str = "",
    **scope,
) -> AuditEntry:
    """Record a row just saved (where saving it takes more than `audited_create` does)."""
    return audit_change(
        actor=actor,
        obj=obj,
        before=None,
        after=audit_snapshot(obj, fields),
        programme=programme,
        note=note,
        **scope,
    )


def editable_only(changes: Mapping[str, Any], editable: Iterable[str], *, service: str) -> None:
    """A programming slip, not a user's: `service` was asked to change a field it may not."""
    unknown = set(changes) - set(editable)
    if unknown:
        raise ValueError(f"{service} cannot change {sorted(unknown)}")


def audited_update(
    obj: models.Model,
    fields: Iterable[str],
    *,
    actor,
    changes: Mapping[str, Any],
    programme: models.Model | None = None,
    check: Callable[[models.Model], None] | None = None,
    note: str = "",
    update_fields: Iterable[str] | None = None,
    **scope,
) -> AuditedChange:
    """Set `changes` on `obj`, check it, save it and record what changed of `fields`."""
    with audited(obj, fields, actor=actor, programme=programme, note=note, **scope) as change:
        for name, value in changes.items():
            setattr(obj, name, value)
        if check is not None:
            check(obj)
        obj.save(update_fields=update_fields)
    return change


def audited_save(
    obj: models.Model,
    fields: Iterable[str],
    *,
    actor,
    changes: Mapping[str, Any],
    programme: models.Model | None = None,
    check: Callable[[models.Model], None] | None = None,
    **scope,
) -> models.Model:
    """`audited_update` of a stored row, or `audited_create` of a new one with `changes`."""
    if not obj._state.adding:
        audited_update(
            obj, fields, actor=actor, changes=changes, programme=programme, check=check, **scope
        )
        return obj
    for name, value in changes.items():
        setattr(obj, name, value)
    return audited_create(obj, fields, actor=actor, programme=programme, check=check, **scope)


def audited_delete(
    obj: models.Model,
    fields: Iterable[str],
    *,
    actor,
    programme: models.Model | None = None,
    note: str = "",
    **scope,
) -> None:
    """Record the row's last values, then delete it."""
    audit_change(
        actor=actor,
        obj=obj,
        before=audit_snapshot(obj, fields),
        after=None,
        programme=programme,
        note=note,
        **scope,
    )
    obj.delete()


# Rows of these are only ever created by services that record the creation in the same
# transaction: while one exists, the trail cannot be empty.
ALWAYS_AUDITED = ("pokja.Programme",)


def _audited_rows_exist(using: str) -> bool:
    return any(
        apps.get_model(label)._default_manager.using(using).exists() for label in ALWAYS_AUDITED
    )


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    broken_entry_id: int | None = None
    reason: str = ""
    # The newest entry verified: recorded somewhere safe, it is an anchor for a later check.
    last_entry_id: int | None = None
    last_hash: str = GENESIS_HASH


def audit_verify_chain(
    *, anchors: Mapping[int, str] | None = None, using: str = DEFAULT_DB_ALIAS
) -> ChainCheck:
    """Walk the chain from the first entry; report the first broken link.

    The chain alone shows any entry altered or removed by someone who did not recompute the
    hashes after it. `anchors` ({entry id: hash} noted from earlier runs) also catch a trail
    rewritten from some entry on with fresh hashes.
    """
    anchors = dict(anchors or {})
    previous_hash = GENESIS_HASH
    checked = 0
    last_id = None

    def broken(entry_id, reason):
        return ChainCheck(False, checked, entry_id, reason, last_id, previous_hash)

    entries = AuditEntry.objects.using(using).order_by("id")
    for entry in entries.iterator(chunk_size=2000):
        if entry.prev_hash != previous_hash:
            return broken(
                entry.pk,
                f"entry {entry.pk} does not follow the entry before it "
                "(an entry before it was removed or altered)",
            )
        if entry.compute_hash() != entry.entry_hash:
            return broken(entry.pk, f"entry {entry.pk} was altered after it was written")
        expected = anchors.pop(entry.pk, None)
        if expected is not None and expected != entry.entry_hash:
            return broken(
                entry.pk,
                f"entry {entry.pk} no longer has the hash noted for it "
                "(the trail was rewritten at or before this entry)",
            )
        previous_hash = entry.entry_hash
        last_id = entry.pk
        checked += 1
    if anchors:
        missing = max(anchors)
        if last_id is None or missing > last_id:
            end = f"ends at entry {last_id}" if last_id is not None else "is empty"
            return broken(
                missing,
                f"the trail {end}, but an anchor noted entry {missing}: "
                "the newest entries were removed",
            )
        missing = min(anchors)
        return broken(missing, f"entry {missing}, noted in an anchor, is missing")
    if last_id is None and _audited_rows_exist(using):
        return broken(
            None,
            "the trail is empty while the application holds programmes, whose creation is "
            "always recorded: its entries were removed",
        )
    head = AuditChainHead.objects.using(using).filter(pk=1).first()
    if head is None:
        if last_id is not None:
            return broken(last_id, "the chain head is missing (the newest entries may be gone)")
    elif head.last_hash != previous_hash or head.last_entry_id != last_id:
        return broken(
            head.last_entry_id,
            f"the newest entry ({head.last_entry_id}) is missing or was altered",
        )
    return ChainCheck(True, checked, last_entry_id=last_id, last_hash=previous_hash)


@dataclass(frozen=True)
class AnchorRun:
    check: ChainCheck
    # The newest anchor found in the folder, which the trail was checked against.
    previous: Anchor | None
    # The anchor written now (None when the trail is broken or empty).
    written: Anchor | None
    unreadable: tuple[str, ...] = ()


def audit_anchor_write(*, folder: Path | None = None) -> AnchorRun:
    """Check the trail against the newest anchor kept in `folder` (AUDIT_ANCHOR_DIR), then
    append a new anchor there and to the log. A broken trail gets no anchor: it is logged as
    an error, and the previous anchors stay what later checks compare with."""
    folder = folder or anchor_folder()
    kept = read_anchor_file(anchor_file_path(folder))
    previous = newest_anchor(kept.anchors)
    for place in kept.unreadable:
        logger.warning("audit anchors: %s holds no anchor", place)
    check = audit_verify_chain(
        anchors={previous.entry_id: previous.entry_hash} if previous else None
    )
    if not check.ok:
        logger.error(
            "audit trail broken: %s (%s entries verified before it); no anchor written",
            check.reason,
            check.checked,
        )
        return AnchorRun(check, previous, None, tuple(kept.unreadable))
    if check.last_entry_id is None:
        logger.info("audit trail empty: nothing to anchor yet")
        return AnchorRun(check, previous, None, tuple(kept.unreadable))
    anchor = Anchor(
        entry_id=check.last_entry_id,
        entry_hash=check.last_hash,
        at=timezone.now(),
        entries=check.checked,
    )
    path = append_anchor(anchor, folder)
    logger.info("audit %s (written to %s)", anchor.line(), path)
    return AnchorRun(check, previous, anchor, tuple(kept.unreadable))
