from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from declics import ratelimits

from . import selectors
from .forms import FindCommuneForm
from .widgets import commune_label


def _departements_param(value: str) -> list[str] | None:
    codes = [code.strip().upper() for code in value.split(",") if code.strip()]
    return [code for code in codes if code.isalnum() and len(code) <= 3][:20] or None


@require_GET
def commune_search(request):
    """Autocomplete JSON: at most 10 communes for ?q= (name or postal code); ?dep=34,31 restricts."""
    # Per client (settings.RATE_LIMITS["commune_search"]), behind the proxy too.
    if not ratelimits.consume(request, action="commune_search"):
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
