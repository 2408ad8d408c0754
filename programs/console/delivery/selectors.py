"""Reads of the outbox for the delivery page: the figures in one query, the lines without bodies."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Min, Q, QuerySet, Sum

from declics.notifications import sms_optout, sms_text
from declics.notifications.models import OutboxMessage

Status = OutboxMessage.Status
# What the page shows of a message: never its text, HTML or attachments.
LINE_FIELDS = (
    "pk",
    "channel",
    "kind",
    "segments",
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


# The SMS figures cover this many days (what the provider bills for a month, roughly).
SMS_WINDOW = timedelta(days=30)


@dataclass(frozen=True)
class SmsFigures:
    """The SMS of the last SMS_WINDOW: counts per status (by when they were queued; the sent ones
    by when they left) and the segments sent, which the provider bills."""

    pending: int
    sent: int
    failed: int
    cancelled: int
    segments_sent: int

    @property
    def cost(self) -> Decimal:
        return sms_text.estimated_cost(self.segments_sent)

    @property
    def cost_per_segment(self) -> Decimal:
        return sms_text.cost_per_segment()


@dataclass(frozen=True)
class Figures:
    pending: int
    due: int
    sent: int
    failed: int
    cancelled: int
    oldest_due: datetime | None
    now: datetime
    sms: SmsFigures

    @property
    def lag(self) -> timedelta | None:
        """How long the oldest message due has waited past its time (None: nothing is late)."""
        return None if self.oldest_due is None else max(self.now - self.oldest_due, timedelta(0))


def figures(*, now: datetime) -> Figures:
    """Counts per status and the oldest message due, and the SMS of the last 30 days, in one query."""
    due = Q(status=Status.PENDING, send_after__lte=now)
    recent_sms = Q(channel=OutboxMessage.Channel.SMS, created_at__gte=now - SMS_WINDOW)
    sent_sms = Q(channel=OutboxMessage.Channel.SMS, status=Status.SENT, sent_at__gte=now - SMS_WINDOW)
    row = OutboxMessage.objects.aggregate(
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        due=Count("pk", filter=due),
        sent=Count("pk", filter=Q(status=Status.SENT)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        oldest_due=Min("send_after", filter=due),
        sms_pending=Count("pk", filter=recent_sms & Q(status=Status.PENDING)),
        sms_sent=Count("pk", filter=sent_sms),
        sms_failed=Count("pk", filter=recent_sms & Q(status=Status.FAILED)),
        sms_cancelled=Count("pk", filter=recent_sms & Q(status=Status.CANCELLED)),
        sms_segments_sent=Sum("segments", filter=sent_sms),
    )
    sms = SmsFigures(
        pending=row.pop("sms_pending"),
        sent=row.pop("sms_sent"),
        failed=row.pop("sms_failed"),
        cancelled=row.pop("sms_cancelled"),
        segments_sent=row.pop("sms_segments_sent") or 0,
    )
    return Figures(now=now, sms=sms, **row)


def messages(*, filters: dict) -> QuerySet[OutboxMessage]:
    """The messages matching the filters, the latest first, without their bodies."""
    found = OutboxMessage.objects.only(*LINE_FIELDS).order_by("-send_after", "-pk")
    if filters.get("statut"):
        found = found.filter(status=filters["statut"])
    if filters.get("canal"):
        found = found.filter(channel=filters["canal"])
    if filters.get("destinataire"):
        recipient = filters["destinataire"].strip()
        number = sms_optout.normalise_number(recipient) if "@" not in recipient else None
        found = found.filter(Q(to_email__iexact=recipient) | Q(to_phone=number or recipient))
    return found
