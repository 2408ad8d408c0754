"""Rebuild the vendored territory files from the upstream @etalab/decoupage-administratif JSON.

Usage (from the repository root):

    python declics/territories/data/build.py /path/to/decoupage-administratif/data

The folder must hold regions.json, departements.json and communes.json as published in the npm
package (https://www.npmjs.com/package/@etalab/decoupage-administratif). Only the fields the app
uses are kept; the output is gzip with a zero timestamp so the same input gives the same bytes (the
loader compares a checksum of these files to skip work when nothing changed).
Update VERSION below and README.md when you refresh the data.
"""

import gzip
import json
import sys
from pathlib import Path

VERSION = "@etalab/decoupage-administratif 6.0.0"  # keep in step with README.md
HERE = Path(__file__).resolve().parent


def _regions(rows):
    return [{"code": r["code"], "nom": r["nom"], "zone": r["zone"]} for r in rows]


def _departements(rows):
    return [{"code": d["code"], "nom": d["nom"], "region": d["region"], "zone": d["zone"]} for d in rows]


def _communes(rows):
    kept = []
    for c in rows:
        row = {"code": c["code"], "nom": c["nom"], "type": c["type"], "departement": c["departement"]}
        if c.get("codesPostaux"):
            row["codesPostaux"] = c["codesPostaux"]
        if c.get("population") is not None:
            row["population"] = c["population"]
        # The commune an arrondissement belongs to, or the new commune a delegated/associated one joined.
        parent = c.get("commune") if c["type"] == "arrondissement-municipal" else c.get("chefLieu")
        if parent and c["type"] != "commune-actuelle":
            row["parent"] = parent
        kept.append(row)
    return kept


def _write(name, rows):
    payload = json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()
    target = HERE / f"{name}.json.gz"
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as gz,
    ):
        gz.write(payload)
    print(f"{target.name}: {len(rows)} rows, {target.stat().st_size:,} bytes")


def build(source: Path) -> None:
    for name, keep in (("regions", _regions), ("departements", _departements), ("communes", _communes)):
        rows = json.loads((source / f"{name}.json").read_text(encoding="utf-8"))
        _write(name, keep(rows))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(Path(sys.argv[1]))
