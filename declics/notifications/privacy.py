"""What the outbox holds about people: every message sent (or to be sent) to them.

Erasure cancels the messages not sent yet, those the other apps' erasure just queued included
(the outbox is erased after them), and blanks every message's address and text; the row stays, so
that its de-duplication key still keeps a retried task from sending it again.
"""

from django.db.models import Case, Q, Value, When

from declics import personal_data
from declics.personal_data import choice, iso

from .models import DailyBudget, DigestItem, NotificationPreference, OutboxMessage, SmsOptOut


def _messages_to(user):
    found = Q(user=user)
    if user.email:
        found |= Q(to_email__iexact=user.email)
    if user.phone:
        found |= Q(to_phone=user.phone)
    return OutboxMessage.objects.filter(found)


def export(user) -> dict:
    preference = NotificationPreference.objects.filter(user=user).first()
    return {
        "message_preferences": {
            "language": user.language,
            "channels": dict(preference.channels) if preference else {},
            "turned_off": list(preference.muted) if preference else [],
            "quiet_hours": [
                preference.quiet_from.isoformat() if preference and preference.quiet_from else None,
                preference.quiet_until.isoformat() if preference and preference.quiet_until else None,
            ],
        },
        "messages_held_for_a_digest": [
            {
                "subject": item.subject,
                "text": item.body_text,
                "held_at": iso(item.held_at),
                "sent": bool(item.digest_key),
            }
            for item in DigestItem.objects.filter(user=user).order_by("held_at", "pk")
        ],
        "messages_sent_to_you": [
            {
                "channel": choice(message, "channel"),
                "to": message.recipient,
                "subject": message.subject,
                "text": message.body_text,
                "status": choice(message, "status"),
                "created_at": iso(message.created_at),
                "sent_at": iso(message.sent_at),
            }
            for message in _messages_to(user).order_by("created_at", "pk")
        ],
        "sms_refused": [
            {
                "phone": opt_out.phone,
                "source": choice(opt_out, "source"),
                "created_at": iso(opt_out.created_at),
            }
            for opt_out in SmsOptOut.objects.filter(phone=user.phone)
        ]
        if user.phone
        else [],
    }


def erase(*, user, now) -> None:
    if user.phone:
        SmsOptOut.objects.filter(phone=user.phone).delete()
    NotificationPreference.objects.filter(user=user).delete()
    DigestItem.objects.filter(user=user).delete()
    DailyBudget.objects.filter(user=user).delete()
    _messages_to(user).filter(status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.CANCELLED
    )
    _messages_to(user).update(
        user=user,
        to_email=Case(
            When(channel=OutboxMessage.Channel.EMAIL, then=Value(personal_data.anonymised_email(user))),
            default=Value(""),
        ),
        # An SMS row keeps a number (the table requires one): a number that reaches no one.
        to_phone=Case(When(channel=OutboxMessage.Channel.SMS, then=Value("+0")), default=Value("")),
        subject="",
        body_text="",
        body_html="",
        attachments=[],
        headers={},  # the unsubscribe link names the person
        last_error="",  # a server's refusal often quotes the address
    )


PERSONAL_DATA = personal_data.PersonalData(
    app="notifications",
    order=personal_data.FOUNDATION,
    personal={
        "notifications.OutboxMessage": "to_email to_phone subject body_text body_html attachments headers "
        "last_error",
        # A STOP reply is the person's (their number): exported, and deleted with the account.
        "notifications.SmsOptOut": "phone",
        "notifications.NotificationPreference": "channels muted quiet_from quiet_until",
        "notifications.DigestItem": "subject body_text",
    },
    kept={
        "notifications.OutboxMessage": "user dedup_key channel kind status send_after attempts "
        "first_failed_at locked_until created_at sent_at segments",
        "notifications.SmsOptOut": "source created_at",
        "notifications.NotificationPreference": "user updated_at",
        "notifications.DigestItem": "user key kind held_at digest_key",
        "notifications.DailyBudget": "user day used",
    },
    export=export,
    erase=erase,
)
