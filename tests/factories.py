"""Factories shared by every app's tests: plain, with no surprising side effects."""

import factory
from allauth.account.models import EmailAddress

from declics.accounts.models import Role, User

PASSWORD = "Un-mot-de-passe-solide-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.JOB_SEEKER
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True


class AdviserFactory(UserFactory):
    role = Role.ADVISER


class MentorFactory(UserFactory):
    role = Role.MENTOR


class PartnerUserFactory(UserFactory):
    role = Role.PARTNER
