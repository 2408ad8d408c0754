"""The one calendar-file builder (RFC 5545, iTIP methods of RFC 5546) for every slot type.

Each step maps its own bookings to `CalendarEvent`s (a neutral description) and this module writes
the file; no other module builds a calendar (tests/programs/test_calendar_files.py scans the source).

- The UID is the step's, stable for one booking, so a calendar replaces the event on an update.
- SEQUENCE is the slot's change counter: every move or cancellation raises it.
- METHOD:REQUEST invites or updates (organizer and attendee), METHOD:CANCEL withdraws it
  (STATUS:CANCELLED, the attendee DECLINED, no alarm), METHOD:PUBLISH is the personal feed.
- LOCATION carries only what the step allows (`location`); the alarm is a DISPLAY alarm.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

PRODID = "-//DéClics Numériques//Agenda//FR"
REQUEST, CANCEL, PUBLISH = "REQUEST", "CANCEL", "PUBLISH"


@dataclass(frozen=True)
class CalendarEvent:
    """One booking as a calendar sees it (texts already translated by the step)."""

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    url: str
    location: str
    attendee_email: str
    attendee_name: str
    alarm_before: timedelta
    alarm_text: str


def uid(kind: str, *parts) -> str:
    """A stable UID: `<kind>-<parts…>@<the site's host>`."""
    host = urlsplit(settings.SITE_URL).hostname or "declics.example"
    return "-".join([kind, *(str(part) for part in parts)]) + f"@{host}"


def _event(description: CalendarEvent, *, method: str, stamp: datetime) -> Event:
    cancelled = method == CANCEL
    event = Event()
    event.add("uid", description.uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", description.starts_at.astimezone(UTC))
    event.add("dtend", description.ends_at.astimezone(UTC))
    event.add("sequence", description.sequence)
    event.add("summary", description.summary)
    if description.location:
        event["location"] = vText(description.location)
    event.add("url", description.url)
    event.add("description", description.description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if method != PUBLISH:
        name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
        organizer = vCalAddress(f"mailto:{address}")
        organizer.params["cn"] = vText(name or "DéClics Numériques")
        event["organizer"] = organizer
    # A person who signed up with a phone number has no address to name as the attendee.
    if method != PUBLISH and description.attendee_email:
        attendee = vCalAddress(f"mailto:{description.attendee_email}")
        attendee.params["cn"] = vText(description.attendee_name or description.attendee_email)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("DECLINED" if cancelled else "ACCEPTED")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", description.alarm_text)
        alarm.add("trigger", -description.alarm_before)
        event.add_component(alarm)
    return event


def calendar_file(
    events: Iterable[CalendarEvent],
    *,
    method: str = REQUEST,
    name: str | None = None,
    now: datetime | None = None,
) -> bytes:
    """The calendar file holding `events` (one for an invitation, all for a feed named `name`)."""
    if method not in (REQUEST, CANCEL, PUBLISH):
        raise ValueError(f"Unknown iTIP method: {method}")
    stamp = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT1H")
    for description in events:
        calendar.add_component(_event(description, method=method, stamp=stamp))
    return calendar.to_ical()


def attachment(event: CalendarEvent, *, filename: str, method: str = REQUEST) -> dict:
    """The outbox attachment (see `declics.notifications.services.queue_email`)."""
    return {
        "filename": filename,
        "content": calendar_file([event], method=method).decode(),
        "mimetype": "text/calendar",
    }
