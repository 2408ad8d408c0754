"""Helpers of the jobs rooms' tests: what was queued, which steps are done, racing threads."""

from declics.notifications.models import OutboxMessage
from programs.models import StepProgress
from tests.races import run_together


def step_done(enrolment, step) -> bool:
    return StepProgress.objects.filter(enrolment=enrolment, step=step, completed_at__isnull=False).exists()


def queued() -> list[OutboxMessage]:
    """The e-mails queued in the outbox, oldest first (they leave on commit, after the test)."""
    return list(OutboxMessage.objects.order_by("id"))


# The one race helper of the suite (tests/races.py), under the name these tests use.
run_in_threads = run_together
