"""Meetings under real concurrency (PostgreSQL row locks): never overbooked, never a seat lost."""

from datetime import timedelta

import pytest
from django.db import connection

from declics.errors import DomainError
from jobs.trainings import services
from jobs.trainings.models import BookingStatus, MeetingBooking, MeetingSlot
from programs.bookings import services as engine
from tests.jobs.factories import EnrolmentFactory, MeetingSlotFactory
from tests.jobs.helpers import run_in_threads

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def statuses(slot) -> list[str]:
    return sorted(MeetingBooking.objects.filter(slot=slot).values_list("status", flat=True))


def test_eight_people_racing_for_three_seats_three_get_one_five_wait_in_order():
    slot = MeetingSlotFactory(seats=3)
    enrolments = [EnrolmentFactory(session=slot.session) for _ in range(8)]

    errors = run_in_threads(
        [lambda e=enrolment: services.book_meeting_slot(slot=slot, enrolment=e) for enrolment in enrolments]
    )

    assert errors == []
    assert statuses(slot) == [BookingStatus.CONFIRMED] * 3 + [BookingStatus.WAITING] * 5
    assert MeetingSlot.objects.get(pk=slot.pk).seats_taken == 3
    waiting = list(
        MeetingBooking.objects.filter(slot=slot).waiting_queue().values_list("waiting_since", flat=True)
    )
    assert waiting == sorted(waiting)


def test_two_people_racing_for_the_last_seat_one_books_one_waits():
    slot = MeetingSlotFactory(seats=2)
    services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session))
    enrolments = [EnrolmentFactory(session=slot.session) for _ in range(2)]

    errors = run_in_threads(
        [lambda e=enrolment: services.book_meeting_slot(slot=slot, enrolment=e) for enrolment in enrolments]
    )

    assert errors == []
    assert statuses(slot) == [BookingStatus.CONFIRMED] * 2 + [BookingStatus.WAITING]
    assert MeetingSlot.objects.get(pk=slot.pk).seats_taken == 2


def test_a_cancellation_racing_bookings_never_overbooks_and_offers_the_seat_to_the_first_waiting():
    slot = MeetingSlotFactory(seats=1)
    holder = services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session))
    waiting = services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session))
    newcomers = [EnrolmentFactory(session=slot.session) for _ in range(4)]

    errors = run_in_threads(
        [lambda: services.cancel_meeting_booking(booking=holder, job_seeker=holder.job_seeker)]
        + [lambda e=enrolment: services.book_meeting_slot(slot=slot, enrolment=e) for enrolment in newcomers]
    )

    assert errors == []
    waiting.refresh_from_db()
    held = MeetingBooking.objects.filter(slot=slot, status__in=["confirmed", "offered"]).count()
    assert (MeetingSlot.objects.get(pk=slot.pk).seats_taken, held) == (1, 1)
    # Whatever the order, the freed seat is held for the person who was waiting first.
    assert waiting.status == BookingStatus.OFFERED


def test_an_offer_expiring_while_being_accepted_ends_one_way_only():
    outcomes = set()
    for _ in range(6):
        slot = MeetingSlotFactory(seats=1)
        holder = services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session))
        offered = services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session))
        next_one = services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session))
        services.cancel_meeting_booking(booking=holder, job_seeker=holder.job_seeker)
        offered.refresh_from_db()
        deadline = offered.offer_expires_at
        before, after = deadline - timedelta(seconds=1), deadline + timedelta(seconds=1)

        errors = run_in_threads(
            [
                lambda booking=offered, now=before: services.confirm_meeting_offer(
                    booking=booking, job_seeker=booking.job_seeker, now=now
                ),
                lambda now=after: engine.expire_offers(now=now),
            ]
        )

        offered.refresh_from_db()
        next_one.refresh_from_db()
        assert [error for error in errors if not isinstance(error, DomainError)] == []
        if offered.status == BookingStatus.CONFIRMED:
            # Accepted first: nothing left to expire, the next person still waits, no refusal.
            assert (errors, next_one.status) == ([], BookingStatus.WAITING)
        else:
            # Expired first: the acceptance is refused, the seat is held for the next person.
            assert offered.status == BookingStatus.EXPIRED
            assert [str(error) for error in errors] == [
                "Cette proposition de place n'est plus valable : le délai pour confirmer est dépassé. "
                "Vous pouvez vous réinscrire sur la liste d'attente ou choisir une autre date."
            ]
            assert next_one.status == BookingStatus.OFFERED
        assert MeetingSlot.objects.get(pk=slot.pk).seats_taken == 1
        outcomes.add(offered.status)
    assert outcomes <= {BookingStatus.CONFIRMED, BookingStatus.EXPIRED}
