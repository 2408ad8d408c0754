"""Periodic jobs of the jobs app: thin, idempotent, listed in CELERY_BEAT_SCHEDULE."""

import logging

from celery import shared_task

from declics.rome.models import RomeJob
from declics.territories.models import Departement
from programs.models import SessionStatus

from . import services
from .france_travail import FranceTravailError, client_from_settings, import_offers

logger = logging.getLogger(__name__)


@shared_task
def follow_up_applications() -> dict:
    """Remind companies of applications unanswered for 7 days; close those unanswered after 30.

    Safe to run twice: each reminder is marked on its row under a lock, and its e-mail key is unique.
    """
    closed = services.close_stale_applications()
    reminded = services.remind_unanswered_applications()
    return {"reminded": reminded, "closed": closed}


@shared_task(autoretry_for=(FranceTravailError,), retry_backoff=60, max_retries=3)
def import_france_travail_offers() -> dict:
    """Import new digital-job offers for each running session's départements (when credentials are set)."""
    client = client_from_settings()
    if client is None:
        return {"skipped": "no credentials"}
    rome_codes = list(RomeJob.objects.digital().values_list("code", flat=True))
    departements = Departement.objects.filter(sessions__status=SessionStatus.RUNNING).distinct()
    totals = {"created": 0, "updated": 0, "skipped": 0}
    for departement in departements:
        result = import_offers(client=client, departement=departement, rome_codes=rome_codes)
        totals["created"] += result.created
        totals["updated"] += result.updated
        totals["skipped"] += result.skipped
        logger.info(
            "france travail import",
            extra={
                "departement": departement.code,
                "offers_created": result.created,
                "offers_updated": result.updated,
                "offers_skipped": result.skipped,
            },
        )
    return totals
