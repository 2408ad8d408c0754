"""What step 6 holds about people: their applications, with their CVs (files).

Erasure blanks every application's messages and CV (the files go once the erasure has committed,
see `declics.privacy`); the application stays, with its status and hiring date: the impact
figures count who was hired.
"""

from pathlib import PurePosixPath

from django.utils.text import get_valid_filename

from declics import personal_data
from declics.personal_data import choice, iso

from .models import Application


def cv_archive_name(application) -> str:
    """Where an application's CV sits in the export archive."""
    suffix = PurePosixPath(application.cv.name).suffix
    stem = get_valid_filename(PurePosixPath(application.cv_name).stem) or "cv"
    return f"cv/{application.pk}-{stem}{suffix}"


def export(user) -> dict:
    applications = (
        Application.objects.filter(job_seeker=user).select_related("offer__company").order_by("created_at")
    )
    return {
        "applications": [
            {
                "offer": application.offer.title,
                "company": application.offer.company_name or str(application.offer.company or ""),
                "message": application.message,
                "cv": {"name": application.cv_name, "file_in_archive": cv_archive_name(application)}
                if application.cv
                else None,
                "status": choice(application, "status"),
                "rejection_reason": choice(application, "rejection_reason"),
                "company_message": application.company_message,
                "created_at": iso(application.created_at),
                "status_changed_at": iso(application.status_changed_at),
                "hired_at": iso(application.hired_at),
            }
            for application in applications
        ]
    }


def files(user):
    for application in Application.objects.filter(job_seeker=user).exclude(cv="").order_by("pk"):
        yield cv_archive_name(application), application.cv


def erase(*, user, now) -> None:
    Application.objects.filter(job_seeker=user).update(message="", cv="", cv_name="", company_message="")


PERSONAL_DATA = personal_data.PersonalData(
    app="offers",
    order=personal_data.STEP + 6,
    personal={"jobs.Application": "message cv cv_name company_message"},
    kept={
        "jobs.Application": "public_id offer job_seeker enrolment cv_content_type status rejection_reason "
        "status_changed_at reminded_at hired_at created_at",
        # A staff member's decision on an offer: who took it, and when.
        "jobs.OfferModeration": "by created_at",
    },
    not_personal={
        "jobs.JobOffer": "source external_id external_url company_name title contract hours description "
        "requirements",
        "jobs.OfferModeration": "offer action reason",
    },
    export=export,
    erase=erase,
    files=files,
)
