from django.core.management.base import BaseCommand, CommandError

from evaluations.framework_spec import FrameworkError
from evaluations.loader import (
    bundled_framework_paths,
    load_framework_path,
    resolve_framework_argument,
)


class Command(BaseCommand):
    help = (
        "Validate and load LKE framework data files. Without an argument, every bundled "
        "framework; otherwise a bundled framework's slug (e.g. lke-2021) or a path to a file. "
        "Loading unchanged content changes nothing; changed content becomes a new version."
    )

    def add_arguments(self, parser):
        parser.add_argument("framework", nargs="?", help="slug of a bundled framework, or a path")

    def handle(self, *args, framework=None, **options):
        try:
            paths = (
                [resolve_framework_argument(framework)] if framework else bundled_framework_paths()
            )
            for path in paths:
                result = load_framework_path(path)
                fw = result.framework
                state = "loaded as version" if result.created else "unchanged, version"
                self.stdout.write(f"{fw.slug}: {state} {fw.version} ({path.name})")
        except FrameworkError as exc:
            raise CommandError(str(exc)) from None
