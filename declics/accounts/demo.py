"""Demo accounts, one per role. Called by `manage.py seed_demo`; idempotent."""

import time

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction

from .models import Role, User

DEMO_PASSWORD = "DemoDeclics2026!"
# The authenticator-app key of the demo accounts that need a second factor (staff, adviser):
# published in the README, so these accounts exist only where seed_demo runs (never in production).
DEMO_TOTP_SECRET = "DEMODECLICSNUMERIQUESTOTPDEMOKEY"

DEMO_ACCOUNTS = [
    # (e-mail, first name, last name, role)
    ("candidate@declics.example", "Samira", "Benali", Role.JOB_SEEKER),
    ("mentor@declics.example", "Julien", "Marty", Role.MENTOR),
    ("adviser@declics.example", "Claire", "Roussel", Role.ADVISER),
    ("partner@declics.example", "Karim", "Haddad", Role.PARTNER),
    ("training@declics.example", "Lucie", "Ferrand", Role.PARTNER),
    ("staff@declics.example", "Inès", "Moreau", Role.STAFF),
]


@transaction.atomic
def seed(stdout=None) -> list[User]:
    users = []
    for email, first_name, last_name, role in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "role": role,
                "is_staff": role == Role.STAFF,
                "is_superuser": role == Role.STAFF,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        if user.must_use_second_factor and not Authenticator.objects.filter(user=user).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        users.append(user)
    return users


def totp_code(secret: str = DEMO_TOTP_SECRET, *, at: float | None = None) -> str:
    """The code an authenticator app shows for `secret` at `at` (now by default)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    moment = time.time() if at is None else at
    return format_hotp_value(hotp_value(secret, int(moment) // app_settings.TOTP_PERIOD))
