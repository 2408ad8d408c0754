from datetime import timedelta

import factory
from django.utils import timezone

from declics.rome.models import RomeJob
from programs.role_models.models import RoleModel, Talk, TalkRegistration
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory


class RomeJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RomeJob
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"M18{n % 90 + 10:02d}")
    label = factory.LazyAttribute(lambda o: f"Métier {o.code}")
    is_digital = True


class RoleModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleModel

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = "Dupont"
    job_title = "Développeuse web"
    rome = factory.SubFactory(RomeJobFactory, code="M1855", label="Développeur / Développeuse web")
    employer = "Une entreprise de Montpellier"
    town = "Montpellier"
    story = "J'étais vendeuse, j'ai suivi une formation de dix mois."


class TalkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Talk
        skip_postgeneration_save = True

    session = factory.SubFactory(OpenSessionFactory)
    title = factory.Sequence(lambda n: f"Témoignage {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))
    duration_minutes = 60
    video_url = "https://visio.example.org/salle-secrete-123"

    @factory.post_generation
    def speakers(obj, create, extracted, **kwargs):
        if create:
            obj.role_models.set(extracted if extracted is not None else [RoleModelFactory()])


class TalkRegistrationFactory(factory.django.DjangoModelFactory):
    """A confirmed registration as a plain row: no seat counted, no e-mail queued (to register as
    the application does, call `programs.role_models.services.register_for_talk`)."""

    class Meta:
        model = TalkRegistration

    talk = factory.SubFactory(TalkFactory)
    enrolment = factory.LazyAttribute(lambda o: EnrolmentFactory(session=o.talk.session))
    job_seeker = factory.LazyAttribute(lambda o: o.enrolment.job_seeker)
    confirmed_at = factory.LazyFunction(timezone.now)
