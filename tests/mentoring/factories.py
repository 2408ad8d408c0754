"""Mentoring factories: plain mentor profiles, mentee preferences, requests and mentorships."""

from datetime import timedelta

import factory
from django.db.models import F
from django.utils import timezone

from declics.rome.models import RomeJob
from mentoring.models import (
    MenteePreferences,
    MentoringRequest,
    MentorProfile,
    Mentorship,
    MentorStatus,
    RequestStatus,
)
from tests.factories import MentorFactory
from tests.programs.factories import EnrolmentFactory, RegionFactory


class RomeJobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RomeJob
        django_get_or_create = ("code",)

    code = "M1805"
    label = "Études et développement informatique"
    is_digital = True


class MentorProfileFactory(factory.django.DjangoModelFactory):
    """An approved mentor in Occitanie with two free places; `rome=["M1805"]` sets their jobs."""

    class Meta:
        model = MentorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(MentorFactory)
    job_title = "Développeuse web"
    employer = "EDF"
    region = factory.SubFactory(RegionFactory)
    capacity = 2
    availability = factory.LazyFunction(lambda: ["tue-evening"])
    languages = factory.LazyFunction(lambda: ["fr"])
    status = MentorStatus.APPROVED

    @factory.post_generation
    def rome(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.rome_jobs.set([RomeJobFactory(code=code, label=f"Métier {code}") for code in extracted])

    @factory.post_generation
    def departements(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.departements.set(extracted)


class MenteePreferencesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenteePreferences
        skip_postgeneration_save = True

    enrolment = factory.SubFactory(EnrolmentFactory)
    availability = factory.LazyFunction(lambda: ["tue-evening"])
    languages = factory.LazyFunction(lambda: ["fr"])

    @factory.post_generation
    def rome(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.rome_jobs.set([RomeJobFactory(code=code, label=f"Métier {code}") for code in extracted])


class MentoringRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentoringRequest

    enrolment = factory.SubFactory(EnrolmentFactory)
    mentor = factory.SubFactory(MentorProfileFactory)
    status = RequestStatus.PENDING
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.created_at + timedelta(days=5))


class MentorshipFactory(factory.django.DjangoModelFactory):
    """An active mentorship; the mentor's place counter is kept consistent."""

    class Meta:
        model = Mentorship

    enrolment = factory.SubFactory(EnrolmentFactory)
    mentor = factory.SubFactory(MentorProfileFactory)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        mentorship = super()._create(model_class, *args, **kwargs)
        MentorProfile.objects.filter(pk=mentorship.mentor_id).update(active_mentees=F("active_mentees") + 1)
        mentorship.mentor.refresh_from_db()
        return mentorship
