from django.contrib import messages
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.accounts.permissions import staff_required
from declics.notifications import services as outbox

from . import selectors
from .forms import DeliveryFilterForm

PAGE_SIZE = 50


@staff_required
def delivery(request):
    """The outbox's figures and messages: three queries whatever the rows (figures, count, page),
    plus the login session and user."""
    form = DeliveryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(selectors.messages(filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/console/delivery/list.html",
        {
            "form": form,
            "figures": selectors.figures(now=timezone.now()),
            "page": page,
            "query": query.urlencode(),
        },
    )


@staff_required
@require_POST
def resend(request, pk):
    """Send a failed message again; a second click (or a message no longer failed) is refused by
    the service and answered by DomainErrorMiddleware with its message."""
    outbox.resend_failed_message(message_id=pk)
    messages.success(request, _("Le message est de nouveau dans la file d'envoi."))
    # Back to the list as it was filtered (the query string re-encoded: only ever this page).
    back = QueryDict(request.POST.get("query", "")[:500]).urlencode()
    return redirect(reverse("programs:console_delivery") + (f"?{back}" if back else ""))
