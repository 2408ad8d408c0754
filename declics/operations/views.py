import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import metrics as figures


def _bearer_token(request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


@never_cache
@require_GET
def metrics(request):
    """Prometheus' scrape: 404 while METRICS_TOKEN is unset, 403 without its bearer token."""
    expected = settings.METRICS_TOKEN
    if not expected:
        raise Http404
    # Constant-time comparison: the answer's timing tells nothing about how much of a guess matched.
    if not hmac.compare_digest(_bearer_token(request).encode(), expected.encode()):
        return HttpResponseForbidden(b"", content_type="text/plain")
    return HttpResponse(figures.render(), content_type=figures.CONTENT_TYPE)
