"""Demo data for the assessment: the questionnaire versions in programs/assessment/data/. Idempotent."""

import json
from pathlib import Path

from . import services

DATA_DIR = Path(__file__).resolve().parent / "data"


def seed(stdout=None) -> None:
    files = sorted(DATA_DIR.glob("questionnaire-v*.json"), key=lambda p: int(p.stem.split("-v")[1]))
    for path in files:
        questionnaire, created = services.load_questionnaire(
            data=json.loads(path.read_text(encoding="utf-8")), activate=path == files[-1]
        )
        if stdout:
            stdout.write(
                f"programs: assessment v{questionnaire.version} {'created' if created else 'unchanged'}"
            )
