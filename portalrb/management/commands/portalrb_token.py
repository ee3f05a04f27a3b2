from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from pokja.models import Unit, UnitRole
from portalrb.services import token_create


class Command(BaseCommand):
    help = (
        "Create a Bearer token for the national portal (PortalRB) to read an agency's "
        "confirmed proposal, and print it (it is stored hashed and cannot be shown again)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--agency", required=True, help="the agency's unit code, e.g. POLDA-SUMUT"
        )
        parser.add_argument(
            "--name", required=True, help="what the token is for, e.g. 'PortalRB 2026'"
        )

    def handle(self, *args, agency, name, **options):
        unit = Unit.objects.filter(code=agency).first()
        if unit is None:
            raise CommandError(f"--agency: no unit has the code {agency!r}.")
        if not UnitRole.objects.filter(unit=unit, kind=UnitRole.Kind.AGENCY).exists():
            self.stderr.write(
                f"Note: {unit.code} has no agency ZI administrator yet; the token works all the same."
            )
        try:
            _token, raw = token_create(agency=unit, name=name, user=None)
        except ValidationError as exc:
            raise CommandError(f"--name: {' '.join(exc.messages)}") from None
        self.stdout.write(raw)
