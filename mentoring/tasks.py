"""Thin Celery tasks: take ids, call the service, which checks under a lock whether work is left."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def task_compute_match_run(*, run_id: int) -> None:
    """Compute a bulk match proposal; a run already taken by another worker is left alone."""
    services.compute_match_run(run_id=run_id)


@shared_task(ignore_result=True)
def task_publish_match_run(*, run_id: int) -> None:
    """Publish a reviewed proposal; proposals already published are skipped, so a retry is safe."""
    services.publish_proposals(run_id=run_id)


@shared_task(ignore_result=True)
def expire_and_remind_requests() -> dict:
    """Periodic: remind mentors after two days, expire requests past their date (each e-mail once)."""
    return {
        "reminded": services.remind_unanswered_requests(),
        "expired": services.expire_due_requests(),
    }


@shared_task(ignore_result=True)
def remind_mentorships_without_session() -> int:
    """Periodic: nudge both sides of mentorships with no session logged yet (once per mentorship)."""
    return services.remind_mentorships_without_session()
