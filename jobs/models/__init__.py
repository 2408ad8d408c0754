"""Jobs: partners (companies, training bodies), trainings, meeting slots,
job offers and applications. Import models from here (`from jobs.models import Training`)."""

from .meetings import BookingStatus, MeetingBooking, MeetingSlot
from .offers import (
    FINAL_APPLICATION_STATUSES,
    OPEN_APPLICATION_STATUSES,
    Application,
    ApplicationStatus,
    ContractType,
    JobOffer,
    OfferSource,
    RejectionReason,
)
from .partners import Partner, PartnerKind, PartnerMembership
from .trainings import Training, TrainingFormat, TrainingInterest, TrainingLevel, TrainingStart

__all__ = [
    "FINAL_APPLICATION_STATUSES",
    "OPEN_APPLICATION_STATUSES",
    "Application",
    "ApplicationStatus",
    "BookingStatus",
    "ContractType",
    "JobOffer",
    "MeetingBooking",
    "MeetingSlot",
    "OfferSource",
    "Partner",
    "PartnerKind",
    "PartnerMembership",
    "RejectionReason",
    "Training",
    "TrainingFormat",
    "TrainingInterest",
    "TrainingLevel",
    "TrainingStart",
]
