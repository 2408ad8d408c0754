from django.core.management.base import BaseCommand

from declics.rome.services import load_rome_jobs


class Command(BaseCommand):
    help = "Load the ROME 4.0 job sheets from declics/rome/data/ (idempotent) and mark the digital ones."

    def handle(self, *args, **options):
        result = load_rome_jobs()
        self.stdout.write(
            f"ROME: {result.created} created, {result.updated} updated, {result.unchanged} unchanged; "
            f"{result.digital} digital jobs."
        )
