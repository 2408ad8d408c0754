"""Domain errors of the programs app: their messages are in French and safe to show."""

from http import HTTPStatus

from declics.errors import DomainError


class ProgramError(DomainError):
    """A business rule of the spine refused the action; `str(error)` is the message to show."""


class SessionError(ProgramError):
    """Launching, copying or publishing a session was refused."""


class EligibilityInputError(ProgramError):
    """The request itself is wrong (a QPV of another commune…): answer with a 400."""

    status = HTTPStatus.BAD_REQUEST


class EnrolmentError(ProgramError):
    """Enrolment or withdrawal refused (closed, already enrolled, not eligible…)."""


class NotEligible(EnrolmentError):
    """The person does not meet the session's eligibility rule."""


class StepNotOpen(ProgramError):
    """An action of a pathway step was tried before that step opened on the session's calendar."""
