import pytest
from django.conf import settings
from django.core import mail

from declics.celery import app as celery_app
from declics.notifications import services, tasks
from declics.notifications.models import OutboxMessage


def test_send_due_notifications_is_in_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["send-due-notifications"]

    assert entry == {"task": "declics.notifications.tasks.send_due_notifications", "schedule": 15.0}
    assert tasks.send_due_notifications.name == entry["task"]
    assert entry["task"] in celery_app.tasks  # registered by autodiscovery, so a worker knows it


@pytest.mark.django_db
def test_send_due_notifications_task_sends_due_messages():
    services.queue_message(key="task:1", to="ana@example.org", subject="Objet", text="Texte")

    result = tasks.send_due_notifications.delay()

    assert result.get() == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Objet"]
    # Run again (a retried or duplicated task): nothing is sent twice.
    assert tasks.send_due_notifications.delay().get() == 0
    assert len(mail.outbox) == 1
