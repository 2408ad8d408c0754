"""Factories for sessions, enrolments and the few territory rows they need."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from declics.territories.models import QPV, Commune, Departement, Region, RuralZone
from programs.forms import normalise
from programs.models import Enrolment, EnrolmentStatus, Session, SessionStatus, SessionStep, Step
from tests.factories import UserFactory


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "76"
    name = "Occitanie"


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ("code",)

    code = "34"
    name = "Hérault"
    region = factory.SubFactory(RegionFactory)


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code", "kind")

    code = factory.Sequence(lambda n: f"34{n:03d}")
    kind = Commune.Kind.CURRENT
    name = factory.Sequence(lambda n: f"Commune {n}")
    search_name = factory.LazyAttribute(lambda o: normalise(o.name))
    departement = factory.SubFactory(DepartementFactory)
    postal_codes = "34000"


class QPVFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QPV
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"EXEMPLE-{n:04d}")
    name = factory.Sequence(lambda n: f"Quartier exemple {n}")
    valid_from = date(2015, 1, 1)
    source = "fichier d'exemple des tests"
    is_sample = True

    @factory.post_generation
    def communes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.communes.set(extracted)


class RuralZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RuralZone

    commune = factory.SubFactory(CommuneFactory)
    classification = RuralZone.Classification.FRR
    valid_from = date(2015, 1, 1)
    source = "fichier d'exemple des tests"
    is_sample = True


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
