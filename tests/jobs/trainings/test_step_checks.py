"""Booking a training body's meeting and saying "I am interested" (step 5) wait for the step to open
on the session's calendar."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from jobs.trainings.models import MeetingBooking, TrainingInterest
from programs.models import Step, StepProgress
from tests.jobs.factories import (
    MeetingSlotFactory,
    TrainingFactory,
)
from tests.programs.factories import lock_step

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Cette étape ouvre le lundi 2 mars à 09:30 : revenez à ce moment-là."


def test_booking_a_meeting_before_step_5_opens_is_409_and_saves_nothing(seeker_client, enrolment):
    lock_step(enrolment.session, Step.TRAININGS)
    slot = MeetingSlotFactory(session=enrolment.session, starts_at=timezone.now() + timedelta(days=2))

    response = seeker_client.post(reverse("jobs:book_meeting", args=[enrolment.session.slug, slot.pk]))

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
        reverse("jobs:training_detail", args=[enrolment.session.slug, training.pk]),
        {"message": "Bonjour", "consent": "on"},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [LOCKED_MESSAGE]
    assert TrainingInterest.objects.count() == 0
    assert StepProgress.objects.count() == 0
