"""Step 5's models (app label `jobs`); import them from here (`from jobs.trainings.models import …`)."""

from .meetings import BookingStatus, MeetingBooking, MeetingSlot, SlotStatus
from .trainings import Training, TrainingFormat, TrainingInterest, TrainingLevel, TrainingStart

__all__ = [
    "BookingStatus",
    "MeetingBooking",
    "MeetingSlot",
    "SlotStatus",
    "Training",
    "TrainingFormat",
    "TrainingInterest",
    "TrainingLevel",
    "TrainingStart",
]
