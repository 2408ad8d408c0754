import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.assessment import services

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = (
        "Load the skills-assessment questionnaire versions from programs/assessment/data/ "
        "(idempotent; an existing version is never rewritten) and put the latest in service."
    )

    def handle(self, *args, **options):
        files = sorted(DATA_DIR.glob("questionnaire-v*.json"), key=lambda p: int(p.stem.split("-v")[1]))
        for path in files:
            data = json.loads(path.read_text(encoding="utf-8"))
            try:
                questionnaire, created = services.load_questionnaire(data=data, activate=path == files[-1])
            except services.AssessmentError as error:
                raise CommandError(str(error)) from error
            state = "created" if created else "unchanged"
            self.stdout.write(
                f"Assessment v{questionnaire.version}: {state}, {questionnaire.questions.count()} questions"
                + (" (in service)" if questionnaire.is_active else "")
            )
