from django.core.management.base import BaseCommand, CommandError

from declics.territories import services
from declics.territories.models import RuralZone

from ._zoning import FORMATS_DOC, add_common_arguments, write_report


class Command(BaseCommand):
    help = (
        "Import the official list of FRR / FRR+ / ZRR communes (ANCT, by INSEE code): columns CODGEO "
        f"(or code_insee), LIBGEO, and an optional classification column. Format and sources: {FORMATS_DOC}. "
        "Idempotent and transactional: a file with an error changes nothing."
    )

    def add_arguments(self, parser):
        add_common_arguments(parser)
        parser.add_argument(
            "--classification",
            required=True,
            choices=RuralZone.Classification.values,
            help="Classement des communes du fichier (une colonne « classement » le remplace par ligne).",
        )

    def handle(self, *args, **options):
        try:
            report = services.import_rural_zones(
                source_file=options["csv"],
                classification=options["classification"],
                valid_from=options["valid_from"],
                valid_to=options["valid_to"],
                source=options["source"],
                is_sample=options["sample"],
                strict=options["strict"],
                replace_previous=options["replace_previous"],
            )
        except (services.TerritoryImportError, OSError) as error:
            raise CommandError(str(error)) from error
        write_report(self, report, "Communes FRR/ZRR")
