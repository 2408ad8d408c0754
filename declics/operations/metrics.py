"""The figures /metrics exposes, in Prometheus' text format (README "Operations" says what each means).

- `declics_celery_queue_messages{queue}`: messages waiting in each Celery queue of the broker
  (Redis lists, the filesystem broker's folder, RabbitMQ queues alike: kombu counts them).
- `declics_outbox_messages{state}`: outbox rows pending in all, and among them those due now.
- `declics_outbox_oldest_due_age_seconds`: how long the oldest due message has waited; the delay a
  person's e-mail or SMS is suffering now (the readiness check fails past HEALTH_OUTBOX_MAX_LAG).
- `declics_celery_task_wait_seconds{task}` / `..._run_seconds{task}`: for the latest run of each
  task, the time between its publication and a worker starting it, and its running time
  (declics.operations.task_timing).
- `declics_outbox_delivery_24h{channel,status}`: the messages due in the last 24 hours, by channel
  and status now
  (sent, failed, pending, cancelled).

Two SQL queries whatever the number of rows, one round trip to the broker, one to the cache.
"""

import datetime
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from declics.celery import app as celery_app
from declics.notifications.models import OutboxMessage

from . import task_timing

logger = logging.getLogger(__name__)

DELIVERY_WINDOW = datetime.timedelta(hours=24)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def delivery_counts(*, now: datetime.datetime) -> list[dict]:
    """[{"channel": …, "status": …, "count": n}] for the messages due in the 24 hours before `now`.

    One query; the one place that groups the delivery (each name in `values()` is a label).
    """
    return list(
        OutboxMessage.objects.filter(send_after__gt=now - DELIVERY_WINDOW, send_after__lte=now)
        .values("channel", "status")
        .annotate(count=Count("pk"))
        .order_by("channel", "status")
    )


def outbox_backlog(*, now: datetime.datetime) -> dict:
    """{"pending": n, "due": n, "oldest_due": datetime | None}, in one query on the pending rows."""
    due = Q(send_after__lte=now)
    return OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).aggregate(
        pending=Count("pk"),
        due=Count("pk", filter=due),
        oldest_due=Min("send_after", filter=due),
    )


def queue_depths() -> dict[str, int]:
    """{queue name: messages waiting} for every queue the workers consume; {} when the broker is away."""
    try:
        with celery_app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=0, timeout=settings.HEALTHZ_BROKER_TIMEOUT)
            channel = conn.default_channel
            return {
                name: queue.bind(channel).queue_declare().message_count
                for name, queue in celery_app.amqp.queues.items()
            }
    except Exception as error:  # the broker's outage is /readyz's report, not a failed scrape
        logger.warning("metrics: broker unreachable", extra={"error": repr(error)})
        return {}


def task_names() -> list[str]:
    """The project's tasks (not Celery's own), once every app's tasks module is imported."""
    celery_app.loader.import_default_modules()
    return sorted(name for name in celery_app.tasks if not name.startswith("celery."))


def task_timings() -> dict[str, dict]:
    """{task name: {"waited", "ran", "finished_at"}} for the tasks that ran lately. One cache call."""
    names = task_names()
    found = cache.get_many([task_timing.cache_key(name) for name in names])
    return {name: found[key] for name in names if (key := task_timing.cache_key(name)) in found}


class Collector:
    """Reads every figure when the registry is rendered (once per scrape)."""

    def __init__(self, now: datetime.datetime):
        self.now = now

    def collect(self):
        depth = GaugeMetricFamily(
            "declics_celery_queue_messages", "Messages waiting in the Celery queue.", labels=["queue"]
        )
        for name, count in queue_depths().items():
            depth.add_metric([name], count)
        yield depth

        backlog = outbox_backlog(now=self.now)
        outbox = GaugeMetricFamily(
            "declics_outbox_messages", "Outbox messages pending, and among them due now.", labels=["state"]
        )
        outbox.add_metric(["pending"], backlog["pending"])
        outbox.add_metric(["due"], backlog["due"])
        yield outbox
        oldest = backlog["oldest_due"]
        yield GaugeMetricFamily(
            "declics_outbox_oldest_due_age_seconds",
            "Seconds the oldest due outbox message has waited (0 when none is due).",
            value=0 if oldest is None else (self.now - oldest).total_seconds(),
        )

        timings = task_timings()
        waited = GaugeMetricFamily(
            "declics_celery_task_wait_seconds",
            "Seconds the latest run of the task waited in its queue before a worker started it.",
            labels=["task"],
        )
        ran = GaugeMetricFamily(
            "declics_celery_task_run_seconds", "Seconds the latest run of the task took.", labels=["task"]
        )
        for name, timing in timings.items():
            if timing["waited"] is not None:
                waited.add_metric([name], timing["waited"])
            ran.add_metric([name], timing["ran"])
        yield waited
        yield ran

        delivery = GaugeMetricFamily(
            "declics_outbox_delivery_24h",
            "Outbox messages due in the last 24 hours, by channel (e-mail or SMS) and status now.",
            labels=["channel", "status"],
        )
        counts = {(row["channel"], row["status"]): row["count"] for row in delivery_counts(now=self.now)}
        for channel in OutboxMessage.Channel.values:
            for status in OutboxMessage.Status.values:
                delivery.add_metric([channel, status], counts.get((channel, status), 0))
        yield delivery


def render(now: datetime.datetime | None = None) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(Collector(now or timezone.now()))
    return generate_latest(registry)
