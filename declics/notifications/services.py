"""The outbox: queue e-mails and SMS inside business transactions, send them later, each once."""

import logging
from collections.abc import Iterable, Mapping
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from smtplib import SMTPRecipientsRefused, SMTPResponseException, SMTPServerDisconnected
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from declics import audit
from declics.errors import DomainError
from declics.queueing import enqueue_on_commit

from . import sms, sms_optout, sms_text
from .models import DigestItem, OutboxMessage
from .sms_optout import sms_blocked  # the routing asks it to fall back to e-mail

logger = logging.getLogger(__name__)

# When the mail server cannot be reached, the batch waits this long (no attempt is counted).
SERVER_RETRY_DELAY = timedelta(minutes=1)
# A message the server refuses for now (4xx) is retried at least this long before it is failed.
TEMPORARY_FAILURE_RETRY_FOR = timedelta(hours=48)
# The longest wait between two attempts of one message.
RETRY_DELAY_CAP = timedelta(hours=1)


def render_email(*, template: str, context: Mapping, language: str | None = None) -> tuple[str, str, str]:
    """Render `<template>_subject.txt`, `_body.txt` and `_body.html` in `language` (French by default).

    Returns (subject, text, html); the subject is folded onto one line. A message to a person
    goes through `routing.notify`, which renders it in the person's language.
    """
    context = {"SITE_URL": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
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
    channel: str = OutboxMessage.Channel.EMAIL,
    kind: str = "",
    headers: Mapping[str, str] | None = None,
) -> tuple[OutboxMessage | None, bool]:
    """Write one outbox row; a key already queued returns the existing row and False.

    `to` is an e-mail address, or an E.164 number for `channel="sms"` (see `queue_sms`). Call it
    inside the business transaction: the row commits (or rolls back) with it. Once committed, a
    worker is nudged so that the message leaves within seconds, not at the next beat.

    An empty `to` (a person who signed up with a phone number has no address) queues nothing and
    returns (None, False): the business action goes on, the skipped message is logged.
    """
    if not to:
        _log_no_recipient(key, channel)
        return None, False
    is_sms = channel == OutboxMessage.Channel.SMS
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            dedup_key=key,
            defaults={
                "channel": channel,
                "kind": kind,
                "to_email": "" if is_sms else to,
                "to_phone": to if is_sms else "",
                "segments": sms_text.segments(text) if is_sms else 0,
                "subject": subject[:255],
                "body_text": text,
                "body_html": html,
                "send_after": send_after or timezone.now(),
                "user": user,
                "attachments": list(attachments),
                "headers": dict(headers or {}),
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
    kind: str = "",
) -> tuple[OutboxMessage | None, bool]:
    """Render a templated e-mail (text + HTML) and queue it under `key`. See `queue_message`
    (an empty `to` queues nothing)."""
    if not to:
        _log_no_recipient(key, OutboxMessage.Channel.EMAIL)
        return None, False
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
        kind=kind,
    )


def _log_no_recipient(key: str, channel: str) -> None:
    logger.info("outbox: no %s recipient for %s, nothing queued", channel, key)


def queue_sms(
    *,
    key: str,
    to: str,
    text: str,
    send_after: datetime | None = None,
    user=None,
    kind: str = "",
) -> tuple[OutboxMessage | None, bool]:
    """Queue one SMS to the E.164 number `to` under `key`, with the outbox's guarantees (see
    `queue_message`): one row per key, claimed with SKIP LOCKED, retried with back-off, never sent
    after a cancellation. By convention an SMS that doubles an e-mail takes the e-mail's key plus
    `:sms`, so that `cancel_messages(key_prefix=…)` cancels both.

    The text is fitted to GSM-7 where only typography and accents stand in the way (see
    `sms_text.fit`). A number that answered STOP gets the row already cancelled, but for the
    essential kinds (`sms_optout.ESSENTIAL_SMS_KINDS`)."""
    text = sms_text.fit(text.strip())
    if kind not in sms_optout.ESSENTIAL_SMS_KINDS and sms_blocked(to):
        return sms_optout.queue_blocked_sms(
            key=key, to=to, text=text, send_after=send_after, user=user, kind=kind
        )
    return queue_message(
        key=key,
        to=to,
        subject="",
        text=text,
        send_after=send_after,
        user=user,
        channel=OutboxMessage.Channel.SMS,
        kind=kind,
    )


def cancel_messages(*, key_prefix: str) -> int:
    """Cancel pending messages whose key starts with `key_prefix` (e.g. reminders of a cancelled booking).

    A message a worker is sending at this very moment is not pending any more on PostgreSQL (it
    is marked sent under a row lock): this waits for that one send and leaves it sent. Every other
    one is cancelled, claimed or not, and never goes out (see `_send_one`).
    """
    return OutboxMessage.objects.filter(
        dedup_key__startswith=key_prefix, status=OutboxMessage.Status.PENDING
    ).update(status=OutboxMessage.Status.CANCELLED)


def forget_pending_for(*, user_id: int, key_suffix: str, kinds: Iterable[str]) -> int:
    """Cancel `user_id`'s pending messages of `kinds` whose key ends with `key_suffix` (an SMS's key
    ends with ":sms" after it), and drop those held for their next digest. Returns how many.

    For news that lost its object, such as a session's nudges and step openings once the person
    left it: what is already sent stays sent, nothing else goes out.
    """
    kinds = list(kinds)
    ends_with = Q(dedup_key__endswith=key_suffix) | Q(dedup_key__endswith=f"{key_suffix}:sms")
    cancelled = (
        OutboxMessage.objects.filter(user_id=user_id, status=OutboxMessage.Status.PENDING, kind__in=kinds)
        .filter(ends_with)
        .update(status=OutboxMessage.Status.CANCELLED)
    )
    held = DigestItem.objects.waiting().filter(user_id=user_id, kind__in=kinds, key__endswith=key_suffix)
    dropped, _by_model = held.delete()
    return cancelled + dropped


class ResendError(DomainError):
    """The message cannot be sent again; the message is safe to show."""


@transaction.atomic
def resend_failed_message(*, message_id: int, now: datetime | None = None) -> OutboxMessage:
    """Put a message that failed for good back in the queue, as a new message: attempts from zero.

    Under the row's lock and only while it is still failed: two clicks (or two team members) at
    once requeue it once, the second finds it pending and is refused. Its key stays, so the
    worker sends it once. The team's action goes to the audit log (the outbox is not followed by
    it row by row).
    """
    now = now or timezone.now()
    message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
    if message is None:
        raise ResendError(_("Ce message n'existe plus."), status=404)
    if message.status != OutboxMessage.Status.FAILED:
        raise ResendError(
            _("Ce message n'est plus en échec (statut : %(status)s) : il n'est pas renvoyé une seconde fois.")
            % {"status": message.get_status_display()}
        )
    message.status = OutboxMessage.Status.PENDING
    message.attempts = 0
    message.first_failed_at = None
    message.last_error = ""
    message.send_after = now
    message.locked_until = None
    message.save(
        update_fields=["status", "attempts", "first_failed_at", "last_error", "send_after", "locked_until"]
    )
    # Titled by its key, which names no one (its __str__ gives the address).
    audit.record(
        message,
        changes={"status": [OutboxMessage.Status.FAILED, OutboxMessage.Status.PENDING]},
        object_repr=message.dedup_key,
    )
    if settings.NOTIFICATIONS_KICK_ON_QUEUE:
        kick_sender_on_commit()
    return message


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
    """Exponential back-off: 1, 2, 4 … minutes, at most an hour (RETRY_DELAY_CAP)."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 16)), RETRY_DELAY_CAP)


def message_id(dedup_key: str) -> str:
    """The Message-ID of the message queued under `dedup_key`, the same at every send.

    So the one message a crashed worker sends again carries the id of the first, and mail
    clients fold the two. Opaque (an HMAC of the key: no internal id shows), on the site's domain.
    """
    digest = salted_hmac("declics.notifications.message-id", dedup_key, algorithm="sha256").hexdigest()
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    domain = f"[{host}]" if ":" in host else host  # an IPv6 address is a domain literal
    return f"<{digest[:40]}@{domain}>"


def claim_due_messages(*, batch_size: int, now: datetime | None = None) -> list[OutboxMessage]:
    """Take up to `batch_size` due rows for this worker, under a lease.

    On PostgreSQL the rows are locked with SKIP LOCKED, so concurrent workers claim disjoint
    batches; the lease (`locked_until`, the same for the whole batch) keeps them out of other
    claims while they are sent, and lets them be claimed again if this worker dies.
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


def _build_sms(message: OutboxMessage) -> sms.Sms:
    return sms.Sms(
        to=message.to_phone,
        text=message.body_text,
        sender=settings.SMS_SENDER,
        key=message.dedup_key,
        kind=message.kind,
    )


def _deliver(message: OutboxMessage, transport) -> None:
    """Hand one message to its channel's transport (a mail connection, or an SMS backend)."""
    if message.channel == OutboxMessage.Channel.SMS:
        transport.send(_build_sms(message))
    else:
        _build(message, transport).send()


def _build(message: OutboxMessage, mail_connection) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        connection=mail_connection,
        headers={
            **message.headers,
            "X-DeClics-Key": message.dedup_key,
            "Message-ID": message_id(message.dedup_key),
        },
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        email.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
    return email


def _still_ours(message: OutboxMessage):
    """The row, if it is still pending under this worker's claim: not cancelled, not taken back."""
    return OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxMessage.Status.PENDING, locked_until=message.locked_until
    )


def _sent_values() -> dict:
    return {
        "status": OutboxMessage.Status.SENT,
        "sent_at": timezone.now(),
        "locked_until": None,
        "last_error": "",
    }


def _send_one(message: OutboxMessage, transport) -> bool:
    """Send one claimed message unless it was cancelled since the claim; True when it went out.

    PostgreSQL: one UPDATE marks the row sent and locks it, matching only a message still pending
    under this worker's claim; the mail leaves inside that transaction, which commits as soon as
    the server accepted it. A cancellation either comes first (the UPDATE matches nothing, the
    mail never leaves) or waits for that commit and finds the message sent. A worker killed during
    the send rolls the mark back: that one message is sent again, with the same Message-ID.

    Other databases (SQLite has no row locks, and a transaction there would hold the whole
    database during the send): the row is re-read just before the send, and marked sent after it
    only if it is still pending, so a mark never overwrites a cancellation.
    """
    if connection.vendor == "postgresql":
        with transaction.atomic():
            if not _still_ours(message).update(**_sent_values()):
                return False
            _deliver(message, transport)
        return True
    if not _still_ours(message).exists():
        return False
    _deliver(message, transport)
    OutboxMessage.objects.filter(pk=message.pk, status=OutboxMessage.Status.PENDING).update(**_sent_values())
    return True


def _temporary(error: Exception) -> bool:
    """The server answered 4xx: try again later (greylisting, a full mailbox, a rate limit)."""
    if isinstance(error, sms.SmsRefused):
        return error.temporary
    if isinstance(error, SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
    elif isinstance(error, SMTPResponseException):
        codes = [error.smtp_code]
    else:
        return False
    return bool(codes) and all(400 <= code < 500 for code in codes)


def _record_failure(message: OutboxMessage, error: Exception, now: datetime) -> None:
    """This message was refused or failed: retry it later with back-off, or give up for good.

    A temporary refusal (4xx) is retried for TEMPORARY_FAILURE_RETRY_FOR from the first failure,
    whatever the number of attempts; anything else (5xx, a message that cannot be built) fails
    after NOTIFICATIONS_MAX_ATTEMPTS. Only a row still pending under this claim is touched: never
    a cancellation.
    """
    first_failed_at = message.first_failed_at or now
    if _temporary(error):
        failed_for_good = now - first_failed_at >= TEMPORARY_FAILURE_RETRY_FOR
    else:
        failed_for_good = message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    _still_ours(message).update(
        status=OutboxMessage.Status.FAILED if failed_for_good else OutboxMessage.Status.PENDING,
        last_error=_describe(error),
        send_after=now + retry_delay(message.attempts),
        locked_until=None,
        first_failed_at=first_failed_at,
    )
    logger.warning(
        "outbox message not sent",
        extra={"dedup_key": message.dedup_key, "attempts": message.attempts, "final": failed_for_good},
    )


def _release(messages: list[OutboxMessage], *, error: Exception | None, now: datetime) -> None:
    """Give claimed messages back untouched: the failure was not theirs (server down, lease ending).

    Their claim does not count as an attempt, so a long SMTP outage delays mail and fails none.
    Only rows still pending under this claim are given back.
    """
    if not messages:
        return
    changes = {"locked_until": None, "attempts": F("attempts") - 1}
    if error is not None:
        changes.update(last_error=_describe(error), send_after=now + SERVER_RETRY_DELAY)
    OutboxMessage.objects.filter(
        pk__in=[m.pk for m in messages],
        status=OutboxMessage.Status.PENDING,
        locked_until=messages[0].locked_until,
    ).update(**changes)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _connection_lost(error: Exception) -> bool:
    """The error is the server's or the network's, not this message's: stop the batch."""
    return isinstance(error, SMTPServerDisconnected | ConnectionError | TimeoutError)


@contextmanager
def _commits_without_waiting_for_the_disk():
    """PostgreSQL: this connection's commits do not wait for the WAL flush while sending.

    The server has a row as soon as it answers, so a worker killed right after a send still finds
    the message sent; only a crash of the database server itself within a fraction of a second
    could forget a mark, and that message would then go out once more. The flush was about a third
    of the time spent per message (bench/bench_reminders.py).
    """
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def send_due_messages(*, batch_size: int | None = None, max_batches: int | None = None) -> int:
    """Send every due message, batch by batch, over one reused mail connection per batch.

    Each message is marked sent as it leaves (see `_send_one`): one cancelled after the claim
    never goes out, and a worker killed mid-batch re-sends at most the one message it was on; the
    rest of its batch is claimed again once the lease runs out. A worker that comes near the end
    of its lease gives the rest of its batch back rather than race another worker for it. A
    message the server refuses is retried with back-off (see `_record_failure`); when the server
    itself cannot be reached, the batch is given back without counting an attempt. Returns how
    many were sent.
    """
    batch_size = batch_size or settings.NOTIFICATIONS_BATCH_SIZE
    sent = 0
    batches = 0
    with _commits_without_waiting_for_the_disk():
        while max_batches is None or batches < max_batches:
            claimed_at = timezone.now()
            batch = claim_due_messages(batch_size=batch_size, now=claimed_at)
            if not batch:
                break
            batches += 1
            sent_in_batch, stop = _send_batch(batch, lease_end=claimed_at + claim_lease() * 0.9)
            sent += sent_in_batch
            if stop:
                break
    return sent


def _transport(channel: str):
    """A fresh, unopened transport for `channel`: the mail connection or the SMS backend."""
    if channel == OutboxMessage.Channel.SMS:
        return sms.get_backend()
    return get_connection(fail_silently=False)


def _send_batch(batch: list[OutboxMessage], *, lease_end: datetime) -> tuple[int, bool]:
    """Send one claimed batch, each channel over one transport: (how many went out, whether to stop).

    The channels are independent: a mail server that is away holds back the e-mails only, and
    the SMS of the batch still leave (and the other way round).
    """
    sent = 0
    stop = False
    for channel in OutboxMessage.Channel.values:
        messages = [message for message in batch if message.channel == channel]
        if messages:
            sent_here, stop_here = _send_over(_transport(channel), messages, lease_end=lease_end)
            sent += sent_here
            stop = stop or stop_here
    return sent, stop


def _send_over(transport, batch: list[OutboxMessage], *, lease_end: datetime) -> tuple[int, bool]:
    try:
        transport.open()
    except Exception as error:  # the server is away: the whole batch waits, nothing is lost
        logger.warning("server unreachable", extra={"error": _describe(error), "batch": len(batch)})
        _release(batch, error=error, now=timezone.now())
        return 0, True
    sent = 0
    try:
        for index, message in enumerate(batch):
            now = timezone.now()
            # Stop a little before the lease ends and give the rest back, rather than race another worker.
            if now >= lease_end:
                _release(batch[index:], error=None, now=now)
                break
            try:
                sent += _send_one(message, transport)
            except Exception as error:
                if _connection_lost(error):
                    _release(batch[index:], error=error, now=now)
                    return sent, True
                _record_failure(message, error, now)
    finally:
        try:
            transport.close()
        except Exception:  # a broken connection may fail to say goodbye; the message is already out
            logger.info("connection closed uncleanly")
    return sent, False
