"""The Celery application: configured from Django settings (CELERY_* names)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declics.settings")

app = Celery("declics")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each installed app's tasks.py, plus the concept sub-packages of the larger apps.
app.autodiscover_tasks()
app.autodiscover_tasks(
    ["programs.workshops", "programs.role_models", "programs.assessment", "programs.follow_up"]
)
