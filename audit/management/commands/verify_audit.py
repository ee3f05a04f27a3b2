from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.anchors import (
    Anchor,
    anchor_file_path,
    newest_anchor,
    parse_anchor,
    read_anchor_file,
)
from audit.services import audit_verify_chain


def _anchor(value: str) -> Anchor:
    # ENTRY_ID:HASH, or a whole line printed by audit_anchor or verify_audit.
    anchor = parse_anchor(value, source="--anchor") or parse_anchor(
        f"anchor {value}", source="--anchor"
    )
    if anchor is None:
        raise CommandError(f"--anchor {value!r}: expected ENTRY_ID:HASH (64 hex digits)")
    return anchor


def _at(entry_id: int | None) -> str:
    return f" at entry {entry_id}" if entry_id is not None else ""


class Command(BaseCommand):
    help = (
        "Check that no audit entry was altered or removed (exit status 1 if one was). The "
        "trail is checked against the newest anchor kept in ZI_AUDIT_ANCHOR_DIR (written daily "
        "and at every backup), and against any given here: an emptied, shortened or rewritten "
        "trail fails. Prints the newest entry's id and hash, an anchor for later checks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="ENTRY_ID:HASH",
            help="an entry id and hash (or a line of audit_anchor) noted earlier; may be repeated",
        )
        parser.add_argument(
            "--anchor-file",
            action="append",
            default=[],
            type=Path,
            metavar="PATH",
            help="a file of anchors (e.g. the one kept with a backup): its newest is checked",
        )
        parser.add_argument("--database", default="default", help="database alias to check")

    def handle(self, *args, **options):
        given = [_anchor(value) for value in options["anchor"]]
        files = [anchor_file_path(), *options["anchor_file"]]
        for path in files[1:]:
            if not path.is_file():
                raise CommandError(f"--anchor-file {path}: no such file")
        for path in files:
            kept = read_anchor_file(path)
            for place in kept.unreadable:
                self.stderr.write(f"Warning: {place} holds no anchor; it was skipped.")
            newest = newest_anchor(kept.anchors)
            if newest is not None:
                given.append(newest)
        anchors = {}
        for anchor in given:
            if anchors.setdefault(anchor.entry_id, anchor).entry_hash != anchor.entry_hash:
                raise CommandError(
                    f"Two anchors disagree about entry {anchor.entry_id}: "
                    f"{anchors[anchor.entry_id].describe()} and {anchor.describe()}."
                )
        result = audit_verify_chain(
            anchors={entry_id: a.entry_hash for entry_id, a in anchors.items()},
            using=options["database"],
        )
        if not result.ok:
            against = anchors.get(result.broken_entry_id)
            raise CommandError(
                f"Audit trail broken{_at(result.broken_entry_id)}: {result.reason} "
                f"({result.checked} entries verified before it)."
                + (f" Compared with {against.describe()}." if against else "")
            )
        self.stdout.write(f"Audit trail intact: {result.checked} entries verified.")
        for anchor in sorted(anchors.values(), key=lambda a: a.entry_id):
            self.stdout.write(f"Matches {anchor.describe()}.")
        if not anchors:
            self.stdout.write(f"No anchor to compare with yet (none in {files[0]}).")
        if result.last_entry_id is not None:
            self.stdout.write(f"Anchor: {result.last_entry_id}:{result.last_hash}")
