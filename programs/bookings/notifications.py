"""Every notice of the booking engine, through the outbox, each under a key unique per event.

Notices to the person go by the channel(s) they chose, in their language (`routing.notify`): a
slot moved or cancelled by the organiser is essential (it always reaches them), reminders are
urgent (never held by quiet hours). Notices to an organiser's contact addresses stay e-mails.

Keys are `<kind>-<event>:booking:<id>:r<round>[…]`: a retried task or a double click queues
nothing more. Reminders are queued when they are due (`services.send_due_reminders`), not in
advance, so their wording ("aujourd'hui", "demain", or the date) is the send time's, a moved slot's
reminders follow its new time (the start time is part of their key) and a cancelled booking has
none left to send.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from declics.notifications import kinds as message_kinds
from declics.notifications.routing import in_language
from declics.notifications.routing import notify as notify_person
from declics.notifications.services import cancel_messages, queue_email
from programs import calendar_files
from programs.calendar_files import CANCEL, REQUEST

from .kinds import SlotKind

REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


def day_words(starts_at: datetime, *, now: datetime, language: str | None = None) -> str:
    """When the slot is, seen from `now`: "aujourd'hui", "demain" or "le jeudi 3 décembre", in
    `language` (the active one by default)."""
    day = timezone.localtime(starts_at).date()
    today = timezone.localtime(now).date()
    with translation.override(language or translation.get_language() or settings.LANGUAGE_CODE):
        if day == today:
            return _("aujourd'hui")
        if day == today + timedelta(days=1):
            return _("demain")
        return _("le %(date)s") % {"date": formats.date_format(day, "l j F")}


def base(kind: SlotKind, booking) -> str:
    return f"booking:{booking.pk}:r{booking.round}"


def reminder_prefix(kind: SlotKind, booking) -> str:
    """Every reminder of this booking, whatever its round or the slot's time."""
    return f"{kind.name}-reminder:booking:{booking.pk}:"


def attachment(kind: SlotKind, booking, *, method: str = REQUEST) -> dict:
    event = kind.calendar_event(booking, method=method)
    return calendar_files.attachment(event, filename=kind.ics_filename, method=method)


def context(kind: SlotKind, booking, **extra) -> dict:
    slot = kind.slot_of(booking)
    return {
        "kind": kind.name,
        "booking": booking,
        "slot": slot,
        "what": kind.describe(slot),
        "user": booking.job_seeker,
        "starts_at": timezone.localtime(slot.starts_at),
        "slot_url": kind.slot_url(slot),
        # The link an SMS carries: the slot's page unless the kind has a shorter one (`extra_context`).
        "sms_url": kind.slot_url(slot),
        "replay_url": getattr(slot, "replay_url", ""),
        **kind.booking_urls(booking),
        **kind.extra_context(booking),
        **extra,
    }


# The kind of message of each event (see `declics.notifications.kinds`).
MESSAGE_KINDS = {
    "moved": message_kinds.BOOKING_CHANGED,  # by the organiser: essential
    "cancelled": message_kinds.BOOKING_CHANGED,
    "attended": message_kinds.BOOKING_FOLLOW_UP,
    "missed": message_kinds.BOOKING_FOLLOW_UP,
}


def notify(kind: SlotKind, booking, event: str, *, suffix: str = "", attachments=(), **extra):
    """Send `event`'s notice to the booking's person, once per booking, round (and `suffix`), in
    their language (the slot's description too)."""
    with in_language(booking.job_seeker):
        return notify_person(
            user=booking.job_seeker,
            kind=MESSAGE_KINDS.get(event, message_kinds.BOOKING_NOTICE),
            key=f"{kind.name}-{event.replace('_', '-')}:{base(kind, booking)}{suffix}",
            template=kind.template(event),
            context=context(kind, booking, **extra),
            attachments=attachments,
        )


def confirmed(kind: SlotKind, booking) -> None:
    """The seat is confirmed: an e-mail with the invitation (METHOD:REQUEST)."""
    notify(kind, booking, "confirmed", attachments=[attachment(kind, booking)])


def waiting(kind: SlotKind, booking) -> None:
    notify(kind, booking, "waiting")


def offer(kind: SlotKind, booking) -> None:
    notify(kind, booking, "offer", expires_at=timezone.localtime(booking.offer_expires_at))


def offer_expired(kind: SlotKind, booking) -> None:
    notify(kind, booking, "offer_expired")


def booking_cancelled(kind: SlotKind, booking, *, had_invitation: bool, reason: str = "") -> None:
    """The person's booking ended (by them, or because their enrolment ended): a CANCEL removes the
    event from their calendar. On erasure nobody is written to (the address is going away)."""
    if reason == "erased":
        return
    attachments = [attachment(kind, booking, method=CANCEL)] if had_invitation else []
    notify(
        kind,
        booking,
        "booking_cancelled",
        attachments=attachments,
        reason=reason,
        had_invitation=had_invitation,
    )


def organiser_told(kind: SlotKind, booking, *, reason: str = "") -> None:
    """The organiser (a training body) learns that a person will not come."""
    slot = kind.slot_of(booking)
    for email, user in kind.organiser_contacts(slot):
        queue_email(
            key=f"{kind.name}-organiser-cancelled:{base(kind, booking)}:to:{email.lower()}",
            to=email,
            template=kind.template("organiser_cancelled"),
            context={**context(kind, booking, reason=reason), "user": user},
            user=user,
        )


def slot_moved(kind: SlotKind, booking, *, previous_start: datetime) -> None:
    """Once per booking and version of the slot; confirmed people get the updated invitation."""
    slot = kind.slot_of(booking)
    attachments = [attachment(kind, booking)] if booking.status == "confirmed" else []
    notify(
        kind,
        booking,
        "moved",
        suffix=f":s{slot.sequence}",
        attachments=attachments,
        previous_start=timezone.localtime(previous_start),
    )


def slot_cancelled(kind: SlotKind, booking, *, had_invitation: bool, reason: str = "") -> None:
    attachments = [attachment(kind, booking, method=CANCEL)] if had_invitation else []
    notify(kind, booking, "cancelled", attachments=attachments, reason=reason, had_invitation=had_invitation)


def reminder(kind: SlotKind, booking, *, name: str, now: datetime):
    slot = kind.slot_of(booking)
    stamp = timezone.localtime(slot.starts_at).strftime("%Y%m%dT%H%M")
    person = booking.job_seeker
    with in_language(person):
        return notify_person(
            user=person,
            kind=message_kinds.BOOKING_REMINDER,
            key=f"{reminder_prefix(kind, booking)}r{booking.round}:{name}:{stamp}",
            template=kind.template("reminder"),
            context=context(kind, booking, reminder=name, day=day_words(slot.starts_at, now=now)),
        )


def cancel_reminders(kind: SlotKind, booking) -> int:
    return cancel_messages(key_prefix=reminder_prefix(kind, booking))


def attended(kind: SlotKind, booking, **extra) -> None:
    notify(kind, booking, "attended", **extra)


def missed(kind: SlotKind, booking, *, other=None) -> None:
    """A kind word to a no-show: the replay where there is one, another date otherwise."""
    extra = {"other": other}
    if other is not None:
        extra["other_url"] = kind.slot_url(other)
        extra["other_starts_at"] = timezone.localtime(other.starts_at)
    notify(kind, booking, "missed", **extra)
