"""Applying to an offer (step 6) waits for the step to open on the session's calendar."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from declics.notifications.models import OutboxMessage
from jobs.offers.models import Application
from programs.models import Step
from tests.jobs.factories import PDF_BYTES, JobOfferFactory
from tests.programs.factories import lock_step

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Cette étape ouvre le lundi 2 mars à 09:30 : revenez à ce moment-là."


def test_applying_before_step_6_opens_is_400_and_saves_nothing(seeker_client, enrolment, _private_media):
    lock_step(enrolment.session, Step.JOBS)
    offer = JobOfferFactory()

    response = seeker_client.post(
        reverse("jobs:apply", args=[enrolment.session.slug, offer.pk]),
        {"message": "Bonjour", "consent": "on", "cv": SimpleUploadedFile("cv.pdf", PDF_BYTES)},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [LOCKED_MESSAGE]
    assert Application.objects.count() == 0
    assert [path for path in _private_media.rglob("*") if path.is_file()] == []
    assert OutboxMessage.objects.count() == 0
