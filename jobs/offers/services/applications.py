"""Applications: apply with a CV, the company moves them along, reminders and closing."""

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.errors import DomainError
from declics.notifications import kinds as message_kinds
from declics.notifications.routing import notify
from declics.notifications.services import cancel_messages, queue_email
from jobs.selectors import partner_recipients, session_departement_ids
from jobs.services import ensure_manages
from jobs.validators import validate_cv
from programs.models import Enrolment, Step
from programs.services import complete_step, ensure_step_open

from ..models import (
    OPEN_APPLICATION_STATUSES,
    Application,
    ApplicationStatus,
    JobOffer,
    RejectionReason,
)

logger = logging.getLogger(__name__)

REMIND_AFTER = timedelta(days=7)
CLOSE_AFTER = timedelta(days=30)

# Where the company may move an application from each status.
COMPANY_TRANSITIONS = {
    ApplicationStatus.NEW: {
        ApplicationStatus.SEEN,
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.HIRED,
        ApplicationStatus.NOT_SELECTED,
    },
    ApplicationStatus.SEEN: {
        ApplicationStatus.INTERVIEW,
        ApplicationStatus.HIRED,
        ApplicationStatus.NOT_SELECTED,
    },
    ApplicationStatus.INTERVIEW: {ApplicationStatus.HIRED, ApplicationStatus.NOT_SELECTED},
}


class ApplicationError(DomainError):
    """A business rule refused the application; the message is safe to show."""


def _notify_company(application: Application, event: str) -> None:
    offer = application.offer
    for email in partner_recipients(offer.company):
        queue_email(
            key=f"application:{application.pk}:{event}:{email}",
            to=email,
            template=f"jobs/offers/emails/company_{event}",
            context={"application": application, "offer": offer, "job_seeker": application.job_seeker},
        )


def _applications_path(application: Application) -> str:
    """Where the person follows this application: the page of the session they made it in."""
    if application.enrolment_id is None:
        return reverse("jobs:current_applications")
    return reverse("jobs:my_applications", args=[application.enrolment.session.slug])


def _notify_candidate(application: Application, status: str) -> None:
    notify(
        user=application.job_seeker,
        kind=message_kinds.APPLICATION_UPDATE,
        key=f"application:{application.pk}:status:{status}",
        template="jobs/offers/emails/application_status",
        context={
            "application": application,
            "offer": application.offer,
            "job_seeker": application.job_seeker,
            "applications_path": _applications_path(application),
        },
    )


def apply_to_offer(*, offer: JobOffer, enrolment: Enrolment, message: str, cv) -> Application:
    """Apply to a partner's offer with a CV; step 6 is done at the first application.

    Every check runs before the CV is written; if anything fails after that, the file is removed,
    so a refused application never leaves a file behind.
    """
    job_seeker = enrolment.job_seeker
    if offer.is_imported or offer.company_id is None:
        raise ApplicationError(_("Pour cette offre, la candidature se fait sur le site de France Travail."))
    if not offer.is_published or offer.is_expired:
        raise ApplicationError(_("Cette offre n'est plus ouverte aux candidatures."))
    if not offer.is_remote and offer.departement_id not in session_departement_ids(enrolment):
        raise ApplicationError(_("Cette offre est en dehors du territoire de votre session."))
    ensure_step_open(enrolment=enrolment, step=Step.JOBS, error=ApplicationError)
    if not message.strip():
        raise ApplicationError(_("Écrivez quelques mots à l'entreprise."))
    if Application.objects.filter(offer=offer, job_seeker=job_seeker).exists():
        raise ApplicationError(_("Vous avez déjà postulé à cette offre."))
    try:
        content_type = validate_cv(cv)
    except ValidationError as error:
        raise ApplicationError(error.messages[0]) from error

    application = Application(
        offer=offer,
        job_seeker=job_seeker,
        enrolment=enrolment,
        message=message.strip(),
        cv_name=(getattr(cv, "name", "") or "cv")[-200:],
        cv_content_type=content_type,
    )
    try:
        with transaction.atomic():
            application.cv.save("cv", cv, save=False)
            application.save()
            complete_step(enrolment=enrolment, step=Step.JOBS)
            _notify_company(application, "new_application")
    except Exception:
        if application.cv.name:
            application.cv.storage.delete(application.cv.name)
        if Application.objects.filter(offer=offer, job_seeker=job_seeker).exists():
            raise ApplicationError(_("Vous avez déjà postulé à cette offre.")) from None
        raise
    return application


@transaction.atomic
def mark_application_seen(*, application: Application, by) -> Application:
    """The company opened the application: new → seen (told to the candidate once)."""
    if by.is_programme_staff:  # staff looking over a partner's shoulder is not the company reading it
        return application
    current = Application.objects.select_for_update().get(pk=application.pk)
    if current.status != ApplicationStatus.NEW:
        return current
    return change_application_status(application=current, status=ApplicationStatus.SEEN, by=by)


@transaction.atomic
def change_application_status(
    *, application: Application, status: str, by, reason: str = "", message: str = ""
) -> Application:
    """The company (or staff) moves the application on; the candidate is told once per status."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("offer__company")
        .get(pk=application.pk)
    )
    ensure_manages(user=by, partner=application.offer.company, error=ApplicationError)
    allowed = COMPANY_TRANSITIONS.get(application.status, set())
    if status not in allowed:
        raise ApplicationError(
            _("Cette candidature ne peut pas passer de « %(current)s » à « %(new)s ».")
            % {"current": application.get_status_display(), "new": ApplicationStatus(status).label}
        )
    if status == ApplicationStatus.NOT_SELECTED and reason not in RejectionReason.values:
        raise ApplicationError(_("Choisissez la raison qui sera montrée à la personne."))
    now = timezone.now()
    application.status = status
    application.status_changed_at = now
    application.rejection_reason = reason if status == ApplicationStatus.NOT_SELECTED else ""
    application.company_message = message.strip()
    fields = ["status", "status_changed_at", "rejection_reason", "company_message"]
    if status == ApplicationStatus.HIRED:
        # The programme's outcome: read by the impact figures through `Application.hired_at`.
        application.hired_at = now
        fields.append("hired_at")
    application.save(update_fields=fields)
    _notify_candidate(application, status)
    return application


@transaction.atomic
def withdraw_application(*, application: Application, job_seeker) -> Application:
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("offer__company")
        .get(pk=application.pk)
    )
    if application.job_seeker_id != job_seeker.pk:
        raise ApplicationError(_("Cette candidature n'est pas la vôtre."))
    if application.status not in OPEN_APPLICATION_STATUSES:
        raise ApplicationError(_("Cette candidature est déjà terminée."))
    application.status = ApplicationStatus.WITHDRAWN
    application.status_changed_at = timezone.now()
    application.save(update_fields=["status", "status_changed_at"])
    _notify_company(application, "withdrawn")
    return application


def remind_unanswered_applications(*, now: datetime | None = None) -> int:
    """Remind the company once about applications left unanswered for 7 days."""
    now = now or timezone.now()
    ids = list(
        Application.objects.filter(
            status__in=(ApplicationStatus.NEW, ApplicationStatus.SEEN),
            status_changed_at__lte=now - REMIND_AFTER,
            created_at__gt=now - CLOSE_AFTER,
            reminded_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    done = 0
    for pk in ids:
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(of=("self",))
                .select_related("offer__company", "job_seeker")
                .filter(pk=pk, reminded_at__isnull=True)
                .first()
            )
            if application is None:
                continue
            _notify_company(application, "reminder")
            application.reminded_at = now
            application.save(update_fields=["reminded_at"])
            done += 1
    return done


def close_stale_applications(*, now: datetime | None = None) -> int:
    """Close, and kindly tell the candidate, applications without an answer after 30 days."""
    now = now or timezone.now()
    ids = list(
        Application.objects.filter(
            status__in=(ApplicationStatus.NEW, ApplicationStatus.SEEN), created_at__lte=now - CLOSE_AFTER
        ).values_list("pk", flat=True)
    )
    done = 0
    for pk in ids:
        with transaction.atomic():
            application = (
                Application.objects.select_for_update(of=("self",))
                .select_related("offer", "job_seeker")
                .filter(pk=pk, status__in=(ApplicationStatus.NEW, ApplicationStatus.SEEN))
                .first()
            )
            if application is None:
                continue
            application.status = ApplicationStatus.CLOSED
            application.status_changed_at = now
            application.save(update_fields=["status", "status_changed_at"])
            _notify_candidate(application, ApplicationStatus.CLOSED)
            done += 1
    return done


def withdraw_open_applications(enrolment: Enrolment, *, now: datetime) -> int:
    """The person leaving the session chose to withdraw their applications made in it: each open one
    is withdrawn as they would (`withdraw_application`: the company is told). Returns how many."""
    withdrawn = 0
    for application in Application.objects.open().filter(enrolment=enrolment).order_by("pk"):
        withdraw_application(application=application, job_seeker=enrolment.job_seeker)
        withdrawn += 1
    return withdrawn


def release_applications(enrolment: Enrolment, *, reason: str, now: datetime) -> int:
    """The enrolment ended (`programs.registry.END_REASONS`). Applications are the person's own and
    went to companies: they stay, except on erasure, where every open one is withdrawn without a
    word to anyone (the person is gone; the company's notices about it not sent yet are cancelled)
    and the offers' privacy erasure blanks its content. Returns how many were withdrawn."""
    if reason != "erased":
        return 0
    ids = list(Application.objects.open().filter(enrolment=enrolment).values_list("pk", flat=True))
    for pk in ids:
        cancel_messages(key_prefix=f"application:{pk}:")
    Application.objects.filter(pk__in=ids).update(status=ApplicationStatus.WITHDRAWN, status_changed_at=now)
    return len(ids)
