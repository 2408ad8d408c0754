"""Business rules of the jobs app, one module per concept. Import from here (`from jobs import services`)."""

from .applications import (
    ApplicationError,
    apply_to_offer,
    change_application_status,
    close_stale_applications,
    mark_application_seen,
    remind_unanswered_applications,
    withdraw_application,
)
from .meetings import (
    MeetingError,
    book_meeting_slot,
    cancel_meeting_booking,
    create_meeting_slot,
    mark_meeting_attendance,
    meeting_ics,
)
from .offers import OfferError, save_job_offer
from .partners import PartnerError, add_partner_member, ensure_manages
from .trainings import TrainingError, express_interest, save_training

__all__ = [
    "ApplicationError",
    "MeetingError",
    "OfferError",
    "PartnerError",
    "TrainingError",
    "add_partner_member",
    "apply_to_offer",
    "book_meeting_slot",
    "cancel_meeting_booking",
    "change_application_status",
    "close_stale_applications",
    "create_meeting_slot",
    "ensure_manages",
    "express_interest",
    "mark_application_seen",
    "mark_meeting_attendance",
    "meeting_ics",
    "remind_unanswered_applications",
    "save_job_offer",
    "save_training",
    "withdraw_application",
]
