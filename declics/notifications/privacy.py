"""What the outbox holds about people: every message sent (or to be sent) to them.

Erasure cancels the messages not sent yet, those the other apps' erasure just queued included
(the outbox is erased after them), and blanks every message's address and text; the row stays, so
that its de-duplication key still keeps a retried task from sending it again.
"""

from django.db.models import Q

from declics import personal_data
from declics.personal_data import choice, iso

from .models import OutboxMessage


def _messages_to(user):
    return OutboxMessage.objects.filter(Q(user=user) | Q(to_email__iexact=user.email))


def export(user) -> dict:
    return {
        "messages_sent_to_you": [
            {
                "to": message.to_email,
                "subject": message.subject,
                "text": message.body_text,
                "status": choice(message, "status"),
                "created_at": iso(message.created_at),
                "sent_at": iso(message.sent_at),
            }
            for message in _messages_to(user).order_by("created_at", "pk")
        ]
    }


def erase(*, user, now) -> None:
    _messages_to(user).filter(status=OutboxMessage.Status.PENDING).update(
        status=OutboxMessage.Status.CANCELLED
    )
    _messages_to(user).update(
        user=user,
        to_email=personal_data.anonymised_email(user),
        subject="",
        body_text="",
        body_html="",
        attachments=[],
        last_error="",  # a server's refusal often quotes the address
    )


PERSONAL_DATA = personal_data.PersonalData(
    app="notifications",
    order=personal_data.FOUNDATION,
    personal={"notifications.OutboxMessage": "to_email subject body_text body_html attachments last_error"},
    kept={
        "notifications.OutboxMessage": "user dedup_key status send_after attempts first_failed_at "
        "locked_until created_at sent_at"
    },
    export=export,
    erase=erase,
)
