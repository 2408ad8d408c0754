"""The job-seeker pages that moved under `/sessions/<slug>/…` (issue 12) answer at their old address
with a permanent redirect to the same page: in the session the old URL named (mentoring), in the
session of the booking or application it named, or else in the person's current session."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MentorFactory, UserFactory
from tests.jobs.factories import (
    ApplicationFactory,
    EnrolmentFactory,
    JobOfferFactory,
    MeetingSlotFactory,
    TrainingFactory,
    meeting_booking,
)
from tests.jobs.factories import SessionFactory as JobsSessionFactory
from tests.mentoring.factories import MentorProfileFactory

from .factories import SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def enrolment():
    """A person in a running session (`declics-herault-jobs-…`), every step open."""
    return EnrolmentFactory()


@pytest.fixture
def seeker(client, enrolment):
    client.force_login(enrolment.job_seeker)
    return client


def _booking(enrolment):
    slot = MeetingSlotFactory(session=enrolment.session)
    return meeting_booking(slot, enrolment)


def _application(enrolment):
    return ApplicationFactory(job_seeker=enrolment.job_seeker, enrolment=enrolment)


# (method, old address, new URL name, its arguments after the slug), built from the person's things.
OLD_ADDRESSES = {
    "trainings": lambda e: ("get", "/emplois/formations/", "jobs:trainings", []),
    "training_detail": lambda e: (
        "get",
        f"/emplois/formations/{(pk := TrainingFactory().pk)}/",
        "jobs:training_detail",
        [pk],
    ),
    "meetings": lambda e: ("get", "/emplois/rencontres/", "jobs:meetings", []),
    "book_meeting": lambda e: (
        "post",
        f"/emplois/rencontres/{(pk := MeetingSlotFactory(session=e.session).pk)}/reserver/",
        "jobs:book_meeting",
        [pk],
    ),
    "cancel_meeting": lambda e: (
        "post",
        f"/emplois/rencontres/reservations/{(booking := _booking(e).public_id)}/annuler/",
        "jobs:cancel_meeting",
        [booking],
    ),
    "meeting_ics": lambda e: (
        "get",
        f"/emplois/rencontres/reservations/{(booking := _booking(e).public_id)}/invitation.ics",
        "jobs:meeting_ics",
        [booking],
    ),
    "offers": lambda e: ("get", "/emplois/offres/", "jobs:offers", []),
    "offer_detail": lambda e: (
        "get",
        f"/emplois/offres/{(pk := JobOfferFactory().pk)}/",
        "jobs:offer_detail",
        [pk],
    ),
    "apply": lambda e: (
        "post",
        f"/emplois/offres/{(pk := JobOfferFactory().pk)}/postuler/",
        "jobs:apply",
        [pk],
    ),
    "my_applications": lambda e: ("get", "/emplois/candidatures/", "jobs:my_applications", []),
    "withdraw": lambda e: (
        "post",
        f"/emplois/candidatures/{(application := _application(e).public_id)}/retirer/",
        "jobs:withdraw",
        [application],
    ),
    "mentee_home": lambda e: ("get", f"/mentorat/session/{e.session.slug}/", "mentoring:mentee_home", []),
    "mentee_preferences": lambda e: (
        "get",
        f"/mentorat/session/{e.session.slug}/souhaits/",
        "mentoring:mentee_preferences",
        [],
    ),
    "ask_mentor": lambda e: (
        "get",
        f"/mentorat/session/{e.session.slug}/demander/{(mentor := MentorProfileFactory().public_id)}/",
        "mentoring:ask_mentor",
        [mentor],
    ),
}


@pytest.mark.parametrize("page", list(OLD_ADDRESSES))
def test_an_old_address_redirects_for_good_to_the_same_page_in_the_persons_session(seeker, enrolment, page):
    method, old, name, args = OLD_ADDRESSES[page](enrolment)

    response = getattr(seeker, method)(old)

    # 301 for a page; 308 for a form posted to the old address, which keeps the method and the data.
    assert (response.status_code, response.url) == (
        301 if method == "get" else 308,
        reverse(name, args=[enrolment.session.slug, *args]),
    )
    assert "no-store" in response["Cache-Control"]  # the target depends on who asks: never cached


def test_the_redirect_keeps_the_search(seeker, enrolment):
    response = seeker.get("/emplois/offres/", {"contract": "cdi", "page": "2"})

    assert response.url == reverse("jobs:offers", args=[enrolment.session.slug]) + "?contract=cdi&page=2"


def test_an_old_list_address_opens_the_current_session_not_the_latest(client):
    running = EnrolmentFactory()
    EnrolmentFactory(job_seeker=running.job_seeker, session=SessionFactory())  # upcoming: starts later
    client.force_login(running.job_seeker)

    assert client.get("/emplois/formations/").url == reverse("jobs:trainings", args=[running.session.slug])


def test_an_old_booking_or_application_address_leads_to_its_own_session(client):
    now = timezone.now()
    ended = JobsSessionFactory(
        registration_opens_at=now - timedelta(days=90),
        registration_closes_at=now - timedelta(days=70),
        starts_at=now - timedelta(days=60),
        ends_at=now - timedelta(days=30),
        survey_at=now - timedelta(days=30),
    )
    older = EnrolmentFactory(session=ended)
    current = EnrolmentFactory(job_seeker=older.job_seeker)  # running: the person's current session
    booking, application = _booking(older), _application(older)
    client.force_login(older.job_seeker)

    assert client.get(f"/emplois/rencontres/reservations/{booking.public_id}/invitation.ics").url == reverse(
        "jobs:meeting_ics", args=[ended.slug, booking.public_id]
    )
    assert client.post(f"/emplois/candidatures/{application.public_id}/retirer/").url == reverse(
        "jobs:withdraw", args=[ended.slug, application.public_id]
    )
    assert client.get("/emplois/candidatures/").url == reverse(
        "jobs:my_applications", args=[current.session.slug]
    )


def test_another_persons_booking_or_application_at_an_old_address_is_404(seeker):
    other = EnrolmentFactory()

    assert (
        seeker.get(f"/emplois/rencontres/reservations/{_booking(other).public_id}/invitation.ics").status_code
        == 404
    )
    assert seeker.post(f"/emplois/candidatures/{_application(other).public_id}/retirer/").status_code == 404


def test_an_old_address_sends_visitors_to_login_other_roles_away_and_people_without_a_session_to_mon_parcours(
    client,
):
    response = client.get("/emplois/offres/")
    assert (response.status_code, response.url) == (302, f"{reverse('account_login')}?next=/emplois/offres/")

    client.force_login(UserFactory())
    response = client.get("/emplois/offres/")
    assert (response.status_code, response.url) == (302, reverse("programs:my_pathway"))
    # …which sends them on to the list of sessions.
    assert client.get(response.url).url == reverse("programs:list")

    client.force_login(MentorFactory())
    assert client.get("/emplois/candidatures/").status_code == 403


def test_the_partner_pages_and_the_cv_stay_under_emplois():
    assert reverse("jobs:partner_home") == "/emplois/partenaire/"
    assert reverse("jobs:partner_dashboard", args=[7]) == "/emplois/partenaire/7/"
    assert reverse("jobs:trainings", args=["declics-herault"]) == "/sessions/declics-herault/formations/"
    assert (
        reverse("jobs:my_applications", args=["declics-herault"]) == "/sessions/declics-herault/candidatures/"
    )
    assert reverse("mentoring:mentee_home", args=["declics-herault"]) == "/sessions/declics-herault/mentorat/"
