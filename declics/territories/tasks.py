"""Thin Celery tasks of the territories: take ids, call the service."""

from celery import shared_task

from .services import uploads


@shared_task(ignore_result=True)
def task_run_zoning_import(*, import_id: int) -> None:
    """Import an uploaded QPV or FRR/ZRR list; an import already taken by a worker is left alone."""
    uploads.run_zoning_import(import_id=import_id)
