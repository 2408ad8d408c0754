"""What makes a meeting with a training body a slot of the booking engine (`programs.bookings`).

The training body's users (and the team) organise its slots: they move, cancel, change the seats
and mark attendance (`jobs.services.ensure_manages`'s rule). A person holds at most
`MAX_UPCOMING_MEETINGS` upcoming meetings (booked, offered or waiting), may cancel until
`CANCEL_DEADLINE` before the start, and a freed seat is held `OFFER_HOLD` for the first person
waiting. The training body is told when a person who had a seat will not come (they cancelled, or
their enrolment ended). Attending a meeting completes step 5; a no-show is offered the body's next
slot in the session.
"""

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from declics.errors import DomainError
from jobs.selectors import partners_managed_by
from programs.bookings import services as engine
from programs.bookings.kinds import SlotKind
from programs.models import Enrolment, Step
from programs.services import complete_step

from . import ics
from .models import MeetingBooking, MeetingSlot

CANCEL_DEADLINE = timedelta(hours=2)
OFFER_HOLD = timedelta(hours=12)
OFFER_CUTOFF = timedelta(hours=1)
# A person's upcoming meetings (booked, offered or waiting), all training bodies together.
MAX_UPCOMING_MEETINGS = 3


class MeetingError(DomainError):
    """A meeting rule refused the action; the message is safe to show."""


def manages(user, slot) -> bool:
    """Staff, or a user of the slot's training body (`jobs.services.ensure_manages`'s rule)."""
    if user is None or not user.is_authenticated:
        return False
    return partners_managed_by(user).filter(pk=slot.body_id).exists()


def meetings_url(slot) -> str:
    """The person's meetings page in the slot's session (their bookings and the open slots)."""
    return settings.SITE_URL + reverse("jobs:meetings", args=[slot.session.slug])


def partner_slot_url(slot) -> str:
    return settings.SITE_URL + reverse("jobs:partner_slot", args=[slot.body_id, slot.pk])


def _booking_urls(booking) -> dict:
    # Cancelling and confirming an offer are buttons of the meetings page, next to the booking.
    page = meetings_url(booking.slot)
    return {"cancel_url": page, "confirm_url": page}


def _extra_context(booking) -> dict:
    slot = booking.slot
    return {
        "body": slot.body,
        "join_url": slot.video_url,
        "partner_slot_url": partner_slot_url(slot),
        # The meetings page by its short address (it redirects to the current session's): an SMS
        # has no room for the session's slug.
        "sms_url": settings.SITE_URL + reverse("jobs:current_meetings"),
        "ics_url": settings.SITE_URL
        + reverse("jobs:meeting_ics", args=[slot.session.slug, booking.public_id]),
    }


def _organiser_contacts(slot) -> list:
    """The training body's users (told when a person will not come), else its contact address."""
    members = [
        (membership.user.email, membership.user)
        for membership in slot.body.memberships.select_related("user").order_by("pk")
        if membership.user.email
    ]
    if not members and slot.body.contact_email:
        return [(slot.body.contact_email, None)]
    return members


def _on_attended(bookings, slot, now) -> None:
    """Attending one meeting completes step 5."""
    for enrolment in Enrolment.objects.filter(pk__in=[b.enrolment_id for b in bookings]).order_by("pk"):
        complete_step(enrolment=enrolment, step=Step.TRAININGS, when=now)


def _another_date(slot, now):
    """The same training body's next slot in the session with a seat left."""
    return engine.another_date_query(MEETINGS, slot, now=now, body_id=slot.body_id)


def describe(slot) -> str:
    return _("la rencontre avec %(body)s") % {"body": slot.body.name}


# The meetings' own wording of the engine's refusals (a "créneau", as the training bodies say).
MESSAGES = {
    "future": gettext_lazy("Le créneau doit commencer dans le futur."),
    "session_over": gettext_lazy("Cette session est terminée : on n'y propose plus de rencontres."),
    "no_seat": gettext_lazy("Il faut au moins une place."),
    "organiser_only": gettext_lazy(
        "Seuls l'organisme de ce créneau et l'équipe DéClics peuvent le modifier."
    ),
    "change_cancelled": gettext_lazy("Ce créneau est annulé : il ne peut plus être modifié."),
    "seats_below": gettext_lazy("Il y a déjà %(n)s places prises : le créneau ne peut pas en compter moins."),
    "move_cancelled": gettext_lazy("Ce créneau est annulé : il ne peut plus être déplacé."),
    "move_started": gettext_lazy("Cette rencontre a déjà commencé : elle ne peut plus être déplacée."),
    "same_time": gettext_lazy("La date et la durée sont les mêmes qu'avant : rien à changer."),
    "slot_already_cancelled": gettext_lazy("Ce créneau est déjà annulé."),
    "cancel_slot_started": gettext_lazy("Cette rencontre a déjà commencé : elle ne peut plus être annulée."),
    "slot_cancelled": gettext_lazy("Ce créneau est annulé : choisissez-en un autre."),
    "started": gettext_lazy("Ce créneau a déjà commencé : il n'est plus possible de le réserver."),
    "not_participant": gettext_lazy("Ce créneau est réservé aux participant·es de la session « %(title)s »."),
    "has_seat": gettext_lazy("Vous avez déjà une place pour ce créneau."),
    "already_waiting": gettext_lazy("Vous êtes déjà sur la liste d'attente de ce créneau."),
    "limit": gettext_lazy(
        "Vous avez déjà %(n)s rencontres à venir (réservées ou en liste d'attente), c'est le "
        "maximum. Annulez-en une pour en réserver une autre."
    ),
    "full_soon": gettext_lazy("Ce créneau est complet et commence bientôt : choisissez-en un autre."),
    "cancel_started": gettext_lazy(
        "Cette rencontre a déjà commencé : la réservation ne peut plus être annulée."
    ),
    "too_late": gettext_lazy(
        "Il est trop tard pour annuler en ligne : la rencontre commence dans moins de "
        "%(hours)s heures. Si vous ne pouvez pas venir, prévenez l'organisme ou l'équipe DéClics."
    ),
    "attendance_forbidden": gettext_lazy("Seuls l'organisme de ce créneau et l'équipe notent les présences."),
    "attendance_cancelled": gettext_lazy("Ce créneau a été annulé."),
    "attendance_booking_cancelled": gettext_lazy("Cette réservation a été annulée."),
    "attendance_not_started": gettext_lazy("La présence se note une fois la rencontre commencée."),
    "attendance_tampered": gettext_lazy(
        "Cette liste contient une personne qui n'a pas de place pour ce créneau."
    ),
}

MEETINGS = SlotKind(
    name="meeting",
    slot_model=MeetingSlot,
    booking_model=MeetingBooking,
    slot_field="slot",
    step=Step.TRAININGS,
    error=MeetingError,
    describe=describe,
    slot_url=meetings_url,
    calendar_event=ics.event,
    ics_filename="rencontre.ics",
    can_organise=manages,
    can_mark_attendance=manages,
    booking_urls=_booking_urls,
    cancel_deadline=CANCEL_DEADLINE,
    offer_hold=OFFER_HOLD,
    offer_cutoff=OFFER_CUTOFF,
    max_live=lambda session: MAX_UPCOMING_MEETINGS,
    templates={
        # The training body's own wording; every other notice is the engine's.
        "confirmed": "jobs/trainings/emails/meeting_confirmation",
        "organiser_cancelled": "jobs/trainings/emails/meeting_organiser_cancelled",
    },
    extra_context=_extra_context,
    organiser_contacts=_organiser_contacts,
    on_attended=_on_attended,
    another_date=_another_date,
    messages=MESSAGES,
)
