"""The outbox: queue e-mails inside business transactions, send them later, each once."""

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from smtplib import SMTPServerDisconnected

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from declics.queueing import enqueue_on_commit

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# When the mail server cannot be reached, the batch waits this long (no attempt is counted).
SERVER_RETRY_DELAY = timedelta(minutes=1)


def render_email(*, template: str, context: Mapping) -> tuple[str, str, str]:
    """Render `<template>_subject.txt`, `_body.txt` and `_body.html` in French.

    Returns (subject, text, html); the subject is folded onto one line.
    """
    context = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}_body.txt", context)
        html = render_to_string(f"{template}_body.html", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    return subject, text, html


def queue_message(
    *,
    key: str,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    send_after: datetime | None = None,
    user=None,
    attachments: Iterable[Mapping] = (),
) -> tuple[OutboxMessage, bool]:
    """Write one outbox row; a key already queued returns the existing row and False.

    Call it inside the business transaction: the row commits (or rolls back) with it. Once
    committed, a worker is nudged so that the message leaves within seconds, not at the next beat.
    """
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            dedup_key=key,
            defaults={
                "to_email": to,
                "subject": subject[:255],
                "body_text": text,
                "body_html": html,
                "send_after": send_after or timezone.now(),
                "user": user,
                "attachments": list(attachments),
            },
        )
    if created and settings.NOTIFICATIONS_KICK_ON_QUEUE and message.send_after <= timezone.now():
        kick_sender_on_commit()
    return message, created


def queue_email(
    *,
    key: str,
    to: str,
    template: str,
    context: Mapping,
    send_after: datetime | None = None,
    user=None,
    attachments: Iterable[Mapping] = (),
) -> tuple[OutboxMessage, bool]:
    """Render a templated e-mail (text + HTML) and queue it under `key`. See `queue_message`."""
    if OutboxMessage.objects.filter(dedup_key=key).exists():
        return OutboxMessage.objects.get(dedup_key=key), False
    subject, text, html = render_email(template=template, context=context)
    return queue_message(
        key=key,
        to=to,
        subject=subject,
        text=text,
        html=html,
        send_after=send_after,
        user=user,
        attachments=attachments,
    )


def cancel_messages(*, key_prefix: str) -> int:
    """Cancel pending messages whose key starts with `key_prefix` (e.g. reminders of a cancelled booking)."""
    return OutboxMessage.objects.filter(
        dedup_key__startswith=key_prefix, status=OutboxMessage.Status.PENDING
    ).update(status=OutboxMessage.Status.CANCELLED)


def kick_sender_on_commit() -> None:
    """Once committed, nudge a worker so that due messages leave within seconds.

    A broker that is away loses only the nudge: the beat's sender sends them anyway.
    """
    from .tasks import send_due_notifications

    enqueue_on_commit(send_due_notifications)


def claim_lease() -> timedelta:
    """How long a worker holds the rows it claimed before another worker may take them again."""
    return timedelta(seconds=settings.NOTIFICATIONS_CLAIM_LEASE)


def retry_delay(attempts: int) -> timedelta:
    """Exponential back-off: 1, 2, 4 … minutes, at most 6 hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def claim_due_messages(*, batch_size: int, now: datetime | None = None) -> list[OutboxMessage]:
    """Take up to `batch_size` due rows for this worker, under a lease.

    On PostgreSQL the rows are locked with SKIP LOCKED, so concurrent workers claim disjoint
    batches; the lease (`locked_until`) keeps them out of other claims while they are sent, and
    lets them be claimed again if this worker dies.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = OutboxMessage.objects.due(now).order_by("send_after", "id")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("id", flat=True)[:batch_size])
        if not ids:
            return []
        OutboxMessage.objects.filter(id__in=ids).update(
            locked_until=now + claim_lease(), attempts=F("attempts") + 1
        )
    return list(OutboxMessage.objects.filter(id__in=ids).order_by("send_after", "id"))


def _build(message: OutboxMessage, mail_connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        connection=mail_connection,
        headers={"X-DeClics-Key": message.dedup_key},
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
    return email


def _record_failure(message: OutboxMessage, error: Exception, now: datetime) -> None:
    """This message was refused or failed: retry it later with back-off, or give up for good."""
    failed_for_good = message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED if failed_for_good else OutboxMessage.Status.PENDING,
        last_error=_describe(error),
        send_after=now + retry_delay(message.attempts),
        locked_until=None,
    )
    logger.warning(
        "outbox message not sent",
        extra={"dedup_key": message.dedup_key, "attempts": message.attempts, "final": failed_for_good},
    )


def _release(messages: list[OutboxMessage], *, error: Exception | None, now: datetime) -> None:
    """Give claimed messages back untouched: the failure was not theirs (server down, lease ending).

    Their claim does not count as an attempt, so a long SMTP outage delays mail and fails none.
    """
    if not messages:
        return
    changes = {"locked_until": None, "attempts": F("attempts") - 1}
    if error is not None:
        changes.update(last_error=_describe(error), send_after=now + SERVER_RETRY_DELAY)
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages], status=OutboxMessage.Status.PENDING).update(
        **changes
    )


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _connection_lost(error: Exception) -> bool:
    """The error is the server's or the network's, not this message's: stop the batch."""
    return isinstance(error, SMTPServerDisconnected | ConnectionError | TimeoutError)


def _mark_sent(message_id: int) -> None:
    """Mark one message sent, right after the mail server accepted it.

    On PostgreSQL this one transaction commits without waiting for the WAL flush
    (synchronous_commit off): the server has the row as soon as it answers, so a worker killed
    right after still finds it sent; only a crash of the database server itself within a fraction
    of a second could forget it, and the message would then go out once more. The flush was about
    a third of the time spent per message (bench/bench_reminders.py).
    """
    mark = OutboxMessage.objects.filter(pk=message_id)
    values = {
        "status": OutboxMessage.Status.SENT,
        "sent_at": timezone.now(),
        "locked_until": None,
        "last_error": "",
    }
    if connection.vendor != "postgresql":
        mark.update(**values)
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        mark.update(**values)


def send_due_messages(*, batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Send every due message, batch by batch, over one reused mail connection per batch.

    Each message is marked sent right after the server accepted it, so a worker killed mid-batch
    re-sends at most the one message it was on; the rest of its batch is claimed again once the
    lease runs out. A worker that comes near the end of its lease gives the rest of its batch back
    rather than race another worker for it. A message the server refuses is retried with back-off
    and marked failed after NOTIFICATIONS_MAX_ATTEMPTS; when the server itself cannot be reached,
    the batch is given back without counting an attempt. Returns how many were sent.
    """
    batch_size = batch_size or settings.NOTIFICATIONS_BATCH_SIZE
    sent = 0
    batches = 0
    while max_batches is None or batches < max_batches:
        claimed_at = timezone.now()
        batch = claim_due_messages(batch_size=batch_size, now=claimed_at)
        if not batch:
            break
        batches += 1
        # Stop a little before the lease ends and give the rest back, rather than race another worker.
        lease_end = claimed_at + claim_lease() * 0.9
        mail_connection = get_connection(fail_silently=False)
        try:
            mail_connection.open()
        except Exception as error:  # the server is away: the whole batch waits, nothing is lost
            logger.warning("mail server unreachable", extra={"error": _describe(error), "batch": len(batch)})
            _release(batch, error=error, now=timezone.now())
            break
        stop = False
        try:
            for index, message in enumerate(batch):
                now = timezone.now()
                if now >= lease_end:
                    _release(batch[index:], error=None, now=now)
                    break
                try:
                    _build(message, mail_connection).send()
                except Exception as error:
                    if _connection_lost(error):
                        _release(batch[index:], error=error, now=now)
                        stop = True
                        break
                    _record_failure(message, error, now)
                    continue
                _mark_sent(message.pk)
                sent += 1
        finally:
            try:
                mail_connection.close()
            except Exception:  # a broken connection may fail to say goodbye; the mail is already out
                logger.info("mail connection closed uncleanly")
        if stop:
            break
    return sent
