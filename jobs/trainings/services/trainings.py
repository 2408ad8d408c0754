from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.errors import DomainError
from declics.notifications.services import queue_email
from jobs.models import Partner
from jobs.selectors import partner_recipients
from jobs.services import ensure_manages
from programs.models import Enrolment, Step
from programs.services import complete_step, ensure_step_open

from ..models import Training, TrainingInterest, TrainingStart


class TrainingError(DomainError):
    """A business rule refused the change; the message is safe to show."""


@transaction.atomic
def save_training(
    *, training: Training, body: Partner, by, rome_jobs, communes, start_dates: list[date]
) -> Training:
    """Create or update a training of `body` with its jobs, towns and start dates (replaced)."""
    ensure_manages(user=by, partner=body, error=TrainingError)
    if training.pk and training.body_id != body.pk:
        raise TrainingError(_("Cette formation appartient à un autre organisme."))
    if not body.is_training_body:
        raise TrainingError(_("Seul un organisme de formation peut publier des formations."))
    training.body = body
    training.save()
    training.rome_jobs.set(rome_jobs)
    training.communes.set(communes)
    training.start_dates.all().delete()
    TrainingStart.objects.bulk_create(
        [TrainingStart(training=training, starts_on=day) for day in sorted(set(start_dates))]
    )
    return training


@transaction.atomic
def express_interest(
    *, training: Training, enrolment: Enrolment, message: str, consent: bool
) -> TrainingInterest:
    """ "I am interested": the training body receives the person's name and e-mail; step 5 is done."""
    if not consent:
        raise TrainingError(
            _("Pour que l'organisme vous contacte, acceptez de lui transmettre votre nom et votre e-mail.")
        )
    if not training.is_published:
        raise TrainingError(_("Cette formation n'est plus proposée."))
    ensure_step_open(enrolment=enrolment, step=Step.TRAININGS, error=TrainingError)
    job_seeker = enrolment.job_seeker
    try:
        with transaction.atomic():
            interest = TrainingInterest.objects.create(
                training=training,
                job_seeker=job_seeker,
                enrolment=enrolment,
                message=message.strip(),
                consent_at=timezone.now(),
            )
    except IntegrityError as error:
        raise TrainingError(_("Vous avez déjà signalé votre intérêt pour cette formation.")) from error
    complete_step(enrolment=enrolment, step=Step.TRAININGS)
    for email in partner_recipients(training.body):
        queue_email(
            key=f"training-interest:{interest.pk}:{email}",
            to=email,
            template="jobs/trainings/emails/training_interest",
            context={"interest": interest, "training": training, "job_seeker": job_seeker},
        )
    return interest
