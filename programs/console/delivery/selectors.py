"""Reads of the outbox for the delivery page: the figures in one query, the lines without bodies."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q, QuerySet

from declics.notifications.models import OutboxMessage

Status = OutboxMessage.Status
# What the page shows of a message: never its text, HTML or attachments.
LINE_FIELDS = (
    "pk",
    "channel",
    "to_email",
    "to_phone",
    "subject",
    "status",
    "attempts",
    "last_error",
    "send_after",
    "sent_at",
    "created_at",
)


@dataclass(frozen=True)
class Figures:
    pending: int
    due: int
    sent: int
    failed: int
    cancelled: int
    oldest_due: datetime | None
    now: datetime

    @property
    def lag(self) -> timedelta | None:
        """How long the oldest message due has waited past its time (None: nothing is late)."""
        return None if self.oldest_due is None else max(self.now - self.oldest_due, timedelta(0))


def figures(*, now: datetime) -> Figures:
    """Counts per status and the oldest message due, in one query."""
    due = Q(status=Status.PENDING, send_after__lte=now)
    row = OutboxMessage.objects.aggregate(
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        due=Count("pk", filter=due),
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        oldest_due=Min("send_after", filter=due),
    )
    return Figures(now=now, **row)


def messages(*, filters: dict) -> QuerySet[OutboxMessage]:
    """The messages matching the filters, the latest first, without their bodies."""
    found = OutboxMessage.objects.only(*LINE_FIELDS).order_by("-send_after", "-pk")
    if filters.get("statut"):
        found = found.filter(status=filters["statut"])
    if filters.get("destinataire"):
        recipient = filters["destinataire"].strip()
        found = found.filter(Q(to_email__iexact=recipient) | Q(to_phone=recipient))
    return found
