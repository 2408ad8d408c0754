"""The pathway page links each open (or done) step to the page where it is done; locked steps have
no link; the next action points where the first open step's main link does."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from programs import services
from programs.assessment import services as assessment_services
from programs.models import EnrolmentStatus, SessionStatus, Step
from tests.mentoring.factories import MentorshipFactory

from .assessment.answer_sets import SUPPORT_PROFILE, v1_data
from .factories import EnrolmentFactory, OpenSessionFactory, SessionFactory

pytestmark = pytest.mark.django_db


def _links(response):
    return {
        step.number: [(link.label, link.url) for link in step.links] for step in response.context["steps"]
    }


def _complete_assessment(enrolment):
    assessment_services.load_questionnaire(data=v1_data())
    attempt = assessment_services.start_assessment(enrolment=enrolment)
    for question in attempt.questionnaire.questions.all():
        assessment_services.answer_question(
            attempt=attempt, question_id=question.pk, choice_value=SUPPORT_PROFILE[question.key]
        )
    return assessment_services.complete_assessment(attempt=attempt)


def test_every_open_step_links_to_its_pages_and_the_next_action_to_the_first(client):
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    slug = enrolment.session.slug
    client.force_login(enrolment.job_seeker)

    response = client.get(reverse("programs:pathway", args=[slug]))

    assert _links(response) == {
        1: [
            ("Voir les témoignages", reverse("programs:talk_list", args=[slug])),
            ("Découvrir les métiers du numérique", reverse("programs:jobs_list", args=[slug])),
        ],
        2: [("Faire mon bilan", reverse("programs:assessment_home", args=[slug]))],
        3: [("Trouver mon mentor·e", reverse("mentoring:mentee_home", args=[slug]))],
        4: [("Réserver un atelier", reverse("programs:workshop_list", args=[slug]))],
        5: [
            ("Chercher une formation", reverse("jobs:trainings", args=[slug])),
            ("Rencontrer les organismes de formation", reverse("jobs:meetings", args=[slug])),
        ],
        6: [
            ("Voir les offres", reverse("jobs:offers", args=[slug])),
            ("Mes candidatures", reverse("jobs:my_applications", args=[slug])),
        ],
    }
    assert response.context["next_action"] == (
        "Étape 1 : Regardez le témoignage d'une personne qui travaille dans le numérique."
    )
    content = unescape(response.content.decode())
    assert (
        f'<a class="btn btn-primary mt-3" id="next-action-link" '
        f'href="{reverse("programs:talk_list", args=[slug])}">Voir les témoignages</a>'
    ) in content


def test_done_assessment_links_to_its_result_and_a_started_mentorship_to_its_page(client):
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    services.complete_step(enrolment=enrolment, step=Step.ROLE_MODELS)
    result = _complete_assessment(enrolment)
    mentorship = MentorshipFactory(enrolment=enrolment)
    client.force_login(enrolment.job_seeker)

    response = client.get(reverse("programs:pathway", args=[enrolment.session.slug]))

    links = _links(response)
    assert [step.state for step in response.context["steps"]] == [
        "done",
        "done",
        "open",
        "open",
        "open",
        "open",
    ]
    assert links[2] == [("Voir mon résultat", reverse("programs:assessment_result", args=[result.public_id]))]
    assert links[3] == [("Mon mentorat", reverse("mentoring:mentorship", args=[mentorship.public_id]))]
    assert response.context["next_action"] == "Étape 3 : Demandez un·e mentor·e qui vous accompagnera."
    assert response.context["next_action_link"].url == reverse(
        "mentoring:mentorship", args=[mentorship.public_id]
    )


def test_locked_steps_show_no_link(client):
    start = timezone.now() - timedelta(days=1)
    session = SessionFactory(
        starts_at=start,
        registration_opens_at=start - timedelta(days=5),
        status=SessionStatus.RUNNING,
        steps=[start + timedelta(days=d) for d in (0, 5, 6, 7, 8, 9)],
    )
    enrolment = EnrolmentFactory(session=session)
    client.force_login(enrolment.job_seeker)

    response = client.get(reverse("programs:pathway", args=[session.slug]))

    assert [step.state for step in response.context["steps"]] == ["open"] + ["locked"] * 5
    assert [len(links) for links in _links(response).values()] == [2, 0, 0, 0, 0, 0]
    content = response.content.decode()
    assert 'id="step-1-links"' in content
    assert [n for n in range(2, 7) if f'id="step-{n}-links"' in content] == []
    assert reverse("programs:assessment_home", args=[session.slug]) not in content
    assert reverse("programs:workshop_list", args=[session.slug]) not in content


def test_nothing_is_linked_before_the_first_step_opens_or_on_the_waiting_list(client):
    session = SessionFactory(capacity=1)  # starts in 10 days: every step is still locked
    EnrolmentFactory(session=session)
    for status in (EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING):
        enrolment = EnrolmentFactory(session=session, status=status)
        client.force_login(enrolment.job_seeker)

        response = client.get(reverse("programs:pathway", args=[session.slug]))

        assert all(links == [] for links in _links(response).values())
        assert response.context["next_action_link"] is None
        assert 'id="next-action-link"' not in response.content.decode()
