"""Workshops: create, copy and edit them; every booking rule is the booking engine's.

Booking, the waiting list, offers, cancellations, moves, reminders and attendance are
`programs.bookings.services`, called here with the workshops' `SlotKind` (`kind.WORKSHOPS`); this
module keeps what only workshops have (creation and copy, their editable texts, feedback).
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programs.bookings import services as engine
from programs.models import Enrolment, Session

from .kind import CANCEL_DEADLINE, OFFER_CUTOFF, OFFER_HOLD, WORKSHOPS, WorkshopError
from .kind import can_facilitate as _can_facilitate
from .models import FeedbackAnswer, Workshop, WorkshopBooking, WorkshopBookingStatus

__all__ = ["CANCEL_DEADLINE", "OFFER_CUTOFF", "OFFER_HOLD", "WorkshopError"]

Status = WorkshopBookingStatus

# The video link shows on the site from this long before the start, to booked people only.
VIDEO_LINK_OPENS = timedelta(minutes=30)

EDITABLE_FIELDS = (
    "title",
    "topic",
    "description",
    "video_url",
    "accessibility_notes",
    "replay_url",
    "seats",
)


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _ensure_staff(by) -> None:
    if by is None or not by.is_programme_staff:
        raise WorkshopError(_("Seule l'équipe DéClics peut modifier les ateliers."))


def can_facilitate(*, user, workshop: Workshop) -> bool:
    """Staff, or a facilitator of this workshop."""
    return _can_facilitate(user, workshop)


def video_link_visible(
    *, booking: WorkshopBooking | None, workshop: Workshop, now: datetime | None = None
) -> bool:
    """The room's link is shown to a confirmed person from 30 minutes before the start to the end."""
    return engine.video_link_visible(
        WORKSHOPS, booking=booking, slot=workshop, opens_before=VIDEO_LINK_OPENS, now=now
    )


def cancellation_deadline(workshop: Workshop) -> datetime:
    return engine.cancellation_deadline(WORKSHOPS, workshop)


# --- Staff: create, copy, edit, move, cancel ------------------------------------------------------


@transaction.atomic
def create_workshop(
    *,
    session: Session,
    title: str,
    topic: str,
    description: str,
    starts_at: datetime,
    duration_minutes: int,
    seats: int,
    video_url: str,
    accessibility_notes: str = "",
    facilitators: Iterable = (),
    by,
    now: datetime | None = None,
) -> Workshop:
    _ensure_staff(by)
    if seats is None or seats < 1:
        raise WorkshopError(_("Un atelier a au moins une place."))
    engine.check_new_slot(
        WORKSHOPS,
        session=session,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        seats=seats,
        now=now,
    )
    workshop = Workshop.objects.create(
        session=session,
        title=title,
        topic=topic,
        description=description,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        seats=seats,
        video_url=video_url,
        accessibility_notes=accessibility_notes,
        created_by=by,
    )
    workshop.facilitators.set(list(facilitators))
    return workshop


def copy_workshops(*, source: Session, target: Session, shift: timedelta) -> list[Workshop]:
    """Launching a session from another copies its scheduled workshops, shifted, with empty seats."""
    copies = []
    for workshop in source.workshops.scheduled().prefetch_related("facilitators").order_by("starts_at", "pk"):
        copy = Workshop.objects.create(
            session=target,
            title=workshop.title,
            topic=workshop.topic,
            description=workshop.description,
            starts_at=workshop.starts_at + shift,
            duration_minutes=workshop.duration_minutes,
            seats=workshop.seats,
            video_url=workshop.video_url,
            accessibility_notes=workshop.accessibility_notes,
            copied_from=workshop,
            created_by=target.created_by,
        )
        copy.facilitators.set(workshop.facilitators.all())
        copies.append(copy)
    return copies


@transaction.atomic
def update_workshop(*, workshop: Workshop, by, now: datetime | None = None, **changes) -> Workshop:
    """Change what is not the date (see `move_workshop` for that); more seats are offered at once.

    Seats may not go below the seats already held.
    """
    _ensure_staff(by)
    now = _now(now)
    unknown = set(changes) - {*EDITABLE_FIELDS, "facilitators"}
    if unknown:
        raise WorkshopError(_("Champ inconnu : %(names)s.") % {"names": ", ".join(sorted(unknown))})
    facilitators = changes.pop("facilitators", None)
    seats = changes.pop("seats", None)
    workshop = engine.lock_slot(WORKSHOPS, workshop)
    if workshop.is_cancelled:
        raise WorkshopError(_("Cet atelier est annulé : il ne peut plus être modifié."))
    if seats is not None and seats != workshop.seats:
        workshop = engine.change_seats(WORKSHOPS, slot=workshop, seats=seats, by=by, now=now)
    for name, value in changes.items():
        setattr(workshop, name, value)
    workshop.save()
    if facilitators is not None:
        workshop.facilitators.set(list(facilitators))
    return workshop


def move_workshop(
    *,
    workshop: Workshop,
    starts_at: datetime,
    duration_minutes: int | None = None,
    by,
    now: datetime | None = None,
) -> Workshop:
    """Move a workshop: everyone booked or waiting is told once, with an updated invitation."""
    _ensure_staff(by)
    return engine.move_slot(
        WORKSHOPS, slot=workshop, starts_at=starts_at, duration_minutes=duration_minutes, by=by, now=now
    )


def cancel_workshop(*, workshop: Workshop, by, reason: str = "", now: datetime | None = None) -> int:
    """Cancel a workshop: every booking ends, everyone booked or waiting is told once (with a CANCEL)."""
    _ensure_staff(by)
    return engine.cancel_slot(WORKSHOPS, slot=workshop, by=by, reason=reason, now=now)


# --- Job seekers: book, wait, confirm an offer, cancel (the engine's rules) ----------------------


def book_workshop(*, workshop: Workshop, job_seeker, now: datetime | None = None) -> WorkshopBooking:
    """Take a seat, or a place on the waiting list when the workshop is full."""
    return engine.book(WORKSHOPS, slot=workshop, job_seeker=job_seeker, now=now)


def cancel_booking(
    *, booking: WorkshopBooking, job_seeker=None, now: datetime | None = None
) -> WorkshopBooking:
    """The person gives up their seat (until the deadline), their place in the queue, or an offer."""
    return engine.cancel_booking(WORKSHOPS, booking=booking, job_seeker=job_seeker, now=now)


def release_bookings(enrolment: Enrolment, *, reason: str, now: datetime) -> int:
    """The enrolment ended: its upcoming bookings end (see `programs.bookings.services.release`)."""
    return engine.release(WORKSHOPS, enrolment, reason=reason, now=now)


def offer_seat_to_next(*, workshop: Workshop, now: datetime | None = None) -> list[WorkshopBooking]:
    return engine.offer_free_seats(WORKSHOPS, slot=workshop, now=now)


def confirm_offer(*, booking: WorkshopBooking, job_seeker, now: datetime | None = None) -> WorkshopBooking:
    """The person takes the seat held for them, before the offer expires."""
    return engine.confirm_offer(WORKSHOPS, booking=booking, job_seeker=job_seeker, now=now)


def expire_offers(*, now: datetime | None = None) -> int:
    """Pass on every offer not confirmed in time (every slot type: the engine's periodic work)."""
    return engine.expire_offers(now=now)


# --- Facilitators: attendance; job seekers: feedback ----------------------------------------------


def mark_attendance(
    *, workshop: Workshop, present: Iterable[int], by, now: datetime | None = None
) -> dict[str, int]:
    """Record who came among the confirmed bookings (the others were absent); see the engine."""
    return engine.mark_attendance(WORKSHOPS, slot=workshop, present=present, by=by, now=now)


@transaction.atomic
def record_feedback(
    *, booking: WorkshopBooking, job_seeker, answer: str, now: datetime | None = None
) -> WorkshopBooking:
    """The attendee's answer to "Was this workshop useful?" (may be changed later)."""
    booking = WorkshopBooking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
    if booking.job_seeker_id != job_seeker.pk:
        raise WorkshopError(_("Cette réservation n'est pas la vôtre."))
    if booking.status != Status.CONFIRMED or booking.attended is not True:
        raise WorkshopError(_("Vous pourrez donner votre avis après avoir participé à l'atelier."))
    if answer not in FeedbackAnswer.values:
        raise WorkshopError(_("Choisissez une des réponses proposées."))
    booking.feedback = answer
    booking.feedback_at = _now(now)
    booking.save(update_fields=["feedback", "feedback_at"])
    return booking
