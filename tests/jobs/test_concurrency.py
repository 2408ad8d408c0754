"""No overbooking of a meeting slot, nor a double application, under real concurrency (PostgreSQL)."""

import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections

from jobs.offers import services as offer_services
from jobs.offers.models import Application
from jobs.trainings import services
from jobs.trainings.models import BookingStatus, MeetingBooking

from .factories import PDF_BYTES, EnrolmentFactory, JobOfferFactory, MeetingSlotFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks (SELECT … FOR UPDATE) need PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_in_threads(targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    def run(target):
        try:
            barrier.wait()
            target()
        except Exception as error:  # counted by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_eight_people_racing_for_three_seats_get_three_bookings():
    slot = MeetingSlotFactory(seats=3)
    enrolments = [EnrolmentFactory(session=slot.session) for _ in range(8)]

    errors = run_in_threads(
        [lambda e=enrolment: services.book_meeting_slot(slot=slot, enrolment=e) for enrolment in enrolments]
    )

    assert MeetingBooking.objects.filter(slot=slot, status=BookingStatus.BOOKED).count() == 3
    assert sorted(str(error) for error in errors) == ["Ce créneau est complet : choisissez-en un autre."] * 5


def test_a_double_click_on_apply_keeps_one_application_and_one_file(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    offer = JobOfferFactory()
    enrolment = EnrolmentFactory()

    def apply():
        offer_services.apply_to_offer(
            offer=offer, enrolment=enrolment, message="Bonjour", cv=SimpleUploadedFile("cv.pdf", PDF_BYTES)
        )

    errors = run_in_threads([apply, apply])

    assert Application.objects.count() == 1
    assert [str(error) for error in errors] == ["Vous avez déjà postulé à cette offre."]
    assert len([path for path in tmp_path.rglob("*") if path.is_file()]) == 1
