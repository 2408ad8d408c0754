"""Saving and leaving the assessment works on any question, answered or not; the person resumes there."""

import pytest
from django.urls import reverse

from programs.assessment.models import AssessmentAttempt, Question
from tests.programs.factories import EnrolmentFactory

pytestmark = pytest.mark.django_db


def test_pausing_on_an_unanswered_question_saves_and_leaves_then_resumes_there(client, questionnaire):
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.job_seeker)
    home_url = reverse("programs:assessment_home", args=[enrolment.session.slug])
    client.post(home_url)
    attempt = AssessmentAttempt.objects.get()
    url = reverse("programs:assessment_question", args=[attempt.public_id])
    questions = list(Question.objects.filter(questionnaire=questionnaire).order_by("order"))
    client.post(url, {"question": questions[0].pk, "answer": "compare"})

    paused = client.post(url, {"question": questions[1].pk, "pause": ""})  # no answer chosen
    home = client.get(home_url)
    resumed = client.get(url)

    assert paused.status_code == 302
    assert paused["Location"] == home_url
    assert attempt.answers.count() == 1
    assert "Vous avez déjà répondu à 1 question sur 26." in home.content.decode()
    assert resumed.context["question"] == questions[1]


def test_pausing_before_the_first_answer_says_no_question_is_answered_yet(client, questionnaire):
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.job_seeker)
    home_url = reverse("programs:assessment_home", args=[enrolment.session.slug])
    client.post(home_url)
    attempt = AssessmentAttempt.objects.get()
    first = Question.objects.filter(questionnaire=questionnaire).order_by("order").first()

    paused = client.post(
        reverse("programs:assessment_question", args=[attempt.public_id]), {"question": first.pk, "pause": ""}
    )
    home = client.get(home_url).content.decode()

    assert paused["Location"] == home_url
    assert "Vous n'avez encore répondu à aucune question. Il y en a 26." in home.replace("&#x27;", "'")


def test_next_without_an_answer_is_still_refused_with_the_question_kept(client, questionnaire):
    enrolment = EnrolmentFactory()
    client.force_login(enrolment.job_seeker)
    client.post(reverse("programs:assessment_home", args=[enrolment.session.slug]))
    attempt = AssessmentAttempt.objects.get()
    first = Question.objects.filter(questionnaire=questionnaire).order_by("order").first()

    response = client.post(
        reverse("programs:assessment_question", args=[attempt.public_id]), {"question": first.pk, "next": ""}
    )

    assert response.status_code == 400
    assert "Choisissez une réponse." in response.content.decode()
