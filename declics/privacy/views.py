"""A person's own data: see what is kept, download it, delete the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import services
from .forms import DeleteAccountForm


@login_required
@require_GET
def data(request):
    return render(request, "privacy/data.html")


@login_required
@require_GET
def export(request):
    content = services.export_zip(user=request.user)
    response = HttpResponse(content, content_type="application/zip")
    filename = f"declics-mes-donnees-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def delete(request):
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.erase_user(user=request.user)
        except services.ErasureError as error:
            form.add_error(None, str(error))
        else:
            logout(request)
            messages.success(request, _("Votre compte est supprimé et vos données personnelles effacées."))
            return redirect("privacy:deleted")
    status = 400 if request.method == "POST" else 200
    return render(request, "privacy/delete.html", {"form": form}, status=status)


@require_GET
def deleted(request):
    return render(request, "privacy/deleted.html")
