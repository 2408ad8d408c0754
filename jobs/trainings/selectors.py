"""Reads of step 5: what a partner manages and sees, and a training body's dashboard block."""

from datetime import datetime, timedelta

from django.db.models import Count, F, QuerySet

from jobs.models import Partner
from jobs.selectors import partners_managed_by

from .models import BookingStatus, MeetingBooking, MeetingSlot, SlotStatus, Training, TrainingInterest

# Started meetings stay on the person's page (with their link) until they are surely over.
LONGEST = timedelta(hours=3)


def trainings_managed_by(user) -> QuerySet[Training]:
    return Training.objects.filter(body__in=partners_managed_by(user))


def slots_managed_by(user) -> QuerySet[MeetingSlot]:
    return MeetingSlot.objects.filter(body__in=partners_managed_by(user))


def interests_visible_to(user) -> QuerySet[TrainingInterest]:
    if not user.is_authenticated:
        return TrainingInterest.objects.none()
    if user.is_programme_staff:
        return TrainingInterest.objects.all()
    if user.is_partner:
        return TrainingInterest.objects.filter(training__body__memberships__user=user)
    return TrainingInterest.objects.filter(job_seeker=user)


def partner_dashboard(partner: Partner) -> dict:
    """A training body's dashboard block: its trainings with their interest counts, its meeting slots."""
    return {
        "trainings": partner.trainings.annotate(interest_count=Count("interests")).order_by("title"),
        "slots": (
            partner.meeting_slots.with_waiting_count()
            .select_related("session", "training")
            .order_by("-starts_at", "-pk")
        ),
    }


def body_slots(body: Partner) -> QuerySet[MeetingSlot]:
    """A training body's meeting slots, with their session."""
    return MeetingSlot.objects.filter(body=body).select_related("session")


def booked_people(slot: MeetingSlot) -> QuerySet[MeetingBooking]:
    """Who holds a seat of `slot` (confirmed), with their account, by name."""
    return (
        slot.bookings.filter(status=BookingStatus.CONFIRMED)
        .select_related("job_seeker")
        .order_by("job_seeker__last_name", "job_seeker__first_name", "pk")
    )


def waiting_list(slot: MeetingSlot) -> QuerySet[MeetingBooking]:
    """The people offered a seat, then those waiting, in their order (first come, first offered)."""
    return (
        slot.bookings.filter(status__in=(BookingStatus.OFFERED, BookingStatus.WAITING))
        .select_related("job_seeker")
        .order_by(F("offered_at").asc(nulls_last=True), "waiting_since", "pk")
    )


def open_slots(*, session, now: datetime, body=None) -> QuerySet[MeetingSlot]:
    """The session's scheduled slots still to come (of one training body when given)."""
    slots = MeetingSlot.objects.upcoming(now).filter(session=session).select_related("body", "training")
    if body is not None:
        slots = slots.filter(body=body)
    return slots.order_by("starts_at", "pk")


def my_meetings(*, enrolment, now: datetime) -> list[MeetingBooking]:
    """The person's live bookings (seat, offer or waiting) of slots not over yet, soonest first
    (one query)."""
    bookings = (
        MeetingBooking.objects.live()
        .filter(enrolment=enrolment, slot__starts_at__gt=now - LONGEST, slot__status=SlotStatus.SCHEDULED)
        .select_related("slot__body")
        .order_by("slot__starts_at", "pk")
    )
    return [booking for booking in bookings if booking.slot.ends_at > now]


def body_bookings(body: Partner) -> QuerySet[MeetingBooking]:
    """Every booking of a training body's slots."""
    return MeetingBooking.objects.filter(slot__body=body)


def body_interests(*, user, body: Partner) -> QuerySet[TrainingInterest]:
    """The interests in `body`'s trainings that `user` may see, the latest first."""
    return (
        interests_visible_to(user)
        .filter(training__body=body)
        .select_related("training", "job_seeker")
        .order_by("-created_at")
    )


def slot_session_slug(user, *, pk) -> str | None:
    """The session a meeting slot belongs to (where the old address of its booking form leads)."""
    return MeetingSlot.objects.filter(pk=pk).values_list("session__slug", flat=True).first()


def booking_session_slug(user, *, public_id) -> str | None:
    """The session of one of `user`'s meeting bookings; None when it is not theirs."""
    return (
        MeetingBooking.objects.filter(public_id=public_id, job_seeker=user)
        .values_list("enrolment__session__slug", flat=True)
        .first()
    )
