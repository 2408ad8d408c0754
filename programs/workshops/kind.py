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
from django.utils.translation import gettext_lazy

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


# The workshops' own wording of the engine's refusals.
MESSAGES = {
    "future": gettext_lazy("Un atelier doit commencer dans le futur."),
    "session_over": gettext_lazy("Cette session est terminée : on n'y ajoute plus d'ateliers."),
    "no_seat": gettext_lazy("Un atelier a au moins une place."),
    "organiser_only": gettext_lazy("Seule l'équipe DéClics peut modifier les ateliers."),
    "change_cancelled": gettext_lazy("Cet atelier est annulé : il ne peut plus être modifié."),
    "seats_below": gettext_lazy("Il y a déjà %(n)s places prises : l'atelier ne peut pas en compter moins."),
    "move_cancelled": gettext_lazy("Cet atelier est annulé : il ne peut plus être déplacé."),
    "move_started": gettext_lazy("Cet atelier a déjà commencé : il ne peut plus être déplacé."),
    "slot_already_cancelled": gettext_lazy("Cet atelier est déjà annulé."),
    "cancel_slot_started": gettext_lazy("Cet atelier a déjà commencé : il ne peut plus être annulé."),
    "slot_cancelled": gettext_lazy("Cet atelier est annulé : choisissez-en un autre."),
    "started": gettext_lazy("Cet atelier a déjà commencé : il n'est plus possible de le réserver."),
    "not_participant": gettext_lazy(
        "Cet atelier est réservé aux participant·es de la session « %(title)s »."
    ),
    "has_seat": gettext_lazy("Vous avez déjà une place pour cet atelier."),
    "already_waiting": gettext_lazy("Vous êtes déjà sur la liste d'attente de cet atelier."),
    "limit": gettext_lazy(
        "Vous avez déjà %(n)s ateliers à venir (réservés ou en liste d'attente), c'est le "
        "maximum. Annulez-en un pour en réserver un autre."
    ),
    "full_soon": gettext_lazy("Cet atelier est complet et commence bientôt : choisissez une autre date."),
    "cancel_started": gettext_lazy("Cet atelier a déjà commencé : la réservation ne peut plus être annulée."),
    "too_late": gettext_lazy(
        "Il est trop tard pour annuler en ligne : l'atelier commence dans moins de "
        "%(hours)s heures. Si vous ne pouvez pas venir, prévenez l'équipe DéClics."
    ),
    "attendance_forbidden": gettext_lazy(
        "Seuls les animateur·ices de cet atelier et l'équipe notent les présences."
    ),
    "attendance_cancelled": gettext_lazy("Cet atelier a été annulé."),
    "attendance_not_started": gettext_lazy("Les présences se notent une fois l'atelier commencé."),
    "attendance_tampered": gettext_lazy(
        "Cette liste contient une personne qui n'a pas de place pour cet atelier."
    ),
}

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
        "moved": "programs/emails/workshop_moved",
        "cancelled": "programs/emails/workshop_cancelled",
        "attended": "programs/emails/workshop_attended",
        "missed": "programs/emails/workshop_missed",
    },
    extra_context=_extra_context,
    on_attended=_on_attended,
    another_date=_another_date,
    messages=MESSAGES,
)
