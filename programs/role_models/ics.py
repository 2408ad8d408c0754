"""The iCalendar invitation (RFC 5545) for a talk registration.

The workshops' `programs/workshops/ics.py` builds its events from a workshop booking (its rounds
and sequence); a talk has neither, so this small module writes the talk's own event. The
location and URL are the platform's join link (it opens the video room from 30 minutes before,
and only for the registered person), so the raw room URL never leaves the platform.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event

from .models import TalkRegistration

PRODID = "-//DéClics Numériques//Témoignages//FR"
ALARM_BEFORE = timedelta(minutes=30)


def registration_uid(registration: TalkRegistration) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "declics.example"
    return f"talk-registration-{registration.pk}@{host}"


def join_url(talk) -> str:
    return settings.SITE_URL + reverse("programs:talk_join", args=[talk.pk])


def registration_ics(registration: TalkRegistration, *, now: datetime | None = None) -> str:
    talk = registration.talk
    with translation.override(settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", PRODID)
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("method", "PUBLISH")
        event = Event()
        event.add("uid", registration_uid(registration))
        event.add("dtstamp", (now or timezone.now()).astimezone(UTC))
        event.add("dtstart", talk.starts_at.astimezone(UTC))
        event.add("dtend", talk.ends_at.astimezone(UTC))
        event.add("summary", _("Témoignage DéClics : %(title)s") % {"title": talk.title})
        link = join_url(talk)
        event.add("location", link)
        event.add("url", link)
        description = [talk.description.strip()] if talk.description.strip() else []
        description.append(
            _("Le lien pour rejoindre la visioconférence (actif 30 minutes avant le début) : %(url)s")
            % {"url": link}
        )
        event.add("description", "\n\n".join(description))
        event.add("status", "CONFIRMED")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", _("Le témoignage « %(title)s » commence bientôt.") % {"title": talk.title})
        alarm.add("trigger", -ALARM_BEFORE)
        event.add_component(alarm)
        calendar.add_component(event)
        return calendar.to_ical().decode()


def attachment(registration: TalkRegistration) -> dict:
    """The outbox attachment (see `declics.notifications.services.queue_email`)."""
    return {
        "filename": "temoignage.ics",
        "content": registration_ics(registration),
        "mimetype": "text/calendar",
    }
