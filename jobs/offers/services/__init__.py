"""Step 6's business rules, one module per concept (`from jobs.offers import services`)."""

from .applications import (
    ApplicationError,
    apply_to_offer,
    change_application_status,
    close_stale_applications,
    mark_application_seen,
    release_applications,
    remind_unanswered_applications,
    withdraw_application,
    withdraw_open_applications,
)
from .moderation import republish_offer, unpublish_offer
from .offers import OfferError, save_job_offer

__all__ = [
    "ApplicationError",
    "OfferError",
    "apply_to_offer",
    "change_application_status",
    "close_stale_applications",
    "mark_application_seen",
    "release_applications",
    "remind_unanswered_applications",
    "republish_offer",
    "save_job_offer",
    "unpublish_offer",
    "withdraw_application",
    "withdraw_open_applications",
]
