"""Programs: regional sessions and their calendar, enrolments, the six-step pathway.

One module per concept; import models from here (`from programs.models import Session`).
"""

from .advisers import AdviserMembership, Agency, AgencyInvitation, AgencyKind, SessionEmailInvitation
from .assessment import (
    Answer,
    AssessmentAttempt,
    AssessmentResult,
    AssessmentShare,
    AttemptStatus,
    Choice,
    Part,
    Question,
    Questionnaire,
    ShareAudience,
    ShareStatus,
)
from .enrolments import Enrolment, EnrolmentStatus, JobSeekerProfile, StepProgress
from .role_models import JobPageView, RoleModel, Talk, TalkRegistration, TalkReplayView
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
    "Answer",
    "AssessmentAttempt",
    "AssessmentResult",
    "AssessmentShare",
    "AttemptStatus",
    "CalendarFeedToken",
    "Choice",
    "ContractKind",
    "Enrolment",
    "EnrolmentStatus",
    "FeedbackAnswer",
    "JobPageView",
    "JobSeekerProfile",
    "Part",
    "Question",
    "Questionnaire",
    "RoleModel",
    "Session",
    "SessionEmailInvitation",
    "SessionStatus",
    "SessionStep",
    "ShareAudience",
    "ShareStatus",
    "Situation",
    "Step",
    "StepProgress",
    "SurveyKind",
    "SurveyResponse",
    "Talk",
    "TalkRegistration",
    "TalkReplayView",
    "Workshop",
    "WorkshopBooking",
    "WorkshopBookingStatus",
    "WorkshopStatus",
    "WorkshopTopic",
]
