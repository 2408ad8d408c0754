"""Talk registrations as calendar events, written by the one builder `programs.calendar_files`.

The location and URL are the platform's join link (it opens the video room from 30 minutes
before, and only for the registered person), so the raw room URL never leaves the platform. A talk
is not moved nor cancelled yet, so its SEQUENCE stays 0; the UID is stable for the registration.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from programs import calendar_files
from programs.calendar_files import PUBLISH, REQUEST, CalendarEvent

from .models import TalkRegistration

ALARM_BEFORE = timedelta(minutes=30)


def registration_uid(registration: TalkRegistration) -> str:
    return calendar_files.uid("talk-registration", registration.pk)


def join_url(talk) -> str:
    return settings.SITE_URL + reverse("programs:talk_join", args=[talk.pk])


def event(registration: TalkRegistration) -> CalendarEvent:
    """`registration` (talk and enrolment's person loaded) as the builder's neutral event."""
    talk = registration.talk
    person = registration.enrolment.job_seeker
    link = join_url(talk)
    with translation.override(settings.LANGUAGE_CODE):
        description = [talk.description.strip()] if talk.description.strip() else []
        description.append(
            _("Le lien pour rejoindre la visioconférence (actif 30 minutes avant le début) : %(url)s")
            % {"url": link}
        )
        return CalendarEvent(
            uid=registration_uid(registration),
            sequence=0,
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
    return calendar_files.calendar_file([event(registration)], method=method, now=now).decode()


def calendar_events(user) -> list[CalendarEvent]:
    """The person's feed events: their talk registrations (one query)."""
    registrations = (
        TalkRegistration.objects.filter(enrolment__job_seeker=user)
        .select_related("talk", "enrolment__job_seeker")
        .order_by("talk__starts_at", "pk")
    )
    return [event(registration) for registration in registrations]


def attachment(registration: TalkRegistration) -> dict:
    """The outbox attachment (see `declics.notifications.services.queue_email`)."""
    return calendar_files.attachment(event(registration), filename="temoignage.ics")


__all__ = ["PUBLISH", "REQUEST", "attachment", "calendar_events", "event", "registration_ics"]
