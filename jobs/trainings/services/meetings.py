"""Meeting slots with training bodies.

Intended merge with the workshop booking of issue 6: `MeetingSlot` is a slot with seats and
`book_meeting_slot` the same algorithm (lock the slot row, count the booked seats, create or
revive the booking, queue confirmation + reminders under per-round keys). When workshops land,
both should share one booking module (a generic slot/booking pair or a shared service taking the
slot's model), and this file keeps only what is specific to training bodies.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.errors import DomainError
from declics.notifications.services import cancel_messages, queue_email
from jobs.models import Partner
from jobs.services import ensure_manages
from programs.models import Enrolment, Session, Step
from programs.services import complete_step, ensure_step_open

from .. import ics
from ..models import BookingStatus, MeetingBooking, MeetingSlot, Training

REMINDERS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))


class MeetingError(DomainError):
    """A business rule refused the booking; the message is safe to show."""


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
) -> MeetingSlot:
    ensure_manages(user=by, partner=body, error=MeetingError)
    if not body.is_training_body:
        raise MeetingError(_("Seul un organisme de formation peut proposer des rencontres."))
    if training is not None and training.body_id != body.pk:
        raise MeetingError(_("Cette formation appartient à un autre organisme."))
    if starts_at <= timezone.now():
        raise MeetingError(_("Le créneau doit commencer dans le futur."))
    if seats < 1:
        raise MeetingError(_("Il faut au moins une place."))
    return MeetingSlot.objects.create(
        body=body,
        session=session,
        training=training,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        seats=seats,
        video_url=video_url,
    )


def _key(booking: MeetingBooking) -> str:
    return f"meeting:{booking.pk}:{booking.round}"


@transaction.atomic
def book_meeting_slot(*, slot: MeetingSlot, enrolment: Enrolment) -> MeetingBooking:
    """Book a seat; the slot row is locked so two people cannot both take the last seat."""
    slot = MeetingSlot.objects.select_for_update(of=("self",)).select_related("body").get(pk=slot.pk)
    if slot.starts_at <= timezone.now():
        raise MeetingError(_("Ce créneau est passé."))
    if slot.session_id != enrolment.session_id:
        raise MeetingError(_("Ce créneau est réservé aux personnes d'une autre session."))
    ensure_step_open(enrolment=enrolment, step=Step.TRAININGS, error=MeetingError)
    booking = MeetingBooking.objects.filter(slot=slot, job_seeker=enrolment.job_seeker).first()
    if booking is not None and booking.status == BookingStatus.BOOKED:
        raise MeetingError(_("Vous avez déjà réservé ce créneau."))
    taken = slot.bookings.filter(status=BookingStatus.BOOKED).count()
    if taken >= slot.seats:
        raise MeetingError(_("Ce créneau est complet : choisissez-en un autre."))
    if booking is None:
        booking = MeetingBooking.objects.create(
            slot=slot, job_seeker=enrolment.job_seeker, enrolment=enrolment
        )
    else:
        booking.status = BookingStatus.BOOKED
        booking.round += 1
        booking.cancelled_at = None
        booking.save(update_fields=["status", "round", "cancelled_at"])
    booking.slot = slot
    job_seeker = enrolment.job_seeker
    context = {
        "booking": booking,
        "slot": slot,
        "job_seeker": job_seeker,
        "ics_url": settings.SITE_URL
        + reverse("jobs:meeting_ics", args=[enrolment.session.slug, booking.public_id]),
    }
    queue_email(
        key=f"{_key(booking)}:confirmation",
        to=job_seeker.email,
        template="jobs/trainings/emails/meeting_confirmation",
        context=context,
        user=job_seeker,
        attachments=[ics.attachment(booking)],
    )
    now = timezone.now()
    for name, before in REMINDERS:
        if slot.starts_at - before > now:
            queue_email(
                key=f"{_key(booking)}:reminder:{name}",
                to=job_seeker.email,
                template="jobs/trainings/emails/meeting_reminder",
                context=context,
                send_after=slot.starts_at - before,
                user=job_seeker,
            )
    return booking


@transaction.atomic
def cancel_meeting_booking(*, booking: MeetingBooking, job_seeker) -> MeetingBooking:
    booking = (
        MeetingBooking.objects.select_for_update(of=("self",))
        .select_related("slot__body", "job_seeker")
        .get(pk=booking.pk)
    )
    if booking.job_seeker_id != job_seeker.pk:
        raise MeetingError(_("Cette réservation n'est pas la vôtre."))
    if booking.status != BookingStatus.BOOKED:
        raise MeetingError(_("Cette réservation est déjà annulée."))
    if booking.slot.starts_at <= timezone.now():
        raise MeetingError(_("Ce créneau est passé : il ne peut plus être annulé."))
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.save(update_fields=["status", "cancelled_at"])
    cancel_messages(key_prefix=f"{_key(booking)}:reminder:")
    # The withdrawal of the invitation: same UID, a higher SEQUENCE (`jobs.trainings.ics`).
    person = booking.job_seeker
    queue_email(
        key=f"{_key(booking)}:cancelled",
        to=person.email,
        template="jobs/trainings/emails/meeting_cancelled",
        context={"booking": booking, "slot": booking.slot, "job_seeker": person},
        user=person,
        attachments=[ics.attachment(booking, method=ics.CANCEL)],
    )
    return booking


def release_meetings(enrolment: Enrolment, *, reason: str, now: datetime) -> int:
    """The enrolment ended: each upcoming meeting is cancelled as the person would
    (`cancel_meeting_booking`: the seat goes back to the slot, the reminders are cancelled).
    Past meetings stay for attendance. Returns how many were cancelled.
    """
    upcoming = MeetingBooking.objects.filter(
        enrolment=enrolment, status=BookingStatus.BOOKED, slot__starts_at__gt=now
    ).order_by("slot__starts_at", "pk")
    cancelled = 0
    for booking in upcoming:
        try:
            cancel_meeting_booking(booking=booking, job_seeker=enrolment.job_seeker)
        except MeetingError:
            continue
        cancelled += 1
    return cancelled


@transaction.atomic
def mark_meeting_attendance(*, booking: MeetingBooking, attended: bool, by) -> MeetingBooking:
    """The training body (or staff) says who came; attending completes step 5."""
    booking = (
        MeetingBooking.objects.select_for_update(of=("self",))
        .select_related("slot__body", "enrolment")
        .get(pk=booking.pk)
    )
    ensure_manages(user=by, partner=booking.slot.body, error=MeetingError)
    if booking.status != BookingStatus.BOOKED:
        raise MeetingError(_("Cette réservation a été annulée."))
    if booking.slot.starts_at > timezone.now():
        raise MeetingError(_("La présence se note une fois la rencontre commencée."))
    booking.attended = attended
    booking.save(update_fields=["attended"])
    if attended:
        complete_step(enrolment=booking.enrolment, step=Step.TRAININGS)
    return booking
