from django.core.management.base import BaseCommand, CommandError

from audit.privileges import RoleError, grant_app_role


class Command(BaseCommand):
    help = (
        "Give the application's database role (PostgreSQL) its privileges on every table: "
        "the data of the application's tables, and on the audit trail only reading and "
        "appending. Run as the tables' owner after every migrate (README, Database roles)."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the web server and the workers connect as")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args, **options):
        try:
            granted = grant_app_role(role=options["role"], using=options["database"])
        except RoleError as exc:
            raise CommandError(str(exc)) from None
        for line in granted.summary():
            self.stdout.write(line)
