"""Reads of step 5: what a partner manages and sees, and a training body's dashboard block."""

from django.db.models import Count, QuerySet

from jobs.models import Partner
from jobs.selectors import partners_managed_by

from .models import BookingStatus, MeetingBooking, MeetingSlot, Training, TrainingInterest


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
            partner.meeting_slots.with_seats_taken()
            .select_related("session", "training")
            .order_by("-starts_at")
        ),
    }


def body_slots(body: Partner) -> QuerySet[MeetingSlot]:
    """A training body's meeting slots, with their session."""
    return MeetingSlot.objects.filter(body=body).select_related("session")


def booked_people(slot: MeetingSlot) -> QuerySet[MeetingBooking]:
    """Who booked `slot` (and did not cancel), with their account."""
    return slot.bookings.filter(status=BookingStatus.BOOKED).select_related("job_seeker")


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
