"""Anchors outside the database: a trail emptied, shortened (its head rewound) or rewritten
by someone who controls the database fails verify_audit, which reads the newest anchor by
itself; the nightly task and each backup write one."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.anchors import anchor_file_path, read_anchor_file
from audit.models import AuditEntry
from audit.services import audit_verify_chain
from audit.tasks import write_anchor
from tests.audit.test_chain import HEAD_TABLE, TABLE, _rewrite_from, _write_entries, tampering

pytestmark = pytest.mark.django_db


def _rewind_to(entry: AuditEntry, cursor) -> None:
    """Remove every entry after `entry` and point the head back at it: the chain is whole."""
    cursor.execute(f"DELETE FROM {TABLE} WHERE id > %s", [entry.pk])
    cursor.execute(
        f"UPDATE {HEAD_TABLE} SET last_entry_id = %s, last_hash = %s",
        [entry.pk, entry.entry_hash],
    )


def _verify(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_nightly_task_checks_then_notes_an_anchor_in_the_folder_and_the_log(caplog):
    entries = _write_entries(3)
    with caplog.at_level(logging.INFO, logger="audit"):
        assert write_anchor() is True
    (anchor,) = read_anchor_file(anchor_file_path()).anchors
    assert (anchor.entry_id, anchor.entry_hash, anchor.entries) == (
        entries[-1].pk,
        entries[-1].entry_hash,
        3,
    )
    assert anchor.at is not None and anchor.at.utcoffset().total_seconds() == 7 * 3600
    assert f"anchor {entries[-1].pk}:{entries[-1].entry_hash} entries=3" in caplog.text
    # The next night checks against it and notes the entries added since.
    more = _write_entries(2)
    assert write_anchor() is True
    kept = read_anchor_file(anchor_file_path()).anchors
    assert [a.entry_id for a in kept] == [entries[-1].pk, more[-1].pk]
    assert "Matches the anchor of" in _verify()


def test_a_rewound_trail_passes_the_chain_alone_but_not_the_anchor_in_the_folder():
    entries = _write_entries(5)
    assert write_anchor()
    with tampering() as cursor:
        _rewind_to(entries[2], cursor)
    # What was reported: the chain alone is whole ("intact"), three entries shorter.
    alone = audit_verify_chain()
    assert alone.ok and alone.checked == 3
    with pytest.raises(CommandError) as failure:
        _verify()
    message = str(failure.value)
    assert f"the trail ends at entry {entries[2].pk}" in message
    assert f"an anchor noted entry {entries[-1].pk}" in message
    assert "the newest entries were removed" in message
    # The nightly run says so in the log and notes nothing over the removal.
    assert write_anchor() is False
    assert len(read_anchor_file(anchor_file_path()).anchors) == 1


def test_an_emptied_trail_fails_against_an_anchor(world):
    _write_entries(2)
    assert write_anchor()
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"DELETE FROM {HEAD_TABLE}")
    with pytest.raises(CommandError, match="the trail is empty, but an anchor noted entry"):
        _verify()


def test_an_emptied_trail_fails_without_any_anchor_while_programmes_exist(world):
    assert AuditEntry.objects.exists()
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"DELETE FROM {HEAD_TABLE}")
    result = audit_verify_chain()
    assert not result.ok and result.checked == 0
    assert "empty while the application holds programmes" in result.reason
    with pytest.raises(CommandError, match="empty while the application holds programmes"):
        _verify()


def test_an_empty_trail_of_an_empty_application_is_intact():
    assert "Audit trail intact: 0 entries verified." in _verify()
    call_command("audit_anchor")
    assert not anchor_file_path().exists()  # nothing to anchor yet


def test_a_rewritten_trail_fails_against_the_folder_anchor():
    entries = _write_entries(4)
    assert write_anchor()
    with tampering() as cursor:
        _rewrite_from(entries[1].pk, cursor)
    with pytest.raises(CommandError, match=f"broken at entry {entries[-1].pk}.*the anchor of"):
        _verify()


def test_the_backup_anchor_is_printed_kept_and_read_back_from_its_own_file(tmp_path, capsys):
    entries = _write_entries(3)
    call_command("audit_anchor")
    printed = capsys.readouterr().out.strip()
    assert printed.endswith(f"anchor {entries[-1].pk}:{entries[-1].entry_hash} entries=3")
    assert read_anchor_file(anchor_file_path()).anchors[-1].entry_id == entries[-1].pk
    kept_with_backup = tmp_path / "zi-2026-11-27.anchor"
    kept_with_backup.write_text(printed + "\n")
    # The folder is lost (a new server): the backup's own anchor still catches a rewrite.
    anchor_file_path().unlink()
    with tampering() as cursor:
        _rewrite_from(entries[0].pk, cursor)
    assert "No anchor to compare with yet" in _verify()
    with pytest.raises(CommandError, match=f"broken at entry {entries[-1].pk}"):
        _verify("--anchor-file", str(kept_with_backup))
    # The printed line itself, as the README's restore passes it back.
    with pytest.raises(CommandError, match=f"broken at entry {entries[-1].pk}"):
        _verify("--anchor", printed)


def test_the_anchor_command_refuses_a_broken_trail_and_writes_nothing():
    entries = _write_entries(3)
    with tampering() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET note = 'forged' WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=f"broken at entry {entries[1].pk}.*No anchor"):
        call_command("audit_anchor")
    assert not anchor_file_path().exists()


def test_unreadable_lines_are_named_and_skipped_and_disagreeing_anchors_refused(capsys):
    entries = _write_entries(2)
    path = anchor_file_path()
    path.parent.mkdir(parents=True)
    path.write_text(
        f"2026-12-14T00:15:00+07:00 anchor {entries[0].pk}:{entries[0].entry_hash} entries=1\n"
        "2026-12-15T00:15:00+07:00 anch\n"
    )
    call_command("verify_audit")
    captured = capsys.readouterr()
    assert f"{path}:2 holds no anchor" in captured.err
    assert "Matches the anchor of 2026-12-14 00:15" in captured.out
    with pytest.raises(CommandError, match=f"Two anchors disagree about entry {entries[0].pk}"):
        call_command("verify_audit", "--anchor", f"{entries[0].pk}:{'f' * 64}")


def test_a_missing_anchor_file_given_by_hand_is_named(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("verify_audit", "--anchor-file", str(tmp_path / "nowhere.anchor"))


def test_an_emptied_trail_is_reported_in_plain_words(world):
    with tampering() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"DELETE FROM {HEAD_TABLE}")
    with pytest.raises(CommandError) as failure:
        call_command("audit_anchor")
    assert str(failure.value).startswith("Audit trail broken: the trail is empty while")
    assert "No anchor was written." in str(failure.value)
