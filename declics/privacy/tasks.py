"""Periodic work of the privacy app (listed in settings.CELERY_BEAT_SCHEDULE)."""

import logging

from celery import shared_task
from django.utils import timezone

from . import retention

logger = logging.getLogger(__name__)


@shared_task
def apply_retention() -> dict:
    """Warn accounts inactive for 2 years; erase those warned 30 days ago that did not come back.

    Idempotent: a warning has one outbox key per person and period of inactivity, and an erased
    account is no longer active, so a second run the same day does nothing more.
    """
    report = retention.run_retention(now=timezone.now())
    counts = {"warned": len(report.warned), "anonymised": len(report.anonymised)}
    logger.info("retention applied", extra=counts)
    return {"warned": [u.pk for u in report.warned], "anonymised": [u.pk for u in report.anonymised]}
