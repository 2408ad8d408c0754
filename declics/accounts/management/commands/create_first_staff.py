import getpass
import sys
from io import StringIO

import qrcode
from django.core.management.base import BaseCommand, CommandError

from declics.accounts import services


class Command(BaseCommand):
    help = (
        "Create the first staff account of a new site, with its second factor enrolled: prints once the "
        "authenticator-app key (and its QR code) and 10 recovery codes. Refuses an address already "
        "registered. The password is asked twice on a terminal, or read from the first line of stdin."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", required=True)
        parser.add_argument("--last-name", required=True)

    def handle(self, *args, email, first_name, last_name, **options):
        password = self._read_password()
        try:
            staff = services.create_first_staff(
                email=email, first_name=first_name, last_name=last_name, password=password
            )
        except services.FirstStaffError as error:
            raise CommandError(str(error)) from error
        qr = qrcode.QRCode(border=1)
        qr.add_data(staff.totp_url)
        picture = StringIO()
        qr.print_ascii(out=picture)
        codes = "\n".join(f"  {code}" for code in staff.recovery_codes)
        self.stdout.write(
            self.style.SUCCESS(f"Staff account created: {staff.user.email} (staff, Django admin).")
            + "\n\nShown this once only. Its second factor is already set up:"
            + "\n1. In an authenticator app (FreeOTP, Aegis, Google Authenticator…), scan this QR code"
            + f"\n   or type the key by hand.\n\n{picture.getvalue()}"
            + f"\nKey: {staff.totp_secret}\nURI: {staff.totp_url}"
            + "\n\n2. Keep these recovery codes somewhere safe (each works once, instead of a code):"
            + f"\n{codes}"
            + "\n\n3. Sign in on the site with the address and password, then the app's 6-digit code."
            + "\n   More staff: they sign up, then you give them the role (Espace équipe, Comptes et rôles)."
        )

    def _read_password(self) -> str:
        if sys.stdin.isatty():
            password = getpass.getpass("Password (10 characters or more): ")
            if getpass.getpass("Password again: ") != password:
                raise CommandError("The two passwords differ.")
            return password
        password = sys.stdin.readline().rstrip("\n")
        if not password:
            raise CommandError("No password: type it on a terminal, or give it on the first line of stdin.")
        return password
