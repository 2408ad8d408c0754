"""Launching a session as a copy of an earlier one copies its workshops and its talks, shifted."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from programs import registry, services
from programs.models import Step
from programs.role_models import services as role_model_services
from programs.role_models.models import Talk
from programs.workshops import services as workshop_services
from programs.workshops.models import Workshop, WorkshopStatus
from tests.factories import MentorFactory, StaffFactory

from .factories import DepartementFactory, EnrolmentFactory, OpenSessionFactory, SessionFactory
from .role_models.factories import RoleModelFactory, TalkFactory, TalkRegistrationFactory
from .workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

SHIFT = timedelta(days=364)  # the same weekday, a year later


def _launch_copy(source, **overrides):
    aude = DepartementFactory(code="11", name="Aude")
    kwargs = {
        "title": "DéClics Aude, nouvelle édition",
        "region": aude.region,
        "departements": [aude],
        "capacity": 100,
        "registration_opens_at": source.registration_opens_at + SHIFT,
        "registration_closes_at": source.registration_closes_at + SHIFT,
        "starts_at": source.starts_at + SHIFT,
        "ends_at": source.ends_at + SHIFT,
        "copy_from": source,
        "created_by": StaffFactory(),
    }
    return services.launch_session(**{**kwargs, **overrides})


def test_launching_a_copy_copies_workshops_and_talks_shifted_to_the_new_dates():
    source = OpenSessionFactory()
    facilitator = MentorFactory()
    workshop = WorkshopFactory(session=source, title="Mon CV en une page", facilitators=[facilitator])
    WorkshopFactory(session=source, status=WorkshopStatus.CANCELLED, title="Annulé")
    speaker = RoleModelFactory(first_name="Nadia")
    speaker.sessions.add(source)
    talk = TalkFactory(
        session=source,
        title="Du commerce au code",
        starts_at=timezone.now() + timedelta(days=2),
        seats=50,
        replay_url="https://replay.example.org/commerce-code",
        speakers=[speaker],
    )
    TalkRegistrationFactory(talk=talk, enrolment=EnrolmentFactory(session=source))
    host = StaffFactory()
    Talk.objects.filter(pk=talk.pk).update(host=host)

    copy = _launch_copy(source)

    assert {s.step: s.opens_at for s in copy.steps.all()} == {
        s.step: s.opens_at + SHIFT for s in source.steps.all()
    }
    [new_workshop] = Workshop.objects.filter(session=copy)
    assert (
        new_workshop.title,
        new_workshop.starts_at,
        new_workshop.seats_taken,
        new_workshop.copied_from,
    ) == (
        "Mon CV en une page",
        workshop.starts_at + SHIFT,
        0,
        workshop,
    )
    assert list(new_workshop.facilitators.all()) == [facilitator]
    [new_talk] = Talk.objects.filter(session=copy)
    assert (
        new_talk.title,
        new_talk.starts_at,
        new_talk.duration_minutes,
        new_talk.seats,
        new_talk.seats_taken,
        new_talk.host,
        new_talk.replay_url,
        new_talk.registrations.count(),
    ) == ("Du commerce au code", talk.starts_at + SHIFT, 60, 50, 0, host, "", 0)
    assert list(new_talk.role_models.all()) == [speaker]
    assert list(copy.role_models.all()) == [speaker]
    # The source keeps its own rows.
    assert (source.talks.count(), source.workshops.count(), talk.registrations.count()) == (1, 2, 1)


def test_launching_a_session_without_a_source_copies_nothing():
    TalkFactory()
    WorkshopFactory()
    source_like = OpenSessionFactory()

    session = _launch_copy(
        source_like,
        copy_from=None,
        survey_at=source_like.survey_at + SHIFT,
        step_dates={
            step.value: source_like.starts_at + SHIFT + timedelta(days=i) for i, step in enumerate(Step)
        },
    )

    assert (session.talks.count(), session.workshops.count(), session.role_models.count()) == (0, 0, 0)


def test_talks_workshops_and_meeting_slots_register_as_copy_hooks():
    from jobs.trainings import services as training_services

    assert registry.entry(Step.ROLE_MODELS).copy_into is role_model_services.copy_talks
    assert registry.entry(Step.WORKSHOPS).copy_into is workshop_services.copy_workshops
    assert registry.entry(Step.TRAININGS).copy_into is training_services.copy_meeting_slots


def test_launching_a_copy_brings_the_training_bodies_meeting_slots_shifted_and_empty():
    from jobs.trainings.models import MeetingSlot
    from programs.bookings.models import SlotStatus
    from tests.jobs.factories import MeetingSlotFactory, meeting_booking

    source = OpenSessionFactory()
    slot = MeetingSlotFactory(session=source, seats=2)
    meeting_booking(slot, EnrolmentFactory(session=source))
    MeetingSlotFactory(session=source, status=SlotStatus.CANCELLED)

    copy = _launch_copy(source)

    [new_slot] = MeetingSlot.objects.filter(session=copy)
    assert (
        new_slot.body_id,
        new_slot.starts_at,
        new_slot.seats,
        new_slot.seats_taken,
        new_slot.sequence,
    ) == (
        slot.body_id,
        slot.starts_at + SHIFT,
        2,
        0,
        0,
    )
    assert new_slot.bookings.count() == 0


@pytest.mark.parametrize(
    "starts_at",
    [
        datetime(1, 1, 1, 12, tzinfo=UTC),
        datetime(9999, 12, 31, 23, 0, tzinfo=UTC),
        datetime(1900, 1, 2, tzinfo=UTC),
    ],
)
def test_copying_a_calendar_out_of_1900_to_2100_is_refused_not_overflowed(starts_at):
    source = SessionFactory()

    with pytest.raises(services.SessionError, match="les dates copiées sortiraient du calendrier"):
        services.copy_session_calendar(source=source, starts_at=starts_at)
    with pytest.raises(services.SessionError):  # a message to show, never an OverflowError
        _launch_copy(source, starts_at=starts_at)
