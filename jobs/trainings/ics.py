"""Meeting bookings with training bodies as calendar events, written by `programs.calendar_files`.

- The UID is stable for the booking's round (`meeting-<id>-<round>@…`).
- SEQUENCE is the slot's own counter, raised by the booking engine at each move or cancellation by
  the training body; a person's own cancellation goes one higher, so it always wins over the last
  invitation they received.
- The video link in LOCATION, URL and DESCRIPTION (as sent since the start), and a DISPLAY alarm
  15 minutes before.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from programs import calendar_files
from programs.calendar_files import CANCEL, PUBLISH, REQUEST, CalendarEvent

from .models import BookingStatus, MeetingBooking, SlotStatus

__all__ = ["CANCEL", "PUBLISH", "REQUEST", "attachment", "calendar_events", "event", "meeting_ics"]

ALARM_BEFORE = timedelta(minutes=15)


def booking_uid(booking: MeetingBooking) -> str:
    return calendar_files.uid("meeting", booking.pk, booking.round)


def event(booking: MeetingBooking, *, method: str = REQUEST) -> CalendarEvent:
    """`booking` (slot, its body and the person loaded) as the builder's neutral event."""
    slot = booking.slot
    person = booking.job_seeker
    # A person's own cancellation comes after the slot's last version they were sent.
    own_cancellation = method == CANCEL and not slot.is_cancelled
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Rencontre avec %(body)s") % {"body": slot.body.name}
        return CalendarEvent(
            uid=booking_uid(booking),
            sequence=slot.sequence + (1 if own_cancellation else 0),
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            summary=title,
            description=_("Lien de la visioconférence : %(url)s") % {"url": slot.video_url},
            url=slot.video_url,
            location=slot.video_url,
            attendee_email=person.email,
            attendee_name=person.get_full_name(),
            alarm_before=ALARM_BEFORE,
            alarm_text=title,
        )


def meeting_ics(booking: MeetingBooking, *, method: str = REQUEST, now: datetime | None = None) -> bytes:
    return calendar_files.calendar_file([event(booking, method=method)], method=method, now=now)


def calendar_events(user) -> list[CalendarEvent]:
    """The person's feed events: their confirmed seats in scheduled meeting slots (one query)."""
    bookings = (
        MeetingBooking.objects.filter(
            job_seeker=user, status=BookingStatus.CONFIRMED, slot__status=SlotStatus.SCHEDULED
        )
        .select_related("slot__body", "job_seeker")
        .order_by("slot__starts_at", "pk")
    )
    return [event(booking, method=PUBLISH) for booking in bookings]


def attachment(booking: MeetingBooking, *, method: str = REQUEST) -> dict:
    return calendar_files.attachment(event(booking, method=method), filename="rencontre.ics", method=method)
