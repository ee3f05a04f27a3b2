"""python manage.py import_lke --programme UNIT-CODE/YEAR [--dry-run] [--user NAME]
[--survey-figures] FILE.xlsx

Loads a filled LKE workbook into the programme's worksheet, through the same checks, locks
and audit trail as the worksheet pages: this application's export or the official layout
(sheet "Jawaban": unit answer K, note L, link M, TPI answer N, note Q on each question's row),
or the LKE table a unit keeps (Lampiran III, any sheet name; columns from its header row,
questions by their text; see ``reports.lke_layout``). ``--user`` imports as that person
(their role decides which columns they may change); without it the import is the system's,
and evidence links are not imported (evidence is always someone's).

Prints what changes, one line per value and link, where each question was read when the
layout was recognised, the questions not found, and the workbook's own scores beside ours.
A survey index in the file (q125, q127 fed by a survey) is entered as the official figure
only with ``--survey-figures``. ``--dry-run`` writes nothing. A refused file (not a workbook,
wrong layout, or any bad cell) exits with status 2, one line per refused cell on stderr
(sheet, row, column, value, what is allowed), and nothing is written.
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
        parser.add_argument(
            "--survey-figures",
            action="store_true",
            help="enter the survey indices in the file (q125, q127) as the official figures",
        )

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
                plan = lke_import_preview(actor=actor, programme=programme, data=data)
                if plan.errors:
                    raise ImportRefused(plan.errors)
                preview = plan
                if not options["dry_run"]:
                    figures = [o.number for o in plan.offers] if options["survey_figures"] else []
                    plan = lke_import_apply(
                        actor=actor, programme=programme, data=data, figures=figures
                    )
                    plan.reconciliation = preview.reconciliation
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
            for link in plan.links:
                self.stdout.write(
                    f"q{link.number} evidence link ({plan.sheet}!{link.column}{link.row}): "
                    f"{link.url} ({link.title})"
                )
            for offer in preview.offers:
                entered = options["survey_figures"] and not options["dry_run"]
                self.stdout.write(
                    f"q{offer.number} survey figure ({plan.sheet}!{offer.column}{offer.row}): "
                    f"{offer.index} {'entered as official' if entered else 'not entered'}"
                )
            for note in plan.ignored:
                self.stdout.write(f"ignored: {note}")
            read = preview.read
            if read is not None and read.layout == "recognised":
                for p in read.placements.values():
                    self.stdout.write(f"q{p.number} read from {read.sheet} row {p.row} ({p.how})")
                if read.unplaced:
                    self.stdout.write(
                        "not found in the sheet: " + ", ".join(f"q{n}" for n in read.unplaced)
                    )
            rec = preview.reconciliation
            if rec is not None and rec.found:
                for row in rec.shown_rows:
                    if row.theirs is None:
                        continue
                    mark = "differs" if row.differs else "same"
                    self.stdout.write(
                        f"score {row.code}: workbook {row.theirs_shown} ({row.where}), "
                        f"ours {row.ours_shown}: {mark}"
                    )
                for explanation in rec.explanations:
                    self.stdout.write(f"explained: {explanation.text}")
            verb = "would change" if options["dry_run"] else "changed"
            self.stdout.write(
                f"{programme.key}: {len(plan.changes)} values {verb}, "
                f"{len(plan.links)} evidence links, {len(plan.offers)} official survey figures"
            )
