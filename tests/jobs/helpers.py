"""Helpers of the jobs rooms' tests: what was queued, which steps are done, racing threads."""

import threading

from django.db import connections

from declics.notifications.models import OutboxMessage
from programs.models import StepProgress


def step_done(enrolment, step) -> bool:
    return StepProgress.objects.filter(enrolment=enrolment, step=step, completed_at__isnull=False).exists()


def queued() -> list[OutboxMessage]:
    """The e-mails queued in the outbox, oldest first (they leave on commit, after the test)."""
    return list(OutboxMessage.objects.order_by("id"))


def run_in_threads(targets):
    barrier = threading.Barrier(len(targets))
    errors = []

    def run(target):
        try:
            barrier.wait()
            target()
        except Exception as error:  # counted by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors
