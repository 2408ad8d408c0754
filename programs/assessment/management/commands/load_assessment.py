import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programs.assessment import services

DATA_DIR = Path(__file__).resolve().parents[2] / "data"


class Command(BaseCommand):
    help = (
        "Load the skills-assessment questionnaire versions from programs/assessment/data/ "
        "(idempotent; an existing version is never rewritten) and put the latest in service; the "
        "English texts of each version from questionnaire-v<N>.en.json beside it, when there is one."
    )

    def handle(self, *args, **options):
        files = sorted(
            (path for path in DATA_DIR.glob("questionnaire-v*.json") if not path.name.endswith(".en.json")),
            key=lambda p: int(p.stem.split("-v")[1]),
        )
        for path in files:
            data = json.loads(path.read_text(encoding="utf-8"))
            try:
                questionnaire, created = services.load_questionnaire(data=data, activate=path == files[-1])
                english = path.with_name(f"{path.stem}.en.json")
                translated = (
                    services.load_questionnaire_english(
                        questionnaire=questionnaire, data=json.loads(english.read_text(encoding="utf-8"))
                    )
                    if english.exists()
                    else None
                )
            except services.AssessmentError as error:
                raise CommandError(str(error)) from error
            state = "created" if created else "unchanged"
            self.stdout.write(
                f"Assessment v{questionnaire.version}: {state}, {questionnaire.questions.count()} questions"
                + (" (in service)" if questionnaire.is_active else "")
            )
            if translated is not None:
                self.stdout.write(
                    f"Assessment v{questionnaire.version} in English: {translated} texts updated"
                )
