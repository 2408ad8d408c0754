"""What step 2 holds about people: their attempts at the questionnaire, their answers, their
result and with whom they shared it. Erasure deletes them all (the step's completion, counted by
the impact figures, is the spine's step progress). The questionnaire itself is the team's content.
"""

from declics import personal_data
from declics.personal_data import choice, iso

from .models import AssessmentAttempt


def _attempt(attempt) -> dict:
    result = getattr(attempt, "result", None)
    return {
        "questionnaire_version": attempt.questionnaire.version,
        "status": choice(attempt, "status"),
        "started_at": iso(attempt.started_at),
        "completed_at": iso(attempt.completed_at),
        "answers": [
            {"question": answer.question.text, "answer": answer.choice.label}
            for answer in attempt.answers.all()
        ],
        "result": None
        if result is None
        else {
            "created_at": iso(result.created_at),
            "snapshot": result.snapshot,
            "shares": [
                {
                    "audience": choice(share, "audience"),
                    "status": choice(share, "status"),
                    "changed_at": iso(share.changed_at),
                }
                for share in result.shares.all()
            ],
        },
    }


def export_enrolments(enrolment_ids) -> dict[int, dict]:
    attempts = (
        AssessmentAttempt.objects.filter(enrolment__in=enrolment_ids)
        .select_related("questionnaire", "result")
        .prefetch_related("answers__question", "answers__choice", "result__shares")
    )
    sections: dict[int, dict] = {pk: {"assessment": []} for pk in enrolment_ids}
    for attempt in attempts:
        sections[attempt.enrolment_id]["assessment"].append(_attempt(attempt))
    return sections


def erase(*, user, now) -> None:
    AssessmentAttempt.objects.filter(enrolment__job_seeker=user).delete()


PERSONAL_DATA = personal_data.PersonalData(
    app="assessment",
    order=personal_data.STEP + 2,
    personal={
        "programs.AssessmentAttempt": "public_id enrolment questionnaire status started_at updated_at "
        "completed_at",
        "programs.Answer": "attempt question choice answered_at",
        "programs.AssessmentResult": "public_id attempt questionnaire_version snapshot created_at",
        "programs.AssessmentShare": "result audience status changed_at",
    },
    not_personal={
        "programs.Questionnaire": "title title_en scoring",
        "programs.Question": "key part area text help_text text_en help_text_en",
        "programs.Choice": "value label label_en",
    },
    export_enrolments=export_enrolments,
    erase=erase,
)
