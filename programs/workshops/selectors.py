"""Reads for the workshop pages: each a fixed number of queries, whatever the number of rows."""

from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q

from declics.accounts.models import Role, User
from programs.enrolments import NOT_WITHDRAWN, enrolled_session_ids
from programs.models import Enrolment, Session

from .models import Workshop, WorkshopBooking, WorkshopBookingStatus

Status = WorkshopBookingStatus
# Longest workshop we expect: started workshops stay listed (with their link) until they end.
LONGEST = timedelta(hours=8)


def with_counts(queryset):
    """Annotate confirmed, waiting and offered bookings (one grouped query)."""
    return queryset.annotate(
        confirmed_count=Count("bookings", filter=Q(bookings__status=Status.CONFIRMED), distinct=True),
        waiting_count=Count("bookings", filter=Q(bookings__status=Status.WAITING), distinct=True),
    )


def workshops_for_person(*, session: Session, user, now: datetime) -> list[Workshop]:
    """The session's workshops not over yet, each with `.my_booking` (the person's, or None).

    Three queries: workshops, their facilitators, the person's bookings.
    """
    workshops = list(
        Workshop.objects.scheduled()
        .filter(session=session, starts_at__gt=now - LONGEST)
        .prefetch_related(
            Prefetch("facilitators", queryset=User.objects.only("id", "first_name", "last_name", "email")),
            Prefetch("bookings", queryset=WorkshopBooking.objects.filter(job_seeker=user), to_attr="mine"),
        )
        .order_by("starts_at", "pk")
    )
    upcoming = [workshop for workshop in workshops if workshop.ends_at > now]
    for workshop in upcoming:
        workshop.my_booking = workshop.mine[0] if workshop.mine else None
    return upcoming


def past_bookings(*, session: Session, user, now: datetime) -> list[WorkshopBooking]:
    """The person's confirmed bookings of workshops already started, newest first (one query)."""
    return list(
        WorkshopBooking.objects.filter(
            job_seeker=user, workshop__session=session, status=Status.CONFIRMED, workshop__starts_at__lte=now
        )
        .select_related("workshop")
        .order_by("-workshop__starts_at", "pk")
    )


def visible_workshops(user):
    """Workshops a user may open: staff all; facilitators theirs; job seekers their sessions'."""
    workshops = Workshop.objects.select_related("session")
    if user.is_programme_staff:
        return workshops
    if user.role == Role.JOB_SEEKER:
        return workshops.filter(session__in=enrolled_session_ids(user, statuses=NOT_WITHDRAWN))
    return workshops.filter(facilitators=user)


def facilitated_workshops(*, user, now: datetime):
    """A facilitator's workshops (staff: every workshop) from a week ago on, with their counts."""
    workshops = Workshop.objects.filter(starts_at__gte=now - timedelta(days=7))
    if not user.is_programme_staff:
        workshops = workshops.filter(facilitators=user)
    return with_counts(workshops.select_related("session")).order_by("starts_at", "pk")


def attendees(workshop: Workshop):
    """The confirmed bookings of a workshop with the people, by name (one query)."""
    return (
        workshop.bookings.filter(status=Status.CONFIRMED)
        .select_related("job_seeker")
        .order_by("job_seeker__last_name", "job_seeker__first_name", "pk")
    )


def waiting_list(workshop: Workshop):
    return (
        workshop.bookings.filter(status__in=(Status.WAITING, Status.OFFERED))
        .select_related("job_seeker")
        .order_by("waiting_since", "pk")
    )


def session_workshops_for_staff(session: Session):
    return with_counts(
        session.workshops.prefetch_related(
            Prefetch("facilitators", queryset=User.objects.only("id", "first_name", "last_name", "email"))
        )
    ).order_by("starts_at", "pk")


def feed_bookings(user):
    """What a person's calendar feed lists: confirmed seats in scheduled workshops."""
    return (
        WorkshopBooking.objects.filter(job_seeker=user, status=Status.CONFIRMED, workshop__status="scheduled")
        .select_related("workshop", "job_seeker")
        .order_by("workshop__starts_at", "pk")
    )


def bookings_of(enrolment: Enrolment) -> list[WorkshopBooking]:
    """The person's bookings in the enrolment's session, newest first (the adviser's person page)."""
    return list(
        WorkshopBooking.objects.filter(enrolment=enrolment)
        .select_related("workshop")
        .order_by("-booked_at", "-pk")[:50]
    )
