"""The skills assessment: loading a questionnaire version, answering, scoring once, sharing."""

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.models import Enrolment, EnrolmentStatus, Step
from programs.services.enrolments import complete_step
from programs.services.errors import ProgramError

from . import scoring
from .models import (
    Answer,
    AssessmentAttempt,
    AssessmentResult,
    AssessmentShare,
    AttemptStatus,
    Choice,
    Question,
    Questionnaire,
    ShareAudience,
    ShareStatus,
)
from .selectors import questionnaire_problems, rules_for


class AssessmentError(ProgramError):
    """An answer, a completion or a share was refused; the message is safe to show."""


def _content(questions) -> list:
    return [
        (
            q["key"],
            q["order"],
            q["part"],
            q["area"],
            q["text"],
            q.get("help_text", ""),
            [(c["value"], c["label"], c["score"]) for c in q["choices"]],
        )
        for q in sorted(questions, key=lambda q: q["order"])
    ]


def _stored_content(questionnaire: Questionnaire) -> list:
    questions = questionnaire.questions.prefetch_related("choices").order_by("order")
    return [
        (
            q.key,
            q.order,
            q.part,
            q.area,
            q.text,
            q.help_text,
            [(c.value, c.label, c.score) for c in q.choices.all()],
        )
        for q in questions
    ]


@transaction.atomic
def load_questionnaire(*, data: Mapping, activate: bool = True) -> tuple[Questionnaire, bool]:
    """Create the questionnaire version described by `data` (see data/questionnaire-v1.json).

    Idempotent: loading the same version again changes nothing and returns (questionnaire, False).
    A version is never rewritten: different content under an existing version number is refused,
    so the answers and results given on it keep their meaning. `activate` makes it the version
    new attempts use (the previous one stays for the attempts already started on it).
    """
    existing = Questionnaire.objects.filter(version=data["version"]).first()
    if existing is not None:
        if _stored_content(existing) != _content(data["questions"]) or existing.scoring != data["scoring"]:
            raise AssessmentError(
                _(
                    "La version %(version)s du questionnaire existe déjà avec un autre contenu : "
                    "publiez une nouvelle version."
                )
                % {"version": data["version"]}
            )
        created = False
        questionnaire = existing
    else:
        questionnaire = Questionnaire.objects.create(
            version=data["version"], title=data["title"], scoring=data["scoring"]
        )
        for q in data["questions"]:
            question = Question.objects.create(
                questionnaire=questionnaire,
                key=q["key"],
                order=q["order"],
                part=q["part"],
                area=q["area"],
                text=q["text"],
                help_text=q.get("help_text", ""),
            )
            Choice.objects.bulk_create(
                [
                    Choice(question=question, value=c["value"], label=c["label"], score=c["score"], order=n)
                    for n, c in enumerate(q["choices"], start=1)
                ]
            )
        created = True
    if activate and not questionnaire.is_active:
        Questionnaire.objects.filter(is_active=True).update(is_active=False)
        questionnaire.is_active = True
        questionnaire.save(update_fields=["is_active"])
    return questionnaire, created


DATA_DIR = Path(__file__).resolve().parent / "data"


def questionnaire_files(data_dir: Path = DATA_DIR) -> list[Path]:
    """The French questionnaire files (questionnaire-v<N>.json), oldest version first; the English
    texts of a version sit beside it as questionnaire-v<N>.en.json."""
    files = [path for path in data_dir.glob("questionnaire-v*.json") if not path.name.endswith(".en.json")]
    return sorted(files, key=lambda path: int(path.stem.split("-v")[1]))


@transaction.atomic
def load_questionnaire_file(*, path: Path, activate: bool) -> tuple[Questionnaire, bool, int | None]:
    """Load one version from its file, then its English texts when the English file exists;
    returns (questionnaire, created, English texts changed or None without an English file)."""
    questionnaire, created = load_questionnaire(
        data=json.loads(path.read_text(encoding="utf-8")), activate=activate
    )
    english = path.with_name(f"{path.stem}.en.json")
    if not english.exists():
        return questionnaire, created, None
    data = json.loads(english.read_text(encoding="utf-8"))
    return questionnaire, created, load_questionnaire_english(questionnaire=questionnaire, data=data)


@transaction.atomic
def load_questionnaire_english(*, questionnaire: Questionnaire, data: Mapping) -> int:
    """Write the English texts of one version (see data/questionnaire-v1.en.json); returns how many
    texts changed. A translation never changes the version's content, so it may be loaded or
    corrected after people answered. A question or answer missing from `data` keeps no English
    text (its page shows the French one); a key the version does not have is refused.
    """
    if data.get("version") != questionnaire.version:
        raise AssessmentError(
            _("Ce fichier anglais n'est pas celui de la version %(version)s.")
            % {"version": questionnaire.version}
        )
    questions = {question.key: question for question in questionnaire.questions.prefetch_related("choices")}
    texts = data.get("questions", {})
    unknown = sorted(set(texts) - set(questions)) + sorted(
        f"{key}/{value}"
        for key, entry in texts.items()
        if key in questions
        for value in set(entry.get("choices", {})) - {choice.value for choice in questions[key].choices.all()}
    )
    if unknown:
        raise AssessmentError(
            _("Ces textes anglais ne correspondent à rien dans la version %(version)s : %(keys)s.")
            % {"version": questionnaire.version, "keys": ", ".join(unknown)}
        )
    changed_questions, changed_choices = [], []
    for key, question in questions.items():
        entry = texts.get(key, {})
        text, help_text = entry.get("text", "").strip(), entry.get("help_text", "").strip()
        if (question.text_en, question.help_text_en) != (text, help_text):
            question.text_en, question.help_text_en = text, help_text
            changed_questions.append(question)
        labels = entry.get("choices", {})
        for choice in question.choices.all():
            label = labels.get(choice.value, "").strip()
            if choice.label_en != label:
                choice.label_en = label
                changed_choices.append(choice)
    Question.objects.bulk_update(changed_questions, ["text_en", "help_text_en"])
    Choice.objects.bulk_update(changed_choices, ["label_en"])
    title = data.get("title", "").strip()
    changed_title = questionnaire.title_en != title
    if changed_title:
        questionnaire.title_en = title
        questionnaire.save(update_fields=["title_en"])
    return len(changed_questions) + len(changed_choices) + changed_title


@transaction.atomic
def start_assessment(*, enrolment: Enrolment, now: datetime | None = None) -> AssessmentAttempt:
    """The person's draft if there is one (resumed where it was left), else a new one.

    A new attempt uses the current questionnaire version; a draft keeps the version it started on.
    """
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise AssessmentError(_("Le bilan est réservé aux participant·es inscrit·es à la session."))
    draft = AssessmentAttempt.objects.in_progress().filter(enrolment=enrolment).first()
    if draft is not None:
        return draft
    questionnaire = Questionnaire.objects.current()
    if questionnaire is None:
        raise AssessmentError(_("Le questionnaire n'est pas encore disponible. Revenez un peu plus tard."))
    return AssessmentAttempt.objects.create(
        enrolment=enrolment, questionnaire=questionnaire, started_at=now or timezone.now()
    )


@transaction.atomic
def answer_question(
    *, attempt: AssessmentAttempt, question_id: int, choice_value: str, now: datetime | None = None
) -> Answer:
    """Record (or change) one answer of a draft.

    A question of another version, an unknown answer or a finished attempt is refused.
    """
    attempt = AssessmentAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AssessmentError(_("Ce bilan est terminé : ses réponses ne peuvent plus changer."))
    question = Question.objects.filter(pk=question_id, questionnaire_id=attempt.questionnaire_id).first()
    if question is None:
        raise AssessmentError(_("Cette question ne fait pas partie de votre questionnaire."))
    choice = Choice.objects.filter(question=question, value=choice_value).first()
    if choice is None:
        raise AssessmentError(_("Choisissez une des réponses proposées."))
    answer, _created = Answer.objects.update_or_create(
        attempt=attempt, question=question, defaults={"choice": choice, "answered_at": now or timezone.now()}
    )
    AssessmentAttempt.objects.filter(pk=attempt.pk).update(updated_at=now or timezone.now())
    return answer


@transaction.atomic
def complete_assessment(*, attempt: AssessmentAttempt, now: datetime | None = None) -> AssessmentResult:
    """Score a complete draft once, keep the result as a snapshot and mark step 2 done.

    The attempt row is locked, so two submissions cannot both score it; an incomplete or
    inconsistent draft raises `AssessmentError` and stays as it is.
    """
    now = now or timezone.now()
    attempt = AssessmentAttempt.objects.select_for_update().select_related("questionnaire").get(pk=attempt.pk)
    if attempt.status != AttemptStatus.IN_PROGRESS:
        raise AssessmentError(_("Ce bilan est déjà terminé : son résultat est enregistré."))
    rules, questions = rules_for(attempt.questionnaire)
    answers = dict(Answer.objects.filter(attempt=attempt).values_list("question__key", "choice__value"))
    # Answers always point at this version's questions (checked when saved); a key that is not in
    # `questions` would mean tampering and is refused by the scoring itself.
    try:
        snapshot = scoring.score(rules=rules, questions=questions, answers=answers)
    except scoring.AnswerError as error:
        raise AssessmentError(str(error)) from error
    snapshot["version"] = attempt.questionnaire.version
    result = AssessmentResult.objects.create(
        attempt=attempt,
        questionnaire_version=attempt.questionnaire.version,
        snapshot=snapshot,
        created_at=now,
    )
    attempt.status = AttemptStatus.COMPLETED
    attempt.completed_at = now
    attempt.save(update_fields=["status", "completed_at", "updated_at"])
    complete_step(enrolment=attempt.enrolment, step=Step.ASSESSMENT, when=now)
    return result


@transaction.atomic
def set_assessment_share(
    *, result: AssessmentResult, audience: str, shared: bool, by, now: datetime | None = None
) -> AssessmentShare:
    """The person shares (or stops sharing) their result with their adviser or mentor."""
    if audience not in ShareAudience.values:
        raise AssessmentError(_("Choisissez avec qui partager votre bilan."))
    if result.attempt.enrolment.job_seeker_id != by.pk:
        raise AssessmentError(_("Seule la personne qui a fait le bilan peut le partager."))
    share, _created = AssessmentShare.objects.select_for_update().get_or_create(
        result=result, audience=audience
    )
    share.status = ShareStatus.SHARED if shared else ShareStatus.NOT_SHARED
    share.changed_at = now or timezone.now()
    share.save(update_fields=["status", "changed_at"])
    return share


@transaction.atomic
def activate_questionnaire(*, questionnaire: Questionnaire, by) -> Questionnaire:
    """Put `questionnaire` in service: the version new attempts use (staff only).

    Refused for an incomplete version (`selectors.questionnaire_problems`). People with an attempt
    under way keep the version they started (an attempt points at its version, see
    `start_assessment`), and kept results never change: only attempts started from now on use it.
    Every version's row is locked, so two switches at once end with exactly one in service.
    """
    if not by.is_programme_staff:
        raise AssessmentError(
            _("Seule l'équipe DéClics peut changer la version du questionnaire."), status=403
        )
    versions = {row.pk: row for row in Questionnaire.objects.select_for_update().order_by("pk")}
    questionnaire = versions[questionnaire.pk]
    if questionnaire.is_active:
        raise AssessmentError(_("Cette version est déjà en service."))
    problems = questionnaire_problems(questionnaire)
    if problems:
        raise AssessmentError(
            _("Cette version est incomplète : %(problems)s") % {"problems": " ".join(problems)}
        )
    Questionnaire.objects.filter(is_active=True).update(is_active=False)
    questionnaire.is_active = True
    questionnaire.save(update_fields=["is_active"])
    return questionnaire


def carry_over_results(*, source: Enrolment, target: Enrolment, now: datetime) -> int:
    """The person was transferred from `source` to `target`: their completed assessments (and so
    their results, with the sharing choices made) move to the new enrolment, which has step 2 done
    from the first completion's date. A draft stays behind. Returns how many moved."""
    completed = AssessmentAttempt.objects.completed().filter(enrolment=source)
    first = completed.order_by("completed_at", "pk").values_list("completed_at", flat=True).first()
    moved = completed.update(enrolment=target)
    if moved:
        complete_step(enrolment=target, step=Step.ASSESSMENT, when=first or now)
    return moved
