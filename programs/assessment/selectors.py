"""Reads of the skills assessment: its rules, a person's latest result, and who may see a result."""

from collections.abc import Iterable

from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from programs import registry
from programs.models import Enrolment

from . import scoring
from .models import (
    AssessmentAttempt,
    AssessmentResult,
    AssessmentShare,
    AttemptStatus,
    Choice,
    Part,
    Question,
    Questionnaire,
    ShareAudience,
    ShareStatus,
)
from .scoring import QuestionRule

# Share states as the person sees them (see `ShareStatus`).
NOT_SHARED, TO_SHARE, SHARED = "not_shared", "to_share", "shared"


def questions_of(questionnaire: Questionnaire):
    return questionnaire.questions.order_by("order").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("order"))
    )


def rules_for(questionnaire: Questionnaire) -> tuple[dict, list[QuestionRule]]:
    """The scoring rules and the questions of one version, in two queries."""
    questions = [
        QuestionRule(key=q.key, part=q.part, area=q.area, choices={c.value: c.score for c in q.choices.all()})
        for q in questions_of(questionnaire)
    ]
    return questionnaire.scoring, questions


def results_with_owner():
    return AssessmentResult.objects.select_related(
        "attempt__enrolment__job_seeker", "attempt__enrolment__session", "attempt__enrolment__adviser"
    )


def latest_result(enrolment: Enrolment) -> AssessmentResult | None:
    return (
        AssessmentResult.objects.filter(attempt__enrolment=enrolment).order_by("-created_at", "-pk").first()
    )


def latest_result_for_user(user) -> AssessmentResult | None:
    if not user.is_authenticated:
        return None
    return (
        AssessmentResult.objects.filter(attempt__enrolment__job_seeker=user)
        .order_by("-created_at", "-pk")
        .first()
    )


def suggested_rome_codes(user) -> list[str]:
    """The ROME codes the person's latest assessment suggests, best first ([] without a result).

    Used by the jobs app's training and offer search and by mentor matching.
    """
    result = latest_result_for_user(user)
    return result.suggested_codes if result else []


def suggested_codes_by_enrolment(enrolment_ids: Iterable[int]) -> dict[int, list[str]]:
    """The latest result's suggested codes for many enrolments, in one query."""
    codes: dict[int, list[str]] = {}
    rows = AssessmentResult.objects.latest_per_enrolment(enrolment_ids).values_list(
        "attempt__enrolment_id", "snapshot"
    )
    for enrolment_id, snapshot in rows:
        if enrolment_id not in codes:
            codes[enrolment_id] = [job["code"] for job in (snapshot or {}).get("jobs", [])]
    return codes


def draft_for(enrolment: Enrolment) -> AssessmentAttempt | None:
    return AssessmentAttempt.objects.in_progress().filter(enrolment=enrolment).first()


def share_states(result: AssessmentResult) -> dict[str, str]:
    """Per audience: not shared, to share (chosen, nobody to show it to yet), or shared."""
    enrolment = result.attempt.enrolment
    chosen = set(
        AssessmentShare.objects.filter(result=result, status=ShareStatus.SHARED).values_list(
            "audience", flat=True
        )
    )
    recipients = {
        ShareAudience.ADVISER: enrolment.adviser_id is not None,
        # Mentoring (step 3) says whether the person has a mentor now.
        ShareAudience.MENTOR: registry.capability("has_active_mentor")(enrolment.pk),
    }
    states = {}
    for audience in ShareAudience.values:
        if audience not in chosen:
            states[audience] = NOT_SHARED
        else:
            states[audience] = SHARED if recipients[audience] else TO_SHARE
    return states


def results_visible_to(user):
    """Results `user` may read: their own; staff all; an adviser or a mentor only those shared with them."""
    results = results_with_owner()
    if not user.is_authenticated:
        return results.none()
    if user.is_programme_staff:
        return results
    mentored = registry.capability("mentored_enrolment_ids")(user)  # from mentoring (step 3)
    shared_with = AssessmentShare.objects.filter(status=ShareStatus.SHARED)
    return results.filter(
        Q(attempt__enrolment__job_seeker=user)
        | Q(
            attempt__enrolment__adviser=user,
            pk__in=shared_with.filter(audience=ShareAudience.ADVISER).values("result_id"),
        )
        | Q(
            attempt__enrolment_id__in=mentored,
            pk__in=shared_with.filter(audience=ShareAudience.MENTOR).values("result_id"),
        )
    )


def shared_with_adviser(enrolment: Enrolment) -> list[AssessmentResult]:
    """The latest result of this enrolment the person chose to share with their adviser (0 or 1)."""
    return list(
        AssessmentResult.objects.filter(
            attempt__enrolment=enrolment,
            shares__audience=ShareAudience.ADVISER,
            shares__status=ShareStatus.SHARED,
        ).order_by("-created_at", "-pk")[:1]
    )


def shared_with_mentor(enrolment: Enrolment) -> AssessmentResult | None:
    """The enrolment's latest result if the person shared it with their mentor."""
    result = latest_result(enrolment)
    if result is None:
        return None
    if not AssessmentShare.objects.filter(
        result=result, audience=ShareAudience.MENTOR, status=ShareStatus.SHARED
    ).exists():
        return None
    return result


def shared_summary_for_mentor(enrolment: Enrolment):
    """The shared result's summary as HTML (for the mentorship page), or None when not shared."""
    from django.template.loader import render_to_string

    result = shared_with_mentor(enrolment)
    if result is None:
        return None
    return render_to_string("programs/assessment/includes/shared_summary.html", {"result": result})


# The keys a version's scoring rules must have for `scoring.score` to run.
SCORING_KEYS = (
    "areas", "digital_max_level", "strength_level", "soft_strength_percent", "top_interests", "weights",
    "jobs_min", "jobs_max", "jobs",
)  # fmt: skip


def questionnaire_problems(questionnaire: Questionnaire) -> list[str]:
    """Why `questionnaire` cannot be put in service ([] when it can), in French.

    Complete means: each of the four parts has questions, each question at least two answers, the
    scoring rules are all there with some job profiles, and one full set of answers is scored.
    Reads the questions prefetched by `questionnaires_for_staff`, else two queries.
    """
    rules = questionnaire.scoring if isinstance(questionnaire.scoring, dict) else {}
    questions = [
        QuestionRule(key=q.key, part=q.part, area=q.area, choices={c.value: c.score for c in q.choices.all()})
        for q in questionnaire.questions.all()
    ]
    problems = []
    if not questions:
        return [_("Cette version n'a aucune question.")]
    parts = {question.part for question in questions}
    for part in Part:
        if part.value not in parts:
            problems.append(_("La partie « %(part)s » n'a aucune question.") % {"part": part.label})
    thin = [question.key for question in questions if len(question.choices) < 2]
    if thin:
        problems.append(_("Ces questions ont moins de deux réponses : %(keys)s.") % {"keys": ", ".join(thin)})
    missing = [key for key in SCORING_KEYS if key not in rules]
    if missing:
        problems.append(_("Il manque des règles de calcul : %(keys)s.") % {"keys": ", ".join(missing)})
    elif not rules["jobs"]:
        problems.append(_("Les règles de calcul ne proposent aucun métier."))
    if problems:
        return problems
    answers = {question.key: next(iter(question.choices)) for question in questions}
    try:
        scoring.score(rules=rules, questions=questions, answers=answers)
    except (AttributeError, KeyError, TypeError, ValueError, ZeroDivisionError, IndexError) as error:
        problems.append(
            _("Le calcul du résultat échoue sur un jeu de réponses (%(error)s).")
            % {"error": repr(error)[:200]}
        )
    return problems


def questionnaires_for_staff():
    """Every version, newest first, with its questions and answers (for `questionnaire_problems`) and
    its attempts in progress and done."""
    questions = Question.objects.order_by("order").prefetch_related(
        Prefetch("choices", queryset=Choice.objects.order_by("order"))
    )
    return (
        Questionnaire.objects.prefetch_related(Prefetch("questions", queryset=questions))
        .annotate(
            in_progress_count=Count(
                "attempts", filter=Q(attempts__status=AttemptStatus.IN_PROGRESS), distinct=True
            ),
            completed_count=Count(
                "attempts", filter=Q(attempts__status=AttemptStatus.COMPLETED), distinct=True
            ),
        )
        .order_by("-version")
    )
