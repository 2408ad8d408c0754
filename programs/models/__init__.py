"""Programs: regional sessions and their calendar, enrolments, the six-step pathway.

One module per concept; import models from here (`from programs.models import Session`).
"""

from .advisers import AdviserMembership, Agency, AgencyInvitation, AgencyKind, SessionEmailInvitation
from .enrolments import Enrolment, EnrolmentStatus, JobSeekerProfile, StepProgress
from .sessions import Session, SessionStatus, SessionStep, Step
from .surveys import ContractKind, Situation, SurveyKind, SurveyResponse
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
    "AdviserMembership",
    "Agency",
    "AgencyInvitation",
    "AgencyKind",
    "ContractKind",
    "SessionEmailInvitation",
    "Situation",
    "SurveyKind",
    "SurveyResponse",
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
