from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .forms import FindCommuneForm
from .widgets import commune_label

# Per client address; a person typing sends one request per pause, far below this.
SEARCH_RATE_PER_MINUTE = getattr(settings, "COMMUNE_SEARCH_RATE_PER_MINUTE", 120)


def _over_rate_limit(request) -> bool:
    key = f"territories:commune-search:{request.META.get('REMOTE_ADDR', '')}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, timeout=90)
    try:
        return cache.incr(key) > SEARCH_RATE_PER_MINUTE
    except ValueError:  # the key expired between add and incr
        return False


def _departements_param(value: str) -> list[str] | None:
    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    return [code for code in codes if code.isalnum() and len(code) <= 3][:20] or None


@require_GET
def commune_search(request):
    """Autocomplete JSON: at most 10 communes for ?q= (name or postal code); ?dep=34,31 restricts."""
    if _over_rate_limit(request):
        response = JsonResponse({"error": _("Trop de recherches : patientez une minute.")}, status=429)
        response["Retry-After"] = "60"
        return response
    communes = selectors.search_communes(
        request.GET.get("q", ""), departements=_departements_param(request.GET.get("dep", ""))
    )
    response = JsonResponse(
        {
            "results": [
                {
                    "id": commune.pk,
                    "name": commune.name,
                    "label": commune_label(commune),
                    "code": commune.code,
                    "postal_codes": commune.postal_code_list,
                    "departement": {"code": commune.departement_id, "name": commune.departement.name},
                }
                for commune in communes
            ]
        }
    )
    patch_cache_control(response, public=True, max_age=3600)
    return response


def find_commune(request):
    """ "Trouver ma commune": the commune field at work, and what the eligibility selectors say about it."""
    form = FindCommuneForm(request.GET if "commune" in request.GET or "commune_id" in request.GET else None)
    commune = qpvs = rural_zone = None
    if form.is_bound and form.is_valid():
        commune = form.cleaned_data["commune"]
        qpvs = list(selectors.qpvs_for_commune(commune))
        rural_zone = selectors.rural_zone_for_commune(commune)
    return render(
        request,
        "territories/find_commune.html",
        {"form": form, "commune": commune, "qpvs": qpvs, "rural_zone": rural_zone},
    )
