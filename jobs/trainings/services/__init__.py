"""Step 5's business rules, one module per concept (`from jobs.trainings import services`)."""

from .meetings import (
    MeetingError,
    book_meeting_slot,
    cancel_meeting_booking,
    create_meeting_slot,
    mark_meeting_attendance,
    release_meetings,
)
from .trainings import TrainingError, express_interest, save_training

__all__ = [
    "MeetingError",
    "TrainingError",
    "book_meeting_slot",
    "cancel_meeting_booking",
    "create_meeting_slot",
    "express_interest",
    "mark_meeting_attendance",
    "release_meetings",
    "save_training",
]
