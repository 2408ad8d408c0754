"""Workshop e-mails, all through the outbox, each under a key unique per booking, round and event.

Keys (`<event>:booking:<id>:r<round>[…]`) make every notice idempotent: a retried task or a double
click queues nothing more. Reminders carry the workshop's sequence too, so a moved workshop gets
fresh reminders for its new time while the old ones are cancelled.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from declics.notifications.services import cancel_messages, queue_email

from . import ics
from .models import WorkshopBooking, WorkshopBookingStatus

REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


def _base(booking: WorkshopBooking) -> str:
    return f"booking:{booking.pk}:r{booking.round}"


def reminder_prefix(booking: WorkshopBooking) -> str:
    """Every reminder of this booking, whatever its round or the workshop's version."""
    return f"workshop-reminder:booking:{booking.pk}:"


def _context(booking: WorkshopBooking, **extra) -> dict:
    workshop = booking.workshop
    site = settings.SITE_URL
    return {
        "booking": booking,
        "workshop": workshop,
        "session": workshop.session,
        "user": booking.job_seeker,
        "starts_at": timezone.localtime(workshop.starts_at),
        "workshop_url": site + reverse("programs:workshop_detail", args=[workshop.pk]),
        "list_url": site + reverse("programs:workshop_list", args=[workshop.session.slug]),
        "cancel_url": site + reverse("programs:workshop_cancel", args=[booking.public_id]),
        "confirm_url": site + reverse("programs:workshop_confirm_offer", args=[booking.public_id]),
        **extra,
    }


def _queue(booking: WorkshopBooking, *, key: str, template: str, send_after=None, attachments=(), **extra):
    return queue_email(
        key=key,
        to=booking.job_seeker.email,
        template=f"programs/emails/{template}",
        context=_context(booking, **extra),
        send_after=send_after,
        user=booking.job_seeker,
        attachments=attachments,
    )


def queue_confirmation(*, booking: WorkshopBooking) -> None:
    """The seat is confirmed: an e-mail with the invitation (.ics, METHOD:REQUEST)."""
    _queue(
        booking,
        key=f"workshop-confirmed:{_base(booking)}",
        template="workshop_confirmed",
        attachments=[ics.attachment(booking, method=ics.REQUEST)],
    )


def queue_reminders(*, booking: WorkshopBooking, now: datetime) -> int:
    """Queue the 24 h and 1 h reminders still ahead; a reminder whose time has passed is skipped.

    So a booking made 3 hours before the start gets its confirmation and the 1 h reminder only.
    """
    workshop = booking.workshop
    queued = 0
    for name, before in REMINDERS:
        send_at = workshop.starts_at - before
        if send_at <= now:
            continue
        _queue(
            booking,
            key=f"{reminder_prefix(booking)}r{booking.round}:s{workshop.sequence}:{name}",
            template="workshop_reminder",
            send_after=send_at,
            reminder=name,
        )
        queued += 1
    return queued


def cancel_reminders(*, booking: WorkshopBooking) -> int:
    return cancel_messages(key_prefix=reminder_prefix(booking))


def queue_waiting(*, booking: WorkshopBooking) -> None:
    _queue(booking, key=f"workshop-waiting:{_base(booking)}", template="workshop_waiting")


def queue_offer(*, booking: WorkshopBooking) -> None:
    _queue(
        booking,
        key=f"workshop-offer:{_base(booking)}",
        template="workshop_offer",
        expires_at=timezone.localtime(booking.offer_expires_at),
    )


def queue_offer_expired(*, booking: WorkshopBooking) -> None:
    _queue(booking, key=f"workshop-offer-expired:{_base(booking)}", template="workshop_offer_expired")


def queue_booking_cancelled(*, booking: WorkshopBooking, had_invitation: bool) -> None:
    """The person cancelled: a CANCEL removes the event from their calendar."""
    attachments = [ics.attachment(booking, method=ics.CANCEL)] if had_invitation else []
    _queue(
        booking,
        key=f"workshop-booking-cancelled:{_base(booking)}",
        template="workshop_booking_cancelled",
        attachments=attachments,
        had_invitation=had_invitation,
    )


def queue_workshop_moved(*, booking: WorkshopBooking, previous_start: datetime) -> None:
    """Once per booking and version of the workshop; confirmed people get the updated invitation."""
    attachments = []
    if booking.status == WorkshopBookingStatus.CONFIRMED:
        attachments = [ics.attachment(booking, method=ics.REQUEST)]
    _queue(
        booking,
        key=f"workshop-moved:{_base(booking)}:s{booking.workshop.sequence}",
        template="workshop_moved",
        attachments=attachments,
        previous_start=timezone.localtime(previous_start),
    )


def queue_workshop_cancelled(*, booking: WorkshopBooking, had_invitation: bool) -> None:
    attachments = [ics.attachment(booking, method=ics.CANCEL)] if had_invitation else []
    _queue(
        booking,
        key=f"workshop-cancelled:{_base(booking)}",
        template="workshop_cancelled",
        attachments=attachments,
    )


def queue_attended(*, booking: WorkshopBooking) -> None:
    """Thanks, the replay and the one-question feedback."""
    _queue(
        booking,
        key=f"workshop-attended:{_base(booking)}",
        template="workshop_attended",
        feedback_url=settings.SITE_URL + reverse("programs:workshop_feedback", args=[booking.public_id]),
    )


def queue_missed(*, booking: WorkshopBooking, other_date=None) -> None:
    """A kind word to a no-show, with the replay and another date of the same kind of workshop."""
    extra = {"other": other_date}
    if other_date is not None:
        extra["other_url"] = settings.SITE_URL + reverse("programs:workshop_detail", args=[other_date.pk])
        extra["other_starts_at"] = timezone.localtime(other_date.starts_at)
    _queue(booking, key=f"workshop-missed:{_base(booking)}", template="workshop_missed", **extra)
