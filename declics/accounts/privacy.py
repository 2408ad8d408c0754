"""What the accounts app holds about people: the account, its e-mail addresses and second factors,
staff invitations, and the framework's tables it runs (logins, the admin's journal).

Erasure blanks the account's identifiers and makes it unusable, but keeps the row: the rows other
apps keep for the counted figures still have an owner, who can no longer log in or be reached.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from declics import audit, personal_data
from declics.personal_data import choice, iso

from .models import Invitation, User


def export(user: User) -> dict:
    invitation = Invitation.objects.filter(user=user).first()
    return {
        "account": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "phone_verified": user.phone_verified,
            "role": choice(user, "role"),
            "language": user.language,
            "is_active": user.is_active,
            "date_joined": iso(user.date_joined),
            "last_login": iso(user.last_login),
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        # Which second factors, when added and last used: never their secrets.
        "second_factors": [
            {"type": choice(a, "type"), "created_at": iso(a.created_at), "last_used_at": iso(a.last_used_at)}
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "staff_invitation": None
        if invitation is None
        else {
            "role": choice(invitation, "role"),
            "created_at": iso(invitation.created_at),
            "accepted_at": iso(invitation.accepted_at),
        },
    }


def erase(*, user: User, now) -> None:
    anonymous = personal_data.anonymised_email(user)
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Invitation.objects.filter(Q(user=user) | Q(email__iexact=user.email)).update(
        email=anonymous, first_name="", last_name=""
    )
    # The admin's journal keeps what the team did to the account, not who it was.
    LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(object_repr=anonymous, change_message="")
    user.email = anonymous
    user.first_name = ""
    user.last_name = ""
    user.phone = ""
    user.phone_verified = False
    user.is_active = False
    user.set_unusable_password()  # also ends every other logged-in session (the hash changes)
    user.save(
        update_fields=["email", "first_name", "last_name", "phone", "phone_verified", "is_active", "password"]
    )
    # The team's audit log keeps its actions about the person, not what they said of them (last:
    # the deactivation just saved may have written one more entry).
    audit.anonymise_entries_about(user)


PERSONAL_DATA = personal_data.PersonalData(
    app="accounts",
    order=personal_data.ACCOUNT,
    personal={
        "accounts.User": "email first_name last_name phone phone_verified password",
        "accounts.Invitation": "email first_name last_name",
        # Deleted at erasure (the confirmations with their address).
        "account.EmailAddress": "user email verified primary",
        "account.EmailConfirmation": "email_address created sent key",
        "mfa.Authenticator": "user type data created_at last_used_at",
        # The journal's text about the account; as a staff member's actions, not theirs to export.
        "admin.LogEntry": "object_repr change_message",
        # A browser's login: it stops working at erasure (the password's hash changes) and the
        # row goes at its expiry (`clearsessions`).
        "sessions.Session": "session_data",
        # The team's audit log (declics.audit): the title and values of entries about the person
        # are blanked at erasure; no IP address is recorded (AUDITLOG_DISABLE_REMOTE_ADDR).
        "auditlog.LogEntry": "object_repr serialized_data changes_text changes additional_data "
        "remote_addr actor_email",
    },
    kept={
        "accounts.User": "role language is_active is_staff is_superuser date_joined last_login groups "
        "user_permissions",
        "accounts.Invitation": "role invited_by user created_at expires_at accepted_at",
        "admin.LogEntry": "user action_time content_type object_id action_flag",
        "auditlog.LogEntry": "actor timestamp content_type object_pk object_id action cid remote_port",
    },
    not_personal={
        "accounts.Invitation": "token",
        "sessions.Session": "session_key expire_date",
        "auth.Permission": "name codename",
        "auth.Group": "name",
        "contenttypes.ContentType": "app_label model",
    },
    export=export,
    erase=erase,
)
