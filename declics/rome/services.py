"""Loading the ROME 4.0 job sheets from the vendored file (declics/rome/data/, see its README)."""

import gzip
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import RomeJob, RomeLoad

ROME_FILE = Path(__file__).resolve().parent / "data" / "secteurs_naf_rome.json.gz"

# Digital jobs: the whole M18 family (systèmes d'information et de télécommunication) except the
# sheets that only share the family's code prefix (meteorology, cartography, army telecoms), plus
# these E11/E12 sheets chosen from their labels because the job is done on a computer and is
# named in digital-jobs programmes (web, UX/UI, community and content management, e-commerce,
# video games). Print, photo-lab, cinema-lab, journalism, translation and events are left out.
DIGITAL_E_CODES = {
    "E1101": "Community manager",
    "E1104": "Concepteur / Conceptrice de contenus multimedia",
    "E1113": "Responsable e-commerce",
    "E1115": "Chef / Cheffe de projet jeux vidéo",
    "E1124": "Social media manager - Responsable des médias sociaux",
    "E1125": "Concepteur / Conceptrice de jeux vidéo",
    "E1127": "Brand content manager",
    "E1205": "Designer graphique",
    "E1206": "UX - UI Designer",
    "E1207": "Motion designer",
    "E1210": "Web designer",
}
NON_DIGITAL_M18_CODES = {
    "M1807",  # Opérateur télécom aux armées
    "M1808",  # Cartographe
    "M1809",  # Météorologue
    "M1888",  # Spécialiste en modélisation climatique
    "M1890",  # Responsable d'opérations en station météorologique
    "M1891",  # Ingénieur prévisionniste météorologue
    "M1893",  # Technicien de la météorologie
}


def is_digital_code(code: str) -> bool:
    if code.startswith("M18"):
        return code not in NON_DIGITAL_M18_CODES
    return code in DIGITAL_E_CODES


def read_rome_file(path: Path = ROME_FILE) -> dict[str, str]:
    """Every distinct ROME code with its label, from the sector → codes file."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        sectors = json.load(handle)
    codes: dict[str, str] = {}
    for sector in sectors.values():
        for row in sector["codes_rome"]:
            codes[row["code"]] = row["libelle"].strip()
    return codes


def file_checksum(path: Path = ROME_FILE) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def is_up_to_date(path: Path = ROME_FILE) -> bool:
    """True when this exact file was loaded last and every one of its codes is still there (2 queries)."""
    last = RomeLoad.objects.order_by("-loaded_at", "-pk").first()
    return bool(last and last.checksum == file_checksum(path) and RomeJob.objects.count() >= last.codes > 0)


@dataclass
class RomeLoadResult:
    created: int
    updated: int
    unchanged: int
    digital: int


@transaction.atomic
def load_rome_jobs(*, path: Path = ROME_FILE) -> RomeLoadResult:
    """Create or update every ROME sheet in bulk; idempotent. Descriptions written here are kept."""
    codes = read_rome_file(path)
    existing = {job.code: job for job in RomeJob.objects.all()}
    to_create, to_update = [], []
    for code, label in sorted(codes.items()):
        digital = is_digital_code(code)
        job = existing.get(code)
        if job is None:
            to_create.append(RomeJob(code=code, label=label, is_digital=digital))
        elif job.label != label or job.is_digital != digital:
            job.label, job.is_digital = label, digital
            to_update.append(job)
    RomeJob.objects.bulk_create(to_create, batch_size=500)
    RomeJob.objects.bulk_update(to_update, ["label", "is_digital"], batch_size=500)
    RomeLoad.objects.create(
        checksum=file_checksum(path),
        codes=len(codes),
        created=len(to_create),
        updated=len(to_update),
    )
    return RomeLoadResult(
        created=len(to_create),
        updated=len(to_update),
        unchanged=len(codes) - len(to_create) - len(to_update),
        digital=sum(1 for code in codes if is_digital_code(code)),
    )
