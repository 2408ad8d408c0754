"""Factories for sessions and enrolments; territory rows come from tests/territories/factories.py."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from programs.models import Enrolment, EnrolmentStatus, Session, SessionStatus, SessionStep, Step
from tests.factories import UserFactory
from tests.territories.factories import (
    CommuneFactory,
    DepartementFactory,
    QPVFactory,
    RegionFactory,
    RuralZoneFactory,
)

__all__ = [
    "CommuneFactory",
    "DepartementFactory",
    "EnrolmentFactory",
    "LOCKED_UNTIL",
    "OpenSessionFactory",
    "QPVFactory",
    "RegionFactory",
    "RuralZoneFactory",
    "SessionFactory",
    "lock_step",
]


class SessionFactory(factory.django.DjangoModelFactory):
    """A published session open for registration now, starting in 10 days, with its six steps."""

    class Meta:
        model = Session
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"DéClics Hérault {n}")
    slug = factory.Sequence(lambda n: f"declics-herault-{n}")
    region = factory.SubFactory(RegionFactory)
    status = SessionStatus.REGISTRATION_OPEN
    capacity = 30
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=9))
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(days=20))
    survey_at = factory.LazyAttribute(lambda o: o.ends_at)
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=6))

    @factory.post_generation
    def departements(obj, create, extracted, **kwargs):
        if create:
            obj.departements.set(extracted or [DepartementFactory()])

    @factory.post_generation
    def steps(obj, create, extracted, **kwargs):
        """Steps every 3 days from the start (or `steps=[dates]`)."""
        if not create:
            return
        dates = extracted or [obj.starts_at + timedelta(days=3 * i) for i in range(len(Step))]
        SessionStep.objects.bulk_create(
            [
                SessionStep(session=obj, step=step.value, opens_at=when)
                for step, when in zip(Step, dates, strict=True)
            ]
        )


class OpenSessionFactory(SessionFactory):
    """A running session (started 3 days ago, registration still open) whose six steps are all open.

    The default session of the step factories (workshops, talks, mentoring, jobs): booking,
    asking a mentor or applying is refused before the step opens (`ensure_step_open`), so tests of
    those actions start from a calendar where every step has opened, and were marked opened by the
    calendar task (no step-opened notice is pending).
    """

    status = SessionStatus.RUNNING
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(days=30))

    @factory.post_generation
    def steps(obj, create, extracted, **kwargs):
        """Steps one hour apart from the start, all opened (or `steps=[dates]`, opened if past)."""
        if not create:
            return
        now = timezone.now()
        dates = extracted or [obj.starts_at + timedelta(hours=i) for i in range(len(Step))]
        SessionStep.objects.bulk_create(
            [
                SessionStep(
                    session=obj, step=step.value, opens_at=when, opened_at=when if when <= now else None
                )
                for step, when in zip(Step, dates, strict=True)
            ]
        )


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    session = factory.SubFactory(SessionFactory)
    job_seeker = factory.SubFactory(UserFactory)
    status = EnrolmentStatus.ACTIVE
    commune = factory.SubFactory(CommuneFactory)
    eligibility = factory.LazyFunction(lambda: {"eligible": True, "basis": "frr"})


# A Monday far ahead: "Cette étape ouvre le lundi 2 mars à 09:30…".
LOCKED_UNTIL = datetime(2099, 3, 2, 9, 30, tzinfo=ZoneInfo("Europe/Paris"))


def lock_step(session, step, opens_at=LOCKED_UNTIL):
    """Move one step of `session` to a later opening date (not opened yet)."""
    SessionStep.objects.filter(session=session, step=step).update(opens_at=opens_at, opened_at=None)
