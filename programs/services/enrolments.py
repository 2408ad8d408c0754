"""Sign-up, waiting list, withdrawal and step completion."""

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.accounts.models import Role
from declics.territories.models import QPV, Commune
from programs.figures_cache import figures_changed

from .. import notifications, registry
from ..models import Enrolment, EnrolmentStatus, JobSeekerProfile, Session, Step, StepProgress
from .eligibility import check_eligibility
from .errors import EnrolmentError, NotEligible

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
    if existing and existing.status != EnrolmentStatus.WITHDRAWN:
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
def withdraw(*, enrolment: Enrolment, now: datetime | None = None) -> Enrolment | None:
    """The person leaves the session; a freed place goes to the first person waiting.

    Every step then gives back what it holds for the enrolment (`registry.release_holdings`): an
    upcoming workshop seat goes to the waiting list, talk and meeting reminders are cancelled, a
    pending mentor request is cancelled and an active mentorship ended — in this transaction.
    Returns the promoted enrolment, if any (told once by e-mail). The session row is locked, as
    in `enrol_job_seeker`, so a promotion and a sign-up never both take the same place.
    """
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=enrolment.session_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        raise EnrolmentError(_("Vous n'êtes plus inscrit·e à cette session."))
    was_active = enrolment.status == EnrolmentStatus.ACTIVE
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = now
    enrolment.save(update_fields=["status", "withdrawn_at"])
    registry.release_holdings(enrolment, reason="withdrawn", now=now)
    figures_changed(session.pk)
    if not was_active:
        return None
    promoted = promote_waiting(session=session, now=now)
    return promoted[0] if promoted else None


def promote_waiting(*, session: Session, now: datetime) -> list[Enrolment]:
    """Give the free places of `session` to the first people waiting, in order; each is told once.

    The caller holds the lock on the session row (`select_for_update`), as every change of places
    does. Nobody is promoted once the session has ended.
    """
    if session.ends_at <= now:
        return []
    free = session.capacity - session.enrolments.active().count()
    if free <= 0:
        return []
    promoted = list(session.enrolments.waiting().select_for_update()[:free])
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.ACTIVE
        enrolment.promoted_at = now
        enrolment.save(update_fields=["status", "promoted_at"])
        notifications.queue_promoted(enrolment=enrolment)
    if promoted:
        figures_changed(session.pk)
    return promoted


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
