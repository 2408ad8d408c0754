from celery import shared_task

from . import services


@shared_task
def send_talk_reminders() -> int:
    """Queue the talk reminders that are due (day before, hour before); each once, safe to run twice."""
    return services.send_talk_reminders()
