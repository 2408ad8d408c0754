"""The project's Celery app with a test-only schedule, for tests/test_beat_lock.py.

Run as `celery -A tests.beat_probe beat`: the real beat with the project's scheduler settings
(celery-redbeat, its lock in REDIS_LOCKS_URL), but only the periodic tasks the test names, at the
intervals it gives (BEAT_PROBE_SCHEDULE, {entry name: seconds}), queued to a queue of the test's
own that no worker reads, under the test's own key prefix (BEAT_PROBE_PREFIX). Every message a
beat publishes is also written to a Redis list (which beat, which task, when): the test reads who
queued what.
"""

import json
import os
import time

import redis
from celery.signals import before_task_publish
from django.conf import settings

from declics.celery import app

PREFIX = os.environ["BEAT_PROBE_PREFIX"]
QUEUE = f"{PREFIX}queue"
PUBLISHED = f"{PREFIX}published"
EVERY = json.loads(os.environ["BEAT_PROBE_SCHEDULE"])

app.conf.broker_url  # noqa: B018 (loads the settings first, so the overrides below stay)
app.conf.redbeat_key_prefix = PREFIX
app.conf.beat_schedule = {
    name: {**settings.CELERY_BEAT_SCHEDULE[name], "schedule": every, "options": {"queue": QUEUE}}
    for name, every in EVERY.items()
}
_log = redis.Redis.from_url(settings.REDIS_LOCKS_URL)


@before_task_publish.connect
def record(sender=None, **kwargs):
    _log.rpush(PUBLISHED, json.dumps({"task": sender, "beat": os.getpid(), "at": time.time()}))
