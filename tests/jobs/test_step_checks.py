"""Booking a training body's meeting, saying "I am interested" (step 5) and applying (step 6) wait for
their step to open on the session's calendar."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from jobs.offers.models import Application
from jobs.trainings.models import MeetingBooking, TrainingInterest
from programs.models import Step, StepProgress
from tests.programs.factories import lock_step

from .factories import PDF_BYTES, EnrolmentFactory, JobOfferFactory, MeetingSlotFactory, TrainingFactory

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Cette étape ouvre le lundi 2 mars à 09:30 : revenez à ce moment-là."


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


@pytest.fixture
def seeker_client(client, enrolment):
    client.force_login(enrolment.job_seeker)
    return client


def test_booking_a_meeting_before_step_5_opens_is_409_and_saves_nothing(seeker_client, enrolment):
    lock_step(enrolment.session, Step.TRAININGS)
    slot = MeetingSlotFactory(session=enrolment.session, starts_at=timezone.now() + timedelta(days=2))

    response = seeker_client.post(reverse("jobs:book_meeting", args=[slot.pk]))

    assert response.status_code == 409
    assert [str(message) for message in response.context["messages"]] == [LOCKED_MESSAGE]
    assert [s.pk for s in response.context["slots"]] == [slot.pk]
    assert MeetingBooking.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_saying_interested_in_a_training_before_step_5_opens_is_400_and_saves_nothing(
    seeker_client, enrolment
):
    lock_step(enrolment.session, Step.TRAININGS)
    training = TrainingFactory()

    response = seeker_client.post(
        reverse("jobs:training_detail", args=[training.pk]), {"message": "Bonjour", "consent": "on"}
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [LOCKED_MESSAGE]
    assert TrainingInterest.objects.count() == 0
    assert StepProgress.objects.count() == 0


def test_applying_before_step_6_opens_is_400_and_saves_nothing(seeker_client, enrolment, _private_media):
    lock_step(enrolment.session, Step.JOBS)
    offer = JobOfferFactory()

    response = seeker_client.post(
        reverse("jobs:apply", args=[offer.pk]),
        {"message": "Bonjour", "consent": "on", "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES)},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [LOCKED_MESSAGE]
    assert Application.objects.count() == 0
    assert [path for path in _private_media.rglob("*") if path.is_file()] == []
    assert OutboxMessage.objects.count() == 0
