import logging

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .operations import health

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


# The site serves every page without the cache or the broker (it is only slower, and mail waits):
# their outage is "degraded", still 200, so that a proxy or an orchestrator does not take every
# web process out of service for it. Without the database nothing works: 503.
CHECKS = (
    ("database", health.check_database, True),
    ("cache", health.check_cache, False),
    ("broker", health.check_broker, False),
)


@never_cache
@require_GET
def healthz(request):
    """The liveness probe: each backing service's state; 503 only when the database does not answer.

    The readiness probe, stricter, is /readyz (declics.operations.health).

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
