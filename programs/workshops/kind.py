"""What makes a workshop a slot of the booking engine (`programs.bookings`): its rules and wording.

Workshops are organised by the team; facilitators (and the team) mark attendance. A person holds at
most `session.max_simultaneous_bookings` upcoming workshops, may cancel until 2 hours before, and
a freed seat is held 12 hours for the first person waiting. Attending `session.workshops_required`
workshops completes step 4; a no-show is offered the replay, else the next workshop of the same
topic.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from programs.bookings import services as engine
from programs.bookings.kinds import SlotKind
from programs.models import Enrolment, Step
from programs.services.enrolments import complete_step
from programs.services.errors import ProgramError

from . import ics
from .models import Workshop, WorkshopBooking, WorkshopBookingStatus

CANCEL_DEADLINE = timedelta(hours=2)
OFFER_HOLD = timedelta(hours=12)
OFFER_CUTOFF = timedelta(hours=1)


class WorkshopError(ProgramError):
    """A workshop rule refused the action; the message is safe to show."""


def _is_staff(user, workshop) -> bool:
    return user.is_authenticated and user.is_programme_staff


def can_facilitate(user, workshop) -> bool:
    """Staff, or a facilitator of this workshop."""
    if not user.is_authenticated:
        return False
    return user.is_programme_staff or workshop.facilitators.filter(pk=user.pk).exists()


def workshop_url(workshop) -> str:
    return settings.SITE_URL + reverse("programs:workshop_detail", args=[workshop.pk])


def _booking_urls(booking) -> dict:
    site = settings.SITE_URL
    return {
        "cancel_url": site + reverse("programs:workshop_cancel", args=[booking.public_id]),
        "confirm_url": site + reverse("programs:workshop_confirm_offer", args=[booking.public_id]),
    }


def _extra_context(booking) -> dict:
    workshop = booking.workshop
    site = settings.SITE_URL
    return {
        "workshop": workshop,
        "session": workshop.session,
        "workshop_url": workshop_url(workshop),
        "list_url": site + reverse("programs:workshop_list", args=[workshop.session.slug]),
        "feedback_url": site + reverse("programs:workshop_feedback", args=[booking.public_id]),
        "join_url": workshop.video_url,
    }


def _on_attended(bookings, workshop, now) -> None:
    """Step 4 is completed for whoever has now attended `session.workshops_required` workshops."""
    attended = dict(
        WorkshopBooking.objects.filter(
            enrolment_id__in=[booking.enrolment_id for booking in bookings],
            status=WorkshopBookingStatus.CONFIRMED,
            attended=True,
        )
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    required = max(workshop.session.workshops_required, 1)
    enrolments = Enrolment.objects.filter(
        pk__in=[pk for pk, count in attended.items() if count >= required]
    ).order_by("pk")
    for enrolment in enrolments:
        complete_step(enrolment=enrolment, step=Step.WORKSHOPS, when=now)


def _another_date(workshop, now):
    return engine.another_date_query(WORKSHOPS, workshop, now=now, topic=workshop.topic)


WORKSHOPS = SlotKind(
    name="workshop",
    slot_model=Workshop,
    booking_model=WorkshopBooking,
    slot_field="workshop",
    step=Step.WORKSHOPS,
    error=WorkshopError,
    describe=lambda workshop: _("l'atelier « %(title)s »") % {"title": workshop.title},
    slot_url=workshop_url,
    calendar_event=ics.event,
    ics_filename="atelier.ics",
    can_organise=_is_staff,
    can_mark_attendance=can_facilitate,
    booking_urls=_booking_urls,
    cancel_deadline=CANCEL_DEADLINE,
    offer_hold=OFFER_HOLD,
    offer_cutoff=OFFER_CUTOFF,
    max_live=lambda session: session.max_simultaneous_bookings,
    templates={
        "confirmed": "programs/emails/workshop_confirmed",
        "waiting": "programs/emails/workshop_waiting",
        "offer": "programs/emails/workshop_offer",
        "offer_expired": "programs/emails/workshop_offer_expired",
        "booking_cancelled": "programs/emails/workshop_booking_cancelled",
        "slot_moved": "programs/emails/workshop_moved",
        "slot_cancelled": "programs/emails/workshop_cancelled",
        "attended": "programs/emails/workshop_attended",
        "missed": "programs/emails/workshop_missed",
    },
    extra_context=_extra_context,
    on_attended=_on_attended,
    another_date=_another_date,
)
