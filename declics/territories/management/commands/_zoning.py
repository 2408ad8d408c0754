"""Shared arguments and output of the QPV and FRR/ZRR import commands."""

from datetime import date

from django.core.management.base import CommandError

FORMATS_DOC = "declics/territories/data/IMPORT_FORMATS.md"


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Date invalide « {value} » : utilisez AAAA-MM-JJ.") from None


def add_common_arguments(parser) -> None:
    parser.add_argument(
        "csv", help="Chemin du fichier CSV officiel (séparateur ; ou , — UTF-8, avec ou sans BOM)."
    )
    parser.add_argument(
        "--valid-from", required=True, type=parse_date, help="Début de validité (AAAA-MM-JJ)."
    )
    parser.add_argument(
        "--valid-to", type=parse_date, default=None, help="Fin de validité (AAAA-MM-JJ), facultative."
    )
    parser.add_argument("--source", required=True, help="D'où vient le fichier (éditeur, titre, URL, date).")
    parser.add_argument(
        "--sample",
        action="store_true",
        help="Fichier d'exemple : lignes marquées is_sample=True (jamais pour une liste officielle).",
    )
    parser.add_argument(
        "--replace-previous",
        action="store_true",
        help="Nouvelle version : les listes antérieures cessent d'être valables la veille de --valid-from.",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="Refuser le fichier si un code INSEE ne correspond à aucune commune.",
    )


def write_report(command, report, noun: str) -> None:
    if report.changed:
        command.stdout.write(
            command.style.SUCCESS(
                f"{noun} : {report.created} créé(s), {report.updated} modifié(s), "
                f"{report.unchanged} inchangé(s)."
            )
        )
    else:
        command.stdout.write(f"{noun} : aucun changement ({report.unchanged} déjà à jour).")
    if report.superseded:
        command.stdout.write(f"{report.superseded} ligne(s) des listes précédentes remplacée(s).")
    if report.not_classified:
        command.stdout.write(f"{report.not_classified} ligne(s) de communes non classées ignorée(s).")
    if report.unknown_codes:
        command.stderr.write(
            command.style.WARNING(
                f"{len(report.unknown_codes)} code(s) INSEE inconnu(s) dans le COG chargé, lignes ignorées :"
            )
        )
        for line, code in report.unknown_codes:
            command.stderr.write(f"  ligne {line} : {code}")
