"""Talk registrations as calendar events, written by the one builder `programs.calendar_files`.

- LOCATION and URL are the platform's join link (it opens the video room from 30 minutes before,
  and only for the registered person): the raw room URL never leaves the platform.
- The UID is stable for the registration's round (the first round keeps the UID sent before talks
  moved onto the booking engine, so calendars update the event they already hold).
- SEQUENCE is the talk's own counter, raised at each move or cancellation; a person's own
  cancellation goes one higher, so it always wins over the last invitation they received.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from programs import calendar_files
from programs.bookings.models import BookingStatus, SlotStatus
from programs.calendar_files import CANCEL, PUBLISH, REQUEST, CalendarEvent

from .models import TalkRegistration

__all__ = ["CANCEL", "PUBLISH", "REQUEST", "attachment", "calendar_events", "event", "registration_ics"]

ALARM_BEFORE = timedelta(minutes=30)
FILENAME = "temoignage.ics"


def registration_uid(registration: TalkRegistration) -> str:
    if registration.round == 1:
        return calendar_files.uid("talk-registration", registration.pk)
    return calendar_files.uid("talk-registration", registration.pk, registration.round)


def join_url(talk) -> str:
    return settings.SITE_URL + reverse("programs:talk_join", args=[talk.pk])


def event(registration: TalkRegistration, *, method: str = REQUEST) -> CalendarEvent:
    """`registration` (talk and person loaded) as the builder's neutral event."""
    talk = registration.talk
    person = registration.job_seeker
    link = join_url(talk)
    own_cancellation = method == CANCEL and not talk.is_cancelled
    with translation.override(settings.LANGUAGE_CODE):
        description = [talk.description.strip()] if talk.description.strip() else []
        description.append(
            _("Le lien pour rejoindre la visioconférence (actif 30 minutes avant le début) : %(url)s")
            % {"url": link}
        )
        return CalendarEvent(
            uid=registration_uid(registration),
            sequence=talk.sequence + (1 if own_cancellation else 0),
            starts_at=talk.starts_at,
            ends_at=talk.ends_at,
            summary=_("Témoignage DéClics : %(title)s") % {"title": talk.title},
            description="\n\n".join(description),
            url=link,
            location=link,
            attendee_email=person.email,
            attendee_name=person.get_full_name(),
            alarm_before=ALARM_BEFORE,
            alarm_text=_("Le témoignage « %(title)s » commence bientôt.") % {"title": talk.title},
        )


def registration_ics(
    registration: TalkRegistration, *, method: str = REQUEST, now: datetime | None = None
) -> str:
    """The invitation (REQUEST) or its withdrawal (CANCEL) for one registration, as text."""
    return calendar_files.calendar_file([event(registration, method=method)], method=method, now=now).decode()


def calendar_events(user) -> list[CalendarEvent]:
    """The person's feed events: their confirmed seats in scheduled talks (one query)."""
    registrations = (
        TalkRegistration.objects.filter(
            job_seeker=user, status=BookingStatus.CONFIRMED, talk__status=SlotStatus.SCHEDULED
        )
        .select_related("talk", "job_seeker")
        .order_by("talk__starts_at", "pk")
    )
    return [event(registration, method=PUBLISH) for registration in registrations]


def attachment(registration: TalkRegistration, *, method: str = REQUEST) -> dict:
    """The outbox attachment (see `declics.notifications.services.queue_email`)."""
    return calendar_files.attachment(event(registration, method=method), filename=FILENAME, method=method)
