"""Programs, the spine: regional sessions and their calendar, enrolments, steps, advisers, surveys.

One module per concept; import models from here (`from programs.models import Session`). The
models of a step live in its room (`programs.workshops.models`…) under the same app label.
"""

from .advisers import (
    AdviserMembership,
    Agency,
    AgencyInvitation,
    AgencyKind,
    SessionEmailInvitation,
    SessionPhoneInvitation,
)
from .calendar_feeds import CalendarFeedToken
from .enrolments import (
    CURRENT_STATUSES,
    ENDED_STATUSES,
    Enrolment,
    EnrolmentStatus,
    JobSeekerProfile,
    StepProgress,
)
from .lifecycle import BulkRemoval, BulkRemovalStatus
from .messages import CohortMessage, CohortMessageRecipient
from .sessions import Session, SessionStatus, SessionStep, Step
from .surveys import ContractKind, Situation, SurveyKind, SurveyResponse
from .templates import SessionTemplate

__all__ = [
    "AdviserMembership",
    "Agency",
    "AgencyInvitation",
    "AgencyKind",
    "BulkRemoval",
    "BulkRemovalStatus",
    "CalendarFeedToken",
    "CohortMessage",
    "CohortMessageRecipient",
    "ContractKind",
    "Enrolment",
    "CURRENT_STATUSES",
    "ENDED_STATUSES",
    "EnrolmentStatus",
    "JobSeekerProfile",
    "Session",
    "SessionEmailInvitation",
    "SessionPhoneInvitation",
    "SessionStatus",
    "SessionTemplate",
    "SessionStep",
    "Situation",
    "Step",
    "StepProgress",
    "SurveyKind",
    "SurveyResponse",
]
