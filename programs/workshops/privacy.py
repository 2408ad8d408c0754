"""What step 4 holds about people: their workshop bookings, their calendar feed, the workshops a
member of the team facilitates.

Erasure first gives up the person's upcoming bookings through `cancel_booking` (a freed seat goes
to the first person waiting; too late to cancel online, the seat stays taken and attendance will
say) and keeps the bookings themselves: attendance is counted. (The calendar feed is the spine's.)
"""

import contextlib

from declics import personal_data
from declics.personal_data import choice, iso

from .models import LIVE_STATUSES, Workshop, WorkshopBooking
from .services import WorkshopError, cancel_booking


def export(user) -> dict:
    bookings = (
        WorkshopBooking.objects.filter(job_seeker=user).select_related("workshop").order_by("booked_at")
    )
    return {
        "workshop_bookings": [
            {
                "workshop": booking.workshop.title,
                "starts_at": iso(booking.workshop.starts_at),
                "status": choice(booking, "status"),
                "booked_at": iso(booking.booked_at),
                "confirmed_at": iso(booking.confirmed_at),
                "cancelled_at": iso(booking.cancelled_at),
                "attended": booking.attended,
                "feedback": choice(booking, "feedback"),
            }
            for booking in bookings
        ],
        "roles": {
            "facilitated_workshops": [
                {"title": w.title, "starts_at": iso(w.starts_at)}
                for w in Workshop.objects.filter(facilitators=user)
            ]
        },
    }


def erase(*, user, now) -> None:
    live = WorkshopBooking.objects.filter(
        job_seeker=user, status__in=LIVE_STATUSES, workshop__starts_at__gt=now
    ).select_related("workshop")
    for booking in live:
        with contextlib.suppress(WorkshopError):
            cancel_booking(booking=booking, job_seeker=user, now=now)


PERSONAL_DATA = personal_data.PersonalData(
    app="workshops",
    order=personal_data.STEP + 4,
    kept={
        "programs.WorkshopBooking": "public_id workshop enrolment job_seeker status round booked_at "
        "waiting_since offered_at offer_expires_at confirmed_at cancelled_at attended "
        "attendance_marked_at attendance_marked_by feedback feedback_at",
        "programs.Workshop": "facilitators created_by",
    },
    not_personal={
        "programs.Workshop": "session title topic description starts_at duration_minutes seats seats_taken "
        "video_url accessibility_notes replay_url status sequence cancelled_at copied_from created_at "
        "updated_at",
    },
    export=export,
    erase=erase,
)
