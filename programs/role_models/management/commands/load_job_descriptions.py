from django.core.management.base import BaseCommand

from programs.role_models import services


class Command(BaseCommand):
    help = (
        "Write the plain-French descriptions of the digital jobs (programs/role_models/data/"
        "digital_jobs_fr.json) and their English names and descriptions (digital_jobs_en.json) on the "
        "ROME sheets loaded by load_rome. Idempotent."
    )

    def handle(self, *args, **options):
        result = services.load_job_descriptions()
        self.stdout.write(
            f"Digital job descriptions: {result.updated} updated, {result.unchanged} unchanged"
            + (
                f"; unknown codes (run load_rome first): {', '.join(result.unknown)}"
                if result.unknown
                else ""
            )
        )
