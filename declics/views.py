import logging
import os
from pathlib import Path

from django.conf import settings
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


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the Celery broker answer, else 503 with what failed."""
    checks = {}
    for name, check in (("database", _check_database), ("broker", _check_broker)):
        try:
            check()
        except Exception as error:
            logger.warning("health check failed", extra={"component": name, "error": repr(error)})
            checks[name] = "error"
        else:
            checks[name] = "ok"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
