"""Skills-assessment pages: start or resume, one question per screen, finish, result, print, share.

A draft belongs to its person (another id answers 404); a tampered answer or a question of another
version answers 400 with a clear message and leaves the draft as it was.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.accounts.models import Role
from declics.accounts.permissions import role_required, staff_required
from declics.forms import parse_bounded_int
from programs.decorators import step_page
from programs.models import Step

from . import selectors, services
from .forms import ActivateQuestionnaireForm, AnswerForm, ShareForm
from .models import AssessmentAttempt, AttemptStatus, Part, Questionnaire

BAD_REQUEST = 400


def _my_attempt(request, public_id) -> AssessmentAttempt:
    return get_object_or_404(
        AssessmentAttempt.objects.select_related("questionnaire", "enrolment__session"),
        public_id=public_id,
        enrolment__job_seeker=request.user,
    )


@step_page(Step.ASSESSMENT)
def assessment_home(request, enrolment):
    if request.method == "POST":
        attempt = services.start_assessment(enrolment=enrolment)  # refused: DomainErrorMiddleware
        return redirect("programs:assessment_question", public_id=attempt.public_id)
    draft = selectors.draft_for(enrolment)
    return render(
        request,
        "programs/assessment/home.html",
        {
            "session": enrolment.session,
            "draft": draft,
            "answered": draft.answers.count() if draft else 0,
            "total": draft.questionnaire.questions.count() if draft else None,
            "result": selectors.latest_result(enrolment),
        },
    )


def _question_page(request, attempt, questions, answers, index, *, form=None, error=None, status=200):
    question = questions[index]
    initial = {"answer": answers.get(question.pk)}
    return render(
        request,
        "programs/assessment/question.html",
        {
            "attempt": attempt,
            "session": attempt.enrolment.session,
            "question": question,
            "part_label": Part(question.part).label,
            "number": index + 1,
            "total": len(questions),
            "answered": len(answers),
            "form": form or AnswerForm(question=question, initial=initial),
            "error": error,
        },
        status=status,
    )


@role_required(Role.JOB_SEEKER)
def assessment_question(request, public_id):
    attempt = _my_attempt(request, public_id)
    if attempt.status == AttemptStatus.COMPLETED:
        return redirect("programs:assessment_result", public_id=attempt.result.public_id)
    questions = list(selectors.questions_of(attempt.questionnaire))
    answers = dict(attempt.answers.values_list("question_id", "choice__value"))
    if request.method == "POST":
        by_id = {str(q.pk): n for n, q in enumerate(questions)}
        index = by_id.get(request.POST.get("question", ""))
        if index is None:
            return _question_page(
                request,
                attempt,
                questions,
                answers,
                _first_unanswered(questions, answers),
                error=_(
                    "Cette question ne fait pas partie de votre questionnaire : votre réponse n'est pas "
                    "enregistrée. Vos autres réponses sont gardées."
                ),
                status=BAD_REQUEST,
            )
        question = questions[index]
        form = AnswerForm(request.POST, question=question)
        pausing = "pause" in request.POST
        if pausing and not request.POST.get("answer"):
            # Leaving on a question not answered yet: keep the answers given so far, nothing to add.
            return _paused(request, attempt)
        if not form.is_valid():
            return _question_page(request, attempt, questions, answers, index, form=form, status=BAD_REQUEST)
        try:
            services.answer_question(
                attempt=attempt, question_id=question.pk, choice_value=form.cleaned_data["answer"]
            )
        except services.AssessmentError as error:
            return _question_page(
                request, attempt, questions, answers, index, error=error.message, status=error.status
            )
        if pausing:
            return _paused(request, attempt)
        answers[question.pk] = form.cleaned_data["answer"]
        if index + 1 < len(questions) and questions[index + 1].pk not in answers:
            return redirect(f"{request.path}?n={index + 2}")
        following = _first_unanswered(questions, answers)
        if following is None:
            return redirect("programs:assessment_finish", public_id=attempt.public_id)
        return redirect(f"{request.path}?n={following + 1}")
    requested = parse_bounded_int(request.GET.get("n"), min_value=1, max_value=len(questions))
    if requested is not None:
        index = requested - 1
    else:
        index = _first_unanswered(questions, answers)
        if index is None:
            return redirect("programs:assessment_finish", public_id=attempt.public_id)
    return _question_page(request, attempt, questions, answers, index)


def _paused(request, attempt):
    messages.success(request, _("Vos réponses sont enregistrées. Vous pourrez reprendre plus tard, ici."))
    return redirect("programs:assessment_home", slug=attempt.enrolment.session.slug)


def _first_unanswered(questions, answers) -> int | None:
    return next((n for n, question in enumerate(questions) if question.pk not in answers), None)


@role_required(Role.JOB_SEEKER)
def assessment_finish(request, public_id):
    attempt = _my_attempt(request, public_id)
    if attempt.status == AttemptStatus.COMPLETED:
        return redirect("programs:assessment_result", public_id=attempt.result.public_id)
    error, status = None, 200
    if request.method == "POST":
        try:
            result = services.complete_assessment(attempt=attempt)
        except services.AssessmentError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, _("Bravo, votre bilan est terminé ! Voici votre résultat."))
            return redirect("programs:assessment_result", public_id=result.public_id)
    total = attempt.questionnaire.questions.count()
    answered = attempt.answers.count()
    return render(
        request,
        "programs/assessment/finish.html",
        {
            "attempt": attempt,
            "session": attempt.enrolment.session,
            "total": total,
            "answered": answered,
            "error": error,
        },
        status=status,
    )


def _result(request, public_id):
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(selectors.results_visible_to(request.user), public_id=public_id)


def _result_context(request, result) -> dict:
    enrolment = result.attempt.enrolment
    is_owner = enrolment.job_seeker_id == request.user.pk
    return {
        "result": result,
        "snapshot": result.snapshot,
        "person": enrolment.job_seeker,
        "session": enrolment.session,
        "is_owner": is_owner,
        "shares": selectors.share_states(result) if is_owner else None,
        "chart": {
            "labels": [row["label"] for row in result.snapshot["digital"]],
            "levels": [row["level"] for row in result.snapshot["digital"]],
            "max": result.snapshot["digital"][0]["max"] if result.snapshot["digital"] else 8,
        },
    }


@role_required(Role.JOB_SEEKER, Role.ADVISER, Role.MENTOR)
def assessment_result(request, public_id):
    result = _result(request, public_id)
    return render(request, "programs/assessment/result.html", _result_context(request, result))


@role_required(Role.JOB_SEEKER, Role.ADVISER, Role.MENTOR)
def assessment_print(request, public_id):
    result = _result(request, public_id)
    return render(request, "programs/assessment/print.html", _result_context(request, result))


@role_required(Role.JOB_SEEKER)
@require_POST
def assessment_share(request, public_id):
    result = _result(request, public_id)
    form = ShareForm(request.POST)
    if not form.is_valid() or result.attempt.enrolment.job_seeker_id != request.user.pk:
        raise Http404
    # A refusal (nobody to share with…) is answered by DomainErrorMiddleware.
    services.set_assessment_share(
        result=result,
        audience=form.cleaned_data["audience"],
        shared=form.cleaned_data["shared"],
        by=request.user,
    )
    if form.cleaned_data["shared"]:
        messages.success(request, _("C'est fait : votre bilan est partagé."))
    else:
        messages.info(request, _("Votre bilan n'est plus partagé."))
    return redirect(f"{result.get_absolute_url()}#partage")


# --- Staff: the version in service ------------------------------------------------------------------


@staff_required
def staff_questionnaires(request):
    """The questionnaire's versions, what each lacks, and the button that puts one in service (POST)."""
    if request.method == "POST":
        form = ActivateQuestionnaireForm(request.POST)
        if not form.is_valid():
            raise services.AssessmentError(_("Choisissez une version du questionnaire."), status=BAD_REQUEST)
        questionnaire = get_object_or_404(Questionnaire, pk=form.cleaned_data["questionnaire"])
        services.activate_questionnaire(questionnaire=questionnaire, by=request.user)  # refusal: middleware
        messages.success(
            request,
            _("La version %(version)s est en service pour les bilans qui commencent à partir de maintenant.")
            % {"version": questionnaire.version},
        )
        return redirect("programs:assessment_versions")
    versions = [
        (questionnaire, selectors.questionnaire_problems(questionnaire))
        for questionnaire in selectors.questionnaires_for_staff()
    ]
    return render(request, "programs/assessment/staff/versions.html", {"versions": versions})
