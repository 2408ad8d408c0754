from django.core.management.base import BaseCommand, CommandError

from programs.assessment import services


class Command(BaseCommand):
    help = (
        "Load the skills-assessment questionnaire versions from programs/assessment/data/ "
        "(idempotent; an existing version is never rewritten) and put the latest in service; the "
        "English texts of each version from questionnaire-v<N>.en.json beside it, when there is one."
    )

    def handle(self, *args, **options):
        files = services.questionnaire_files()
        for path in files:
            try:
                questionnaire, created, translated = services.load_questionnaire_file(
                    path=path, activate=path == files[-1]
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
