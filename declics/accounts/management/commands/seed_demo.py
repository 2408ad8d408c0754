import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from declics.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from declics.accounts.models import SECOND_FACTOR_ROLES

# Each app (or room) that has demo data exposes `demo.seed(stdout)`; they run in this order.
DEMO_MODULES = [
    "declics.accounts",
    "declics.territories",
    "programs",
    "programs.workshops",
    "programs.role_models",
    "programs.assessment",
    "programs.advisers",
    "mentoring",
    "jobs",
    "jobs.trainings",
    "jobs.offers",
]


class Command(BaseCommand):
    help = "Create the demo data (idempotent: a second run changes nothing). Refused when DEBUG is off."

    def handle(self, *args, **options):
        if not settings.ALLOW_DEMO_DATA:
            raise CommandError(
                "Demo data is refused when DEBUG is off (set ALLOW_DEMO_DATA=true for a staging site)."
            )
        for module_name in DEMO_MODULES:
            try:
                module = importlib.import_module(f"{module_name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{module_name}.demo":
                    raise
                continue
            module.seed(stdout=self.stdout)
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for email, first_name, last_name, role in DEMO_ACCOUNTS:
            second_factor = "  + second factor" if role in SECOND_FACTOR_ROLES else ""
            self.stdout.write(f"  {role.label:<16} {email}  ({first_name} {last_name}){second_factor}")
        self.stdout.write(
            f"Second factor of the staff and adviser accounts: authenticator-app key {DEMO_TOTP_SECRET} "
            "(or `manage.py demo_code` prints the current code)."
        )
        self.stdout.write(
            f'Try it: sign in as {DEMO_ACCOUNTS[0][0]} (/comptes/login/), then "Mon parcours": the '
            "session running now, every step open."
        )
