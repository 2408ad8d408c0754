"""One person enrolled in two sessions sees, on each session's pages, that session's own things.

Samira is enrolled in a session running now in Occitanie (Hérault) and in an upcoming one in
Nouvelle-Aquitaine (Gironde). Every page of every step is resolved from the session in its URL
(`programs/enrolments.py`): the talks she registered for, her assessment result, her mentor or
her request, her workshop bookings, the trainings, meetings and offers of the territory, and her
applications are each session's own. Before issue 12 the trainings and offers pages picked the
upcoming session for both URLs, and mentoring the running one.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.trainings import services as training_services
from jobs.trainings.models import MeetingBooking
from programs import services
from programs.enrolments import current_session_enrolment
from programs.models import Step
from programs.workshops import services as workshop_services
from programs.workshops.models import WorkshopBooking, WorkshopBookingStatus
from tests.factories import UserFactory
from tests.jobs.factories import (
    ApplicationFactory,
    JobOfferFactory,
    MeetingSlotFactory,
    TrainingFactory,
    meeting_booking,
)
from tests.mentoring.factories import MentoringRequestFactory, MentorProfileFactory, MentorshipFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory

from .factories import EnrolmentFactory, OpenSessionFactory, SessionFactory
from .role_models.factories import TalkFactory, TalkRegistrationFactory
from .test_pathway import _complete_assessment
from .workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class Person:
    """Samira, her running enrolment `here` (Hérault) and her upcoming one `there` (Gironde)."""

    def __init__(self):
        self.user = UserFactory(first_name="Samira")
        herault = DepartementFactory(
            code="34", name="Hérault", region=RegionFactory(code="76", name="Occitanie")
        )
        gironde = DepartementFactory(
            code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")
        )
        self.montpellier = CommuneFactory(code="34172", name="Montpellier", departement=herault)
        self.bordeaux = CommuneFactory(code="33063", name="Bordeaux", departement=gironde)
        running = OpenSessionFactory(
            title="DéClics Hérault", slug="declics-herault", region=herault.region, departements=[herault]
        )
        upcoming = SessionFactory(
            title="DéClics Gironde", slug="declics-gironde", region=gironde.region, departements=[gironde]
        )
        self.here = EnrolmentFactory(session=running, job_seeker=self.user, commune=self.montpellier)
        self.there = EnrolmentFactory(session=upcoming, job_seeker=self.user, commune=self.bordeaux)

    def slug(self, enrolment):
        return enrolment.session.slug


@pytest.fixture
def person(client):
    samira = Person()
    client.force_login(samira.user)
    return samira


def _get(client, name, *args, **params):
    response = client.get(reverse(name, args=list(args)), params)
    assert response.status_code == 200, (name, args, response.status_code)
    return response


# --- One case per step: what each session's page must show, and only that --------------------------


def talks(client, person):
    here_talk = TalkFactory(session=person.here.session, title="Témoignage à Montpellier")
    there_talks = [
        TalkFactory(session=person.there.session, title=f"Témoignage à Bordeaux {n}") for n in (1, 2)
    ]
    TalkRegistrationFactory(talk=here_talk, enrolment=person.here)
    TalkRegistrationFactory(talk=there_talks[1], enrolment=person.there)
    services.complete_step(enrolment=person.here, step=Step.ROLE_MODELS)

    def seen(enrolment):
        context = _get(client, "programs:talk_list", person.slug(enrolment)).context
        titles = {talk.pk: talk.title for talk in context["upcoming"]}
        return (
            sorted(titles.values()),
            sorted(talk.title for talk in context["upcoming"] if talk.my_status == "confirmed"),
            context["step_done"],
        )

    return seen, {
        "here": (["Témoignage à Montpellier"], ["Témoignage à Montpellier"], True),
        "there": (["Témoignage à Bordeaux 1", "Témoignage à Bordeaux 2"], ["Témoignage à Bordeaux 2"], False),
    }


def assessment(client, person):
    result = _complete_assessment(person.here)

    def seen(enrolment):
        context = _get(client, "programs:assessment_home", person.slug(enrolment)).context
        return context["result"].public_id if context["result"] else None, context["session"].slug

    return seen, {"here": (result.public_id, "declics-herault"), "there": (None, "declics-gironde")}


def mentor(client, person):
    MentorshipFactory(enrolment=person.here, mentor=MentorProfileFactory(user__first_name="Hélène"))
    MentoringRequestFactory(enrolment=person.there, mentor=MentorProfileFactory(user__first_name="Bruno"))

    def seen(enrolment):
        context = _get(client, "mentoring:mentee_home", person.slug(enrolment)).context
        mentorship, pending = context["mentorship"], context["pending"]
        return (
            mentorship.mentor.user.first_name if mentorship else None,
            pending.mentor.user.first_name if pending else None,
        )

    return seen, {"here": ("Hélène", None), "there": (None, "Bruno")}


def workshops(client, person):
    here_workshop = WorkshopFactory(session=person.here.session, title="Atelier CV à Montpellier")
    workshop_services.book_workshop(workshop=here_workshop, job_seeker=person.user)
    there_workshops = [
        WorkshopFactory(
            session=person.there.session,
            title=f"Atelier entretien à Bordeaux {n}",
            starts_at=timezone.now() + timedelta(days=12 + n),
        )
        for n in (1, 2)
    ]
    # Step 4 of the upcoming session is not open yet: a seat kept on its waiting list, as a row.
    WorkshopBooking.objects.create(
        workshop=there_workshops[0],
        enrolment=person.there,
        job_seeker=person.user,
        status=WorkshopBookingStatus.WAITING,
        waiting_since=timezone.now(),
    )

    def seen(enrolment):
        context = _get(client, "programs:workshop_list", person.slug(enrolment)).context
        return [
            (workshop.title, workshop.my_booking.status if workshop.my_booking else None)
            for workshop in context["workshops"]
        ]

    return seen, {
        "here": [("Atelier CV à Montpellier", WorkshopBookingStatus.CONFIRMED)],
        "there": [
            ("Atelier entretien à Bordeaux 1", WorkshopBookingStatus.WAITING),
            ("Atelier entretien à Bordeaux 2", None),
        ],
    }


def trainings(client, person):
    TrainingFactory(title="Formation à Montpellier", format="on_site", communes=[person.montpellier])
    TrainingFactory(title="Formation à Bordeaux", format="on_site", communes=[person.bordeaux])
    here_slot = MeetingSlotFactory(session=person.here.session, body__name="Simplon Occitanie")
    training_services.book_meeting_slot(slot=here_slot, enrolment=person.here)
    there_slots = [
        MeetingSlotFactory(session=person.there.session, body__name=name)
        for name in ("Wild Code School Bordeaux", "Ada Tech School")
    ]
    meeting_booking(there_slots[1], person.there)

    def seen(enrolment):
        slug = person.slug(enrolment)
        found = _get(client, "jobs:trainings", slug, where="departement").context["trainings"]
        meetings = _get(client, "jobs:meetings", slug).context
        return (
            [training.title for training in found],
            sorted(slot.body.name for slot in meetings["slots"]),
            [booking.slot.body.name for booking in meetings["bookings"]],
        )

    return seen, {
        "here": (["Formation à Montpellier"], ["Simplon Occitanie"], ["Simplon Occitanie"]),
        "there": (
            ["Formation à Bordeaux"],
            ["Ada Tech School", "Wild Code School Bordeaux"],
            ["Ada Tech School"],
        ),
    }


def offers(client, person):
    here_offer = JobOfferFactory(title="Développeuse à Montpellier", commune=person.montpellier)
    there_offers = [
        JobOfferFactory(title=f"Développeuse à Bordeaux {n}", commune=person.bordeaux) for n in (1, 2)
    ]
    ApplicationFactory(offer=here_offer, job_seeker=person.user, enrolment=person.here)
    ApplicationFactory(offer=there_offers[0], job_seeker=person.user, enrolment=person.there)

    def seen(enrolment):
        slug = person.slug(enrolment)
        listed = _get(client, "jobs:offers", slug).context["offers"]
        applications = _get(client, "jobs:my_applications", slug).context["applications"]
        return sorted(offer.title for offer in listed), [a.offer.title for a in applications]

    return seen, {
        "here": (["Développeuse à Montpellier"], ["Développeuse à Montpellier"]),
        "there": (
            ["Développeuse à Bordeaux 1", "Développeuse à Bordeaux 2"],
            ["Développeuse à Bordeaux 1"],
        ),
    }


STEPS = {
    Step.ROLE_MODELS: talks,
    Step.ASSESSMENT: assessment,
    Step.MENTOR: mentor,
    Step.WORKSHOPS: workshops,
    Step.TRAININGS: trainings,
    Step.JOBS: offers,
}


@pytest.mark.parametrize("step", list(STEPS), ids=[step.name.lower() for step in STEPS])
def test_each_sessions_page_of_the_step_shows_that_sessions_own_things(client, person, step):
    seen, expected = STEPS[step](client, person)

    assert {"here": seen(person.here), "there": seen(person.there)} == expected


def test_each_session_has_its_own_pathway_with_links_into_that_session(client, person):
    services.complete_step(enrolment=person.here, step=Step.ROLE_MODELS)

    here = _get(client, "programs:pathway", "declics-herault").context
    there = _get(client, "programs:pathway", "declics-gironde").context

    assert (here["session"].slug, here["done_count"], there["session"].slug, there["done_count"]) == (
        "declics-herault",
        1,
        "declics-gironde",
        0,
    )
    # Every step of the running session is open and links into that session; none of the upcoming one.
    assert {link.url.split("/")[2] for step in here["steps"] for link in step.links} == {"declics-herault"}
    assert [step.state for step in there["steps"]] == ["locked"] * 6


def test_a_step_action_on_one_sessions_page_lands_in_that_session(client, person):
    offer = JobOfferFactory(title="Développeuse à Montpellier", commune=person.montpellier)
    slot = MeetingSlotFactory(session=person.here.session)

    # The offer is outside the upcoming session's territory, the slot belongs to the running one.
    assert client.get(reverse("jobs:offer_detail", args=["declics-gironde", offer.pk])).status_code == 404
    assert client.post(reverse("jobs:book_meeting", args=["declics-gironde", slot.pk])).status_code == 404
    response = client.post(reverse("jobs:book_meeting", args=["declics-herault", slot.pk]))

    assert response.url == reverse("jobs:meetings", args=["declics-herault"])
    assert MeetingBooking.objects.get().enrolment == person.here


def test_mon_parcours_and_the_menus_shortcuts_open_the_running_session(client, person):
    assert current_session_enrolment(person.user) == person.here
    assert client.get(reverse("programs:my_pathway")).url == reverse(
        "programs:pathway", args=["declics-herault"]
    )
    assert client.get(reverse("mentoring:mentee_start")).url == reverse(
        "mentoring:mentee_home", args=["declics-herault"]
    )
    assert client.get(reverse("jobs:current_offers")).url == reverse("jobs:offers", args=["declics-herault"])
