"""Second-factor secrets at rest, key rotation, the demo accounts' factor, export and erasure."""

import io

import pytest
from allauth.mfa.models import Authenticator
from cryptography.fernet import InvalidToken
from django.core.management import CommandError, call_command

from declics.accounts import demo
from declics.accounts.mfa import MFAAdapter, reencrypt_secrets
from declics.accounts.models import Role
from declics.privacy import services as privacy
from tests.factories import TOTP_SECRET, StaffFactory, UserFactory, recovery_codes_of, totp_code, with_totp

pytestmark = pytest.mark.django_db


def _stored_secret(user) -> str:
    return Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]


def test_totp_secret_and_recovery_seed_are_stored_encrypted():
    user = with_totp(StaffFactory(), recovery_codes=True)
    seed = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).data["seed"]

    assert _stored_secret(user) != TOTP_SECRET
    assert MFAAdapter().decrypt(_stored_secret(user)) == TOTP_SECRET
    assert seed.startswith("gAAAAA")  # a Fernet token, not the 80 hex digits of the seed
    assert len(recovery_codes_of(user)) == 10


def test_a_copy_of_the_database_without_the_key_gives_no_secret(settings):
    user = with_totp(StaffFactory())
    settings.SECRET_KEY = "une-autre-cle-secrete-" * 3

    with pytest.raises(InvalidToken):
        MFAAdapter().decrypt(_stored_secret(user))


def test_rotating_the_secret_key_keeps_the_second_factors(settings):
    user = with_totp(StaffFactory(), recovery_codes=True)
    codes = recovery_codes_of(user)
    former = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "nouvelle-cle-secrete-" * 3, [former]

    still_readable = MFAAdapter().decrypt(_stored_secret(user))
    out = io.StringIO()
    call_command("reencrypt_second_factors", stdout=out)
    settings.SECRET_KEY_FALLBACKS = []

    assert still_readable == TOTP_SECRET
    assert out.getvalue() == "2 second factor(s) re-encrypted.\n"
    assert MFAAdapter().decrypt(_stored_secret(user)) == TOTP_SECRET
    assert recovery_codes_of(user) == codes
    assert reencrypt_secrets() == 2


def test_demo_staff_and_adviser_have_the_documented_authenticator_key():
    users = demo.seed()
    demo.seed()  # idempotent

    with_factor = {
        user.role: MFAAdapter().decrypt(_stored_secret(user))
        for user in users
        if Authenticator.objects.filter(user=user).exists()
    }
    assert with_factor == {Role.STAFF: demo.DEMO_TOTP_SECRET, Role.ADVISER: demo.DEMO_TOTP_SECRET}
    assert Authenticator.objects.count() == 2


def test_demo_code_prints_the_demo_accounts_current_code(settings):
    settings.ALLOW_DEMO_DATA = True
    out = io.StringIO()

    before = totp_code(demo.DEMO_TOTP_SECRET)
    call_command("demo_code", stdout=out)
    after = totp_code(demo.DEMO_TOTP_SECRET)  # (the 30-second step may turn meanwhile)

    assert out.getvalue().strip() in {before, after}
    assert len(out.getvalue().strip()) == 6


def test_demo_code_is_refused_when_demo_data_is(settings):
    settings.ALLOW_DEMO_DATA = False

    with pytest.raises(CommandError):
        call_command("demo_code")


def test_export_lists_the_second_factors_never_their_secrets():
    user = with_totp(UserFactory(), recovery_codes=True)

    data = privacy.export_user_data(user=user)

    assert [factor["type"]["value"] for factor in data["second_factors"]] == ["totp", "recovery_codes"]
    assert TOTP_SECRET not in str(data)
    assert _stored_secret(user) not in str(data)


def test_erasure_removes_the_second_factors():
    user = with_totp(UserFactory(), recovery_codes=True)

    privacy.erase_user(user=user)

    assert not Authenticator.objects.filter(user=user).exists()
