"""Factories for sessions and enrolments; territory rows come from tests/territories/factories.py."""

from datetime import timedelta

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
    "QPVFactory",
    "RegionFactory",
    "RuralZoneFactory",
    "SessionFactory",
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


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    session = factory.SubFactory(SessionFactory)
    job_seeker = factory.SubFactory(UserFactory)
    status = EnrolmentStatus.ACTIVE
    commune = factory.SubFactory(CommuneFactory)
    eligibility = factory.LazyFunction(lambda: {"eligible": True, "basis": "frr"})
