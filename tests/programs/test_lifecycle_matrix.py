"""The lifecycle matrix (issue 13, "Done when"): every way an enrolment ends × every kind of holding.

One world per case: a person with a place in a full session (someone on its waiting list), who
holds a workshop seat (someone waiting for it), a seat offered from another workshop's waiting
list, a talk registration with its reminder queued, a meeting with a training body, a pending
mentor request (whose e-mail the mentor has received), an active mentorship and an open job
application. Each transition runs once; then

- every holding is read through one accessor per kind and compared with `EXPECTED` (one row per
  kind: what it becomes, per transition);
- the notices the transition queued (outbox rows not cancelled) are grouped by recipient — the
  person, the mentor, the company, the training body, the next people waiting — and compared
  with `expected_notices`, key by key;
- running the transition again queues nothing more.

The three booking kinds (workshop seat and offer, talk registration, meeting booking) are the
booking engine's (`programs.bookings`): each ends cancelled, with a CANCEL to the person, the
organiser told where there is one (the training body), and a freed seat offered to the next person
waiting — except when the whole session is cancelled (nobody can take it).
"""

import contextlib
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from declics.privacy.services import erase_user
from jobs.offers.models import Application
from jobs.trainings import services as meetings
from jobs.trainings.models import MeetingBooking
from mentoring import notifications as mentoring_notifications
from mentoring.models import MentoringRequest, Mentorship
from programs import services
from programs.bookings import services as bookings
from programs.models import Enrolment, EnrolmentStatus, SessionStatus
from programs.role_models import services as talks
from programs.role_models.models import TalkRegistration
from programs.workshops import services as workshops
from programs.workshops.models import WorkshopBooking
from tests.factories import StaffFactory
from tests.jobs.factories import ApplicationFactory, JobOfferFactory, MeetingSlotFactory, MembershipFactory
from tests.mentoring.factories import MentoringRequestFactory, MentorshipFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory
from tests.programs.role_models.factories import TalkFactory
from tests.programs.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

TRANSITIONS = ("withdrawn", "removed", "transferred", "erased", "session_cancelled")


def every(state: str) -> dict[str, str]:
    return dict.fromkeys(TRANSITIONS, state)


# What each kind of holding becomes, per transition.
EXPECTED: dict[str, dict[str, str]] = {
    "workshop seat": every("cancelled"),
    "workshop waiting-list offer": every("cancelled"),
    "talk registration": every("cancelled"),
    "meeting booking": every("cancelled"),
    "mentor request": every("cancelled"),
    "mentorship": every("ended: mentee_left") | {"session_cancelled": "ended: session_cancelled"},
    # Kept unless the person chose to withdraw them (here they do), removed on erasure.
    "application": every("new") | {"withdrawn": "withdrawn", "erased": "withdrawn"},
    "queued reminder": every("cancelled"),
}


@dataclass
class World:
    session: object
    target: object  # where a transfer goes
    staff: object
    person: Enrolment
    promoted_next: Enrolment  # first on the session's waiting list
    seat_next: Enrolment  # waiting for the person's workshop seat
    other: Enrolment  # a third person with a place
    seat: WorkshopBooking
    offer: WorkshopBooking
    talk_registration: TalkRegistration
    meeting: MeetingBooking
    body_email: str
    request: MentoringRequest
    mentorship: Mentorship
    application: Application
    company_email: str


@pytest.fixture
def world(rural_commune) -> World:
    session = OpenSessionFactory(capacity=3, max_simultaneous_bookings=5)
    departements = list(session.departements.all())
    target = OpenSessionFactory(capacity=10, departements=departements)
    person = EnrolmentFactory(session=session, commune=rural_commune)
    seat_next = EnrolmentFactory(session=session, commune=rural_commune)
    other = EnrolmentFactory(session=session, commune=rural_commune)
    promoted_next = EnrolmentFactory(session=session, commune=rural_commune, status=EnrolmentStatus.WAITING)
    user = person.job_seeker
    # A seat in a full workshop, with someone waiting for it.
    full = WorkshopFactory(session=session, seats=1)
    seat = workshops.book_workshop(workshop=full, job_seeker=user)
    workshops.book_workshop(workshop=full, job_seeker=seat_next.job_seeker)
    # A seat offered from another workshop's waiting list.
    second = WorkshopFactory(session=session, seats=1)
    before = workshops.book_workshop(workshop=second, job_seeker=other.job_seeker)
    offer = workshops.book_workshop(workshop=second, job_seeker=user)
    workshops.cancel_booking(booking=before)
    # A talk in 30 hours; seven hours later its reminder is queued (in the outbox, not yet sent).
    talk = TalkFactory(session=session, starts_at=timezone.now() + timedelta(hours=30))
    registration = talks.register_for_talk(talk=talk, enrolment=person)
    assert bookings.send_due_reminders(now=timezone.now() + timedelta(hours=7)) >= 1
    # A meeting with a training body that has a user.
    slot = MeetingSlotFactory(session=session)
    body_member = MembershipFactory(partner=slot.body)
    meeting = meetings.book_meeting_slot(slot=slot, enrolment=person)
    # A pending mentor request the mentor received, and an active mentorship.
    request = MentoringRequestFactory(enrolment=person)
    mentoring_notifications.queue_new_request(request)
    OutboxMessage.objects.filter(dedup_key=f"mentoring:request-new:{request.pk}").update(
        status=OutboxMessage.Status.SENT, sent_at=timezone.now()
    )
    mentorship = MentorshipFactory(enrolment=person)
    # An open application to a company with a user.
    offer_row = JobOfferFactory()
    company_member = MembershipFactory(partner=offer_row.company)
    application = ApplicationFactory(offer=offer_row, job_seeker=user, enrolment=person)
    for row in (seat, offer, meeting, request, mentorship, application):
        row.refresh_from_db()
    return World(
        session=session,
        target=target,
        staff=StaffFactory(),
        person=person,
        promoted_next=promoted_next,
        seat_next=seat_next,
        other=other,
        seat=seat,
        offer=offer,
        talk_registration=registration,
        meeting=meeting,
        body_email=body_member.user.email,
        request=request,
        mentorship=mentorship,
        application=application,
        company_email=company_member.user.email,
    )


TRANSITION_CALLS = {
    "withdrawn": lambda w: services.withdraw(enrolment=w.person, withdraw_applications=True),
    "removed": lambda w: services.remove_enrolment(
        enrolment=w.person, by=w.staff, reason="Ne répond plus depuis trois semaines."
    ),
    "transferred": lambda w: services.transfer_enrolment(enrolment=w.person, to_session=w.target, by=w.staff),
    "erased": lambda w: erase_user(user=w.person.job_seeker),
    "session_cancelled": lambda w: services.cancel_session(
        session=w.session, by=w.staff, reason="Le financement n'a pas été reconduit."
    ),
}


# --- One accessor per kind of holding ----------------------------------------------------------------


def _status(model, pk) -> str:
    row = model.objects.filter(pk=pk).values_list("status", flat=True).first()
    return "deleted" if row is None else str(row)


def _mentorship(w: World) -> str:
    mentorship = Mentorship.objects.get(pk=w.mentorship.pk)
    return f"{mentorship.status}: {mentorship.end_reason}" if mentorship.end_reason else mentorship.status


def _reminders(w: World) -> str:
    """The queued reminders of the person's bookings (the talk's 24 h one at least), as one state."""
    keys = (
        f"workshop-reminder:booking:{w.seat.pk}:",
        f"talk-reminder:booking:{w.talk_registration.pk}:",
        f"meeting-reminder:booking:{w.meeting.pk}:",
    )
    statuses = {
        status
        for key in keys
        for status in OutboxMessage.objects.filter(dedup_key__startswith=key).values_list("status", flat=True)
    }
    assert len(statuses) == 1, statuses
    return statuses.pop()


ACCESSORS = {
    "workshop seat": lambda w: _status(WorkshopBooking, w.seat.pk),
    "workshop waiting-list offer": lambda w: _status(WorkshopBooking, w.offer.pk),
    "talk registration": lambda w: _status(TalkRegistration, w.talk_registration.pk),
    "meeting booking": lambda w: _status(MeetingBooking, w.meeting.pk),
    "mentor request": lambda w: _status(MentoringRequest, w.request.pk),
    "mentorship": _mentorship,
    "application": lambda w: _status(Application, w.application.pk),
    "queued reminder": _reminders,
}


def test_every_kind_of_holding_has_its_accessor_and_its_expectations():
    assert set(ACCESSORS) == set(EXPECTED)
    assert all(set(row) == set(TRANSITIONS) for row in EXPECTED.values())


def test_the_world_holds_each_kind_before_any_transition(world):
    assert {kind: read(world) for kind, read in ACCESSORS.items()} == {
        "workshop seat": "confirmed",
        "workshop waiting-list offer": "offered",
        "talk registration": "confirmed",
        "meeting booking": "confirmed",
        "mentor request": "pending",
        "mentorship": "active",
        "application": "new",
        "queued reminder": "pending",
    }


# --- The notices -------------------------------------------------------------------------------------


def expected_notices(w: World, transition: str) -> dict[str, list[str]]:
    """The keys each recipient gets from `transition`, sorted."""
    p, seat, offer, meeting = w.person.pk, w.seat.pk, w.offer.pk, w.meeting.pk
    lifecycle_notice = {
        "withdrawn": f"programs:withdrawn:enrolment:{p}",
        "removed": f"programs:removed:enrolment:{p}",
        "transferred": f"programs:transferred:enrolment:{p}",
        "session_cancelled": f"programs:session-cancelled:enrolment:{p}",
    }
    # The steps' own notices to the person: the CANCEL of each calendar entry.
    step_notices = [
        f"workshop-booking-cancelled:booking:{seat}:r1",
        f"workshop-booking-cancelled:booking:{offer}:r1",
        f"talk-booking-cancelled:booking:{w.talk_registration.pk}:r1",
        f"meeting-booking-cancelled:booking:{meeting}:r1",
    ]
    person = [] if transition == "erased" else [lifecycle_notice[transition], *step_notices]
    next_waiting = {
        # The person's workshop seat is offered to the one waiting for it.
        "seat": [f"workshop-offer:booking:{_booking_of(w.seat_next, w.seat).pk}:r1"],
        # The place in the session goes to the first person on its waiting list, told once.
        "session": [f"programs:promoted:enrolment:{w.promoted_next.pk}"],
    }
    if transition == "session_cancelled":
        # Nobody is promoted, no freed seat is offered (nobody could take it); everyone is told
        # once that the session is cancelled, and their own waiting place ends with its notice.
        next_waiting = {
            "seat": sorted(
                [
                    f"workshop-booking-cancelled:booking:{_booking_of(w.seat_next, w.seat).pk}:r1",
                    f"programs:session-cancelled:enrolment:{w.seat_next.pk}",
                ]
            ),
            "session": [f"programs:session-cancelled:enrolment:{w.promoted_next.pk}"],
        }
    return {
        "person": sorted(person),
        "mentor": sorted(
            [
                f"mentoring:request-withdrawn:{w.request.pk}",
                f"mentoring:mentorship-ended:{w.mentorship.pk}:{w.mentorship.mentor.user_id}",
            ]
        ),
        "company": (
            [f"application:{w.application.pk}:withdrawn:{w.company_email}"]
            if transition == "withdrawn"
            else []
        ),
        # The training body learns that the person will not come (no name: nothing personal).
        "training body": [f"meeting-organiser-cancelled:booking:{meeting}:r1:to:{w.body_email.lower()}"],
        "next waiting for the seat": next_waiting["seat"],
        "next waiting for the session": next_waiting["session"],
        "another person of the session": (
            [f"programs:session-cancelled:enrolment:{w.other.pk}"]
            if transition == "session_cancelled"
            else []
        ),
    }


def _booking_of(enrolment: Enrolment, seat: WorkshopBooking) -> WorkshopBooking:
    return WorkshopBooking.objects.get(workshop_id=seat.workshop_id, job_seeker_id=enrolment.job_seeker_id)


def notices_by_recipient(w: World, keys_before: set[str]) -> dict[str, list[str]]:
    """The rows queued since `keys_before` and not cancelled, by recipient."""
    recipients = {
        "person": w.person.job_seeker.email,
        "mentor": w.mentorship.mentor.user.email,
        "company": w.company_email,
        "training body": w.body_email,
        "next waiting for the seat": w.seat_next.job_seeker.email,
        "next waiting for the session": w.promoted_next.job_seeker.email,
        "another person of the session": w.other.job_seeker.email,
    }
    mentor_of_request = w.request.mentor.user.email
    rows = (
        OutboxMessage.objects.exclude(dedup_key__in=keys_before)
        .exclude(status=OutboxMessage.Status.CANCELLED)
        .values_list("dedup_key", "to_email", "user_id")
    )
    found: dict[str, list[str]] = {name: [] for name in recipients}
    erased_person = w.person.job_seeker_id
    for key, email, user_id in rows:
        if email == mentor_of_request:
            email = recipients["mentor"]  # the request's mentor and the mentorship's: one role
        names = [name for name, address in recipients.items() if address == email]
        if not names and user_id == erased_person:  # erased: the address is anonymised
            names = ["person"]
        assert names, f"a notice to nobody expected: {key} → {email}"
        found[names[0]].append(key)
    return {name: sorted(keys) for name, keys in found.items()}


@pytest.mark.parametrize("transition", TRANSITIONS)
def test_each_transition_ends_every_holding_rightly_with_exactly_the_right_notices(world, transition):
    keys_before = set(OutboxMessage.objects.values_list("dedup_key", flat=True))
    expected_notices_now = expected_notices(world, transition)

    TRANSITION_CALLS[transition](world)

    states = {kind: read(world) for kind, read in ACCESSORS.items()}
    assert states == {kind: row[transition] for kind, row in EXPECTED.items()}
    assert notices_by_recipient(world, keys_before) == expected_notices_now

    # Each notice once: the same transition again queues nothing more.
    count = OutboxMessage.objects.count()
    with contextlib.suppress(services.LifecycleError):
        TRANSITION_CALLS[transition](world)
    assert OutboxMessage.objects.count() == count


@pytest.mark.parametrize("transition", TRANSITIONS)
def test_each_transition_ends_the_enrolment_and_the_waiting_list_moves_only_when_it_should(world, transition):
    TRANSITION_CALLS[transition](world)

    person = Enrolment.objects.get(pk=world.person.pk)
    promoted_next = Enrolment.objects.get(pk=world.promoted_next.pk)
    assert (person.status, person.ended_at is not None) == (
        {
            "withdrawn": EnrolmentStatus.WITHDRAWN,
            "removed": EnrolmentStatus.REMOVED,
            "transferred": EnrolmentStatus.TRANSFERRED,
            "erased": EnrolmentStatus.ERASED,
            "session_cancelled": EnrolmentStatus.SESSION_CANCELLED,
        }[transition],
        True,
    )
    if transition == "session_cancelled":
        world.session.refresh_from_db()
        assert world.session.status == SessionStatus.CANCELLED
        assert promoted_next.status == EnrolmentStatus.SESSION_CANCELLED
        assert not Enrolment.objects.filter(session=world.session).current().exists()
    else:
        assert (promoted_next.status, promoted_next.promoted_at is not None) == (EnrolmentStatus.ACTIVE, True)
    assert world.session.enrolments.active().count() <= world.session.capacity


def test_withdrawing_keeps_the_applications_when_the_person_chooses_so(world):
    keys_before = set(OutboxMessage.objects.values_list("dedup_key", flat=True))

    services.withdraw(enrolment=world.person, withdraw_applications=False)

    assert ACCESSORS["application"](world) == "new"
    assert notices_by_recipient(world, keys_before)["company"] == []


def test_a_mentor_who_never_received_the_request_is_not_told_and_its_email_never_leaves(world):
    OutboxMessage.objects.filter(dedup_key=f"mentoring:request-new:{world.request.pk}").update(
        status=OutboxMessage.Status.PENDING, sent_at=None
    )
    keys_before = set(OutboxMessage.objects.values_list("dedup_key", flat=True))

    services.remove_enrolment(enrolment=world.person, by=world.staff, reason="Doublon d'inscription.")

    assert OutboxMessage.objects.get(dedup_key=f"mentoring:request-new:{world.request.pk}").status == (
        OutboxMessage.Status.CANCELLED
    )
    assert (
        f"mentoring:request-withdrawn:{world.request.pk}"
        not in notices_by_recipient(world, keys_before)["mentor"]
    )
