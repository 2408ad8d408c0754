"""No overbooking of a meeting slot under real concurrency (PostgreSQL)."""

import pytest
from django.db import connection

from jobs.trainings import services
from jobs.trainings.models import BookingStatus, MeetingBooking
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


def test_eight_people_racing_for_three_seats_get_three_bookings():
    slot = MeetingSlotFactory(seats=3)
    enrolments = [EnrolmentFactory(session=slot.session) for _ in range(8)]

    errors = run_in_threads(
        [lambda e=enrolment: services.book_meeting_slot(slot=slot, enrolment=e) for enrolment in enrolments]
    )

    assert MeetingBooking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count() == 3
    assert sorted(str(error) for error in errors) == ["Ce créneau est complet : choisissez-en un autre."] * 5
