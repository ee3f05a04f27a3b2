from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_verify_chain


def _anchor(value: str) -> tuple[int, str]:
    entry_id, sep, digest = value.partition(":")
    if not sep or not entry_id.isdigit() or len(digest) != 64:
        raise CommandError(f"--anchor {value!r}: expected ENTRY_ID:HASH (64 hex digits)")
    return int(entry_id), digest.lower()


class Command(BaseCommand):
    help = (
        "Check that no audit entry was altered or removed (exit status 1 if one was). "
        "Prints the newest entry's id and hash: keep that line outside the database and pass "
        "it back with --anchor to detect a trail rewritten with fresh hashes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="ENTRY_ID:HASH",
            help="an entry id and hash printed by an earlier run; may be repeated",
        )
        parser.add_argument("--database", default="default", help="database alias to check")

    def handle(self, *args, **options):
        anchors = dict(_anchor(value) for value in options["anchor"])
        result = audit_verify_chain(anchors=anchors, using=options["database"])
        if not result.ok:
            raise CommandError(
                f"Audit trail broken at entry {result.broken_entry_id}: {result.reason} "
                f"({result.checked} entries verified before it)."
            )
        self.stdout.write(f"Audit trail intact: {result.checked} entries verified.")
        if result.last_entry_id is not None:
            self.stdout.write(f"Anchor: {result.last_entry_id}:{result.last_hash}")
