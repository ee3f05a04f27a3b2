"""python manage.py import_lke --programme UNIT-CODE/YEAR [--dry-run] [--user NAME] FILE.xlsx

Loads a filled LKE workbook in the official layout (sheet "Jawaban": unit answer K, note L,
TPI answer N, note Q on each question's row) into the programme's worksheet, through the
same checks, locks and audit trail as the worksheet pages. ``--user`` imports as that person
(their role decides which columns they may change); without it the import is the system's.

Prints what changes, one line per value. ``--dry-run`` writes nothing. A refused file (not a
workbook, wrong layout, or any bad cell) exits with status 2, one line per refused cell on
stderr (sheet, row, column, value, what is allowed), and nothing is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from pokja.models import User
from reports.lke_import import ImportRefused
from reports.management.commands._programme import BadInput, programme_named
from reports.services import lke_import_apply, lke_import_preview

EXIT_BAD_INPUT = 2
MAX_BYTES = 20 * 1024 * 1024


class Command(BaseCommand):
    help = "Import a filled LKE workbook (official layout) into a programme's worksheet."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--programme", required=True, help="UNIT-CODE/YEAR")
        parser.add_argument("--dry-run", action="store_true", help="show changes, write nothing")
        parser.add_argument("--user", help="import as this user (their role applies)")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            try:
                programme = programme_named(options["programme"])
                actor = None
                if options.get("user"):
                    actor = User.objects.filter(username=options["user"], is_active=True).first()
                    if actor is None:
                        raise BadInput(f"--user {options['user']}: no such active user")
                path = Path(options["file"])
                if not path.is_file():
                    raise BadInput(f"{path}: no such file")
                if path.stat().st_size > MAX_BYTES:
                    raise BadInput(f"{path}: larger than {MAX_BYTES // 1_048_576} MB")
                data = path.read_bytes()
                run = lke_import_preview if options["dry_run"] else lke_import_apply
                plan = run(actor=actor, programme=programme, data=data)
                if plan.errors:
                    raise ImportRefused(plan.errors)
            except BadInput as exc:
                sys.stderr.write(f"{exc}\n")
                sys.exit(EXIT_BAD_INPUT)
            except ImportRefused as exc:
                for error in exc.errors:
                    sys.stderr.write(f"{error}\n")
                sys.exit(EXIT_BAD_INPUT)
            for change in plan.changes:
                self.stdout.write(
                    f"q{change.number} {change.side} {change.what} "
                    f"({plan.sheet}!{change.column}{change.row}): "
                    f"{change.before!r} -> {change.after!r}"
                )
            for note in plan.ignored:
                self.stdout.write(f"ignored: {note}")
            verb = "would change" if options["dry_run"] else "changed"
            self.stdout.write(f"{programme.key}: {len(plan.changes)} values {verb}")
