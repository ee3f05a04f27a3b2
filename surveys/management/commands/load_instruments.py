from django.core.management.base import BaseCommand, CommandError

from surveys.instrument_spec import InstrumentError
from surveys.loader import (
    bundled_instrument_paths,
    load_instrument_path,
    resolve_instrument_argument,
)


class Command(BaseCommand):
    help = (
        "Validate and load survey instrument data files. Without an argument, every bundled "
        "instrument; otherwise a bundled instrument's slug (e.g. skm-2017) or a path to a "
        "file. Loading unchanged content changes nothing; changed content becomes a new "
        "version, and running surveys keep theirs."
    )

    def add_arguments(self, parser):
        parser.add_argument("instrument", nargs="?", help="slug of a bundled instrument, or a path")

    def handle(self, *args, instrument=None, **options):
        try:
            paths = (
                [resolve_instrument_argument(instrument)]
                if instrument
                else bundled_instrument_paths()
            )
            for path in paths:
                result = load_instrument_path(path)
                row = result.instrument
                state = "loaded as version" if result.created else "unchanged, version"
                self.stdout.write(f"{row.slug}: {state} {row.version} ({path.name})")
        except InstrumentError as exc:
            raise CommandError(str(exc)) from None
