"""What step 5 holds about people: their interest in a training (with the message they wrote to
the training body) and their meetings with training bodies.

Erasure gives up the person's upcoming meetings through the booking engine (the seat goes to the
first person waiting, the training body is told, the person is not written to), blanks their
messages, and keeps the rows: the step's figures count them.
"""

from declics import personal_data
from declics.personal_data import choice, iso
from programs.models import Enrolment

from .models import MeetingBooking, TrainingInterest
from .services import release_meetings


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
                "confirmed_at": iso(booking.confirmed_at),
                "cancelled_at": iso(booking.cancelled_at),
            }
            for booking in meetings.order_by("created_at")
        ],
    }


def erase(*, user, now) -> None:
    enrolment_ids = MeetingBooking.objects.filter(job_seeker=user).values("enrolment_id")
    for enrolment in Enrolment.objects.filter(pk__in=enrolment_ids).order_by("pk"):
        release_meetings(enrolment, reason="erased", now=now)
    TrainingInterest.objects.filter(job_seeker=user).update(message="")


PERSONAL_DATA = personal_data.PersonalData(
    app="trainings",
    order=personal_data.STEP + 5,
    personal={"jobs.TrainingInterest": "message"},
    kept={
        "jobs.TrainingInterest": "training job_seeker enrolment consent_at created_at",
        "jobs.MeetingBooking": "public_id slot job_seeker enrolment status attended round created_at "
        "booked_at waiting_since offered_at offer_expires_at confirmed_at cancelled_at end_reason "
        "attendance_marked_at attendance_marked_by reminded_24h_for reminded_1h_for",
    },
    not_personal={
        "jobs.MeetingSlot": "video_url status",
        "jobs.Training": "title summary certification_code level format url",
    },
    export=export,
    erase=erase,
)
