"""Business rules of the spine: sessions, eligibility, enrolments, steps and the calendar.

One module per concept; import from here (`from programs import services`). Every function takes
keyword-only arguments and raises a `ProgramError` subclass whose message is safe to show.
"""

from .calendar import (
    Transition,
    advance_due_sessions,
    advance_session,
    pending_transitions,
    send_nudges,
)
from .calendar_feeds import renew_calendar_feed
from .eligibility import EligibilityDecision, check_eligibility
from .enrolments import complete_step, enrol_job_seeker
from .errors import (
    EligibilityInputError,
    EnrolmentError,
    NotEligible,
    ProgramError,
    SessionError,
    StepNotOpen,
)
from .lifecycle import (
    LifecycleError,
    cancel_session,
    erase_enrolment,
    fill_free_places,
    promote_enrolment,
    remove_enrolment,
    remove_enrolments,
    run_bulk_removal,
    start_bulk_removal,
    transfer_enrolment,
    withdraw,
)
from .session_changes import (
    SESSION_DATE_FIELDS,
    archive_session,
    change_capacity,
    close_registrations,
    frozen_dates,
    reschedule_session,
    update_public_texts,
)
from .sessions import (
    calendar_errors,
    copy_session_calendar,
    launch_session,
    publish_session,
)
from .steps import ensure_step_open
from .templates import TemplateError, launch_from_template, save_session_as_template

__all__ = [
    "TemplateError",
    "launch_from_template",
    "save_session_as_template",
    "SESSION_DATE_FIELDS",
    "EligibilityDecision",
    "EligibilityInputError",
    "EnrolmentError",
    "LifecycleError",
    "cancel_session",
    "erase_enrolment",
    "fill_free_places",
    "promote_enrolment",
    "remove_enrolment",
    "remove_enrolments",
    "run_bulk_removal",
    "start_bulk_removal",
    "transfer_enrolment",
    "NotEligible",
    "ProgramError",
    "SessionError",
    "StepNotOpen",
    "Transition",
    "advance_due_sessions",
    "archive_session",
    "change_capacity",
    "close_registrations",
    "frozen_dates",
    "reschedule_session",
    "update_public_texts",
    "advance_session",
    "calendar_errors",
    "check_eligibility",
    "renew_calendar_feed",
    "complete_step",
    "copy_session_calendar",
    "enrol_job_seeker",
    "ensure_step_open",
    "launch_session",
    "pending_transitions",
    "publish_session",
    "send_nudges",
    "withdraw",
]
