"""Reference data from the browser: thin views over `declics.territories.services` (uploads)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from declics.accounts.permissions import staff_required
from declics.errors import form_status
from declics.territories import services as territory_services
from declics.territories.models import ZoningImport
from programs import registry

from . import selectors
from .forms import ZoningUploadForm

REFRESH_SECONDS = 3


@staff_required
@require_GET
def reference_data(request):
    return render(
        request,
        "programs/console/reference/state.html",
        {
            "qpv_versions": selectors.qpv_versions(),
            "rural_versions": selectors.rural_versions(),
            "rome": selectors.rome_state(),
            "territories": selectors.territories_state(),
            "steps_data": registry.reference_data(),
            "imports": selectors.recent_imports(),
        },
    )


@staff_required
def zoning_upload(request):
    form = ZoningUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = territory_services.queue_zoning_import(**form.queue_kwargs(), by=request.user)
        messages.success(request, _("Fichier reçu : l'import commence, cette page en suit l'avancement."))
        return redirect("programs:zoning_import", pk=upload.pk)
    return render(request, "programs/console/reference/upload.html", {"form": form}, status=form_status(form))


@staff_required
@require_GET
def zoning_import(request, pk):
    upload = get_object_or_404(ZoningImport.objects.defer("content").select_related("created_by"), pk=pk)
    return render(
        request,
        "programs/console/reference/import.html",
        {"upload": upload, "refresh_seconds": REFRESH_SECONDS if upload.is_pending else None},
    )
