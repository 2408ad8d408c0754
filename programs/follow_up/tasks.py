"""Periodic survey work (listed in settings.CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task
from django.utils import timezone

from ..services import surveys

logger = logging.getLogger(__name__)


@shared_task
def send_surveys() -> dict:
    """Queue the surveys whose date has come, then the reminders; idempotent (keys per response)."""
    now = timezone.now()
    sent = surveys.send_due_surveys(now=now)
    reminded = surveys.send_survey_reminders(now=now)
    logger.info("surveys sent", extra={"sent": sum(sent.values()), "reminders": reminded})
    return {"sent": sent, "reminders": reminded}
