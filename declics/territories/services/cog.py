"""Load the vendored INSEE COG (régions, départements, communes) into the database.

The load is idempotent: it diffs the files against the tables in memory and writes only what
changed (bulk_create / bulk_update). A checksum of the vendored files is stored after each load so
that the next run, when the files have not changed, stops after two queries.
"""

import gzip
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from ..models import Commune, CommunePostalCode, Departement, ReferenceDataVersion, Region
from ..text import normalize_name

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DATA_NAMES = ("regions", "departements", "communes")
VERSION_NAME = "cog"
BATCH_SIZE = 2000


@dataclass
class TerritoryData:
    regions: list[dict]
    departements: list[dict]
    communes: list[dict]
    checksum: str


@dataclass
class LoadReport:
    skipped: bool = False
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    retired: int = 0

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or bool(self.retired)


def data_checksum(data_dir: Path = DATA_DIR) -> str:
    digest = hashlib.sha256()
    for name in DATA_NAMES:
        digest.update((data_dir / f"{name}.json.gz").read_bytes())
    return digest.hexdigest()


def read_vendored_data(data_dir: Path = DATA_DIR) -> TerritoryData:
    rows = {}
    for name in DATA_NAMES:
        with gzip.open(data_dir / f"{name}.json.gz", "rb") as source:
            rows[name] = json.load(source)
    return TerritoryData(**rows, checksum=data_checksum(data_dir))


def is_up_to_date(checksum: str) -> bool:
    """True when these exact files were loaded last and the communes are all still there (2 queries)."""
    version = ReferenceDataVersion.objects.filter(name=VERSION_NAME).first()
    return bool(version and version.checksum == checksum and version.row_count == Commune.objects.count())


def load_territories(*, data: TerritoryData | None = None, force: bool = False) -> LoadReport:
    """Create or update every région, département and commune of `data` (the vendored files by default).

    Rows the data no longer lists are not deleted (people and sessions may point to them): a commune
    is marked `is_active=False`, so the search and `Commune.objects.current()` leave it out.
    """
    if data is None:
        if not force and is_up_to_date(data_checksum()):
            return LoadReport(skipped=True)
        data = read_vendored_data()
    elif not force and is_up_to_date(data.checksum):
        return LoadReport(skipped=True)
    return _load(data)


@transaction.atomic
def _load(data: TerritoryData) -> LoadReport:
    report = LoadReport()
    report.created["regions"], report.updated["regions"] = _sync_simple(
        Region, {r["code"]: {"name": r["nom"], "zone": r["zone"]} for r in data.regions}
    )
    report.created["departements"], report.updated["departements"] = _sync_simple(
        Departement,
        {
            d["code"]: {"name": d["nom"], "region_id": d["region"], "zone": d["zone"]}
            for d in data.departements
        },
    )
    _sync_communes(data.communes, report)
    ReferenceDataVersion.objects.update_or_create(
        name=VERSION_NAME, defaults={"checksum": data.checksum, "row_count": Commune.objects.count()}
    )
    return report


def _sync_simple(model, wanted: dict[str, dict]) -> tuple[int, int]:
    fields = list(next(iter(wanted.values())).keys()) if wanted else []
    existing = {obj.pk: obj for obj in model.objects.all()}
    to_create, to_update = [], []
    for code, values in wanted.items():
        obj = existing.get(code)
        if obj is None:
            to_create.append(model(code=code, **values))
        elif any(getattr(obj, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(obj, name, value)
            to_update.append(obj)
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    return len(to_create), len(to_update)


_COMMUNE_FIELDS = [
    "name",
    "search_name",
    "departement_id",
    "postal_codes",
    "population",
    "parent_code",
    "is_active",
]


def _commune_values(row: dict) -> dict:
    return {
        "name": row["nom"],
        "search_name": normalize_name(row["nom"])[:100],
        "departement_id": row["departement"],
        "postal_codes": " ".join(row.get("codesPostaux", [])),
        "population": row.get("population"),
        "parent_code": row.get("parent", ""),
        "is_active": True,
    }


def _sync_communes(rows: list[dict], report: LoadReport) -> None:
    existing = {
        (values[1], values[2]): values
        for values in Commune.objects.order_by()
        .values_list("pk", "code", "kind", *_COMMUNE_FIELDS)
        .iterator(chunk_size=5000)
    }
    to_create, to_update, seen = [], [], set()
    for row in rows:
        key = (row["code"], row["type"])
        seen.add(key)
        values = _commune_values(row)
        current = existing.get(key)
        if current is None:
            to_create.append(Commune(code=row["code"], kind=row["type"], **values))
        elif tuple(values.values()) != current[3:]:
            to_update.append(Commune(pk=current[0], code=row["code"], kind=row["type"], **values))
    Commune.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    _update_communes(to_update)
    retired = [values[0] for key, values in existing.items() if key not in seen and values[-1]]
    for start in range(0, len(retired), BATCH_SIZE):
        Commune.objects.filter(pk__in=retired[start : start + BATCH_SIZE]).update(is_active=False)
    report.created["communes"], report.updated["communes"], report.retired = (
        len(to_create),
        len(to_update),
        len(retired),
    )
    report.created["postal_codes"], report.updated["postal_codes"] = _sync_postal_codes(to_create + to_update)


def _update_communes(communes: list[Commune]) -> None:
    """Write changed communes. A new COG version changes most populations at once, and Django's
    bulk_update (one CASE per column) grows quadratic there: past a few hundred rows, fill a
    temporary table and run one UPDATE … FROM (PostgreSQL, and SQLite ≥ 3.33)."""
    if len(communes) <= 200:
        Commune.objects.bulk_update(communes, _COMMUNE_FIELDS, batch_size=100)
        return
    quote = connection.ops.quote_name
    table, temp = quote(Commune._meta.db_table), quote("territories_commune_update")
    columns = [Commune._meta.get_field(name).column for name in _COMMUNE_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} (id bigint PRIMARY KEY, "
            + ", ".join(
                f"{quote(column)} {_sql_type(name)}"
                for name, column in zip(_COMMUNE_FIELDS, columns, strict=True)
            )
            + ")"
        )
        rows = [[commune.pk, *(getattr(commune, name) for name in _COMMUNE_FIELDS)] for commune in communes]
        if connection.vendor == "postgresql":
            # COPY: psycopg's client-side parameter parsing makes huge INSERTs slow.
            with cursor.cursor.copy(f"COPY {temp} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * (len(columns) + 1))
            cursor.executemany(f"INSERT INTO {temp} VALUES ({placeholders})", rows)
        assignments = ", ".join(f"{quote(column)} = u.{quote(column)}" for column in columns)
        cursor.execute(f"UPDATE {table} SET {assignments} FROM {temp} u WHERE {table}.id = u.id")
        cursor.execute(f"DROP TABLE {temp}")


def _sql_type(field_name: str) -> str:
    return {"population": "integer", "is_active": "boolean"}.get(field_name, "varchar(200)")


def _sync_postal_codes(communes: list[Commune]) -> tuple[int, int]:
    """Align the indexed postal-code rows with `postal_codes` for the communes just created or changed.

    Returns (rows created, rows deleted).
    """
    if not communes:
        return 0, 0
    wanted = {(commune.pk, code) for commune in communes for code in commune.postal_code_list}
    ids = [commune.pk for commune in communes]
    existing = {}
    for start in range(0, len(ids), BATCH_SIZE):
        existing.update(
            {
                (commune_id, code): pk
                for pk, commune_id, code in CommunePostalCode.objects.filter(
                    commune_id__in=ids[start : start + BATCH_SIZE]
                ).values_list("pk", "commune_id", "code")
            }
        )
    stale = [pk for key, pk in existing.items() if key not in wanted]
    for start in range(0, len(stale), BATCH_SIZE):
        CommunePostalCode.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
    new = [
        CommunePostalCode(commune_id=commune_id, code=code) for commune_id, code in wanted - existing.keys()
    ]
    CommunePostalCode.objects.bulk_create(new, batch_size=BATCH_SIZE)
    return len(new), len(stale)
