"""Every message to a person goes through `notify` (or `notify_many` for a group): one place that
renders it in the person's language and sends it by the channel(s) they chose and have.

For one message of a kind (see `kinds`) under a key:

1. the channels: the person's choice for the kind's group, among those they have — an e-mail
   address (not an erased one) and a phone number SMS may be sent to (STOP honoured, see
   `_sms_allowed`); an optional group turned off gets nothing; essential kinds always reach at
   least one channel the person has (see `preferences.choose_channels`);
2. the language: rendered under `translation.override(user.language)`, so a Celery task renders
   an English speaker's reminder in English;
3. the time: after the person's quiet hours unless the kind is urgent (`preferences.send_time`);
4. the budget: an optional message beyond NOTIFICATIONS_OPTIONAL_PER_DAY for the person that day
   is held as a `DigestItem` and goes into the next morning's digest (see `digest`);
5. optional e-mails carry `List-Unsubscribe` / `List-Unsubscribe-Post` (RFC 8058) and a footer
   link to the one-click unsubscribe page.

Keys: the e-mail goes under `key`, the SMS under `key + ":sms"`, so `cancel_messages(key_prefix=…)`
cancels both. A key already queued (or held) queues nothing more.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from declics.accounts.validators import normalise_french_phone
from declics.personal_data import ANONYMOUS_DOMAIN

from . import budget, kinds, preferences, sms_optout, sms_text, unsubscribe
from .models import DigestItem, OutboxMessage
from .services import kick_sender_on_commit, queue_message, render_email

SMS_SUFFIX = ":sms"
# Replaced per person in a message rendered once for a whole group (its unsubscribe link).
UNSUBSCRIBE_PLACEHOLDER = "__DECLICS_UNSUBSCRIBE_URL__"


@dataclass(frozen=True)
class Person:
    """What routing needs to know of a recipient (a User, or a row read in bulk)."""

    pk: int
    email: str
    phone: str
    language: str

    @classmethod
    def of(cls, user) -> "Person":
        return cls(pk=user.pk, email=user.email or "", phone=user.phone or "", language=user.language or "")


@dataclass
class Delivery:
    """What `notify` did: the rows it wrote (new ones only), whether the message was held for the digest."""

    messages: list[OutboxMessage] = field(default_factory=list)
    held: bool = False
    channels: tuple[str, ...] = ()

    @property
    def created(self) -> bool:
        return bool(self.messages) or self.held


def _sms_allowed(phone: str, blocked: set[str] | None = None) -> bool:
    """Whether SMS may be sent to `phone`: not when the number answered STOP (`sms_blocked`).

    `blocked`, when given, is the STOP list of a group's numbers read at once (`notify_many`).
    """
    return phone not in blocked if blocked is not None else not sms_optout.sms_blocked(phone)


def email_of(person: Person) -> str:
    email = person.email or ""
    return "" if not email or email.lower().endswith(f"@{ANONYMOUS_DOMAIN}") else email


def _number_of(person: Person) -> str:
    if not person.phone:
        return ""
    try:
        return normalise_french_phone(person.phone)
    except Exception:  # a number typed before validation existed: no SMS rather than a failure
        return ""


def phone_of(person: Person, blocked: set[str] | None = None) -> str:
    """The person's number in E.164 when SMS may be sent to it, else ""."""
    phone = _number_of(person)
    return phone if phone and _sms_allowed(phone, blocked) else ""


def language_of(person: Person) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    return person.language if person.language in codes else settings.LANGUAGE_CODE


def in_language(user):
    """Render or word things for `user` in their language (a context built before `notify`)."""
    return translation.override(language_of(Person.of(user)))


# --- Rendering ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    sms: str


def _tidy_sms(text: str) -> str:
    """One line per line of the template, without blank ones, fitted to GSM-7 as `queue_sms` fits
    it (`sms_text.fit`): the rows are written here, not through `queue_sms`."""
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return sms_text.fit("\n".join(line for line in lines if line))


def render(*, template: str, context: Mapping, language: str, unsubscribe_url: str = "") -> Rendered:
    """The e-mail (`<template>_subject.txt`, `_body.txt`, `_body.html`) and the SMS (`_sms.txt`)
    in `language`. A template without an SMS version gives a short SMS: its subject and the site."""
    context = {"SITE_URL": settings.SITE_URL, **context, "unsubscribe_url": unsubscribe_url}
    with translation.override(language):
        subject, text, html = render_email(template=template, context=context, language=language)
        if unsubscribe_url:
            text = (
                text.rstrip()
                + "\n\n-- \n"
                + gettext("Pour ne plus recevoir ces messages, en un clic : %(url)s")
                % {"url": unsubscribe_url}
                + "\n"
            )
        try:
            sms = render_to_string(f"{template}_sms.txt", context)
        except TemplateDoesNotExist:
            short = subject.removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX)
            sms = render_to_string("notifications/sms_fallback.txt", {**context, "subject": short})
    return Rendered(subject=subject, text=text, html=html, sms=_tidy_sms(sms))


def _with_unsubscribe(rendered: Rendered, url: str) -> Rendered:
    return Rendered(
        subject=rendered.subject,
        text=rendered.text.replace(UNSUBSCRIBE_PLACEHOLDER, url),
        html=rendered.html.replace(UNSUBSCRIBE_PLACEHOLDER, url),
        sms=rendered.sms,
    )


def _email_headers(*, kind: kinds.Kind, person: Person, url: str) -> dict:
    if not kind.optional:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# --- One person -----------------------------------------------------------------------------------


def _kind(kind: str | kinds.Kind) -> kinds.Kind:
    return kind if isinstance(kind, kinds.Kind) else kinds.get(kind)


def already_queued(key: str) -> bool:
    return (
        OutboxMessage.objects.filter(dedup_key__in=[key, key + SMS_SUFFIX]).exists()
        or DigestItem.objects.filter(key=key).exists()
    )


@transaction.atomic
def notify(
    *,
    user,
    kind: str | kinds.Kind,
    key: str,
    template: str,
    context: Mapping,
    send_after: datetime | None = None,
    attachments: Iterable[Mapping] = (),
    now: datetime | None = None,
) -> Delivery:
    """Send `template` to `user` as a message of `kind`, by their channel(s), in their language.

    See the module's docstring for the rules. Call it inside the business transaction: the rows
    commit (or roll back) with it. A key already queued or held returns an empty `Delivery`.
    """
    kind = _kind(kind)
    now = now or timezone.now()
    person = Person.of(user)
    if already_queued(key):
        return Delivery()
    prefs = preferences.of(user)
    email, phone = email_of(person), phone_of(person)
    channels = preferences.choose_channels(
        kind=kind, prefs=prefs, has_email=bool(email), has_phone=bool(phone)
    )
    if not channels:
        return Delivery()
    language = language_of(person)
    url = unsubscribe.url(user_id=person.pk, group=kind.group) if kind.optional else ""
    rendered = render(template=template, context=context, language=language, unsubscribe_url=url)
    if kind.optional and person.pk not in budget.take(user_ids=[person.pk], now=now):
        budget.hold(
            user_id=person.pk, key=key, kind=kind, subject=rendered.subject, text=rendered.text, now=now
        )
        return Delivery(held=True, channels=channels)
    when = preferences.send_time(kind=kind, prefs=prefs, wanted=send_after or now)
    delivery = Delivery(channels=channels)
    if preferences.EMAIL in channels:
        message, created = queue_message(
            key=key,
            to=email,
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            send_after=when,
            user=user,
            attachments=attachments,
            kind=kind.name,
            headers=_email_headers(kind=kind, person=person, url=url),
        )
        if created:
            delivery.messages.append(message)
    if preferences.SMS in channels:
        message, created = queue_message(
            key=key + SMS_SUFFIX,
            to=phone,
            subject="",
            text=rendered.sms,
            send_after=when,
            user=user,
            channel=OutboxMessage.Channel.SMS,
            kind=kind.name,
        )
        if created:
            delivery.messages.append(message)
    return delivery


# --- A group --------------------------------------------------------------------------------------


@transaction.atomic
def notify_many(
    *,
    recipients: Sequence[tuple[str, Person]],
    kind: str | kinds.Kind,
    template: str,
    context: Mapping,
    send_after: datetime | None = None,
    now: datetime | None = None,
) -> dict[str, list[int]]:
    """`notify` for a group: the same message (no name in it) to each `(key, person)`, once per key.

    Rendered once per language, preferences read in one query, the budget taken in one locked
    query, the rows inserted in bulk; keys already queued or held are skipped. Returns, per key
    that got new rows, the ids of its outbox rows (e-mail first).
    """
    kind = _kind(kind)
    now = now or timezone.now()
    recipients = list(recipients)
    keys = [key for key, _person in recipients]
    done = set(OutboxMessage.objects.filter(dedup_key__in=keys).values_list("dedup_key", flat=True)) | set(
        OutboxMessage.objects.filter(dedup_key__in=[k + SMS_SUFFIX for k in keys]).values_list(
            "dedup_key", flat=True
        )
    )
    done |= set(DigestItem.objects.filter(key__in=keys).values_list("key", flat=True))
    recipients = [
        (key, person) for key, person in recipients if key not in done and key + SMS_SUFFIX not in done
    ]
    if not recipients:
        return {}
    prefs_of = preferences.of_many(person.pk for _key, person in recipients)
    blocked = sms_optout.blocked_among({_number_of(person) for _key, person in recipients} - {""})
    plans = []
    for key, person in recipients:
        prefs = prefs_of.get(person.pk, preferences.DEFAULTS)
        email, phone = email_of(person), phone_of(person, blocked)
        channels = preferences.choose_channels(
            kind=kind, prefs=prefs, has_email=bool(email), has_phone=bool(phone)
        )
        if channels:
            plans.append((key, person, prefs, channels, email, phone))
    allowed = None
    if kind.optional:
        allowed = budget.take(user_ids=sorted({person.pk for _k, person, *_rest in plans}), now=now)
    rendered_in: dict[str, Rendered] = {}
    rows: list[OutboxMessage] = []
    held: list[DigestItem] = []
    for key, person, prefs, channels, email, phone in plans:
        language = language_of(person)
        if language not in rendered_in:
            placeholder = UNSUBSCRIBE_PLACEHOLDER if kind.optional else ""
            rendered_in[language] = render(
                template=template, context=context, language=language, unsubscribe_url=placeholder
            )
        url = unsubscribe.url(user_id=person.pk, group=kind.group) if kind.optional else ""
        rendered = _with_unsubscribe(rendered_in[language], url)
        if allowed is not None and person.pk not in allowed:
            held.append(
                budget.item(
                    user_id=person.pk,
                    key=key,
                    kind=kind,
                    subject=rendered.subject,
                    text=rendered.text,
                    now=now,
                )
            )
            continue
        when = preferences.send_time(kind=kind, prefs=prefs, wanted=send_after or now)
        common = {"user_id": person.pk, "kind": kind.name, "send_after": when}
        if preferences.EMAIL in channels:
            rows.append(
                OutboxMessage(
                    dedup_key=key,
                    to_email=email,
                    subject=rendered.subject[:255],
                    body_text=rendered.text,
                    body_html=rendered.html,
                    headers=_email_headers(kind=kind, person=person, url=url),
                    **common,
                )
            )
        if preferences.SMS in channels:
            rows.append(
                OutboxMessage(
                    dedup_key=key + SMS_SUFFIX,
                    channel=OutboxMessage.Channel.SMS,
                    to_phone=phone,
                    subject="",
                    body_text=rendered.sms,
                    **common,
                )
            )
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    DigestItem.objects.bulk_create(held, ignore_conflicts=True, batch_size=1000)
    queued: dict[str, list[int]] = {}
    if rows:
        ids = dict(
            OutboxMessage.objects.filter(dedup_key__in=[row.dedup_key for row in rows]).values_list(
                "dedup_key", "pk"
            )
        )
        for row in rows:
            base = row.dedup_key.removesuffix(SMS_SUFFIX)
            if row.dedup_key in ids:
                queued.setdefault(base, []).append(ids[row.dedup_key])
        if settings.NOTIFICATIONS_KICK_ON_QUEUE and any(row.send_after <= timezone.now() for row in rows):
            kick_sender_on_commit()
    return queued


def people_of(users) -> dict[int, Person]:
    """`Person`s read from a User queryset in one query (only the fields routing needs)."""
    return {
        pk: Person(pk=pk, email=email or "", phone=phone or "", language=language or "")
        for pk, email, phone, language in users.values_list("pk", "email", "phone", "language")
    }
