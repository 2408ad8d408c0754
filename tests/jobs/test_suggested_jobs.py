"""The trainings and offers searches put the jobs suggested by the person's skills assessment first,
and "the jobs suggested by my assessment" filters by them. The result is made as the application
makes it: the v1 questionnaire loaded, answered and scored by the programs services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs import selectors
from programs.assessment import services
from tests.programs.assessment.answer_sets import SUPPORT_PROFILE, v1_data

from .factories import EnrolmentFactory, JobOfferFactory, RomeJobFactory, TrainingFactory

pytestmark = pytest.mark.django_db

# What the v1 questionnaire suggests for SUPPORT_PROFILE, best first.
SUGGESTED = ["M1874", "E1113", "M1851", "M1869", "E1101"]


def _complete_assessment(enrolment):
    services.load_questionnaire(data=v1_data())
    attempt = services.start_assessment(enrolment=enrolment)
    for question in attempt.questionnaire.questions.all():
        services.answer_question(
            attempt=attempt, question_id=question.pk, choice_value=SUPPORT_PROFILE[question.key]
        )
    return services.complete_assessment(attempt=attempt)


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


@pytest.fixture
def seeker_client(client, enrolment):
    client.force_login(enrolment.job_seeker)
    return client


@pytest.fixture
def jobs():
    """The web developer's job (not suggested) and the support technician's (suggested first)."""
    return RomeJobFactory(code="M1805"), RomeJobFactory(code="M1874", label="Support informatique")


def test_suggested_rome_codes_are_the_latest_assessment_results(enrolment):
    assert selectors.suggested_rome_codes(enrolment.job_seeker) == []

    _complete_assessment(enrolment)

    assert selectors.suggested_rome_codes(enrolment.job_seeker) == SUGGESTED


def test_training_search_lists_the_assessments_suggested_jobs_first_and_filters_by_them(
    seeker_client, enrolment, jobs
):
    web, support = jobs
    # Alphabetical order alone would list the web training first.
    TrainingFactory(title="A. Développeur·se web", rome_jobs=[web])
    TrainingFactory(title="B. Technicien·ne support", rome_jobs=[support])

    def titles(**params):
        response = seeker_client.get(reverse("jobs:trainings", args=[enrolment.session.slug]), params)
        return [training.title for training in response.context["trainings"]]

    assert titles() == ["A. Développeur·se web", "B. Technicien·ne support"]
    _complete_assessment(enrolment)

    assert titles() == ["B. Technicien·ne support", "A. Développeur·se web"]
    assert titles(job="suggested") == ["B. Technicien·ne support"]
    response = seeker_client.get(reverse("jobs:trainings", args=[enrolment.session.slug]))
    assert ("suggested", "Les métiers suggérés par mon bilan") in response.context["form"].fields[
        "job"
    ].choices


def test_offer_search_lists_the_assessments_suggested_jobs_first_and_filters_by_them(
    seeker_client, enrolment, jobs
):
    web, support = jobs
    older = JobOfferFactory(title="Technicien·ne support", rome_job=support)
    older.created_at = timezone.now() - timedelta(days=3)
    older.save(update_fields=["created_at"])
    JobOfferFactory(title="Développeur·se web", rome_job=web)  # newer: first without suggestions

    def titles(**params):
        response = seeker_client.get(reverse("jobs:offers", args=[enrolment.session.slug]), params)
        return [offer.title for offer in response.context["offers"]]

    assert titles() == ["Développeur·se web", "Technicien·ne support"]
    _complete_assessment(enrolment)

    assert titles() == ["Technicien·ne support", "Développeur·se web"]
    assert titles(job="suggested") == ["Technicien·ne support"]


@pytest.mark.parametrize("rows", [1, 3])
def test_searches_with_suggested_jobs_keep_a_constant_query_count(
    seeker_client, django_assert_num_queries, enrolment, jobs, rows
):
    web, support = jobs
    for n in range(rows):
        TrainingFactory(title=f"Formation {n}", rome_jobs=[web if n % 2 else support])
        JobOfferFactory(title=f"Offre {n}", rome_job=web if n % 2 else support)
    _complete_assessment(enrolment)

    # The same budget as without an assessment (see test_views.py): 13 with the session's save…
    with django_assert_num_queries(13):
        trainings = seeker_client.get(
            reverse("jobs:trainings", args=[enrolment.session.slug]), {"job": "suggested"}
        )
    # …which the next request does not repeat (12 - 3).
    with django_assert_num_queries(9):
        offers = seeker_client.get(reverse("jobs:offers", args=[enrolment.session.slug]))

    assert len(trainings.context["trainings"]) == (rows + 1) // 2
    assert len(offers.context["offers"]) == rows
