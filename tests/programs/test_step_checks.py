"""Nothing happens on a step before it opens: the helper, then the talks and workshops that use it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from programs import services
from programs.models import Step
from programs.role_models.models import TalkRegistration
from programs.workshops import services as workshop_services
from programs.workshops.models import Workshop, WorkshopBooking

from .factories import LOCKED_UNTIL, EnrolmentFactory, OpenSessionFactory, SessionFactory, lock_step
from .role_models.factories import TalkFactory
from .workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

LOCKED_MESSAGE = "Cette étape ouvre le lundi 2 mars à 09:30 : revenez à ce moment-là."


def test_ensure_step_open_passes_once_the_step_has_opened():
    enrolment = EnrolmentFactory(session=OpenSessionFactory())

    for step in Step:
        assert services.ensure_step_open(enrolment=enrolment, step=step) is None


def test_ensure_step_open_refuses_before_the_opening_date_with_the_date_in_french():
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    lock_step(enrolment.session, Step.MENTOR)

    with pytest.raises(services.StepNotOpen) as refused:
        services.ensure_step_open(enrolment=enrolment, step=Step.MENTOR)

    assert str(refused.value) == LOCKED_MESSAGE
    # The exact opening minute is open.
    assert services.ensure_step_open(enrolment=enrolment, step=Step.MENTOR, now=LOCKED_UNTIL) is None


def test_ensure_step_open_raises_the_callers_error_and_refuses_a_step_missing_from_the_calendar():
    enrolment = EnrolmentFactory(session=OpenSessionFactory())
    enrolment.session.steps.filter(step=Step.JOBS).delete()

    with pytest.raises(workshop_services.WorkshopError, match="^Cette étape n'est pas encore au calendrier"):
        services.ensure_step_open(enrolment=enrolment, step=Step.JOBS, error=workshop_services.WorkshopError)


def test_booking_a_workshop_before_step_4_opens_is_409_and_saves_nothing(client):
    session = OpenSessionFactory()
    lock_step(session, Step.WORKSHOPS)
    workshop = WorkshopFactory(session=session)
    enrolment = EnrolmentFactory(session=session)
    client.force_login(enrolment.job_seeker)

    response = client.post(reverse("programs:workshop_book", args=[workshop.pk]))

    assert response.status_code == 409
    assert response.context["error"] == LOCKED_MESSAGE
    assert WorkshopBooking.objects.count() == 0
    assert Workshop.objects.get(pk=workshop.pk).seats_taken == 0
    assert OutboxMessage.objects.count() == 0


def test_registering_for_a_talk_before_step_1_opens_is_409_and_saves_nothing(client):
    # The default session: registration open, the session (and step 1) starts in 10 days.
    session = SessionFactory()
    lock_step(session, Step.ROLE_MODELS)
    talk = TalkFactory(session=session, starts_at=timezone.now() + timedelta(days=2))
    enrolment = EnrolmentFactory(session=session)
    client.force_login(enrolment.job_seeker)

    response = client.post(reverse("programs:talk_register", args=[talk.pk]))

    assert response.status_code == 409
    assert LOCKED_MESSAGE in response.content.decode()
    assert TalkRegistration.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
