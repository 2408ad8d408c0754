"""The booking engine's periodic work, over every slot type (listed in settings.CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def expire_booking_offers() -> int:
    """Pass on the waiting-list offers not confirmed in time (each slot under its row lock)."""
    expired = services.expire_offers()
    if expired:
        logger.info("booking offers expired", extra={"expired": expired})
    return expired


@shared_task(ignore_result=True)
def send_booking_reminders() -> int:
    """Queue the reminders that are due (24 h and 1 h before), each once; safe to run twice at once."""
    return services.send_due_reminders()
