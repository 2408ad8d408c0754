"""Workshops: create, copy, book, wait, offer, confirm, cancel, move, attendance and feedback.

Locking: every change to a workshop's seats first locks the workshop row (`select_for_update`),
then the rows it touches, always in that order. Seats held (confirmed bookings and pending offers)
are counted in `Workshop.seats_taken`, which a check constraint keeps within `seats`: the lock makes
the count right, the constraint makes a mistake fail loudly instead of overbooking.

The booking rules are written against a small surface (a row with `starts_at`, `seats`,
`seats_taken`, and a booking with a status, a round and a person) so that the meeting slots of
training bodies (`jobs.trainings.services.meetings`) could share them later.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.accounts.models import Role
from programs.enrolments import find_enrolment
from programs.models import Enrolment, Session, SessionStatus, Step
from programs.services.enrolments import complete_step
from programs.services.errors import ProgramError
from programs.services.steps import ensure_step_open

from . import notifications
from .models import (
    LIVE_STATUSES,
    SEAT_HOLDING,
    FeedbackAnswer,
    Workshop,
    WorkshopBooking,
    WorkshopBookingStatus,
    WorkshopStatus,
)

Status = WorkshopBookingStatus

# A person may cancel a confirmed seat until this long before the start.
CANCEL_DEADLINE = timedelta(hours=2)
# A freed seat is held this long for the first person waiting…
OFFER_HOLD = timedelta(hours=12)
# …but never later than this before the start (and no offer is made after that point).
OFFER_CUTOFF = timedelta(hours=1)
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


class WorkshopError(ProgramError):
    """A workshop rule refused the action; the message is safe to show."""


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _lock(workshop: Workshop | int) -> Workshop:
    pk = workshop if isinstance(workshop, int) else workshop.pk
    return Workshop.objects.select_for_update(of=("self",)).select_related("session").get(pk=pk)


def _lock_booking(booking: WorkshopBooking, workshop: Workshop) -> WorkshopBooking:
    booking = (
        WorkshopBooking.objects.select_for_update(of=("self",))
        .select_related("job_seeker")
        .get(pk=booking.pk)
    )
    booking.workshop = workshop
    return booking


def _ensure_staff(by) -> None:
    if by is None or not by.is_programme_staff:
        raise WorkshopError(_("Seule l'équipe DéClics peut modifier les ateliers."))


def can_facilitate(*, user, workshop: Workshop) -> bool:
    """Staff, or a facilitator of this workshop."""
    if not user.is_authenticated:
        return False
    return user.is_programme_staff or workshop.facilitators.filter(pk=user.pk).exists()


def video_link_visible(
    *, booking: WorkshopBooking | None, workshop: Workshop, now: datetime | None = None
) -> bool:
    """The room's link is shown to a confirmed person from 30 minutes before the start to the end."""
    now = _now(now)
    return (
        booking is not None
        and booking.status == Status.CONFIRMED
        and not workshop.is_cancelled
        and workshop.starts_at - VIDEO_LINK_OPENS <= now < workshop.ends_at
    )


def cancellation_deadline(workshop: Workshop) -> datetime:
    return workshop.starts_at - CANCEL_DEADLINE


# --- Staff: create, copy, edit, move, cancel ------------------------------------------------------


def _check_times(*, session: Session, starts_at: datetime, duration_minutes: int, now: datetime) -> None:
    if starts_at <= now:
        raise WorkshopError(_("Un atelier doit commencer dans le futur."))
    if duration_minutes < 1:
        raise WorkshopError(_("La durée doit être d'au moins une minute."))
    if session.status in (SessionStatus.CLOSED, SessionStatus.ARCHIVED):
        raise WorkshopError(_("Cette session est terminée : on n'y ajoute plus d'ateliers."))


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
    _check_times(session=session, starts_at=starts_at, duration_minutes=duration_minutes, now=_now(now))
    if seats < 1:
        raise WorkshopError(_("Un atelier a au moins une place."))
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
    workshop = _lock(workshop)
    if workshop.is_cancelled:
        raise WorkshopError(_("Cet atelier est annulé : il ne peut plus être modifié."))
    facilitators = changes.pop("facilitators", None)
    seats = changes.get("seats", workshop.seats)
    if seats < max(workshop.seats_taken, 1):
        raise WorkshopError(
            _("Il y a déjà %(n)s places prises : l'atelier ne peut pas en compter moins.")
            % {"n": workshop.seats_taken}
        )
    for name, value in changes.items():
        setattr(workshop, name, value)
    workshop.save()
    if facilitators is not None:
        workshop.facilitators.set(list(facilitators))
    _offer_free_seats(workshop, now=now)
    return workshop


@transaction.atomic
def move_workshop(
    *,
    workshop: Workshop,
    starts_at: datetime,
    duration_minutes: int | None = None,
    by,
    now: datetime | None = None,
) -> Workshop:
    """Move a workshop: everyone booked or waiting is told once, with an updated invitation.

    The workshop's SEQUENCE goes up, the confirmed people's reminders are cancelled and queued
    again for the new time, and pending offers may not outlast the new cut-off.
    """
    _ensure_staff(by)
    now = _now(now)
    workshop = _lock(workshop)
    duration_minutes = duration_minutes or workshop.duration_minutes
    if workshop.is_cancelled:
        raise WorkshopError(_("Cet atelier est annulé : il ne peut plus être déplacé."))
    if workshop.starts_at <= now:
        raise WorkshopError(_("Cet atelier a déjà commencé : il ne peut plus être déplacé."))
    _check_times(session=workshop.session, starts_at=starts_at, duration_minutes=duration_minutes, now=now)
    if starts_at == workshop.starts_at and duration_minutes == workshop.duration_minutes:
        raise WorkshopError(_("La date et la durée sont les mêmes qu'avant : rien à changer."))
    previous_start = workshop.starts_at
    workshop.starts_at = starts_at
    workshop.duration_minutes = duration_minutes
    workshop.sequence += 1
    workshop.save(update_fields=["starts_at", "duration_minutes", "sequence", "updated_at"])
    bookings = workshop.bookings.live().select_for_update(of=("self",)).select_related("job_seeker")
    for booking in bookings:
        booking.workshop = workshop
        if booking.status == Status.CONFIRMED:
            notifications.cancel_reminders(booking=booking)
            notifications.queue_reminders(booking=booking, now=now)
        elif booking.status == Status.OFFERED:
            booking.offer_expires_at = min(booking.offer_expires_at, starts_at - OFFER_CUTOFF)
            booking.save(update_fields=["offer_expires_at"])
        notifications.queue_workshop_moved(booking=booking, previous_start=previous_start)
    return workshop


@transaction.atomic
def cancel_workshop(*, workshop: Workshop, by, now: datetime | None = None) -> int:
    """Cancel a workshop: every booking ends, everyone booked or waiting is told once (with a CANCEL).

    Returns how many people were told.
    """
    _ensure_staff(by)
    now = _now(now)
    workshop = _lock(workshop)
    if workshop.is_cancelled:
        raise WorkshopError(_("Cet atelier est déjà annulé."))
    if workshop.starts_at <= now:
        raise WorkshopError(_("Cet atelier a déjà commencé : il ne peut plus être annulé."))
    workshop.status = WorkshopStatus.CANCELLED
    workshop.cancelled_at = now
    workshop.sequence += 1
    workshop.seats_taken = 0
    workshop.save(update_fields=["status", "cancelled_at", "sequence", "seats_taken", "updated_at"])
    told = 0
    for booking in workshop.bookings.live().select_for_update(of=("self",)).select_related("job_seeker"):
        booking.workshop = workshop
        had_invitation = booking.status == Status.CONFIRMED
        booking.status = Status.CANCELLED
        booking.cancelled_at = now
        booking.save(update_fields=["status", "cancelled_at"])
        notifications.cancel_reminders(booking=booking)
        notifications.queue_workshop_cancelled(booking=booking, had_invitation=had_invitation)
        told += 1
    return told


# --- Job seekers: book, wait, confirm an offer, cancel --------------------------------------------


def _confirm(booking: WorkshopBooking, *, now: datetime) -> None:
    booking.status = Status.CONFIRMED
    booking.confirmed_at = now
    booking.save()
    notifications.queue_confirmation(booking=booking)
    notifications.queue_reminders(booking=booking, now=now)


@transaction.atomic
def book_workshop(*, workshop: Workshop, job_seeker, now: datetime | None = None) -> WorkshopBooking:
    """Take a seat, or a place on the waiting list when the workshop is full.

    The person's enrolment is locked first, so that two of their own requests cannot both pass the
    limit of simultaneous bookings; then the workshop row, so concurrent requests take seats one
    after the other and the last ones go to the waiting list. Withdrawing takes the same locks in
    the same order (the enrolment, then the workshops whose seats it gives back): never a deadlock.
    """
    now = _now(now)
    enrolment = find_enrolment(job_seeker, session=Session(pk=workshop.session_id), for_update=True)
    workshop = _lock(workshop)
    session = workshop.session
    if workshop.is_cancelled:
        raise WorkshopError(_("Cet atelier est annulé : choisissez-en un autre."))
    if workshop.starts_at <= now:
        raise WorkshopError(_("Cet atelier a déjà commencé : il n'est plus possible de le réserver."))
    if enrolment is None or job_seeker.role != Role.JOB_SEEKER:
        raise WorkshopError(
            _("Cet atelier est réservé aux participant·es de la session « %(title)s ».")
            % {"title": session.title}
        )
    ensure_step_open(enrolment=enrolment, step=Step.WORKSHOPS, now=now, error=WorkshopError)
    booking = (
        WorkshopBooking.objects.select_for_update(of=("self",))
        .filter(workshop=workshop, job_seeker=job_seeker)
        .first()
    )
    seat_free = workshop.seats_taken < workshop.seats
    if booking is not None and booking.status in SEAT_HOLDING:
        raise WorkshopError(_("Vous avez déjà une place pour cet atelier."))
    if booking is not None and booking.status == Status.WAITING:
        if not seat_free:
            raise WorkshopError(_("Vous êtes déjà sur la liste d'attente de cet atelier."))
        # A seat is free and nobody holds it (no offer is made in the last hour): take it.
        booking.workshop = workshop
        workshop.seats_taken += 1
        workshop.save(update_fields=["seats_taken", "updated_at"])
        _confirm(booking, now=now)
        return booking

    live = (
        WorkshopBooking.objects.filter(
            enrolment=enrolment, status__in=LIVE_STATUSES, workshop__starts_at__gt=now
        )
        .exclude(workshop=workshop)
        .count()
    )
    if live >= session.max_simultaneous_bookings:
        raise WorkshopError(
            _(
                "Vous avez déjà %(n)s ateliers à venir (réservés ou en liste d'attente), c'est le "
                "maximum. Annulez-en un pour en réserver un autre."
            )
            % {"n": live}
        )
    if not seat_free and now >= workshop.starts_at - OFFER_CUTOFF:
        raise WorkshopError(_("Cet atelier est complet et commence bientôt : choisissez une autre date."))

    if booking is None:
        booking = WorkshopBooking(workshop=workshop, enrolment=enrolment, job_seeker=job_seeker)
    else:
        # Coming back after a cancellation or an expired offer: the same row, a new round.
        booking.round += 1
        booking.enrolment = enrolment
        for name in ("offered_at", "offer_expires_at", "confirmed_at", "cancelled_at", "attended"):
            setattr(booking, name, None)
        booking.feedback = ""
        booking.feedback_at = None
        booking.attendance_marked_at = None
        booking.attendance_marked_by = None
    booking.booked_at = now
    booking.workshop = workshop
    if seat_free:
        booking.waiting_since = None
        workshop.seats_taken += 1
        workshop.save(update_fields=["seats_taken", "updated_at"])
        _confirm(booking, now=now)
    else:
        booking.status = Status.WAITING
        booking.waiting_since = now
        booking.save()
        notifications.queue_waiting(booking=booking)
    return booking


@transaction.atomic
def cancel_booking(
    *, booking: WorkshopBooking, job_seeker=None, now: datetime | None = None
) -> WorkshopBooking:
    """The person gives up their seat (until the deadline), their place in the queue, or an offer.

    A freed seat is offered at once to the first person waiting. Pending reminders are cancelled;
    a confirmed person gets a CANCEL for their calendar.
    """
    now = _now(now)
    workshop = _lock(booking.workshop_id)
    booking = _lock_booking(booking, workshop)
    if job_seeker is not None and booking.job_seeker_id != job_seeker.pk:
        raise WorkshopError(_("Cette réservation n'est pas la vôtre."))
    if booking.status not in LIVE_STATUSES:
        raise WorkshopError(_("Cette réservation est déjà annulée."))
    if workshop.starts_at <= now:
        raise WorkshopError(_("Cet atelier a déjà commencé : la réservation ne peut plus être annulée."))
    if booking.status == Status.CONFIRMED and now > cancellation_deadline(workshop):
        raise WorkshopError(
            _(
                "Il est trop tard pour annuler en ligne : l'atelier commence dans moins de "
                "%(hours)s heures. Si vous ne pouvez pas venir, prévenez l'équipe DéClics."
            )
            % {"hours": int(CANCEL_DEADLINE.total_seconds() // 3600)}
        )
    previous = booking.status
    booking.status = Status.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    notifications.cancel_reminders(booking=booking)
    notifications.queue_booking_cancelled(booking=booking, had_invitation=previous == Status.CONFIRMED)
    if previous in SEAT_HOLDING:
        workshop.seats_taken -= 1
        workshop.save(update_fields=["seats_taken", "updated_at"])
        _offer_free_seats(workshop, now=now)
    return booking


def release_bookings(enrolment: Enrolment, *, reason: str, now: datetime) -> int:
    """The enrolment ended: each upcoming seat, place in the queue or offer is cancelled as the
    person would (`cancel_booking`: a freed seat goes to the first person waiting, reminders are
    cancelled, the person gets a CANCEL). A seat inside the cancellation deadline stays taken, as
    online; past bookings stay for attendance. Returns how many were cancelled.
    """
    live = WorkshopBooking.objects.filter(
        enrolment=enrolment, status__in=LIVE_STATUSES, workshop__starts_at__gt=now
    ).order_by("workshop__starts_at", "pk")
    cancelled = 0
    for booking in live:
        try:
            cancel_booking(booking=booking, now=now)
        except WorkshopError:
            continue
        cancelled += 1
    return cancelled


def _offer_free_seats(workshop: Workshop, *, now: datetime) -> list[WorkshopBooking]:
    """Offer every free seat to the people waiting, in order. The caller holds the workshop's lock.

    Nothing is offered within OFFER_CUTOFF of the start: nobody could confirm in time, so the seat
    stays free for whoever books it first (people waiting included).
    """
    if workshop.is_cancelled or now >= workshop.starts_at - OFFER_CUTOFF:
        return []
    offered = []
    while workshop.seats_taken < workshop.seats:
        booking = (
            workshop.bookings.waiting_queue()
            .select_for_update(of=("self",))
            .select_related("job_seeker")
            .first()
        )
        if booking is None:
            break
        booking.workshop = workshop
        booking.status = Status.OFFERED
        booking.offered_at = now
        booking.offer_expires_at = min(now + OFFER_HOLD, workshop.starts_at - OFFER_CUTOFF)
        booking.save(update_fields=["status", "offered_at", "offer_expires_at"])
        workshop.seats_taken += 1
        notifications.queue_offer(booking=booking)
        offered.append(booking)
    if offered:
        workshop.save(update_fields=["seats_taken", "updated_at"])
    return offered


@transaction.atomic
def offer_seat_to_next(*, workshop: Workshop, now: datetime | None = None) -> list[WorkshopBooking]:
    """Offer the workshop's free seats to the people waiting (see `_offer_free_seats`)."""
    return _offer_free_seats(_lock(workshop), now=_now(now))


@transaction.atomic
def confirm_offer(*, booking: WorkshopBooking, job_seeker, now: datetime | None = None) -> WorkshopBooking:
    """The person takes the seat held for them, before the offer expires."""
    now = _now(now)
    workshop = _lock(booking.workshop_id)
    booking = _lock_booking(booking, workshop)
    if booking.job_seeker_id != job_seeker.pk:
        raise WorkshopError(_("Cette réservation n'est pas la vôtre."))
    if booking.status == Status.CONFIRMED:
        raise WorkshopError(_("Votre place est déjà confirmée."))
    if booking.status != Status.OFFERED or now >= booking.offer_expires_at or workshop.is_cancelled:
        raise WorkshopError(
            _(
                "Cette proposition de place n'est plus valable : le délai pour confirmer est "
                "dépassé. Vous pouvez vous réinscrire sur la liste d'attente ou choisir une autre date."
            )
        )
    _confirm(booking, now=now)
    return booking


def expire_offers(*, now: datetime | None = None) -> int:
    """Pass on every offer not confirmed in time: the seat goes to the next person waiting.

    One transaction per workshop; idempotent (an expired offer is no longer `offered`).
    Returns how many offers expired.
    """
    now = _now(now)
    workshop_ids = set(
        WorkshopBooking.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now).values_list(
            "workshop_id", flat=True
        )
    )
    return sum(_expire_offers_of(workshop_id, now=now) for workshop_id in sorted(workshop_ids))


@transaction.atomic
def _expire_offers_of(workshop_id: int, *, now: datetime) -> int:
    workshop = _lock(workshop_id)
    expired = list(
        workshop.bookings.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .select_for_update(of=("self",))
        .select_related("job_seeker")
    )
    for booking in expired:
        booking.workshop = workshop
        booking.status = Status.EXPIRED
        booking.save(update_fields=["status"])
        workshop.seats_taken -= 1
        notifications.queue_offer_expired(booking=booking)
    if expired:
        workshop.save(update_fields=["seats_taken", "updated_at"])
        _offer_free_seats(workshop, now=now)
    return len(expired)


# --- Facilitators: attendance; job seekers: feedback ----------------------------------------------


def _another_date(workshop: Workshop, *, now: datetime) -> Workshop | None:
    """The next scheduled workshop of the same kind in the session, with a seat left."""
    return (
        Workshop.objects.upcoming(now)
        .filter(session_id=workshop.session_id, topic=workshop.topic, seats_taken__lt=F("seats"))
        .exclude(pk=workshop.pk)
        .order_by("starts_at", "pk")
        .first()
    )


@transaction.atomic
def mark_attendance(
    *, workshop: Workshop, present: Iterable[int], by, now: datetime | None = None
) -> dict[str, int]:
    """Record who came among the confirmed bookings (the others were absent).

    Each attendee gets the replay and the one-question feedback, each absent person a kind word
    with the replay and another date — once per booking. Step 4 is completed for whoever has now
    attended `session.workshops_required` workshops. Marking again corrects the list; a completed
    step stays completed.
    """
    now = _now(now)
    workshop = _lock(workshop)
    if not can_facilitate(user=by, workshop=workshop):
        raise WorkshopError(_("Seuls les animateur·ices de cet atelier et l'équipe notent les présences."))
    if workshop.is_cancelled:
        raise WorkshopError(_("Cet atelier a été annulé."))
    if now < workshop.starts_at:
        raise WorkshopError(_("Les présences se notent une fois l'atelier commencé."))
    present = {int(pk) for pk in present}
    bookings = list(
        workshop.bookings.confirmed().select_for_update(of=("self",)).select_related("job_seeker")
    )
    if present - {booking.pk for booking in bookings}:
        raise WorkshopError(_("Cette liste contient une personne qui n'a pas de place pour cet atelier."))
    other = None
    counts = {"present": 0, "absent": 0}
    attendees = []
    for booking in bookings:
        booking.workshop = workshop
        attended = booking.pk in present
        counts["present" if attended else "absent"] += 1
        if booking.attended != attended:
            booking.attended = attended
            booking.attendance_marked_at = now
            booking.attendance_marked_by = by
            booking.save(update_fields=["attended", "attendance_marked_at", "attendance_marked_by"])
        if attended:
            attendees.append(booking)
            notifications.queue_attended(booking=booking)
        else:
            if other is None:
                other = _another_date(workshop, now=now) or False
            notifications.queue_missed(booking=booking, other_date=other or None)
    _complete_step_for(attendees, session=workshop.session, now=now)
    return counts


def _complete_step_for(bookings: list[WorkshopBooking], *, session: Session, now: datetime) -> None:
    if not bookings:
        return
    attended = dict(
        WorkshopBooking.objects.filter(
            enrolment_id__in=[booking.enrolment_id for booking in bookings],
            status=Status.CONFIRMED,
            attended=True,
        )
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .values_list("enrolment_id", "n")
    )
    required = max(session.workshops_required, 1)
    enrolments = Enrolment.objects.filter(
        pk__in=[pk for pk, count in attended.items() if count >= required]
    ).order_by("pk")
    for enrolment in enrolments:
        complete_step(enrolment=enrolment, step=Step.WORKSHOPS, when=now)


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
