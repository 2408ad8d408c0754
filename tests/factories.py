"""Factories shared by every app's tests: plain, with no surprising side effects."""

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from declics.accounts.demo import totp_code as totp_code  # the code an authenticator app shows
from declics.accounts.models import Role, User

PASSWORD = "Un-mot-de-passe-solide-42"
# The authenticator-app key given to test accounts by `with_totp`; `totp_code(TOTP_SECRET)` is its code now.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


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


def with_totp(user: User, *, secret: str = TOTP_SECRET, recovery_codes: bool = False) -> User:
    """Give `user` an authenticator app (and, if asked, recovery codes), as after setting it up."""
    TOTP.activate(user, secret)
    if recovery_codes:
        RecoveryCodes.activate(user)
    return user


def recovery_codes_of(user: User) -> list[str]:
    return RecoveryCodes.activate(user).get_unused_codes()
