"""The audit trail is append-only and any alteration or removal is detected."""

from __future__ import annotations

import itertools
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from audit.models import AuditAppendOnlyError, AuditChainHead, AuditEntry
from audit.services import audit_change, audit_record, audit_snapshot, audit_verify_chain
from pokja.models import Unit
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

TABLE = AuditEntry._meta.db_table
HEAD_TABLE = AuditChainHead._meta.db_table


@contextmanager
def tampering():
    """A cursor for someone who bypasses the application: on PostgreSQL, the table owner who
    first disables the append-only triggers (restored when the test's transaction ends)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_entry_append_only")
            cursor.execute(f"ALTER TABLE {HEAD_TABLE} DISABLE TRIGGER audit_head_append_only")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_entry_append_only")
            cursor.execute(f"ALTER TABLE {HEAD_TABLE} ENABLE TRIGGER audit_head_append_only")


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
    with tampering() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET changes = %s WHERE id = %s",
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
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entries[1].pk])
    result = audit_verify_chain()
    assert not result.ok
    assert result.broken_entry_id == entries[2].pk


def test_removing_the_newest_row_is_detected():
    entries = _write_entries()
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entries[-1].pk])
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


def test_bulk_changes_through_the_orm_are_refused_too():
    _write_entries(2)
    with pytest.raises(AuditAppendOnlyError):
        AuditEntry.objects.all().update(note="tampered")
    with pytest.raises(AuditAppendOnlyError):
        AuditEntry.objects.all().delete()
    assert audit_verify_chain().ok


def test_removing_the_newest_rows_and_the_head_is_detected():
    entries = _write_entries()
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id >= %s", [entries[2].pk])
        cursor.execute(f"DELETE FROM {HEAD_TABLE}")
    result = audit_verify_chain()
    assert not result.ok
    assert result.broken_entry_id == entries[1].pk
    assert "head is missing" in result.reason


def _rewrite_from(entry_id: int, cursor) -> None:
    """What someone who knows the algorithm does: alter an entry and recompute every hash
    after it, and the head, so that the chain is consistent again."""
    previous = AuditEntry.objects.filter(id__lt=entry_id).order_by("-id").first()
    previous_hash = previous.entry_hash if previous else "0" * 64
    for entry in AuditEntry.objects.filter(id__gte=entry_id).order_by("id"):
        if entry.pk == entry_id:
            entry.changes = {"name": ["x", "forged"]}
            cursor.execute(
                f"UPDATE {TABLE} SET changes = %s WHERE id = %s",
                ['{"name": ["x", "forged"]}', entry.pk],
            )
        entry.prev_hash = previous_hash
        entry.entry_hash = entry.compute_hash()
        cursor.execute(
            f"UPDATE {TABLE} SET prev_hash = %s, entry_hash = %s WHERE id = %s",
            [entry.prev_hash, entry.entry_hash, entry.pk],
        )
        previous_hash = entry.entry_hash
    cursor.execute(f"UPDATE {HEAD_TABLE} SET last_hash = %s", [previous_hash])


def test_a_rewritten_trail_passes_the_chain_but_not_an_anchor(capsys):
    entries = _write_entries()
    call_command("verify_audit")
    anchor_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert anchor_line == f"Anchor: {entries[-1].pk}:{entries[-1].entry_hash}"
    anchor = anchor_line.removeprefix("Anchor: ")
    with tampering() as cursor:
        _rewrite_from(entries[1].pk, cursor)
    # A consistent forgery passes the chain walk alone ...
    assert audit_verify_chain().ok
    # ... but not the anchor noted before it.
    result = audit_verify_chain(anchors={entries[-1].pk: entries[-1].entry_hash})
    assert not result.ok and result.broken_entry_id == entries[-1].pk
    with pytest.raises(CommandError, match=f"broken at entry {entries[-1].pk}"):
        call_command("verify_audit", "--anchor", anchor)


def test_an_anchor_for_a_removed_entry_is_reported():
    entries = _write_entries()
    result = audit_verify_chain(anchors={entries[-1].pk + 100: "f" * 64})
    assert not result.ok and result.broken_entry_id == entries[-1].pk + 100
    assert f"the trail ends at entry {entries[-1].pk}, but an anchor noted" in result.reason
    result = audit_verify_chain(anchors={entries[1].pk + 1000: "f" * 64, entries[1].pk: "f" * 64})
    assert not result.ok and result.broken_entry_id == entries[1].pk  # the first difference


def test_a_malformed_anchor_is_refused_with_its_form():
    with pytest.raises(CommandError, match="ENTRY_ID:HASH"):
        call_command("verify_audit", "--anchor", "12:abc")


@pytest.mark.postgres
def test_the_database_refuses_to_change_or_remove_entries():
    entries = _write_entries(2)
    for sql, params in (
        (f"UPDATE {TABLE} SET note = 'tampered' WHERE id = %s", [entries[0].pk]),
        (f"DELETE FROM {TABLE} WHERE id = %s", [entries[0].pk]),
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    assert AuditEntry.objects.count() == 2
    assert audit_verify_chain().ok


@pytest.mark.postgres
@pytest.mark.parametrize("tables", [[TABLE], [HEAD_TABLE], [TABLE, HEAD_TABLE]])
def test_the_database_refuses_to_truncate_the_trail(tables):
    # TRUNCATE fires no row trigger: without a trigger of its own it empties the trail, and
    # verify_audit then found "intact: 0 entries". The test runs as the tables' owner.
    _write_entries(2)
    with (
        pytest.raises(IntegrityError, match="append-only: TRUNCATE"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"TRUNCATE {', '.join(tables)}")
    assert AuditEntry.objects.count() == 2
    assert audit_verify_chain().ok


@pytest.mark.postgres
def test_the_database_lets_the_head_only_move_forward_by_one_appended_entry():
    entries = _write_entries(3)
    attempts = [
        # Back to an earlier entry, hiding the newer ones.
        (
            f"UPDATE {HEAD_TABLE} SET last_entry_id = %s, last_hash = %s",
            [entries[1].pk, entries[1].entry_hash],
        ),
        # Forward to a hash no entry has.
        (f"UPDATE {HEAD_TABLE} SET last_entry_id = last_entry_id + 1, last_hash = %s", ["f" * 64]),
        (f"DELETE FROM {HEAD_TABLE}", []),
    ]
    for sql, params in attempts:
        with (
            pytest.raises(IntegrityError, match="audit chain head"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, params)
    # Appending still works.
    _write_entries(1)
    assert audit_verify_chain().ok


def test_the_trigger_migration_does_nothing_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("checks the SQLite schema")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
        assert cursor.fetchone()[0] == 0


def test_hashes_survive_the_database_round_trip_of_awkward_values():
    # What comes back from the database (JSON/jsonb, timestamps) must hash as it was written.
    audit_record(
        actor=None,
        action="update",
        object_type="evaluations.answer",
        object_id="42",
        object_repr="Jawaban «q12» · Pokja 1 ✓",
        changes={
            "value": ["0.67", 0.30000000000000004],
            "note": ["Kegiatan 17 Agustus", 'Rapat "khusus"\nbaris 2\t€'],
            "big": [2**62, -1e-07],
            "flags": [[True, False, None], {"z": 1, "a": [1.5, "x"]}],
            "empty": ["", {}],
        },
        note="catatan: ñ 日本",
    )
    result = audit_verify_chain()
    assert result.ok and result.checked == 1
