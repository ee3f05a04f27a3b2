from django.core.management.base import BaseCommand, CommandError

from audit.services import audit_verify_chain


class Command(BaseCommand):
    help = "Check that no audit entry was altered or removed (exit status 1 if one was)."

    def handle(self, *args, **options):
        result = audit_verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit trail broken at entry {result.broken_entry_id}: {result.reason} "
                f"({result.checked} entries verified before it)."
            )
        self.stdout.write(f"Audit trail intact: {result.checked} entries verified.")
