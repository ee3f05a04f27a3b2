"""python manage.py export_lke --programme UNIT-CODE/YEAR --out FILE.xlsx

Writes the programme's LKE workbook in the official layout (sheets "Jawaban", "Ringkasan",
"Bukti Dukung"), exactly as the export page gives it. Exit status 2 with one line on stderr
for an unknown programme or an unwritable file.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from reports.management.commands._programme import BadInput, programme_named
from reports.selectors import lke_report
from reports.workbook import lke_workbook

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Export a programme's LKE as a workbook in the official layout."

    def add_arguments(self, parser):
        parser.add_argument("--programme", required=True, help="UNIT-CODE/YEAR")
        parser.add_argument("--out", required=True, help="the .xlsx file to write")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the workbook's language (default: %(default)s)",
        )

    def handle(self, *args, **options):
        try:
            programme = programme_named(options["programme"])
            out = Path(options["out"])
            if not out.parent.is_dir():
                raise BadInput(f"--out {out}: folder {out.parent} does not exist")
            with translation.override(options["language"]):
                data = lke_workbook(lke_report(programme))
            try:
                out.write_bytes(data)
            except OSError as exc:
                raise BadInput(f"--out {out}: {exc.strerror}") from None
        except BadInput as exc:
            sys.stderr.write(f"{exc}\n")
            sys.exit(EXIT_BAD_INPUT)
        self.stdout.write(f"{out}: LKE {programme.key}, {len(data)} bytes")
