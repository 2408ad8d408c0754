"""Probes of the backing services, and the readiness checks (django-health-check) built on them.

The probe functions raise when their service does not answer; `/healthz` (declics.views, the
liveness probe) and the checks below both call them, so both say the same thing about a service.

Why not django-health-check's own Cache check: it writes and reads a key, and our Redis cache
answers from local memory while Redis is away (declics/cache.py), so it would always pass. The
database and outbox checks run on the request's own thread and connection (`thread_sensitive`),
never on a pool thread that would open a connection of its own and leave it open.
"""

import dataclasses
import datetime
import os
import shutil
from pathlib import Path

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView

from declics.celery import app as celery_app
from declics.notifications.models import OutboxMessage


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        # One attempt, no retry loop: a health probe must answer within its own timeout.
        conn.ensure_connection(max_retries=0, timeout=settings.HEALTHZ_BROKER_TIMEOUT)
        if conn.transport_cls == "filesystem":
            # That transport "connects" without touching the disk: check its queue folder, the one
            # place where the web processes and the worker meet in the embedded run.
            folder = Path(conn.transport_options["data_folder_in"])
            if not (folder.is_dir() and os.access(folder, os.R_OK | os.W_OK | os.X_OK)):
                raise OSError(f"broker folder {folder} is not usable")


def check_cache() -> None:
    # The Redis backend answers from local memory while Redis is away: ask Redis itself.
    # A local-memory cache (the embedded run) cannot be away.
    ping = getattr(caches["default"], "ping", None)
    if ping is not None:
        ping()


def oldest_due_message_age(now: datetime.datetime | None = None) -> datetime.timedelta | None:
    """How long the oldest pending message whose time has come has been waiting (None: none waits).

    A message being sent right now counts too: it is not delivered yet. A message waiting for its
    next retry is not due before that retry's time. One query, on the partial index of pending rows.
    """
    now = now or timezone.now()
    oldest = (
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, send_after__lte=now)
        .order_by("send_after")
        .values_list("send_after", flat=True)
        .first()
    )
    return None if oldest is None else now - oldest


@dataclasses.dataclass
class Database(HealthCheck):
    async def run(self):
        try:
            await sync_to_async(check_database, thread_sensitive=True)()
        except DatabaseError as error:
            raise ServiceUnavailable("The database does not answer") from error


@dataclasses.dataclass
class Cache(HealthCheck):
    def run(self):
        try:
            check_cache()
        except Exception as error:
            raise ServiceUnavailable("Redis (cache) does not answer") from error


@dataclasses.dataclass
class Broker(HealthCheck):
    """Redis (or RabbitMQ) connects; in the embedded run, the filesystem broker's folder is usable."""

    def run(self):
        try:
            check_broker()
        except Exception as error:
            raise ServiceUnavailable("The Celery broker does not answer") from error


@dataclasses.dataclass
class Disk(HealthCheck):
    """The disk holding `path` is less than `max_percent` full (the media volume, by default)."""

    path: str = dataclasses.field(default_factory=lambda: str(settings.MEDIA_ROOT))
    max_percent: float = dataclasses.field(
        default_factory=lambda: settings.HEALTH_DISK_MAX_PERCENT, repr=False
    )

    def run(self):
        # The media folder appears with the first upload: until then, the disk it will be on.
        path = Path(self.path)
        while not path.exists() and path != path.parent:
            path = path.parent
        usage = shutil.disk_usage(path)
        percent = 100 * usage.used / usage.total
        if percent >= self.max_percent:
            raise ServiceWarning(f"{percent:.0f} % of the disk used")


@dataclasses.dataclass
class OutboxLag(HealthCheck):
    """No message has been due for longer than HEALTH_OUTBOX_MAX_LAG seconds: beat queues the
    sender, a worker runs it and the mail server takes the messages."""

    max_lag: int = dataclasses.field(default_factory=lambda: settings.HEALTH_OUTBOX_MAX_LAG)

    async def run(self):
        try:
            age = await sync_to_async(oldest_due_message_age, thread_sensitive=True)()
        except DatabaseError as error:
            raise ServiceUnavailable("The outbox cannot be read") from error
        if age is not None and age.total_seconds() > self.max_lag:
            raise ServiceUnavailable(f"The oldest due message has waited {age.total_seconds():.0f} s")


class ReadinessView(HealthCheckView):
    """/readyz: every check, 200 when all pass, 500 when one fails (django-health-check's rule).

    JSON unless the client asks for text/plain or `?format=openmetrics`: the library's HTML page is
    English-only and nobody but a machine or an operator reads this address.
    """

    checks = (Database, Cache, Broker, Disk, OutboxLag)

    def render_to_response(self, context, **response_kwargs):
        return self.render_to_response_json(response_kwargs.get("status", 200))
