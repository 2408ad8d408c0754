"""Business rules of sessions, eligibility, enrolments and the calendar.

One module per concept; import from here (`from programs import services`). Every function takes
keyword-only arguments and raises a `ProgramError` subclass whose message is safe to show.
"""

from .assessment import (
    AssessmentError,
    answer_question,
    complete_assessment,
    load_questionnaire,
    set_assessment_share,
    start_assessment,
)
from .calendar import (
    Transition,
    advance_due_sessions,
    advance_session,
    pending_transitions,
    send_nudges,
)
from .eligibility import EligibilityDecision, check_eligibility
from .enrolments import complete_step, enrol_job_seeker, withdraw
from .errors import (
    EligibilityInputError,
    EnrolmentError,
    NotEligible,
    ProgramError,
    SessionError,
    StepNotOpen,
)
from .role_models import (
    TalkError,
    copy_talks,
    join_talk,
    load_job_descriptions,
    mark_talk_attendance,
    record_job_page_view,
    record_replay_view,
    register_for_talk,
    send_talk_reminders,
)
from .sessions import (
    SESSION_COPY_HOOKS,
    calendar_errors,
    copy_session_calendar,
    launch_session,
    publish_session,
    register_session_copy_hook,
)
from .steps import ensure_step_open
from .workshops import (
    WorkshopError,
    book_workshop,
    cancel_booking,
    cancel_workshop,
    confirm_offer,
    copy_workshops,
    create_workshop,
    expire_offers,
    mark_attendance,
    move_workshop,
    offer_seat_to_next,
    record_feedback,
    update_workshop,
)

__all__ = [
    "SESSION_COPY_HOOKS",
    "AssessmentError",
    "EligibilityDecision",
    "EligibilityInputError",
    "EnrolmentError",
    "NotEligible",
    "ProgramError",
    "SessionError",
    "StepNotOpen",
    "TalkError",
    "Transition",
    "WorkshopError",
    "advance_due_sessions",
    "advance_session",
    "answer_question",
    "book_workshop",
    "calendar_errors",
    "cancel_booking",
    "cancel_workshop",
    "check_eligibility",
    "complete_assessment",
    "complete_step",
    "confirm_offer",
    "copy_session_calendar",
    "copy_talks",
    "copy_workshops",
    "create_workshop",
    "enrol_job_seeker",
    "ensure_step_open",
    "expire_offers",
    "join_talk",
    "launch_session",
    "load_job_descriptions",
    "load_questionnaire",
    "mark_attendance",
    "mark_talk_attendance",
    "move_workshop",
    "offer_seat_to_next",
    "pending_transitions",
    "publish_session",
    "record_feedback",
    "record_job_page_view",
    "record_replay_view",
    "register_for_talk",
    "register_session_copy_hook",
    "send_nudges",
    "send_talk_reminders",
    "set_assessment_share",
    "start_assessment",
    "update_workshop",
    "withdraw",
]
