"""The audit trail is append-only and any alteration or removal is detected."""

from __future__ import annotations

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from audit.models import AuditAppendOnlyError, AuditEntry
from audit.services import audit_change, audit_record, audit_snapshot, audit_verify_chain
from pokja.models import Unit
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _write_entries(count: int = 4):
    actor = UserFactory(username="auditor")
    unit = UnitFactory()
    entries = []
    for i in range(count):
        entries.append(
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                obj=unit,
                changes={"name": [f"Name {i}", f"Name {i + 1}"]},
                unit_id=unit.pk,
            )
        )
    return entries


def test_entries_are_chained_and_verify():
    entries = _write_entries()
    assert entries[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.entry_hash
    result = audit_verify_chain()
    assert result.ok and result.checked == 4


def test_an_edited_row_is_detected_and_named():
    entries = _write_entries()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET changes = %s WHERE id = %s",
            ['{"name": ["x", "forged"]}', entries[2].pk],
        )
    result = audit_verify_chain()
    assert not result.ok
    assert result.broken_entry_id == entries[2].pk
    assert "altered" in result.reason
    with pytest.raises(CommandError, match=f"broken at entry {entries[2].pk}"):
        call_command("verify_audit")


def test_a_deleted_row_is_detected_at_the_next_entry():
    entries = _write_entries()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[1].pk])
    result = audit_verify_chain()
    assert not result.ok
    assert result.broken_entry_id == entries[2].pk


def test_removing_the_newest_row_is_detected():
    entries = _write_entries()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[-1].pk])
    result = audit_verify_chain()
    assert not result.ok
    assert "newest entry" in result.reason


def test_the_command_reports_an_intact_trail(capsys):
    _write_entries(3)
    call_command("verify_audit")
    assert "3 entries verified" in capsys.readouterr().out


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = _write_entries(1)[0]
    entry.note = "tampered"
    with pytest.raises(AuditAppendOnlyError):
        entry.save()
    with pytest.raises(AuditAppendOnlyError):
        entry.delete()


def test_audit_change_records_old_and_new_values_and_skips_no_change():
    actor = UserFactory(username="editor")
    unit = UnitFactory(name="Polres Lama")
    before = audit_snapshot(unit, ["name", "kind", "parent"])
    unit.name = "Polres Baru"
    entry = audit_change(
        actor=actor, obj=unit, before=before, after=audit_snapshot(unit, ["name", "kind", "parent"])
    )
    assert entry.action == "update"
    assert entry.changes == {"name": ["Polres Lama", "Polres Baru"]}
    assert entry.actor_username == "editor"
    assert entry.object_type == "pokja.unit"
    same = audit_snapshot(unit, ["name"])
    assert audit_change(actor=actor, obj=unit, before=same, after=same) is None


def test_create_and_delete_record_all_values():
    actor = UserFactory(username="maker")
    unit = Unit.objects.create(code="POLSEK-X", name="Polsek X", kind=Unit.Kind.POLSEK)
    created = audit_change(
        actor=actor, obj=unit, before=None, after=audit_snapshot(unit, ["code", "kind"])
    )
    assert created.action == "create"
    assert created.changes == {"code": [None, "POLSEK-X"], "kind": [None, "polsek"]}
    deleted = audit_change(actor=actor, obj=unit, before=audit_snapshot(unit, ["code"]), after=None)
    assert deleted.action == "delete"
    assert deleted.changes == {"code": ["POLSEK-X", None]}
