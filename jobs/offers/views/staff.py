"""Staff pages of step 6: the moderation of offers (/emplois/equipe/offres/…), linked from the console."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.accounts.permissions import staff_required
from declics.errors import form_error, form_status
from jobs.views import PAGE_SIZE, query_without_page

from .. import selectors, services
from ..forms import OfferModerationSearchForm, UnpublishOfferForm
from ..models import JobOffer


@staff_required
def offers(request):
    """Every offer with filters, for moderation (constant queries)."""
    form = OfferModerationSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    results = selectors.offers_for_staff(
        query=filters.get("q", ""),
        state=filters.get("state", ""),
        source=filters.get("source", ""),
        departement=filters.get("departement", "").strip(),
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/offers/staff/offers.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


def _offer_page(request, offer, *, form=None):
    form = form or UnpublishOfferForm()
    context = {
        "offer": offer,
        "form": form,
        "moderations": offer.moderations.select_related("by"),
        "application_count": offer.applications.count(),
    }
    return render(request, "jobs/offers/staff/offer.html", context, status=form_status(form))


def _offer_or_404(pk) -> JobOffer:
    return get_object_or_404(JobOffer.objects.with_list_data(), pk=pk)


@staff_required
def offer(request, pk):
    return _offer_page(request, _offer_or_404(pk))


@staff_required
@require_POST
def unpublish(request, pk):
    offer = _offer_or_404(pk)
    form = UnpublishOfferForm(request.POST)
    if form.is_valid():
        try:
            services.unpublish_offer(offer=offer, reason=form.cleaned_data["reason"], by=request.user)
        except services.OfferError as error:
            form_error(form, error, field="reason")
        else:
            messages.success(request, _("L'offre est retirée ; l'entreprise reçoit la raison par e-mail."))
            return redirect("jobs:staff_offer", pk=offer.pk)
    return _offer_page(request, offer, form=form)


@staff_required
@require_POST
def republish(request, pk):
    offer = _offer_or_404(pk)
    services.republish_offer(offer=offer, by=request.user)  # a refusal: DomainErrorMiddleware
    messages.success(request, _("L'offre est de nouveau en ligne ; l'entreprise en est informée."))
    return redirect("jobs:staff_offer", pk=offer.pk)
