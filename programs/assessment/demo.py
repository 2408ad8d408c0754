"""Demo data for the assessment: the questionnaire versions in programs/assessment/data/, and the
demo candidate's completed assessment in the running session (step 2 done, a result to read).
Idempotent."""

from datetime import timedelta

from django.db import transaction

from programs import demo as programs_demo

from . import services
from .models import AssessmentAttempt

# The demo candidate's answers: likes helping and organising, solid everyday digital skills, can
# travel nearby, day hours (a question of a later version she does not know: its first answer).
CANDIDATE_ANSWERS = {
    "info-recherche": "site-officiel",
    "info-rangement": "dossier",
    "comm-visio": "micro",
    "comm-equipe": "partage",
    "contenu-cv": "texte",
    "contenu-image": "photo",
    "securite-mail": "supprime",
    "securite-mdp": "differents",
    "probleme-panne": "verifie",
    "probleme-outil": "tutoriel",
    "soft-organisation": "plutot",
    "soft-equipe": "un-peu",
    "soft-relation": "tout-a-fait",
    "soft-autonomie": "un-peu",
    "soft-apprendre": "plutot",
    "gout-r": "un-peu",
    "gout-i": "un-peu",
    "gout-a": "non",
    "gout-s": "enormement",
    "gout-e": "non",
    "gout-c": "beaucoup",
    "mobilite": "proche",
    "horaires": "journee",
    "garde": "non",
    "equipement": "ordinateur",
    "internet": "bon",
}


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
    if _candidate_assessment() and stdout:
        stdout.write("programs: the demo candidate's assessment done, with its result")


@transaction.atomic
def _candidate_assessment() -> bool:
    enrolment = programs_demo.candidate_enrolment()
    if enrolment is None or AssessmentAttempt.objects.filter(enrolment=enrolment).exists():
        return False
    when = enrolment.session.starts_at + timedelta(days=2, hours=6)
    attempt = services.start_assessment(enrolment=enrolment, now=when)
    for question in attempt.questionnaire.questions.prefetch_related("choices"):
        choices = [choice.value for choice in question.choices.all()]
        value = CANDIDATE_ANSWERS.get(question.key)
        services.answer_question(
            attempt=attempt,
            question_id=question.pk,
            choice_value=value if value in choices else choices[0],
            now=when,
        )
    services.complete_assessment(attempt=attempt, now=when + timedelta(minutes=20))
    return True
