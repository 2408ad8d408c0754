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


@app.on_after_configure.connect
def _redbeat_options_under_their_own_names(sender, source, **kwargs):
    """celery-redbeat looks for its options by their bare names (`redbeat_redis_url`); the CELERY_
    namespace keeps the settings' prefixed ones. Found under the bare names, they are used without
    redbeat warning that it would fall back on the broker's URL."""
    source.update(
        {
            name.removeprefix("CELERY_").lower(): source[name]
            for name in list(source.keys())
            if name.startswith("CELERY_REDBEAT_")
        }
    )
