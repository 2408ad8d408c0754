"""iCalendar files (RFC 5545, iTIP methods of RFC 5546) for workshop bookings and personal feeds.

- One event per booking, its UID stable for the booking's round (`workshop-booking-<id>-<round>@…`),
  so a calendar replaces the event on an update instead of adding a second one.
- SEQUENCE is the workshop's own counter, incremented at each move or cancellation; a person's
  own cancellation goes one higher, so it always wins over the last invitation they received.
- METHOD:REQUEST for an invitation or an update, METHOD:CANCEL (with STATUS:CANCELLED) to remove it.
- The video link in LOCATION, URL and DESCRIPTION, and a DISPLAY alarm 15 minutes before.
"""

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from .models import WorkshopBooking

PRODID = "-//DéClics Numériques//Ateliers//FR"
ALARM_BEFORE = timedelta(minutes=15)
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


def _domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "declics.example"


def booking_uid(booking: WorkshopBooking) -> str:
    return f"workshop-booking-{booking.pk}-{booking.round}@{_domain()}"


def workshop_url(workshop) -> str:
    return settings.SITE_URL + reverse("programs:workshop_detail", args=[workshop.pk])


def _description(workshop) -> str:
    parts = [workshop.description.strip()]
    parts.append(_("Lien de la visioconférence : %(url)s") % {"url": workshop.video_url})
    if workshop.accessibility_notes:
        parts.append(_("Accessibilité : %(notes)s") % {"notes": workshop.accessibility_notes.strip()})
    parts.append(_("Votre réservation : %(url)s") % {"url": workshop_url(workshop)})
    return "\n\n".join(part for part in parts if part)


def _event(booking: WorkshopBooking, *, method: str, stamp: datetime) -> Event:
    workshop = booking.workshop
    cancelled = method == CANCEL
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", workshop.starts_at.astimezone(UTC))
    event.add("dtend", workshop.ends_at.astimezone(UTC))
    # A person's own cancellation comes after the workshop's last version they were sent.
    own_cancellation = cancelled and not workshop.is_cancelled
    event.add("sequence", workshop.sequence + (1 if own_cancellation else 0))
    event.add("summary", _("Atelier DéClics : %(title)s") % {"title": workshop.title})
    event["location"] = vText(workshop.video_url)
    event.add("url", workshop_url(workshop))
    event.add("description", _description(workshop))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if method != PUBLISH:
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        organizer = vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = vText(name or "DéClics Numériques")
        event["organizer"] = organizer
        person = booking.job_seeker
        attendee = vCalAddress(f"mailto:{person.email}")
        attendee.params["cn"] = vText(person.get_full_name() or person.email)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("DECLINED" if cancelled else "ACCEPTED")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("L'atelier « %(title)s » commence bientôt.") % {"title": workshop.title})
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
    return event


def _calendar(method: str, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    return calendar


def booking_ics(booking: WorkshopBooking, *, method: str = REQUEST, now: datetime | None = None) -> str:
    """The invitation (REQUEST) or its withdrawal (CANCEL) for one booking, as text."""
    with translation.override(settings.LANGUAGE_CODE):
        calendar = _calendar(method)
        calendar.add_component(_event(booking, method=method, stamp=now or timezone.now()))
        return calendar.to_ical().decode()


def feed_ics(bookings: Iterable[WorkshopBooking], *, now: datetime | None = None) -> str:
    """A person's calendar feed: one event per confirmed booking (workshop and person preloaded)."""
    stamp = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        calendar = _calendar(PUBLISH, name=_("Mes ateliers DéClics"))
        for booking in bookings:
            calendar.add_component(_event(booking, method=PUBLISH, stamp=stamp))
        return calendar.to_ical().decode()


def attachment(booking: WorkshopBooking, *, method: str = REQUEST) -> dict:
    """The outbox attachment for `booking` (see `declics.notifications.services.queue_email`)."""
    return {
        "filename": "atelier.ics",
        "content": booking_ics(booking, method=method),
        "mimetype": "text/calendar",
    }
