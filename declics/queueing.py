"""Enqueue Celery tasks from a request without ever failing it because the broker is down.

Every task a request starts goes through `enqueue_on_commit`: the task is sent once the
transaction commits (a rollback sends nothing), and a broker that cannot take it is an outage,
logged once, not a 500 after the data was already saved. What the lost task would have done is
caught up by the periodic tasks (the outbox sender runs every few seconds anyway), or undone by
the caller's `on_failure` (e.g. a bulk match marked "not started, try again").
"""

import logging
from collections.abc import Callable

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from .outages import outage_for

logger = logging.getLogger(__name__)

# One quick retry, no sleep: a request must not wait on a broker that is away.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
RETRY_AFTER = 5.0  # seconds between two attempts of this process while the broker is away
# What a broker that is away raises: kombu's wrapper of connection errors, a filesystem broker's
# missing or full folder, a Redis refusing writes.
BROKER_ERRORS = (OperationalError, OSError, RedisError)


def _broker_outage(task: Task):
    return outage_for(component="broker", location=str(task.app.conf.broker_url), retry_after=RETRY_AFTER)


def enqueue(task: Task, *, on_failure: Callable[[], None] | None = None, **kwargs) -> bool:
    """Send `task(**kwargs)` now; False (after calling `on_failure`) when the broker cannot take it."""
    if task.app.conf.task_always_eager:  # tests and debugging: the task runs here, no broker
        task.apply_async(kwargs=kwargs)
        return True
    outage = _broker_outage(task)
    if outage.may_try():
        try:
            task.apply_async(kwargs=kwargs, retry_policy=PUBLISH_RETRY_POLICY)
        except BROKER_ERRORS as error:
            outage.failed(error)
        else:
            outage.recovered()
            return True
    if on_failure is not None:
        on_failure()
    return False


def enqueue_on_commit(task: Task, *, on_failure: Callable[[], None] | None = None, **kwargs) -> None:
    """Send `task(**kwargs)` once the current transaction commits; see `enqueue`.

    Robust: whatever goes wrong after the commit is logged, never turned into an error page for
    a change that is already saved.
    """
    transaction.on_commit(lambda: enqueue(task, on_failure=on_failure, **kwargs), robust=True)
