"""Meeting slots with training bodies: what only they have (a training body creates its slots);
every booking rule is the booking engine's.

Booking, the waiting list, offers, cancellations, moves, seats, reminders and attendance are
`programs.bookings.services`, called here with the meetings' `SlotKind` (`jobs.trainings.kind`).
The training body's users (and the team) manage its slots: `jobs.services.ensure_manages` refuses
anyone else with a 403, before the engine's own check.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from jobs.models import Partner
from jobs.services import ensure_manages
from programs.bookings import services as engine
from programs.models import Enrolment, Session

from ..kind import CANCEL_DEADLINE, MAX_UPCOMING_MEETINGS, MEETINGS, MeetingError
from ..models import MeetingBooking, MeetingSlot, Training

__all__ = ["CANCEL_DEADLINE", "MAX_UPCOMING_MEETINGS", "MeetingError"]

# The video link shows on the meetings page from this long before the start, to booked people only.
VIDEO_LINK_OPENS = timedelta(minutes=30)


def _ensure_body_manager(by, slot: MeetingSlot) -> None:
    ensure_manages(user=by, partner=Partner(pk=slot.body_id), error=MeetingError)


# --- The training body (and the team): create, move, cancel, seats, attendance -------------------


@transaction.atomic
def create_meeting_slot(
    *,
    body: Partner,
    session: Session,
    starts_at: datetime,
    duration_minutes: int,
    seats: int,
    video_url: str,
    by,
    training: Training | None = None,
    now: datetime | None = None,
) -> MeetingSlot:
    ensure_manages(user=by, partner=body, error=MeetingError)
    if not body.is_training_body:
        raise MeetingError(_("Seul un organisme de formation peut proposer des rencontres."))
    if training is not None and training.body_id != body.pk:
        raise MeetingError(_("Cette formation appartient à un autre organisme."))
    if seats is None:
        raise MeetingError(_("Il faut au moins une place."))
    engine.check_new_slot(
        MEETINGS,
        session=session,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        seats=seats,
        now=now,
    )
    return MeetingSlot.objects.create(
        body=body,
        session=session,
        training=training,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        seats=seats,
        video_url=video_url,
    )


def move_meeting_slot(
    *, slot: MeetingSlot, starts_at: datetime, duration_minutes: int | None = None, by, now=None
) -> MeetingSlot:
    """Move a slot: everyone booked or waiting is told once, with an updated invitation."""
    _ensure_body_manager(by, slot)
    return engine.move_slot(
        MEETINGS, slot=slot, starts_at=starts_at, duration_minutes=duration_minutes, by=by, now=now
    )


def cancel_meeting_slot(*, slot: MeetingSlot, by, reason: str = "", now: datetime | None = None) -> int:
    """Cancel a slot: every booking ends, everyone booked or waiting is told once (with a CANCEL)."""
    _ensure_body_manager(by, slot)
    return engine.cancel_slot(MEETINGS, slot=slot, by=by, reason=reason, now=now)


def change_meeting_seats(*, slot: MeetingSlot, seats: int, by, now: datetime | None = None) -> MeetingSlot:
    """Never below the seats held; new seats are offered at once to the people waiting."""
    _ensure_body_manager(by, slot)
    if seats is None:
        raise MeetingError(_("Il faut au moins une place."))
    return engine.change_seats(MEETINGS, slot=slot, seats=seats, by=by, now=now)


@transaction.atomic
def update_meeting_slot(
    *, slot: MeetingSlot, starts_at: datetime, duration_minutes: int, seats: int, by, now=None
) -> MeetingSlot:
    """The training body's edit form: the seats change first (more seats are offered at once),
    then, if the date or the length changed, the slot moves (everyone told once). One transaction:
    a refused move keeps the seats as they were."""
    _ensure_body_manager(by, slot)
    if (starts_at, duration_minutes, seats) == (slot.starts_at, slot.duration_minutes, slot.seats):
        raise MeetingError(_("La date, la durée et les places sont les mêmes qu'avant : rien à changer."))
    if seats != slot.seats:
        slot = change_meeting_seats(slot=slot, seats=seats, by=by, now=now)
    if (starts_at, duration_minutes) != (slot.starts_at, slot.duration_minutes):
        slot = move_meeting_slot(
            slot=slot, starts_at=starts_at, duration_minutes=duration_minutes, by=by, now=now
        )
    return slot


def mark_meeting_attendance(
    *, booking: MeetingBooking, attended: bool, by, now: datetime | None = None
) -> dict[str, int]:
    """The training body (or staff) says who came; attending completes step 5, a no-show is offered
    the body's next slot (the engine's `mark_one`)."""
    _ensure_body_manager(by, booking.slot)
    return engine.mark_one(MEETINGS, booking=booking, attended=attended, by=by, now=now)


# --- Job seekers: book, wait, confirm an offer, cancel -------------------------------------------


def book_meeting_slot(
    *, slot: MeetingSlot, enrolment: Enrolment, now: datetime | None = None
) -> MeetingBooking:
    """Take a seat, or a place on the waiting list when the slot is full."""
    if slot.session_id != enrolment.session_id:
        raise MeetingError(_("Ce créneau est réservé aux personnes d'une autre session."))
    return engine.book(MEETINGS, slot=slot, job_seeker=enrolment.job_seeker, now=now)


def confirm_meeting_offer(
    *, booking: MeetingBooking, job_seeker, now: datetime | None = None
) -> MeetingBooking:
    """The person takes the seat held for them, before the offer expires."""
    return engine.confirm_offer(MEETINGS, booking=booking, job_seeker=job_seeker, now=now)


def cancel_meeting_booking(
    *, booking: MeetingBooking, job_seeker=None, now: datetime | None = None
) -> MeetingBooking:
    """The person gives up their seat (until the deadline), their place in the queue, or an offer;
    the seat is offered to the first person waiting and the training body is told."""
    return engine.cancel_booking(MEETINGS, booking=booking, job_seeker=job_seeker, now=now)


def copy_meeting_slots(*, source: Session, target: Session, shift: timedelta) -> list[MeetingSlot]:
    """Launching a session from another (or from a template) copies the training bodies' scheduled
    meeting slots, shifted, with empty seats: the bodies then move or cancel their own."""
    copies = [
        MeetingSlot(
            body_id=slot.body_id,
            session=target,
            training_id=slot.training_id,
            starts_at=slot.starts_at + shift,
            duration_minutes=slot.duration_minutes,
            seats=slot.seats,
            video_url=slot.video_url,
        )
        for slot in MeetingSlot.objects.scheduled().filter(session=source).order_by("starts_at", "pk")
    ]
    return MeetingSlot.objects.bulk_create(copies)


def release_meetings(enrolment: Enrolment, *, reason: str, now: datetime) -> int:
    """The enrolment ended: its upcoming meetings end (see `programs.bookings.services.release`)."""
    return engine.release(MEETINGS, enrolment, reason=reason, now=now)


def video_link_visible(
    *, booking: MeetingBooking | None, slot: MeetingSlot, now: datetime | None = None
) -> bool:
    return engine.video_link_visible(
        MEETINGS, booking=booking, slot=slot, opens_before=VIDEO_LINK_OPENS, now=now
    )


def cancellation_deadline(slot: MeetingSlot) -> datetime:
    return engine.cancellation_deadline(MEETINGS, slot)
