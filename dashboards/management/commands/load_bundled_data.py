from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load every bundled data file (LKE frameworks, survey instruments); safe to repeat."

    def handle(self, *args, **options):
        call_command("load_framework", stdout=self.stdout, stderr=self.stderr)
        call_command("load_instruments", stdout=self.stdout, stderr=self.stderr)
