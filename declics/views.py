import logging
import os
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .celery import app as celery_app

logger = logging.getLogger(__name__)


def home(request):
    return render(request, "home.html")


def legal_notice(request):
    return render(request, "pages/legal_notice.html")


def privacy(request):
    return render(request, "pages/privacy.html")


def accessibility(request):
    return render(request, "pages/accessibility.html")


@require_GET
def hello(request):
    """The bare view the benchmarks compare every page with: no template, no query."""
    return HttpResponse(b"hello", content_type="text/plain")


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_broker() -> None:
    with celery_app.connection_for_write() as conn:
        # One attempt, no retry loop: a health probe must answer within its own timeout.
        conn.ensure_connection(max_retries=0, timeout=settings.HEALTHZ_BROKER_TIMEOUT)
        if conn.transport_cls == "filesystem":
            # That transport "connects" without touching the disk: check its queue folder.
            folder = Path(conn.transport_options["data_folder_in"])
            if not (folder.is_dir() and os.access(folder, os.R_OK | os.W_OK | os.X_OK)):
                raise OSError(f"broker folder {folder} is not usable")


def _check_cache() -> None:
    # The Redis backend answers from local memory while Redis is away: ask Redis itself.
    # A local-memory cache (the embedded run) cannot be away.
    ping = getattr(caches["default"], "ping", None)
    if ping is not None:
        ping()


# The site serves every page without the cache or the broker (it is only slower, and mail waits):
# their outage is "degraded", still 200, so that a proxy or an orchestrator does not take every
# web process out of service for it. Without the database nothing works: 503.
CHECKS = (
    ("database", _check_database, True),
    ("cache", _check_cache, False),
    ("broker", _check_broker, False),
)


@never_cache
@require_GET
def healthz(request):
    """Each backing service's state; 503 only when the database does not answer.

    {"status": "ok" | "degraded" | "error", "database": "ok" | "error", "cache": …, "broker": …}
    """
    checks, status = {}, "ok"
    for name, check, essential in CHECKS:
        try:
            check()
        except Exception as error:
            logger.warning("health check failed", extra={"component": name, "error": repr(error)})
            checks[name] = "error"
            status = "error" if essential else ("degraded" if status == "ok" else status)
        else:
            checks[name] = "ok"
    return JsonResponse({"status": status, **checks}, status=503 if status == "error" else 200)
