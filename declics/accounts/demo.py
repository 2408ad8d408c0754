"""Demo accounts, one per role. Called by `manage.py seed_demo`; idempotent."""

from allauth.account.models import EmailAddress
from django.db import transaction

from .models import Role, User

DEMO_PASSWORD = "DemoDeclics2026!"

DEMO_ACCOUNTS = [
    # (e-mail, first name, last name, role)
    ("candidate@declics.example", "Samira", "Benali", Role.JOB_SEEKER),
    ("mentor@declics.example", "Julien", "Marty", Role.MENTOR),
    ("adviser@declics.example", "Claire", "Roussel", Role.ADVISER),
    ("partner@declics.example", "Karim", "Haddad", Role.PARTNER),
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
        users.append(user)
    return users
