"""Demo QPV and FRR lists from the SAMPLE files (never official data). Called by `manage.py seed_demo`."""

from datetime import date
from pathlib import Path

from . import services

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"
SAMPLE_SOURCE = "Fichier d'exemple DéClics (pas une liste officielle)"
QPV_VALID_FROM = date(2024, 1, 1)
RURAL_VALID_FROM = date(2024, 7, 1)


def seed(stdout=None) -> None:
    """Import both sample files as samples (is_sample=True); idempotent. Needs load_territories first."""
    qpvs = services.import_qpvs(
        source_file=SAMPLES / "qpv_sample.csv",
        valid_from=QPV_VALID_FROM,
        source=SAMPLE_SOURCE,
        is_sample=True,
    )
    zones = services.import_rural_zones(
        source_file=SAMPLES / "rural_zones_sample.csv",
        classification="FRR",
        valid_from=RURAL_VALID_FROM,
        source=SAMPLE_SOURCE,
        is_sample=True,
    )
    if stdout is not None:
        stdout.write(
            f"Exemples de territoires : {qpvs.created} QPV d'exemple créés ({qpvs.unchanged} déjà là), "
            f"{zones.created} communes FRR d'exemple créées ({zones.unchanged} déjà là).\n"
        )
        missing = len(qpvs.unknown_codes) + len(zones.unknown_codes)
        if missing:
            stdout.write(
                f"  {missing} commune(s) introuvable(s) : lancez d'abord `manage.py load_territories`.\n"
            )
