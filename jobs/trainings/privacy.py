"""What step 5 holds about people: their interest in a training (with the message they wrote to
the training body) and their meetings with training bodies.

Erasure gives up the person's upcoming meetings through `cancel_meeting_booking` (the seat goes
back to the slot), blanks their messages, and keeps the rows: the step's figures count them.
"""

import contextlib

from declics import personal_data
from declics.personal_data import choice, iso

from .models import BookingStatus, MeetingBooking, TrainingInterest
from .services import MeetingError, cancel_meeting_booking


def export(user) -> dict:
    interests = TrainingInterest.objects.filter(job_seeker=user).select_related("training__body")
    meetings = MeetingBooking.objects.filter(job_seeker=user).select_related("slot__body")
    return {
        "training_interests": [
            {
                "training": interest.training.title,
                "body": interest.training.body.name,
                "message": interest.message,
                "consent_at": iso(interest.consent_at),
                "created_at": iso(interest.created_at),
            }
            for interest in interests.order_by("created_at")
        ],
        "meeting_bookings": [
            {
                "body": booking.slot.body.name,
                "starts_at": iso(booking.slot.starts_at),
                "status": choice(booking, "status"),
                "attended": booking.attended,
                "created_at": iso(booking.created_at),
                "cancelled_at": iso(booking.cancelled_at),
            }
            for booking in meetings.order_by("created_at")
        ],
    }


def erase(*, user, now) -> None:
    upcoming = MeetingBooking.objects.filter(
        job_seeker=user, status=BookingStatus.BOOKED, slot__starts_at__gt=now
    )
    for booking in upcoming:
        with contextlib.suppress(MeetingError):
            cancel_meeting_booking(booking=booking, job_seeker=user)
    TrainingInterest.objects.filter(job_seeker=user).update(message="")


PERSONAL_DATA = personal_data.PersonalData(
    app="trainings",
    order=personal_data.STEP + 5,
    personal={"jobs.TrainingInterest": "message"},
    kept={
        "jobs.TrainingInterest": "training job_seeker enrolment consent_at created_at",
        "jobs.MeetingBooking": "public_id slot job_seeker enrolment status attended round created_at "
        "cancelled_at",
    },
    not_personal={
        "jobs.MeetingSlot": "video_url",
        "jobs.Training": "title summary certification_code level format url",
    },
    export=export,
    erase=erase,
)
