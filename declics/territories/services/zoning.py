"""Import the official QPV and FRR/ZRR lists (CSV files a user downloads from ANCT / data.gouv.fr).

The accepted columns are documented in ../data/IMPORT_FORMATS.md. Each import runs in one
transaction: a file with an error changes nothing, and the error names the line at fault.
Importing the same file twice changes nothing the second time.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ..models import QPV, Commune, RuralZone

INSEE_CODE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
MAX_ERRORS_SHOWN = 20

QPV_CODE_COLUMNS = ("code_qp", "code_qpv", "codeqp", "qp", "code_quartier")
QPV_NAME_COLUMNS = ("lib_qp", "nom_qp", "libelle_qp", "lib_qpv", "nom_qpv", "nom_quartier")
QPV_COMMUNE_COLUMNS = ("insee_com", "code_insee", "insee_commune", "code_commune", "codgeo", "depcom")
RURAL_COMMUNE_COLUMNS = ("codgeo", "code_insee", "insee_com", "code_commune", "depcom")
RURAL_NAME_COLUMNS = ("libgeo", "lib_com", "nom_commune", "libelle_commune")
RURAL_CLASSIFICATION_COLUMNS = ("classement", "classification", "zonage", "classement_frr", "frr")
# Values of a classification column that say "this commune is not classified": the row is skipped.
NOT_CLASSIFIED = {"non", "n", "0", "false", "faux", "aucun", "nc", "non classe", "non classee"}
YES = {"oui", "o", "1", "x", "true", "vrai"}


class TerritoryImportError(Exception):
    """The file cannot be imported; the message names the lines at fault and is safe to show."""


@dataclass
class ImportReport:
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_classified: int = 0
    # (line number, INSEE code) of rows whose commune is not in the loaded COG; those rows are skipped.
    unknown_codes: list[tuple[int, str]] = field(default_factory=list)
    # Rows of earlier lists whose validity now ends the day before this list's (`replace_previous`).
    superseded: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# --- reading a CSV file tolerantly -------------------------------------------------------------


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet exports on Windows: Latin-1 / cp1252.
        return raw.decode("cp1252", errors="replace")


def _header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9+]+", "_", name.strip().strip('"').lower()).strip("_")


def read_csv(source: Path | str | bytes) -> tuple[dict[str, int], list[tuple[int, list[str]]]]:
    """Return ({normalised header: index}, [(line number, cells)]) for a ; , or tab separated file."""
    raw = source if isinstance(source, bytes) else Path(source).read_bytes()
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise TerritoryImportError(_("Le fichier est vide.")) from None
    columns = {}
    for index, name in enumerate(header):
        columns.setdefault(_header_key(name), index)
    rows = []
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        rows.append((reader.line_num, [cell.strip() for cell in cells]))
    return columns, rows


def _find_column(columns: dict[str, int], aliases: Iterable[str], *, required: bool) -> int | None:
    for alias in aliases:
        if alias in columns:
            return columns[alias]
    if required:
        raise TerritoryImportError(
            _("Ligne 1 : colonne introuvable, il faut l'une de : %(aliases)s.")
            % {"aliases": ", ".join(aliases)}
        )
    return None


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _raise_if_errors(errors: list[str]) -> None:
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(_("… et %(count)s autres erreurs.") % {"count": len(errors) - MAX_ERRORS_SHOWN})
        raise TerritoryImportError(
            _("Le fichier n'a pas été importé, rien n'a été modifié :") + "\n" + "\n".join(shown)
        )


def _check_dates(valid_from: date, valid_to: date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise TerritoryImportError(_("La date de fin de validité précède la date de début."))


def _communes_by_code(codes: set[str]) -> dict[str, int]:
    """INSEE code → commune id, preferring the current commune over a delegated one with the same code."""
    priority = {
        Commune.Kind.CURRENT: 0,
        Commune.Kind.ARRONDISSEMENT: 1,
        Commune.Kind.DELEGATED: 2,
        Commune.Kind.ASSOCIATED: 3,
    }
    found: dict[str, tuple[int, int]] = {}
    code_list = sorted(codes)
    for start in range(0, len(code_list), 2000):
        rows = Commune.objects.filter(code__in=code_list[start : start + 2000], is_active=True).values_list(
            "pk", "code", "kind"
        )
        for pk, code, kind in rows:
            rank = priority[kind]
            if code not in found or rank < found[code][0]:
                found[code] = (rank, pk)
    return {code: pk for code, (_rank, pk) in found.items()}


def _split_codes(value: str) -> list[str]:
    return [code.upper() for code in re.split(r"[\s,|/]+", value) if code]


def _supersede(queryset, valid_from: date) -> int:
    """End, the day before `valid_from`, the validity of the earlier rows still valid on that day."""
    earlier = queryset.filter(valid_from__lt=valid_from).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    return earlier.update(valid_to=valid_from - timedelta(days=1))


# --- QPV ---------------------------------------------------------------------------------------


@transaction.atomic
def import_qpvs(
    *,
    source_file: Path | str | bytes,
    valid_from: date,
    valid_to: date | None = None,
    source: str,
    is_sample: bool = False,
    strict: bool = False,
    replace_previous: bool = False,
) -> ImportReport:
    """Create or update the QPVs of an official list (one row per QPV × commune), valid from `valid_from`.

    A QPV is identified by its code and `valid_from`; its communes become exactly those of the file.
    Rows whose INSEE code is not a known commune are skipped and reported (an error when `strict`).
    With `replace_previous`, the earlier lists stop being valid the day before (in this same
    transaction: a bad file leaves them as they were).
    """
    _check_dates(valid_from, valid_to)
    columns, rows = read_csv(source_file)
    code_col = _find_column(columns, QPV_CODE_COLUMNS, required=True)
    name_col = _find_column(columns, QPV_NAME_COLUMNS, required=True)
    commune_col = _find_column(columns, QPV_COMMUNE_COLUMNS, required=True)

    errors: list[str] = []
    names: dict[str, str] = {}
    codes_by_qpv: dict[str, list[tuple[int, str]]] = {}
    for line, cells in rows:
        code, name = _cell(cells, code_col).upper(), _cell(cells, name_col)
        insee_codes = _split_codes(_cell(cells, commune_col))
        if not code:
            errors.append(_("Ligne %(line)s : le code du quartier est vide.") % {"line": line})
            continue
        if not name:
            errors.append(
                _("Ligne %(line)s : le nom du quartier %(code)s est vide.") % {"line": line, "code": code}
            )
            continue
        if code in names and names[code] != name:
            errors.append(
                _("Ligne %(line)s : le quartier %(code)s porte deux noms (« %(first)s » et « %(second)s »).")
                % {"line": line, "code": code, "first": names[code], "second": name}
            )
            continue
        if not insee_codes:
            errors.append(_("Ligne %(line)s : le code INSEE de la commune est vide.") % {"line": line})
            continue
        bad = [insee for insee in insee_codes if not INSEE_CODE.match(insee)]
        if bad:
            errors.append(
                _("Ligne %(line)s : « %(code)s » n'est pas un code INSEE de commune.")
                % {"line": line, "code": bad[0]}
            )
            continue
        names[code] = name
        codes_by_qpv.setdefault(code, []).extend((line, insee) for insee in insee_codes)
    if not rows:
        errors.append(_("Le fichier ne contient aucune ligne de données."))
    _raise_if_errors(errors)

    report = ImportReport(rows_read=len(rows))
    commune_ids = _communes_by_code({insee for pairs in codes_by_qpv.values() for _line, insee in pairs})
    wanted_communes = {}
    for code, pairs in codes_by_qpv.items():
        wanted_communes[code] = set()
        for line, insee in pairs:
            if insee in commune_ids:
                wanted_communes[code].add(commune_ids[insee])
            else:
                report.unknown_codes.append((line, insee))
    if strict:
        _raise_if_errors(_unknown_code_errors(report.unknown_codes))

    existing = {
        qpv.code: qpv for qpv in QPV.objects.filter(valid_from=valid_from, code__in=list(codes_by_qpv))
    }
    through = QPV.communes.through
    current_links: dict[int, set[int]] = {}
    for qpv_id, commune_id in through.objects.filter(qpv__in=existing.values()).values_list(
        "qpv_id", "commune_id"
    ):
        current_links.setdefault(qpv_id, set()).add(commune_id)

    fields = {"valid_to": valid_to, "source": source, "is_sample": is_sample}
    to_create, to_update = [], []
    for code, name in names.items():
        qpv = existing.get(code)
        if qpv is None:
            to_create.append(QPV(code=code, name=name, valid_from=valid_from, **fields))
            continue
        values = {"name": name, **fields}
        if any(getattr(qpv, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(qpv, key, value)
            to_update.append(qpv)
    QPV.objects.bulk_create(to_create)
    if to_update:
        QPV.objects.bulk_update(to_update, ["name", "valid_to", "source", "is_sample"])

    links_changed = set()
    new_links = []
    for qpv in [*existing.values(), *to_create]:
        have, want = current_links.get(qpv.pk, set()), wanted_communes[qpv.code]
        if have != want:
            links_changed.add(qpv.pk)
            if have - want:
                through.objects.filter(qpv_id=qpv.pk, commune_id__in=have - want).delete()
            new_links.extend(through(qpv_id=qpv.pk, commune_id=commune_id) for commune_id in want - have)
    through.objects.bulk_create(new_links)

    updated_ids = {qpv.pk for qpv in to_update} | (links_changed - {qpv.pk for qpv in to_create})
    report.created = len(to_create)
    report.updated = len(updated_ids)
    report.unchanged = len(names) - report.created - report.updated
    if replace_previous:
        report.superseded = _supersede(QPV.objects.all(), valid_from)
    return report


def _unknown_code_errors(unknown: list[tuple[int, str]]) -> list[str]:
    return [
        _("Ligne %(line)s : le code INSEE %(code)s ne correspond à aucune commune connue.")
        % {"line": line, "code": code}
        for line, code in unknown
    ]


# --- FRR / ZRR ---------------------------------------------------------------------------------


def _parse_classification(value: str, default: str) -> str | None:
    """The classification a cell gives, None for "not classified"; raises ValueError when unreadable."""
    key = re.sub(r"\s+", " ", value.strip().lower())
    if not key or key in YES:
        return default
    if key in NOT_CLASSIFIED:
        return None
    normalised = key.upper().replace(" PLUS", "+").replace(" ", "")
    if normalised in RuralZone.Classification.values:
        return normalised
    raise ValueError(value)


@transaction.atomic
def import_rural_zones(
    *,
    source_file: Path | str | bytes,
    classification: str,
    valid_from: date,
    valid_to: date | None = None,
    source: str,
    is_sample: bool = False,
    strict: bool = False,
    replace_previous: bool = False,
) -> ImportReport:
    """Create or update the FRR/FRR+/ZRR classification of the communes an official list names.

    One row per commune (INSEE code); an optional classification column overrides `classification`
    row by row. A commune is identified with its classification and `valid_from`. With
    `replace_previous`, the earlier rows of the classifications in the file stop being valid the
    day before (in this same transaction: a bad file leaves them as they were).
    """
    if classification not in RuralZone.Classification.values:
        raise TerritoryImportError(
            _("Classement inconnu « %(value)s » : choisissez ZRR, FRR ou FRR+.") % {"value": classification}
        )
    _check_dates(valid_from, valid_to)
    columns, rows = read_csv(source_file)
    commune_col = _find_column(columns, RURAL_COMMUNE_COLUMNS, required=True)
    classification_col = _find_column(columns, RURAL_CLASSIFICATION_COLUMNS, required=False)

    errors: list[str] = []
    wanted: dict[tuple[str, str], int] = {}  # (INSEE code, classification) → line
    report = ImportReport(rows_read=len(rows))
    for line, cells in rows:
        insee = _cell(cells, commune_col).upper()
        if not insee:
            errors.append(_("Ligne %(line)s : le code INSEE de la commune est vide.") % {"line": line})
            continue
        if not INSEE_CODE.match(insee):
            errors.append(
                _("Ligne %(line)s : « %(code)s » n'est pas un code INSEE de commune.")
                % {"line": line, "code": insee}
            )
            continue
        try:
            row_classification = _parse_classification(_cell(cells, classification_col), classification)
        except ValueError:
            errors.append(
                _(
                    "Ligne %(line)s : classement « %(value)s » illisible "
                    "(attendu : ZRR, FRR, FRR+, oui ou non)."
                )
                % {"line": line, "value": _cell(cells, classification_col)}
            )
            continue
        if row_classification is None:
            report.not_classified += 1
            continue
        wanted.setdefault((insee, row_classification), line)
    if not rows:
        errors.append(_("Le fichier ne contient aucune ligne de données."))
    _raise_if_errors(errors)

    commune_ids = _communes_by_code({insee for insee, _classification in wanted})
    report.unknown_codes = [(line, insee) for (insee, _c), line in wanted.items() if insee not in commune_ids]
    if strict:
        _raise_if_errors(_unknown_code_errors(report.unknown_codes))

    targets = {
        (commune_ids[insee], row_classification)
        for insee, row_classification in wanted
        if insee in commune_ids
    }
    existing = {
        (zone.commune_id, zone.classification): zone
        for zone in RuralZone.objects.filter(
            valid_from=valid_from, commune_id__in={commune_id for commune_id, _c in targets}
        )
    }
    to_create, to_update = [], []
    for commune_id, row_classification in sorted(targets):
        zone = existing.get((commune_id, row_classification))
        values = {"valid_to": valid_to, "source": source, "is_sample": is_sample}
        if zone is None:
            to_create.append(
                RuralZone(
                    commune_id=commune_id, classification=row_classification, valid_from=valid_from, **values
                )
            )
        elif any(getattr(zone, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(zone, key, value)
            to_update.append(zone)
    RuralZone.objects.bulk_create(to_create, batch_size=2000)
    if to_update:
        RuralZone.objects.bulk_update(to_update, ["valid_to", "source", "is_sample"], batch_size=500)
    report.created, report.updated = len(to_create), len(to_update)
    report.unchanged = len(targets) - report.created - report.updated
    report.unknown_codes.sort()
    if replace_previous:
        classifications = {row_classification for _insee, row_classification in wanted}
        report.superseded = _supersede(
            RuralZone.objects.filter(classification__in=classifications), valid_from
        )
    return report
