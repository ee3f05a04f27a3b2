from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dashboards.demo import seed_demo
from pokja.demo import DEMO_PASSWORD
from pokja.models import Unit


class Command(BaseCommand):
    help = (
        "Create the demo world (Polres Labuhanbatu, its programme, six Pokja, demo users and "
        "Polda Sumatera Utara's confirmed proposal to the national portal). "
        "Safe to run again. Refuses to run with DJANGO_DEBUG=false unless --force is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=0, help="add N more units for load tests")
        parser.add_argument("--if-empty", action="store_true", help="do nothing if any unit exists")
        parser.add_argument("--force", action="store_true", help="allow on a production setup")

    def handle(self, *args, units=0, if_empty=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo users with DJANGO_DEBUG=false (they have a public "
                "password). Use --force if this really is a demonstration server."
            )
        if units < 0:
            raise CommandError("--units must be 0 or more.")
        if if_empty and Unit.objects.exists():
            self.stdout.write("The database already has data; the demo was not seeded.")
            return
        result = seed_demo(units=units)
        self.stdout.write(
            f"Demo ready: {result.programme.unit.name} {result.programme.year} "
            f"(+{len(result.extra_programmes)} more units). Password for demo users: {DEMO_PASSWORD}"
        )
