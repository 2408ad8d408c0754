"""Asking a mentor waits for step 3 to open on the session's calendar."""

import pytest
from django.urls import reverse

from declics.notifications.models import OutboxMessage
from mentoring.models import MentoringRequest
from programs.models import Step
from tests.programs.factories import lock_step

pytestmark = pytest.mark.django_db


def test_asking_a_mentor_before_step_3_opens_is_400_and_saves_nothing(client, enrolment, mentor):
    lock_step(enrolment.session, Step.MENTOR)
    client.force_login(enrolment.job_seeker)

    response = client.post(
        reverse("mentoring:ask_mentor", args=[enrolment.session.slug, mentor.public_id]),
        {"message": "Bonjour"},
    )

    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Cette étape ouvre le lundi 2 mars à 09:30 : revenez à ce moment-là."
    ]
    assert MentoringRequest.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
