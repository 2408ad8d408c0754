import copy

import pytest
from django.core.management import call_command
from django.urls import reverse

from mentoring.models import Mentorship
from mentoring.selectors import mentee_job_interests, shared_assessment
from programs.assessment import services
from programs.assessment.models import (
    Answer,
    AssessmentAttempt,
    AssessmentResult,
    AttemptStatus,
    Question,
    Questionnaire,
)
from programs.assessment.selectors import suggested_rome_codes
from programs.models import Step, StepProgress
from tests.factories import AdviserFactory, UserFactory
from tests.mentoring.factories import MentorProfileFactory
from tests.programs.factories import EnrolmentFactory

from .answer_sets import SUPPORT_PROFILE, v1_data

pytestmark = pytest.mark.django_db


def _answer_all(attempt, answers=SUPPORT_PROFILE):
    for question in attempt.questionnaire.questions.all():
        services.answer_question(attempt=attempt, question_id=question.pk, choice_value=answers[question.key])


def _completed(enrolment):
    attempt = services.start_assessment(enrolment=enrolment)
    _answer_all(attempt)
    return services.complete_assessment(attempt=attempt)


def test_load_questionnaire_is_idempotent_and_refuses_changing_a_version(questionnaire):
    again, created = services.load_questionnaire(data=v1_data())
    changed = copy.deepcopy(v1_data())
    changed["questions"][0]["choices"][1]["score"] = 3

    assert (again, created, questionnaire.questions.count()) == (questionnaire, False, 26)
    with pytest.raises(services.AssessmentError, match="existe déjà avec un autre contenu"):
        services.load_questionnaire(data=changed)


def test_load_assessment_command_reports_counts(db, capsys):
    call_command("load_assessment")
    call_command("load_assessment")

    assert capsys.readouterr().out.splitlines() == [
        "Assessment v1: created, 26 questions (in service)",
        "Assessment v1 in English: 135 texts updated",
        "Assessment v1: unchanged, 26 questions (in service)",
        "Assessment v1 in English: 0 texts updated",
    ]


def test_complete_assessment_scores_once_and_completes_step_two(questionnaire):
    enrolment = EnrolmentFactory()
    result = _completed(enrolment)

    assert [job["code"] for job in result.snapshot["jobs"]] == ["M1874", "E1113", "M1851", "M1869", "E1101"]
    assert result.questionnaire_version == 1
    assert StepProgress.objects.done().filter(enrolment=enrolment, step=Step.ASSESSMENT).exists()
    with pytest.raises(services.AssessmentError, match="déjà terminé"):
        services.complete_assessment(attempt=result.attempt)
    assert AssessmentResult.objects.count() == 1


def test_a_new_version_never_changes_a_past_result(questionnaire):
    enrolment = EnrolmentFactory()
    result = _completed(enrolment)
    before = copy.deepcopy(result.snapshot)
    v2 = copy.deepcopy(v1_data())
    v2["version"] = 2
    v2["scoring"]["weights"]["interest"] = 0
    v2["questions"][0]["text"] = "Une autre question"

    services.load_questionnaire(data=v2)
    result.refresh_from_db()
    new_attempt = services.start_assessment(enrolment=enrolment)

    assert result.snapshot == before
    assert result.attempt.questionnaire.version == 1
    assert new_attempt.questionnaire.version == 2
    assert Questionnaire.objects.current().version == 2


def test_a_draft_keeps_its_version_when_a_new_one_is_published(questionnaire):
    enrolment = EnrolmentFactory()
    draft = services.start_assessment(enrolment=enrolment)
    v2 = copy.deepcopy(v1_data())
    v2["version"] = 2
    services.load_questionnaire(data=v2)

    assert services.start_assessment(enrolment=enrolment) == draft
    assert draft.questionnaire.version == 1


def test_incomplete_answers_are_refused_and_the_draft_kept(questionnaire):
    attempt = services.start_assessment(enrolment=EnrolmentFactory())
    first = attempt.questionnaire.questions.order_by("order").first()
    services.answer_question(attempt=attempt, question_id=first.pk, choice_value="compare")

    with pytest.raises(services.AssessmentError, match="Il reste 25 question"):
        services.complete_assessment(attempt=attempt)

    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.IN_PROGRESS
    assert attempt.answers.count() == 1


def test_pause_and_resume_at_the_first_unanswered_question(client, questionnaire):
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.job_seeker)
    start = client.post(reverse("programs:assessment_home", args=[enrolment.session.slug]))
    attempt = AssessmentAttempt.objects.get()
    url = reverse("programs:assessment_question", args=[attempt.public_id])
    questions = list(Question.objects.filter(questionnaire=questionnaire).order_by("order"))

    client.post(url, {"question": questions[0].pk, "answer": "compare"})
    paused = client.post(url, {"question": questions[1].pk, "answer": "dossier", "pause": ""})
    home = client.get(reverse("programs:assessment_home", args=[enrolment.session.slug]))
    resumed = client.get(url)

    assert start["Location"] == url
    assert paused["Location"] == reverse("programs:assessment_home", args=[enrolment.session.slug])
    assert "Vous avez déjà répondu à 2 questions sur 26." in home.content.decode()
    assert resumed.context["question"] == questions[2]
    assert resumed.context["number"] == 3
    assert "Question 3 sur 26" in resumed.content.decode()


@pytest.mark.parametrize("n", ["9" * 5000, "²", "0", "27", "-3"])
def test_a_question_number_out_of_range_shows_the_first_unanswered_question(client, questionnaire, n):
    """`?n=` of a few thousand digits or "²" once crashed the page."""
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.job_seeker)
    client.post(reverse("programs:assessment_home", args=[enrolment.session.slug]))
    attempt = AssessmentAttempt.objects.get()

    response = client.get(reverse("programs:assessment_question", args=[attempt.public_id]), {"n": n})

    assert (response.status_code, response.context["number"]) == (200, 1)


def test_a_question_of_another_version_is_refused_with_400_and_the_draft_kept(client, questionnaire):
    enrolment = EnrolmentFactory()
    attempt = services.start_assessment(enrolment=enrolment)
    v2 = copy.deepcopy(v1_data())
    v2["version"] = 2
    other, _created = services.load_questionnaire(data=v2)
    foreign = other.questions.order_by("order").first()
    client.force_login(enrolment.job_seeker)

    response = client.post(
        reverse("programs:assessment_question", args=[attempt.public_id]),
        {"question": foreign.pk, "answer": "compare"},
    )

    assert response.status_code == 400
    assert "Cette question ne fait pas partie de votre questionnaire" in response.content.decode()
    assert Answer.objects.count() == 0


def test_a_value_outside_the_scale_is_refused_with_400(client, questionnaire):
    enrolment = EnrolmentFactory()
    attempt = services.start_assessment(enrolment=enrolment)
    question = questionnaire.questions.order_by("order").first()
    client.force_login(enrolment.job_seeker)

    response = client.post(
        reverse("programs:assessment_question", args=[attempt.public_id]),
        {"question": question.pk, "answer": "9"},
    )

    assert response.status_code == 400
    assert "Choisissez une des réponses proposées." in response.content.decode()
    assert Answer.objects.count() == 0


def test_someone_else_s_draft_is_404(client, questionnaire):
    attempt = services.start_assessment(enrolment=EnrolmentFactory())
    client.force_login(EnrolmentFactory().job_seeker)

    response = client.get(reverse("programs:assessment_question", args=[attempt.public_id]))

    assert response.status_code == 404


def test_sharing_with_adviser_controls_who_sees_the_result(client, questionnaire):
    adviser = AdviserFactory()
    enrolment = EnrolmentFactory(adviser=adviser)
    result = _completed(enrolment)
    url = reverse("programs:assessment_result", args=[result.public_id])

    client.force_login(adviser)
    before = client.get(url)
    client.force_login(enrolment.job_seeker)
    page = client.get(url)
    client.post(
        reverse("programs:assessment_share", args=[result.public_id]), {"audience": "adviser", "shared": "on"}
    )
    shared_page = client.get(url)
    client.force_login(adviser)
    after = client.get(url)
    client.force_login(UserFactory())
    stranger = client.get(url)
    client.force_login(AdviserFactory())
    other_adviser = client.get(url)

    assert before.status_code == 404
    assert page.context["shares"] == {"adviser": "not_shared", "mentor": "not_shared"}
    assert shared_page.context["shares"] == {"adviser": "shared", "mentor": "not_shared"}
    assert after.status_code == 200
    assert after.context["is_owner"] is False
    assert (stranger.status_code, other_adviser.status_code) == (404, 404)


def test_sharing_with_a_mentor_is_to_share_until_a_mentor_exists(client, questionnaire):
    enrolment = EnrolmentFactory()
    result = _completed(enrolment)
    services.set_assessment_share(result=result, audience="mentor", shared=True, by=enrolment.job_seeker)
    client.force_login(enrolment.job_seeker)

    waiting = client.get(reverse("programs:assessment_result", args=[result.public_id])).context["shares"]
    mentor = MentorProfileFactory()
    Mentorship.objects.create(enrolment=enrolment, mentor=mentor)
    now_shared = client.get(reverse("programs:assessment_result", args=[result.public_id])).context["shares"]
    client.force_login(mentor.user)
    mentor_view = client.get(reverse("programs:assessment_result", args=[result.public_id]))

    assert waiting["mentor"] == "to_share"
    assert now_shared["mentor"] == "shared"
    assert mentor_view.status_code == 200
    assert "Technicien·ne support" in str(shared_assessment(enrolment))

    services.set_assessment_share(result=result, audience="mentor", shared=False, by=enrolment.job_seeker)
    assert client.get(reverse("programs:assessment_result", args=[result.public_id])).status_code == 404
    assert shared_assessment(enrolment) is None


def test_only_the_owner_may_share(questionnaire):
    enrolment = EnrolmentFactory()
    result = _completed(enrolment)
    with pytest.raises(services.AssessmentError, match="Seule la personne"):
        services.set_assessment_share(result=result, audience="adviser", shared=True, by=UserFactory())


def test_suggested_codes_feed_the_jobs_search_and_mentor_matching(questionnaire):
    enrolment = EnrolmentFactory()
    assert suggested_rome_codes(enrolment.job_seeker) == []
    _completed(enrolment)

    assert suggested_rome_codes(enrolment.job_seeker) == ["M1874", "E1113", "M1851", "M1869", "E1101"]
    assert mentee_job_interests(enrolment) == ["E1101", "E1113", "M1851", "M1869", "M1874"]


@pytest.mark.parametrize("rows", [1, 3])
def test_result_page_query_count_is_constant(client, django_assert_num_queries, questionnaire, rows):
    enrolment = EnrolmentFactory()
    result = _completed(enrolment)
    result.snapshot["jobs"] = result.snapshot["jobs"][:rows]
    result.save()
    client.force_login(enrolment.job_seeker)

    with django_assert_num_queries(8):
        response = client.get(reverse("programs:assessment_result", args=[result.public_id]))

    assert len(response.context["snapshot"]["jobs"]) == rows
    content = response.content.decode()
    assert 'id="digital-levels"' in content
    assert 'id="digital-chart"' in content


def test_print_view_has_the_levels_table_and_no_chart(client, questionnaire):
    enrolment = EnrolmentFactory()
    result = _completed(enrolment)
    client.force_login(enrolment.job_seeker)

    response = client.get(reverse("programs:assessment_print", args=[result.public_id]))

    content = response.content.decode()
    assert "Résoudre des problèmes</th><td>6 sur 8" in content
    assert 'id="digital-chart"' not in content
    assert "Technicien·ne support (assistance aux utilisateurs)" in content
