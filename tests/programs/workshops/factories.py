"""Factories for workshops and bookings: plain rows, no seats counted, no e-mail queued.

To book as the application does, call `programs.services.book_workshop`; `participant(session)`
gives an enrolled job seeker to book with.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from programs.workshops.models import Workshop, WorkshopTopic
from tests.factories import UserFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    session = factory.SubFactory(OpenSessionFactory)
    title = factory.Sequence(lambda n: f"Réussir son entretien {n}")
    topic = WorkshopTopic.INTERVIEW
    description = "On s'entraîne à parler de son parcours, en petit groupe et sans jugement."
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    )
    duration_minutes = 90
    seats = 5
    video_url = "https://visio.example.org/atelier-entretien"
    accessibility_notes = "Sous-titres en direct ; accès par téléphone au 01 23 45 67 89."

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.facilitators.set(extracted)


def participant(session, **user_fields):
    """A job seeker with an active enrolment in `session`."""
    return EnrolmentFactory(session=session, job_seeker=UserFactory(**user_fields)).job_seeker
