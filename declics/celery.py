"""The Celery application: configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

# Connects the signals that time each task for /metrics (README "Operations").
from declics.operations import task_timing  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declics.settings")

app = Celery("declics")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each installed app's tasks.py (the step rooms and the follow-up surveys are apps).
app.autodiscover_tasks()
