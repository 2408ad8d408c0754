"""Periodic work of the workshops (listed in settings.CELERY_BEAT_SCHEDULE).

Reminders need no task of their own: they are outbox rows queued with the booking (send-after
24 h and 1 h before the start) and sent by `declics.notifications.tasks.send_due_notifications`.
"""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def expire_workshop_offers() -> int:
    """Pass on the waiting-list offers not confirmed in time.

    Idempotent and safe to run twice at once: each workshop is handled under its row lock, and an
    expired offer is no longer `offered`.
    """
    expired = services.expire_offers()
    if expired:
        logger.info("workshop offers expired", extra={"expired": expired})
    return expired
