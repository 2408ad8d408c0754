from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from declics.accounts.demo import DEMO_TOTP_SECRET, totp_code


class Command(BaseCommand):
    help = (
        "Print the current second-factor code of the demo staff and adviser accounts (the code an "
        "authenticator app would show for the demo key). Refused when DEBUG is off."
    )

    def handle(self, *args, **options):
        if not settings.ALLOW_DEMO_DATA:
            raise CommandError(
                "Demo data is refused when DEBUG is off (set ALLOW_DEMO_DATA=true for a staging site)."
            )
        self.stdout.write(totp_code(DEMO_TOTP_SECRET))
