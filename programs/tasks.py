"""Periodic work of the programs app (listed in settings.CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task
from django.utils import timezone

# The booking engine's periodic tasks (every slot type), registered with the worker here: the
# engine is a package of the programs app, whose tasks module is the one Celery discovers.
from programs.bookings.tasks import expire_booking_offers, send_booking_reminders

from . import services

__all__ = ["expire_booking_offers", "send_booking_reminders"]

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


@shared_task
def deliver_cohort_message(*, message_id: int) -> int:
    """Queue a team message to its group (idempotent: see `services.messages.deliver_cohort_message`)."""
    from .services import messages

    return messages.deliver_cohort_message(message_id=message_id)


@shared_task
def deliver_pending_cohort_messages() -> int:
    """Deliver the team messages whose task was lost while the broker was away."""
    from .services import messages

    return messages.deliver_pending_messages()


@shared_task(ignore_result=True)
def task_run_bulk_removal(*, removal_id: int) -> None:
    """Remove the people of a bulk removal; run again, it goes on where it stopped."""
    services.run_bulk_removal(removal_id=removal_id)
