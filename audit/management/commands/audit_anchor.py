from django.core.management.base import BaseCommand, CommandError

from audit.anchors import anchor_file_path
from audit.services import audit_anchor_write


def _at(entry_id: int | None) -> str:
    return f" at entry {entry_id}" if entry_id is not None else ""


class Command(BaseCommand):
    help = (
        "Check the audit trail against the newest anchor in ZI_AUDIT_ANCHOR_DIR, then note a "
        "new one there and in the log, and print it: keep the printed line with each backup "
        "(README, Backup and restore). Exit status 1, and no anchor, if the trail is broken."
    )

    def handle(self, *args, **options):
        run = audit_anchor_write()
        for place in run.unreadable:
            self.stderr.write(f"Warning: {place} holds no anchor; it was skipped.")
        check = run.check
        if not check.ok:
            raise CommandError(
                f"Audit trail broken{_at(check.broken_entry_id)}: {check.reason} "
                f"({check.checked} entries verified before it). No anchor was written."
            )
        if run.written is None:
            self.stderr.write("The audit trail is empty: there is nothing to anchor yet.")
            return
        self.stderr.write(
            f"Audit trail intact: {check.checked} entries verified; anchor added to "
            f"{anchor_file_path()}."
        )
        self.stdout.write(run.written.line())
