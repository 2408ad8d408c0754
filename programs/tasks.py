"""Periodic work of the programs app (listed in settings.CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task
from django.utils import timezone

from . import services

logger = logging.getLogger(__name__)


@shared_task
def advance_calendars() -> dict:
    """Move every session whose dates have come, then queue the due nudges.

    Idempotent and safe to run late or twice at once: see `programs.services.calendar`.
    """
    now = timezone.now()
    advanced = services.advance_due_sessions(now=now)
    nudged = services.send_nudges(now=now)
    logger.info("calendars advanced", extra={"sessions": len(advanced), "nudges": nudged})
    return {"sessions": advanced, "nudges": nudged}


@shared_task(ignore_result=True)
def task_run_bulk_removal(*, removal_id: int) -> None:
    """Remove the people of a bulk removal; run again, it goes on where it stopped."""
    services.run_bulk_removal(removal_id=removal_id)
