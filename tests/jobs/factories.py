"""Factories of the jobs app, with the few territory and session rows they need."""

from datetime import timedelta

import factory
from django.db.models import F
from django.utils import timezone

from declics.rome.models import RomeJob
from jobs.models import Partner, PartnerKind, PartnerMembership
from jobs.offers.models import Application, ContractType, JobOffer
from jobs.trainings.models import MeetingBooking, MeetingSlot, Training, TrainingFormat
from tests.factories import PartnerUserFactory, UserFactory
from tests.programs import factories as programs_factories
from tests.territories import factories as territory_factories
from tests.territories.factories import DepartementFactory, RegionFactory  # noqa: F401 (re-exported for the jobs tests)

# Valid SIRET numbers (Luhn), made up for the tests.
SIRETS = ["73282932000074", "55210055400013", "44306184100047", "38012986600010", "40483304800022"]


def luhn_siret(n: int) -> str:
    """A SIRET-shaped number whose Luhn checksum holds (13 digits + a check digit)."""
    base = f"{900000000 + n:09d}{n % 10000:04d}"
    for check in range(10):
        candidate = base + str(check)
        total = 0
        for index, char in enumerate(reversed(candidate)):
            value = int(char) * (2 if index % 2 else 1)
            total += value - 9 if value > 9 else value
        if total % 10 == 0:
            return candidate
    raise AssertionError("unreachable")


class CommuneFactory(territory_factories.CommuneFactory):
    """Montpellier by default (found again rather than duplicated), with its postal-code rows."""

    code = "34172"
    name = "Montpellier"
    postal_codes = "34000 34070 34080 34090"


class SessionFactory(programs_factories.OpenSessionFactory):
    """The programs session factory with every step open, started five days ago."""

    title = factory.Sequence(lambda n: f"DéClics Hérault {n}")
    slug = factory.Sequence(lambda n: f"declics-herault-jobs-{n}")
    capacity = 100
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=30))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=10))
    starts_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=5))
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    survey_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=31))


class EnrolmentFactory(programs_factories.EnrolmentFactory):
    session = factory.SubFactory(SessionFactory)
    commune = factory.SubFactory(CommuneFactory)
    eligibility = factory.LazyFunction(lambda: {"eligible": True, "basis": "qpv"})


class RomeJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RomeJob
        django_get_or_create = ("code",)

    code = "M1805"
    label = "Développeur / Développeuse informatique"
    is_digital = True


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    kind = PartnerKind.COMPANY
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    siret = factory.Sequence(luhn_siret)
    sector = "Services numériques"


class TrainingBodyFactory(PartnerFactory):
    kind = PartnerKind.TRAINING_BODY
    name = factory.Sequence(lambda n: f"Organisme {n}")
    qualiopi = True


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerMembership

    user = factory.SubFactory(PartnerUserFactory)
    partner = factory.SubFactory(PartnerFactory)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training
        skip_postgeneration_save = True

    body = factory.SubFactory(TrainingBodyFactory)
    title = factory.Sequence(lambda n: f"Formation développeur web {n}")
    duration_hours = 400
    format = TrainingFormat.DISTANCE
    funding_cpf = True

    @factory.post_generation
    def rome_jobs(obj, create, extracted, **kwargs):
        if create:
            obj.rome_jobs.set(extracted if extracted is not None else [RomeJobFactory()])

    @factory.post_generation
    def communes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.communes.set(extracted)


class JobOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JobOffer

    company = factory.SubFactory(PartnerFactory)
    title = factory.Sequence(lambda n: f"Développeur·se web {n}")
    rome_job = factory.SubFactory(RomeJobFactory)
    contract = ContractType.CDI
    commune = factory.SubFactory(CommuneFactory)
    departement = factory.LazyAttribute(lambda o: o.commune.departement if o.commune else None)
    description = "Vous développez des sites pour nos clients."
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))


class MeetingSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSlot

    body = factory.SubFactory(TrainingBodyFactory)
    session = factory.SubFactory(SessionFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    duration_minutes = 20
    seats = 2
    video_url = "https://visio.example.org/rencontre"


def meeting_booking(slot, enrolment, **fields) -> MeetingBooking:
    """A confirmed seat written directly (no notice), the slot's `seats_taken` kept right."""
    fields.setdefault("confirmed_at", timezone.now())
    booking = MeetingBooking.objects.create(
        slot=slot, job_seeker=enrolment.job_seeker, enrolment=enrolment, **fields
    )
    if booking.holds_seat:
        MeetingSlot.objects.filter(pk=slot.pk).update(seats_taken=F("seats_taken") + 1)
        slot.refresh_from_db(fields=["seats_taken"])
    return booking


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    offer = factory.SubFactory(JobOfferFactory)
    job_seeker = factory.SubFactory(UserFactory)
    message = "Bonjour, ce poste m'intéresse."
    cv = factory.django.FileField(filename="cv.pdf", data=PDF_BYTES)
    cv_name = "cv.pdf"
    cv_content_type = "application/pdf"
