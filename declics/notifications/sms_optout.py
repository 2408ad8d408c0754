"""STOP replies: a number that answers STOP gets no more SMS but the essential ones; START lifts it.

The provider calls `sms_views.inbound` with each reply (signed, see `signature_ok`); `handle_reply`
reads the keyword. An opt-out is one row per number (`SmsOptOut.phone` is unique, so two identical
callbacks at once record it once); recording it cancels the SMS still waiting for that number, and
`queue_sms` from then on writes the row already cancelled (the key still de-duplicates). Only the
kinds in ESSENTIAL_SMS_KINDS go through: a sign-in code is asked for by the person themselves.
The routing of messages asks `sms_blocked(number)` to fall back to e-mail.

Known limit: an SMS queued in the very transaction that races a STOP (between the check in
`queue_sms` and the commit of the opt-out) stays pending and is sent once.
"""

import base64
import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import datetime

import phonenumbers
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import sms_text
from .models import OutboxMessage, SmsOptOut

# Kinds of SMS sent even to a number that answered STOP.
ESSENTIAL_SMS_KINDS = frozenset({"security"})
# What an SMS cancelled by an opt-out says in its `last_error` (shown to staff as its reason).
OPTED_OUT = "SmsOptOut: the number answered STOP"

STOP_WORDS = frozenset({"STOP", "ARRET", "STOP SMS", "ARRET SMS", "STOPSMS"})
START_WORDS = frozenset({"START", "START SMS"})

SIGNATURE_HEADER = "X-Declics-Signature"  # "sha256=<hex HMAC-SHA256 of the body>"


def sms_blocked(phone: str) -> bool:
    """Whether the number (E.164) answered STOP: only essential SMS may reach it."""
    return bool(phone) and SmsOptOut.objects.filter(phone=phone).exists()


def blocked_among(phones: set[str]) -> set[str]:
    """The numbers among `phones` that answered STOP, in one query (none when `phones` is empty)."""
    if not phones:
        return set()
    return set(SmsOptOut.objects.filter(phone__in=phones).values_list("phone", flat=True))


def normalise_number(raw: str) -> str | None:
    """An E.164 number from what a provider sends ("33612345678", "+33 6 12…", "0612345678")."""
    raw = (raw or "").strip()
    digits = re.sub(r"[^\d+]", "", raw)
    if not digits:
        return None
    if not digits.startswith("+") and not digits.startswith("0"):
        digits = "+" + digits  # providers give international numbers without the "+"
    try:
        number = phonenumbers.parse(digits, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def keyword(text: str) -> str | None:
    """ "stop", "start" or None: the reply is only the keyword, whatever its case, accents, spaces
    or final punctuation ("Stop", "ARRÊT", "arrêt !", "STOP SMS"); "stop the reminders" is not."""
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().upper()
    plain = " ".join(re.sub(r"[^A-Z ]", " ", plain).split())
    if plain in STOP_WORDS:
        return "stop"
    if plain in START_WORDS:
        return "start"
    return None


@transaction.atomic
def record_opt_out(*, phone: str, source: str = SmsOptOut.Source.REPLY) -> tuple[SmsOptOut, bool]:
    """Record that `phone` wants no more SMS and cancel the non-essential ones still waiting for it.

    Idempotent and race-safe: the number is unique, so a second identical callback (or two at
    once) finds the row (get_or_create re-reads it after the other's insert) and cancels nothing more.
    """
    opt_out, created = SmsOptOut.objects.get_or_create(phone=phone, defaults={"source": source})
    waiting = OutboxMessage.objects.filter(
        channel=OutboxMessage.Channel.SMS, to_phone=phone, status=OutboxMessage.Status.PENDING
    ).exclude(kind__in=ESSENTIAL_SMS_KINDS)
    waiting.update(status=OutboxMessage.Status.CANCELLED, last_error=OPTED_OUT)
    return opt_out, created


def lift_opt_out(*, phone: str) -> bool:
    """START: the number gets SMS again (those cancelled meanwhile stay cancelled). True if it was blocked."""
    deleted, _ = SmsOptOut.objects.filter(phone=phone).delete()
    return bool(deleted)


def handle_reply(*, phone: str, text: str) -> str | None:
    """Act on one reply: "stop" or "start" when it was one, None for any other text (ignored)."""
    action = keyword(text)
    if action == "stop":
        record_opt_out(phone=phone)
    elif action == "start":
        lift_opt_out(phone=phone)
    return action


def queue_blocked_sms(
    *, key: str, to: str, text: str, send_after: datetime | None, user, kind: str
) -> tuple[OutboxMessage, bool]:
    """The outbox row of an SMS to a number that answered STOP: written already cancelled, so the
    key keeps de-duplicating and staff see why it did not go; a key already queued is returned."""
    return OutboxMessage.objects.get_or_create(
        dedup_key=key,
        defaults={
            "channel": OutboxMessage.Channel.SMS,
            "kind": kind,
            "to_phone": to,
            "subject": "",
            "body_text": text,
            "segments": sms_text.segments(text),
            "send_after": send_after or timezone.now(),
            "user": user,
            "status": OutboxMessage.Status.CANCELLED,
            "last_error": OPTED_OUT,
        },
    )


# --- the provider's callback ---------------------------------------------------------------------


def signature_ok(*, body: bytes, headers) -> bool:
    """Whether the callback comes from the provider: SMS_WEBHOOK_SECRET signs it, either as an
    HMAC-SHA256 of the body in `X-Declics-Signature` ("sha256=<hex>"), or as the secret itself in
    `Authorization` ("Bearer <secret>", or HTTP Basic with the secret as password: what Brevo's
    webhook settings can send). Compared in constant time; no secret set refuses everything."""
    secret = settings.SMS_WEBHOOK_SECRET
    if not secret:
        return False
    signature = headers.get(SIGNATURE_HEADER, "")
    if signature:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        return hmac.compare_digest(signature.removeprefix("sha256=").strip().lower(), expected)
    scheme, _, credentials = headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return hmac.compare_digest(credentials.strip().encode(), secret.encode())
    if scheme.lower() == "basic":
        try:
            password = base64.b64decode(credentials.strip(), validate=True).partition(b":")[2]
        except ValueError:
            return False
        return hmac.compare_digest(password, secret.encode())
    return False


def replies_in(body: bytes) -> Iterator[tuple[str, str]]:
    """(E.164 number, text) of each reply in a callback; raises ValueError when it is not JSON.

    Accepts Brevo's transactional SMS event (`{"msg_status": "replied", "to": "33612345678",
    "reply": "STOP", …}`: `to` is the number our SMS went to, which answered) and a plain
    `{"from": "+33612345678", "text": "STOP"}`, or a list of either. Other events (delivered…)
    and entries without a usable number are skipped.
    """
    data = json.loads(body or b"null")
    for event in data if isinstance(data, list) else [data]:
        if not isinstance(event, dict):
            continue
        if "from" in event:
            raw_number, text = event.get("from"), event.get("text")
        elif event.get("msg_status", event.get("event")) == "replied":
            raw_number, text = event.get("to") or event.get("phoneNumber"), event.get("reply")
        else:
            continue
        number = normalise_number(str(raw_number or ""))
        if number and isinstance(text, str):
            yield number, text
