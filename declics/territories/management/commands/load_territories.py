import time

from django.core.management.base import BaseCommand

from declics.territories import services


class Command(BaseCommand):
    help = (
        "Load the régions, départements and communes of the vendored INSEE COG "
        "(declics/territories/data/, see its README.md). Idempotent: when the files have not "
        "changed since the last load it stops at once; otherwise only changed rows are written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Compare every row even if the files' checksum has not changed.",
        )

    def handle(self, *args, force=False, **options):
        started = time.perf_counter()
        report = services.load_territories(force=force)
        elapsed = time.perf_counter() - started
        if report.skipped:
            self.stdout.write(f"Territoires déjà à jour, rien à faire ({elapsed:.2f} s).")
            return
        if not report.changed:
            self.stdout.write(f"Territoires vérifiés : aucun changement ({elapsed:.2f} s).")
            return
        parts = [
            f"{label} : {report.created.get(key, 0)} créé(e)s, {report.updated.get(key, 0)} modifié(e)s"
            for key, label in (
                ("regions", "régions"),
                ("departements", "départements"),
                ("communes", "communes"),
            )
        ]
        if report.retired:
            parts.append(f"{report.retired} commune(s) absente(s) du nouveau COG marquée(s) inactive(s)")
        self.stdout.write(
            self.style.SUCCESS("Territoires chargés — " + " ; ".join(parts) + f" ({elapsed:.1f} s).")
        )
