from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from surveys.models import Survey
from surveys.response_csv import ResponseCsvError
from surveys.services import responses_import


class Command(BaseCommand):
    help = (
        "Import paper responses into a survey from a CSV file: every row or none. The file "
        "has a header row of column codes (the instrument's item codes, and optionally its "
        "profile fields and 'service'), then one row per paper form. Problems are listed by "
        "line and column. The same file is imported only once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", type=int, required=True, help="the survey's id")
        parser.add_argument("file", help="CSV file (UTF-8, comma or semicolon separated)")

    def handle(self, *args, survey: int, file: str, **options):
        target = Survey.objects.select_related("instrument", "programme").filter(pk=survey).first()
        if target is None:
            raise CommandError(f"--survey {survey}: no survey with this id")
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: cannot read ({exc.strerror or exc})") from None
        try:
            result = responses_import(
                actor=None, survey=target, content=content, file_name=path.name
            )
        except ResponseCsvError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(
                f"nothing imported: {len(exc.problems)} problem(s) in {path.name}"
            ) from None
        self.stdout.write(
            f"{result.count} responses imported into survey {target.pk} ({target.title})."
        )
