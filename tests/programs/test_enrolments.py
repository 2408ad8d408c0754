"""The one rule (programs/enrolments.py, programs/decorators.py): the enrolment of a page, the
person's current session, and what a step's page does without an enrolment."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from programs.enrolments import NotEnrolled, current_session_enrolment, enrolment_of, find_enrolment
from programs.models import EnrolmentStatus
from tests.factories import MentorFactory, StaffFactory, UserFactory

from .factories import EnrolmentFactory, OpenSessionFactory, SessionFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def ended_session(days_ago: int, **fields):
    """A session that ended `days_ago` days ago (after running for 20 days)."""
    ends = NOW - timedelta(days=days_ago)
    return SessionFactory(
        registration_opens_at=ends - timedelta(days=40),
        registration_closes_at=ends - timedelta(days=25),
        starts_at=ends - timedelta(days=20),
        ends_at=ends,
        survey_at=ends,
        **fields,
    )


def upcoming_session(days_ahead: int):
    return SessionFactory(starts_at=NOW + timedelta(days=days_ahead))


# --- the enrolment of a page ----------------------------------------------------------------------------


def test_find_enrolment_takes_the_users_own_in_that_session_and_in_the_wanted_statuses():
    enrolment = EnrolmentFactory()
    session = enrolment.session
    waiting = EnrolmentFactory(session=session, status=EnrolmentStatus.WAITING)
    EnrolmentFactory(job_seeker=enrolment.job_seeker)  # another session of the same person

    assert find_enrolment(enrolment.job_seeker, session=session) == enrolment
    assert find_enrolment(enrolment.job_seeker, session_slug=session.slug) == enrolment
    assert find_enrolment(waiting.job_seeker, session=session) is None
    assert find_enrolment(waiting.job_seeker, session=session, statuses=(EnrolmentStatus.WAITING,)) == waiting
    assert find_enrolment(UserFactory(), session=session) is None


def test_enrolment_of_raises_a_404_without_an_enrolment(django_assert_num_queries):
    enrolment = EnrolmentFactory()

    with django_assert_num_queries(1):  # the session and the commune come with it
        found = enrolment_of(enrolment.job_seeker, enrolment.session.slug)
        assert (found.session.slug, found.commune.departement.code) == (enrolment.session.slug, "34")
    with pytest.raises(NotEnrolled):
        enrolment_of(UserFactory(), enrolment.session.slug)
    assert issubclass(NotEnrolled, Http404)


# --- the current session: running, else upcoming, else the latest ended ---------------------------------


def test_the_current_session_is_the_running_one_before_an_upcoming_or_an_ended_one():
    person = UserFactory()
    EnrolmentFactory(job_seeker=person, session=ended_session(10))
    EnrolmentFactory(job_seeker=person, session=upcoming_session(5))
    running = EnrolmentFactory(job_seeker=person, session=OpenSessionFactory())

    assert current_session_enrolment(person) == running


def test_without_a_running_session_the_upcoming_one_starting_soonest():
    person = UserFactory()
    EnrolmentFactory(job_seeker=person, session=ended_session(10))
    EnrolmentFactory(job_seeker=person, session=upcoming_session(30))
    soonest = EnrolmentFactory(job_seeker=person, session=upcoming_session(5))

    assert current_session_enrolment(person) == soonest


def test_without_a_running_or_upcoming_session_the_one_that_ended_last():
    person = UserFactory()
    latest = EnrolmentFactory(job_seeker=person, session=ended_session(10))
    EnrolmentFactory(job_seeker=person, session=ended_session(200))

    assert current_session_enrolment(person) == latest


def test_the_rule_reads_the_dates_not_the_status_the_calendar_task_has_not_written_yet():
    person = UserFactory()
    # Started an hour ago; the periodic task has not moved it to "running" yet.
    started = EnrolmentFactory(job_seeker=person, session=SessionFactory(starts_at=NOW - timedelta(hours=1)))
    EnrolmentFactory(job_seeker=person, session=upcoming_session(2))

    assert current_session_enrolment(person) == started


def test_the_rule_skips_withdrawn_enrolments_and_prefers_a_place_to_the_waiting_list():
    person = UserFactory()
    EnrolmentFactory(job_seeker=person, session=OpenSessionFactory(), status=EnrolmentStatus.WITHDRAWN)
    waiting = EnrolmentFactory(job_seeker=person, session=upcoming_session(5), status=EnrolmentStatus.WAITING)
    assert current_session_enrolment(person) == waiting

    placed = EnrolmentFactory(job_seeker=person, session=upcoming_session(20))
    assert current_session_enrolment(person) == placed
    assert current_session_enrolment(UserFactory()) is None


def test_mon_parcours_opens_the_current_session_or_the_list(client):
    person = UserFactory()
    EnrolmentFactory(job_seeker=person, session=ended_session(10))
    soonest = EnrolmentFactory(job_seeker=person, session=upcoming_session(5))
    client.force_login(person)

    assert client.get(reverse("programs:my_pathway")).url == reverse(
        "programs:pathway", args=[soonest.session.slug]
    )
    client.force_login(UserFactory())
    assert client.get(reverse("programs:my_pathway")).url == reverse("programs:list")


# --- a step's page without an enrolment --------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["programs:assessment_home", "mentoring:mentee_home", "jobs:trainings", "jobs:my_applications"]
)
def test_a_step_page_sends_visitors_to_login_refuses_other_roles_and_is_404_to_others(client, name):
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    url = reverse(name, args=[enrolment.session.slug])

    assert client.get(url).url == f"{reverse('account_login')}?next={url}"
    client.force_login(MentorFactory())
    assert client.get(url).status_code == 403
    client.force_login(UserFactory())  # a job seeker of another session
    assert client.get(url).status_code == 404
    waiting = EnrolmentFactory(session=enrolment.session, status=EnrolmentStatus.WAITING)
    client.force_login(waiting.job_seeker)
    assert client.get(url).status_code == 404
    client.force_login(enrolment.job_seeker)
    assert client.get(url).status_code == 200


def test_the_workshop_list_says_why_and_sends_staff_to_their_own_page(client):
    session = OpenSessionFactory()
    url = reverse("programs:workshop_list", args=[session.slug])
    client.force_login(UserFactory())

    response = client.get(url, follow=True)

    assert response.redirect_chain == [(reverse("programs:landing", args=[session.slug]), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Les ateliers sont réservés aux participant·es inscrit·es à la session."
    ]
    assert client.get(reverse("programs:workshop_list", args=["pas-une-session"])).status_code == 404
    client.force_login(StaffFactory())
    assert client.get(url).url == reverse("programs:workshop_staff_list", args=[session.slug])
