from django.core.management.base import BaseCommand, CommandError

from declics.territories import services

from ._zoning import FORMATS_DOC, add_common_arguments, write_report


class Command(BaseCommand):
    help = (
        "Import the official list of quartiers prioritaires (QPV), one row per QPV × commune: columns "
        f"code_qp, lib_qp, insee_com (or their variants). Format and sources: {FORMATS_DOC}. "
        "Idempotent and transactional: a file with an error changes nothing."
    )

    def add_arguments(self, parser):
        add_common_arguments(parser)

    def handle(self, *args, **options):
        try:
            report = services.import_qpvs(
                source_file=options["csv"],
                valid_from=options["valid_from"],
                valid_to=options["valid_to"],
                source=options["source"],
                is_sample=options["sample"],
                strict=options["strict"],
                replace_previous=options["replace_previous"],
            )
        except (services.TerritoryImportError, OSError) as error:
            raise CommandError(str(error)) from error
        write_report(self, report, "QPV")
