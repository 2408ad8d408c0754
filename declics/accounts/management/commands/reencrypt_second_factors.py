from django.core.management.base import BaseCommand

from declics.accounts.mfa import reencrypt_secrets


class Command(BaseCommand):
    help = (
        "Re-encrypt the stored second-factor secrets with the current SECRET_KEY. Run it after a key "
        "rotation, while the former key is still in SECRET_KEY_FALLBACKS; then the former key may go."
    )

    def handle(self, *args, **options):
        count = reencrypt_secrets()
        self.stdout.write(f"{count} second factor(s) re-encrypted.")
