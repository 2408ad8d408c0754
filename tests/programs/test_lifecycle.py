"""The enrolment lifecycle: leaving a session gives back, step by step, what the person held.

`withdraw` calls `registry.release_holdings`; each step releases through its own services, so
their usual side effects happen once (a freed seat offered, reminders cancelled, the mentor told).
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from declics.privacy.services import erase_user
from jobs.trainings import services as meetings
from jobs.trainings.models import BookingStatus as MeetingStatus
from mentoring.models import EndReason, MentorshipStatus, RequestStatus
from programs import services
from programs.bookings.services import send_due_reminders
from programs.role_models import services as talks
from programs.workshops import services as workshops
from programs.workshops.models import WorkshopBooking, WorkshopBookingStatus
from tests.jobs.factories import MeetingSlotFactory, MembershipFactory
from tests.mentoring.factories import MentoringRequestFactory, MentorshipFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory
from tests.programs.role_models.factories import TalkFactory
from tests.programs.workshops.factories import WorkshopFactory, participant

Booking = WorkshopBookingStatus
pytestmark = pytest.mark.django_db


def _outbox(prefix: str) -> dict[str, str]:
    return dict(OutboxMessage.objects.filter(dedup_key__startswith=prefix).values_list("dedup_key", "status"))


def test_withdrawing_gives_back_every_upcoming_holding_once():
    session = OpenSessionFactory(max_simultaneous_bookings=5)
    enrolment = EnrolmentFactory(session=session)
    person = enrolment.job_seeker
    # A seat in a full workshop, with someone waiting for it.
    full = WorkshopFactory(session=session, seats=1, starts_at=timezone.now() + timedelta(hours=31))
    seat = workshops.book_workshop(workshop=full, job_seeker=person)
    waiting = workshops.book_workshop(workshop=full, job_seeker=participant(session))
    # A seat offered from the waiting list of another workshop, not confirmed yet.
    other = WorkshopFactory(session=session, seats=1)
    before = workshops.book_workshop(workshop=other, job_seeker=participant(session))
    offer = workshops.book_workshop(workshop=other, job_seeker=person)
    workshops.cancel_booking(booking=before)
    # A workshop that already happened.
    past = WorkshopFactory(session=session, seats=3)
    past_booking = workshops.book_workshop(workshop=past, job_seeker=person)
    past.starts_at = timezone.now() - timedelta(days=1)
    past.save(update_fields=["starts_at"])
    # A talk in 30 hours, its 24 h reminder already queued.
    talk = TalkFactory(session=session, starts_at=timezone.now() + timedelta(hours=30))
    registration = talks.register_for_talk(talk=talk, enrolment=enrolment)
    # Seven hours on, the talk's and the workshop seat's 24 h reminders are queued (not yet sent).
    send_due_reminders(now=timezone.now() + timedelta(hours=7))
    assert _outbox(f"talk-reminder:booking:{registration.pk}:")
    # A meeting with a training body, and a pending mentor request.
    meeting_slot = MeetingSlotFactory(session=session)
    body_user = MembershipFactory(partner=meeting_slot.body).user
    meeting = meetings.book_meeting_slot(slot=meeting_slot, enrolment=enrolment)
    request = MentoringRequestFactory(enrolment=enrolment)
    offer.refresh_from_db()
    stamp = timezone.localtime(full.starts_at).strftime("%Y%m%dT%H%M")
    assert (offer.status, _outbox(f"workshop-reminder:booking:{seat.pk}:")) == (
        Booking.OFFERED,
        {f"workshop-reminder:booking:{seat.pk}:r1:24h:{stamp}": OutboxMessage.Status.PENDING},
    )
    keys_before = set(OutboxMessage.objects.values_list("dedup_key", flat=True))

    assert services.withdraw(enrolment=enrolment) is None

    statuses = dict(WorkshopBooking.objects.values_list("pk", "status"))
    assert (statuses[seat.pk], statuses[offer.pk], statuses[waiting.pk], statuses[past_booking.pk]) == (
        Booking.CANCELLED,
        Booking.CANCELLED,
        Booking.OFFERED,  # the freed seat goes to the person waiting
        Booking.CONFIRMED,  # what happened stays
    )
    full.refresh_from_db()
    other.refresh_from_db()
    assert (full.seats_taken, other.seats_taken) == (1, 0)
    registration.refresh_from_db()
    assert (registration.status, registration.end_reason) == (Booking.CANCELLED, "withdrawn")
    meeting.refresh_from_db()
    request.refresh_from_db()
    assert (meeting.status, request.status) == (MeetingStatus.CANCELLED, RequestStatus.CANCELLED)
    # The reminders still to go are cancelled.
    cancelled = OutboxMessage.Status.CANCELLED
    assert set(_outbox(f"workshop-reminder:booking:{seat.pk}:").values()) == {cancelled}
    assert set(_outbox(f"talk-reminder:booking:{registration.pk}:").values()) == {cancelled}
    # (The meeting's reminders are queued only when due: tests/jobs/trainings/test_meetings.py.)
    # Exactly these notices were queued, each once.
    new = OutboxMessage.objects.exclude(dedup_key__in=keys_before)
    assert sorted(new.values_list("dedup_key", flat=True)) == sorted(
        [
            f"workshop-booking-cancelled:booking:{seat.pk}:r1",
            f"workshop-booking-cancelled:booking:{offer.pk}:r1",
            f"workshop-offer:booking:{waiting.pk}:r1",
            f"talk-booking-cancelled:booking:{registration.pk}:r1",  # with the CANCEL
            f"meeting-booking-cancelled:booking:{meeting.pk}:r1",  # the CANCEL for their calendar
            f"meeting-organiser-cancelled:booking:{meeting.pk}:r1:to:{body_user.email.lower()}",
            f"programs:withdrawn:enrolment:{enrolment.pk}",  # the person told once
        ]
    )
    with pytest.raises(services.EnrolmentError, match="Vous n'êtes plus inscrit·e"):
        services.withdraw(enrolment=enrolment)
    assert OutboxMessage.objects.exclude(dedup_key__in=keys_before).count() == 7  # nothing more


def test_withdrawing_ends_an_active_mentorship_and_tells_the_mentor_once():
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    mentorship = MentorshipFactory(enrolment=enrolment)
    mentor = mentorship.mentor
    assert mentor.active_mentees == 1

    services.withdraw(enrolment=enrolment)

    mentorship.refresh_from_db()
    mentor.refresh_from_db()
    assert (mentorship.status, mentorship.end_reason, mentorship.ended_by_id, mentor.active_mentees) == (
        MentorshipStatus.ENDED,
        EndReason.MENTEE_LEFT,
        enrolment.job_seeker_id,
        0,
    )
    assert sorted(OutboxMessage.objects.values_list("dedup_key", flat=True)) == sorted(
        [
            f"mentoring:mentorship-ended:{mentorship.pk}:{mentor.user_id}",  # why, and the survey
            f"programs:withdrawn:enrolment:{enrolment.pk}",  # the person: the lifecycle's one notice
        ]
    )
    assert OutboxMessage.objects.get(dedup_key__endswith=f":{mentor.user_id}").to_email == mentor.user.email


def test_erasing_the_account_gives_back_upcoming_holdings_too():
    session = OpenSessionFactory()
    enrolment = EnrolmentFactory(session=session)
    full = WorkshopFactory(session=session, seats=1)
    seat = workshops.book_workshop(workshop=full, job_seeker=enrolment.job_seeker)
    waiting = workshops.book_workshop(workshop=full, job_seeker=participant(session))
    talk = TalkFactory(session=session, starts_at=timezone.now() + timedelta(hours=30), seats=1)
    registration = talks.register_for_talk(talk=talk, enrolment=enrolment)
    # Seven hours on, the talk's and the workshop seat's 24 h reminders are queued (not yet sent).
    send_due_reminders(now=timezone.now() + timedelta(hours=7))
    assert _outbox(f"talk-reminder:booking:{registration.pk}:")

    erase_user(user=enrolment.job_seeker)

    statuses = dict(WorkshopBooking.objects.values_list("pk", "status"))
    assert (statuses[seat.pk], statuses[waiting.pk]) == (Booking.CANCELLED, Booking.OFFERED)
    registration.refresh_from_db()
    assert (registration.status, registration.end_reason) == (Booking.CANCELLED, "erased")
    assert set(_outbox(f"talk-reminder:booking:{registration.pk}:").values()) == {
        OutboxMessage.Status.CANCELLED
    }
    # Nobody is written to on erasure: no CANCEL for an address that is going away.
    assert not _outbox(f"talk-booking-cancelled:booking:{registration.pk}:")
    # The freed place goes back to the talk.
    talks.register_for_talk(talk=talk, enrolment=EnrolmentFactory(session=session))
