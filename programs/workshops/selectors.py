"""Reads for the workshop pages: each a fixed number of queries, whatever the number of rows."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Count, DurationField, ExpressionWrapper, F, Prefetch, Q

from declics.accounts.models import Role, User
from programs.enrolments import NOT_WITHDRAWN, enrolled_session_ids
from programs.models import Enrolment, Session

from .models import LIVE_STATUSES, Workshop, WorkshopBooking, WorkshopBookingStatus, WorkshopStatus

Status = WorkshopBookingStatus
# Longest workshop we expect: started workshops stay listed (with their link) until they end.
LONGEST = timedelta(hours=8)
# Workshops per page of the job seeker's list: a national session lists about 80 at once.
PAGE_SIZE = 10
MAX_PAGE = 1000


def with_counts(queryset):
    """Annotate confirmed, waiting and offered bookings (one grouped query)."""
    return queryset.annotate(
        confirmed_count=Count("bookings", filter=Q(bookings__status=Status.CONFIRMED), distinct=True),
        waiting_count=Count("bookings", filter=Q(bookings__status=Status.WAITING), distinct=True),
    )


def upcoming_workshops(*, session: Session, now: datetime):
    """The session's scheduled workshops not over yet, soonest first (started ones until they end)."""
    # SQLite keeps durations as microseconds and cannot multiply an interval; PostgreSQL can.
    one_minute = timedelta(minutes=1) if connection.vendor == "postgresql" else 60_000_000
    ends_at = F("starts_at") + ExpressionWrapper(
        F("duration_minutes") * one_minute, output_field=DurationField()
    )
    return (
        Workshop.objects.scheduled()
        .filter(session=session, starts_at__gt=now - LONGEST)
        .alias(ends_at=ends_at)
        .filter(ends_at__gt=now)
        .order_by("starts_at", "pk")
    )


def my_bookings(*, session: Session, user, now: datetime) -> tuple[list, list]:
    """The person's live bookings of workshops not over yet (soonest first) and their confirmed
    bookings of workshops already started (newest first), from one query.

    A person holds at most `session.max_simultaneous_bookings` live bookings and a few past ones:
    the list page shows them whatever page of workshops is open.
    """
    bookings = list(
        WorkshopBooking.objects.filter(job_seeker=user, workshop__session=session)
        .select_related("workshop")
        .order_by("workshop__starts_at", "pk")
    )
    live = [
        booking
        for booking in bookings
        if booking.status in LIVE_STATUSES
        and booking.workshop.status == WorkshopStatus.SCHEDULED
        and booking.workshop.ends_at > now
    ]
    past = [
        booking
        for booking in reversed(bookings)
        if booking.status == Status.CONFIRMED and booking.workshop.starts_at <= now
    ]
    return live, past


@dataclass
class WorkshopPage:
    """One page of workshops, numbered from 1, told whether another follows (no count query)."""

    number: int
    workshops: list[Workshop]
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_number(value) -> int:
    """A `?page=` value as a page number: 1 when missing, malformed or absurd."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def workshop_page(
    *, session: Session, now: datetime, number: int, mine: list[WorkshopBooking]
) -> WorkshopPage:
    """Page `number` of the upcoming workshops, each with `.my_booking` (from `mine`, or None).

    One query whatever the page size: one row more than a page tells whether a next page exists.
    """
    start = (number - 1) * PAGE_SIZE
    rows = list(upcoming_workshops(session=session, now=now)[start : start + PAGE_SIZE + 1])
    booked = {booking.workshop_id: booking for booking in mine}
    for workshop in rows:
        workshop.my_booking = booked.get(workshop.pk)
    return WorkshopPage(number=number, workshops=rows[:PAGE_SIZE], has_next=len(rows) > PAGE_SIZE)


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
