"""What step 4 holds about people: their workshop bookings, their calendar feed, the workshops a
member of the team facilitates.

Erasure first gives up the person's upcoming bookings through the booking engine's `release`
(reason "erased": a freed seat goes to the first person waiting, even inside the online cancellation
deadline, and nobody is written to) and keeps the bookings themselves: attendance is counted. (The
calendar feed is the spine's.)
"""

from declics import personal_data
from declics.personal_data import choice, iso
from programs.models import Enrolment

from .models import Workshop, WorkshopBooking
from .services import release_bookings


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
    for enrolment in Enrolment.objects.filter(job_seeker=user).order_by("pk"):
        release_bookings(enrolment, reason="erased", now=now)


PERSONAL_DATA = personal_data.PersonalData(
    app="workshops",
    order=personal_data.STEP + 4,
    kept={
        "programs.WorkshopBooking": "public_id workshop enrolment job_seeker status round booked_at "
        "waiting_since offered_at offer_expires_at confirmed_at cancelled_at end_reason attended "
        "attendance_marked_at attendance_marked_by feedback feedback_at reminded_24h_for reminded_1h_for",
        "programs.Workshop": "facilitators created_by",
    },
    not_personal={
        "programs.Workshop": "session title topic description starts_at duration_minutes seats seats_taken "
        "video_url accessibility_notes replay_url status sequence rescheduled_at cancelled_at copied_from "
        "created_at updated_at",
    },
    export=export,
    erase=erase,
)
