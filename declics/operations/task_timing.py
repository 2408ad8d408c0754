"""How long each Celery task waited in its queue and ran, for /metrics (declics.operations.metrics).

The producer stamps each message with the time it was published (`before_task_publish`); the
worker, when it starts the task (`task_prerun`), reads how long it waited; when it ends
(`task_postrun`), it writes both figures for the task's name into the shared cache (Redis): one
key per task name, overwritten by each run. So /metrics shows the latest run of each task, as
seen by any worker. Without Redis (the embedded run) the worker's cache is its own memory and
/metrics shows nothing of it.

Nothing here may fail a task: a cache that is away is the cache's concern (declics/cache.py).
"""

import time

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.core.cache import cache

HEADER = "declics_published_at"
KEY_PREFIX = "operations:task-timing:"
KEEP_FOR = 7 * 24 * 60 * 60  # seconds: a task that has not run for a week drops out of /metrics


def cache_key(task_name: str) -> str:
    return f"{KEY_PREFIX}{task_name}"


@before_task_publish.connect
def stamp_publication(headers=None, **kwargs):
    if headers is not None:
        headers[HEADER] = time.time()


@task_prerun.connect
def note_start(task=None, **kwargs):
    # A worker puts the message's headers on the request; `apply(headers=…)` keeps them apart.
    published_at = getattr(task.request, HEADER, None) or (task.request.headers or {}).get(HEADER)
    task.request.declics_started = time.monotonic()
    task.request.declics_waited = None if published_at is None else max(0.0, time.time() - published_at)


@task_postrun.connect
def record_timing(task=None, **kwargs):
    started = getattr(task.request, "declics_started", None)
    if started is None:
        return
    timing = {
        "waited": task.request.declics_waited,
        "ran": time.monotonic() - started,
        "finished_at": time.time(),
    }
    cache.set(cache_key(task.name), timing, KEEP_FOR)
