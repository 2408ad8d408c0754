"""Sign-up, waiting list and step completion (how an enrolment ends: `lifecycle`)."""

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.accounts.models import Role
from declics.territories.models import QPV, Commune
from programs.figures_cache import figures_changed

from .. import notifications
from ..models import Enrolment, EnrolmentStatus, JobSeekerProfile, Session, Step, StepProgress
from .eligibility import check_eligibility
from .errors import EnrolmentError, NotEligible
from .lifecycle import withdraw  # noqa: F401  (its former home: imports of it keep working)

# An enrolment that ended in one of these ways may be taken up again by the person (the same row).
REJOINABLE_STATUSES = (EnrolmentStatus.WITHDRAWN, EnrolmentStatus.TRANSFERRED)

# Profile fields a job seeker fills at sign-up (the form validates their values).
PROFILE_FIELDS = (
    "birth_year",
    "gender",
    "education_level",
    "situation",
    "france_travail_id",
    "heard_from",
)


def _save_profile(*, job_seeker, commune: Commune, profile: Mapping, now: datetime) -> JobSeekerProfile:
    if not profile.get("privacy_consent"):
        raise EnrolmentError(_("Pour vous inscrire, acceptez la politique de données personnelles."))
    values = {name: profile[name] for name in PROFILE_FIELDS if name in profile}
    values["commune"] = commune
    values["privacy_consent_at"] = now
    if profile.get("rqth") is not None:
        # RQTH is recorded only with its own explicit consent; without it nothing is kept.
        if profile.get("rqth_consent"):
            values["rqth"] = profile["rqth"]
            values["rqth_consent_at"] = now
        else:
            values["rqth"] = None
            values["rqth_consent_at"] = None
    obj, _created = JobSeekerProfile.objects.update_or_create(user=job_seeker, defaults=values)
    return obj


@transaction.atomic
def enrol_job_seeker(
    *,
    session: Session,
    job_seeker,
    commune: Commune,
    qpv: QPV | None = None,
    profile: Mapping,
    share_with_adviser: bool = False,
    adviser=None,
    now: datetime | None = None,
) -> Enrolment:
    """Enrol `job_seeker`: a place if one is left, else the waiting list; the profile is saved with it.

    The session row is locked (`select_for_update`) so that two requests for the last place
    are served one after the other: the first gets it, the second goes on the waiting list.
    Eligibility is decided again here and stored as a snapshot on the enrolment.
    """
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if job_seeker.role != Role.JOB_SEEKER:
        raise EnrolmentError(
            _("Seules les personnes en recherche d'emploi peuvent s'inscrire à une session.")
        )
    if not session.is_open_for_registration(now):
        raise EnrolmentError(_("Les inscriptions à cette session sont fermées."))
    existing = Enrolment.objects.filter(session=session, job_seeker=job_seeker).first()
    if existing and existing.status == EnrolmentStatus.REMOVED:
        raise EnrolmentError(
            _("L'équipe DéClics vous a retiré·e de cette session : écrivez-lui pour y revenir.")
        )
    if existing and existing.status not in REJOINABLE_STATUSES:
        raise EnrolmentError(_("Vous êtes déjà inscrit·e à cette session."))
    decision = check_eligibility(session=session, commune=commune, qpv=qpv)
    if not decision.eligible:
        raise NotEligible(decision.reason)
    if adviser is not None and adviser.role != Role.ADVISER:
        adviser = None

    _save_profile(job_seeker=job_seeker, commune=commune, profile=profile, now=now)
    full = session.enrolments.active().count() >= session.capacity
    status = EnrolmentStatus.WAITING if full else EnrolmentStatus.ACTIVE
    values = {
        "status": status,
        "commune": commune,
        "qpv": qpv,
        "eligibility": decision.snapshot,
        "share_with_adviser": share_with_adviser,
        "adviser": adviser,
        "withdrawn_at": None,
        "promoted_at": None,
        "ended_at": None,
        "ended_by": None,
        "end_reason": "",
        "transferred_to": None,
        "last_activity_at": now,
    }
    if existing:
        # Coming back after a withdrawal: the same row, at the end of the queue if full.
        for name, value in values.items():
            setattr(existing, name, value)
        existing.created_at = now
        existing.save()
        enrolment = existing
    else:
        enrolment = Enrolment.objects.create(session=session, job_seeker=job_seeker, **values)
    if status == EnrolmentStatus.ACTIVE:
        notifications.queue_enrolled(enrolment=enrolment)
    else:
        notifications.queue_waiting_list(enrolment=enrolment)
    figures_changed(session.pk)
    return enrolment


@transaction.atomic
def complete_step(*, enrolment: Enrolment, step: Step | int, when=None) -> StepProgress:
    """Record that `enrolment` has done `step` (idempotent: the first completion time is kept).

    Other apps call this when their own rule for the step holds (a talk attended, a first
    mentoring session logged, N workshops attended, a first application…).
    """
    when = when or timezone.now()
    progress, _created = StepProgress.objects.select_for_update().get_or_create(
        enrolment=enrolment, step=step
    )
    if progress.completed_at is None:
        progress.completed_at = when
        progress.save(update_fields=["completed_at"])
        figures_changed(enrolment.session_id)
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=when)
    return progress
