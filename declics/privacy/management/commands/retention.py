"""Apply the retention rule now, or with --dry-run list what it would do (nothing is written)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from declics.privacy import retention


class Command(BaseCommand):
    help = "Prévient les comptes inactifs depuis 2 ans, puis anonymise ceux prévenus il y a 30 jours."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Liste ce qui serait fait, sans rien écrire ni envoyer."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        report = retention.run_retention(now=now, dry_run=dry_run)
        prefix = "[dry-run] " if dry_run else ""
        verb_warn = "would warn" if dry_run else "warned"
        verb_erase = "would anonymise" if dry_run else "anonymised"
        for user in report.warned:
            last = timezone.localdate(user.last_login or user.date_joined)  # the day in France, as the key
            self.stdout.write(
                f"{prefix}{verb_warn}: #{user.pk} {user.contact} (last activity {last:%Y-%m-%d})"
            )
        for user in report.anonymised:
            self.stdout.write(f"{prefix}{verb_erase}: #{user.pk}")
        self.stdout.write(f"{prefix}{len(report.warned)} {verb_warn}, {len(report.anonymised)} {verb_erase}.")
