"""Demo data for the assessment: the questionnaire versions in programs/assessment/data/. Idempotent."""

from . import services


def seed(stdout=None) -> None:
    files = services.questionnaire_files()
    for path in files:
        questionnaire, created, _english = services.load_questionnaire_file(
            path=path, activate=path == files[-1]
        )
        if stdout:
            stdout.write(
                f"programs: assessment v{questionnaire.version} {'created' if created else 'unchanged'}"
            )
