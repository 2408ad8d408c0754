"""What makes a role-model talk a slot of the booking engine (`programs.bookings`): its rules and wording.

Talks are organised by the team; the team and the talk's host mark attendance. There is no limit
per person; a person may cancel until the start; a talk has no limit of seats unless `seats` is
set, and then people wait in a queue when it is full. The calendar event carries the platform's
join link, never the video room's URL. Attending a talk completes step 1; a no-show is offered the
replay, else the session's next talk with a seat.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from programs.bookings import services as engine
from programs.bookings.kinds import SlotKind
from programs.models import Step
from programs.services.enrolments import complete_step
from programs.services.errors import ProgramError

from . import ics
from .models import Talk, TalkRegistration

# A person may cancel until the start ("talks cannot be cancelled by the person": issue 13).
CANCEL_DEADLINE = timedelta(0)


class TalkError(ProgramError):
    """A talk action was refused; the message is safe to show."""


def _is_staff(user, talk) -> bool:
    return user.is_authenticated and user.is_programme_staff


def can_mark_attendance(user, talk) -> bool:
    """Staff, or the talk's host."""
    return user.is_authenticated and (user.is_programme_staff or talk.host_id == user.pk)


def talk_url(talk) -> str:
    return settings.SITE_URL + reverse("programs:talk_detail", args=[talk.pk])


def _booking_urls(registration) -> dict:
    site = settings.SITE_URL
    return {
        "cancel_url": site + reverse("programs:talk_cancel", args=[registration.public_id]),
        "confirm_url": site + reverse("programs:talk_confirm_offer", args=[registration.public_id]),
    }


def _extra_context(registration) -> dict:
    talk = registration.talk
    site = settings.SITE_URL
    return {
        "talk": talk,
        "session": talk.session,
        "registration": registration,
        "talk_url": talk_url(talk),
        # The platform's link (it opens the room from 30 minutes before), never the room's URL.
        "join_url": ics.join_url(talk),
        # The tracked replay link: watching it counts for step 1.
        "replay_url": site + reverse("programs:talk_replay", args=[talk.pk]) if talk.replay_url else "",
    }


def _on_attended(registrations, talk, now) -> None:
    """Attending one talk completes step 1."""
    for registration in registrations:
        complete_step(enrolment=registration.enrolment, step=Step.ROLE_MODELS, when=now)


def _another_date(talk, now):
    return engine.another_date_query(TALKS, talk, now=now)


TALKS = SlotKind(
    name="talk",
    slot_model=Talk,
    booking_model=TalkRegistration,
    slot_field="talk",
    step=Step.ROLE_MODELS,
    error=TalkError,
    describe=lambda talk: _("le témoignage « %(title)s »") % {"title": talk.title},
    slot_url=talk_url,
    calendar_event=ics.event,
    ics_filename=ics.FILENAME,
    can_organise=_is_staff,
    can_mark_attendance=can_mark_attendance,
    booking_urls=_booking_urls,
    cancel_deadline=CANCEL_DEADLINE,
    templates={"confirmed": "programs/emails/talk_registered"},
    extra_context=_extra_context,
    on_attended=_on_attended,
    another_date=_another_date,
)
