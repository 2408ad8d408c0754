"""Programs: regional sessions and their calendar, enrolments, the six-step pathway.

One module per concept; import models from here (`from programs.models import Session`).
"""

from .enrolments import Enrolment, EnrolmentStatus, JobSeekerProfile, StepProgress
from .sessions import Session, SessionStatus, SessionStep, Step

__all__ = [
    "Enrolment",
    "EnrolmentStatus",
    "JobSeekerProfile",
    "Session",
    "SessionStatus",
    "SessionStep",
    "Step",
    "StepProgress",
]
