"""Step 5's models (app label `jobs`); import them from here (`from jobs.trainings.models import …`)."""

from .meetings import BookingStatus, MeetingBooking, MeetingSlot
from .trainings import Training, TrainingFormat, TrainingInterest, TrainingLevel, TrainingStart

__all__ = [
    "BookingStatus",
    "MeetingBooking",
    "MeetingSlot",
    "Training",
    "TrainingFormat",
    "TrainingInterest",
    "TrainingLevel",
    "TrainingStart",
]
