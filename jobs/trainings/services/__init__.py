"""Step 5's business rules, one module per concept (`from jobs.trainings import services`)."""

from .meetings import (
    MeetingError,
    book_meeting_slot,
    cancel_meeting_booking,
    cancel_meeting_slot,
    change_meeting_seats,
    confirm_meeting_offer,
    copy_meeting_slots,
    create_meeting_slot,
    mark_meeting_attendance,
    move_meeting_slot,
    release_meetings,
    update_meeting_slot,
    video_link_visible,
)
from .trainings import TrainingError, express_interest, save_training

__all__ = [
    "MeetingError",
    "TrainingError",
    "book_meeting_slot",
    "cancel_meeting_booking",
    "cancel_meeting_slot",
    "change_meeting_seats",
    "confirm_meeting_offer",
    "copy_meeting_slots",
    "create_meeting_slot",
    "express_interest",
    "mark_meeting_attendance",
    "move_meeting_slot",
    "release_meetings",
    "save_training",
    "update_meeting_slot",
    "video_link_visible",
]
