"""Workshop bookings as calendar events, written by the one builder `programs.calendar_files`.

- The UID is stable for the booking's round (`workshop-booking-<id>-<round>@…`).
- SEQUENCE is the workshop's own counter, raised at each move or cancellation; a person's own
  cancellation goes one higher, so it always wins over the last invitation they received.
- The video link in LOCATION and DESCRIPTION (as sent today), and a DISPLAY alarm 15 minutes before.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from programs import calendar_files
from programs.calendar_files import CANCEL, PUBLISH, REQUEST, CalendarEvent

from .models import WorkshopBooking
from .selectors import feed_bookings

__all__ = ["CANCEL", "PUBLISH", "REQUEST", "attachment", "booking_ics", "booking_uid", "event"]

ALARM_BEFORE = timedelta(minutes=15)


def booking_uid(booking: WorkshopBooking) -> str:
    return calendar_files.uid("workshop-booking", booking.pk, booking.round)


def workshop_url(workshop) -> str:
    return settings.SITE_URL + reverse("programs:workshop_detail", args=[workshop.pk])


def _description(workshop) -> str:
    parts = [workshop.description.strip()]
    parts.append(_("Lien de la visioconférence : %(url)s") % {"url": workshop.video_url})
    if workshop.accessibility_notes:
        parts.append(_("Accessibilité : %(notes)s") % {"notes": workshop.accessibility_notes.strip()})
    parts.append(_("Votre réservation : %(url)s") % {"url": workshop_url(workshop)})
    return "\n\n".join(part for part in parts if part)


def event(booking: WorkshopBooking, *, method: str = REQUEST) -> CalendarEvent:
    """`booking` (workshop and person loaded) as the builder's neutral event."""
    workshop = booking.workshop
    person = booking.job_seeker
    # A person's own cancellation comes after the workshop's last version they were sent.
    own_cancellation = method == CANCEL and not workshop.is_cancelled
    with translation.override(settings.LANGUAGE_CODE):
        return CalendarEvent(
            uid=booking_uid(booking),
            sequence=workshop.sequence + (1 if own_cancellation else 0),
            starts_at=workshop.starts_at,
            ends_at=workshop.ends_at,
            summary=_("Atelier DéClics : %(title)s") % {"title": workshop.title},
            description=_description(workshop),
            url=workshop_url(workshop),
            location=workshop.video_url,
            attendee_email=person.email,
            attendee_name=person.get_full_name(),
            alarm_before=ALARM_BEFORE,
            alarm_text=_("L'atelier « %(title)s » commence bientôt.") % {"title": workshop.title},
        )


def booking_ics(booking: WorkshopBooking, *, method: str = REQUEST, now: datetime | None = None) -> str:
    """The invitation (REQUEST) or its withdrawal (CANCEL) for one booking, as text."""
    return calendar_files.calendar_file([event(booking, method=method)], method=method, now=now).decode()


def calendar_events(user) -> list[CalendarEvent]:
    """The person's feed events: confirmed seats in scheduled workshops (one query)."""
    return [event(booking, method=PUBLISH) for booking in feed_bookings(user)]


def attachment(booking: WorkshopBooking, *, method: str = REQUEST) -> dict:
    """The outbox attachment for `booking` (see `declics.notifications.services.queue_email`)."""
    return calendar_files.attachment(event(booking, method=method), filename="atelier.ics", method=method)
