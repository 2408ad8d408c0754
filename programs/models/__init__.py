"""Programs: regional sessions and their calendar, enrolments, the six-step pathway.

One module per concept; import models from here (`from programs.models import Session`).
"""

from .enrolments import Enrolment, EnrolmentStatus, JobSeekerProfile, StepProgress
from .sessions import Session, SessionStatus, SessionStep, Step
from .workshops import (
    CalendarFeedToken,
    FeedbackAnswer,
    Workshop,
    WorkshopBooking,
    WorkshopBookingStatus,
    WorkshopStatus,
    WorkshopTopic,
)

__all__ = [
    "CalendarFeedToken",
    "Enrolment",
    "EnrolmentStatus",
    "FeedbackAnswer",
    "JobSeekerProfile",
    "Session",
    "SessionStatus",
    "SessionStep",
    "Step",
    "StepProgress",
    "Workshop",
    "WorkshopBooking",
    "WorkshopBookingStatus",
    "WorkshopStatus",
    "WorkshopTopic",
]
