"""Business rules of sessions and enrolments. See the issue 3 work for the full set."""

from django.db import transaction
from django.utils import timezone

from .models import Enrolment, Step, StepProgress


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
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=when)
    return progress
