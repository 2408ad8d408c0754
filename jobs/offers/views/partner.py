"""Partner pages of step 6: a company's offers and the applications to them.

Every object is loaded through a queryset scoped to the partners the user manages: another
partner's id gives a 404, nothing changes.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from declics.errors import form_error, form_status
from jobs.views import partner_or_404, partner_required

from .. import selectors, services
from ..forms import ApplicationStatusForm, JobOfferForm
from ..models import ApplicationStatus, JobOffer
from ..services.applications import COMPANY_TRANSITIONS


@partner_required
def offer_edit(request, partner_id, pk=None):
    partner = partner_or_404(request, partner_id)
    offer = get_object_or_404(partner.job_offers, pk=pk) if pk else JobOffer(company=partner)
    form = JobOfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_job_offer(offer=form.save(commit=False), company=partner, by=request.user)
        except services.OfferError as error:
            form_error(form, error)
        else:
            messages.success(request, _("L'offre est enregistrée."))
            return redirect("jobs:partner_dashboard", partner_id=partner.pk)
    return render(
        request,
        "jobs/partner/form.html",
        {"partner": partner, "form": form, "title": _("Modifier l'offre") if pk else _("Nouvelle offre")},
        status=form_status(form),
    )


@partner_required
def offer_applications(request, partner_id, pk):
    """The applicant list of one offer (constant number of queries)."""
    partner = partner_or_404(request, partner_id)
    offer = get_object_or_404(partner.job_offers, pk=pk)
    applications = selectors.offer_applicants(user=request.user, offer=offer)
    return render(
        request,
        "jobs/offers/partner/applications.html",
        {"partner": partner, "offer": offer, "applications": applications},
    )


@partner_required
def application_detail(request, partner_id, public_id):
    partner = partner_or_404(request, partner_id)
    application = get_object_or_404(
        selectors.company_applications(user=request.user, company=partner), public_id=public_id
    )
    if request.method == "GET":
        application = services.mark_application_seen(application=application, by=request.user)
    allowed = COMPANY_TRANSITIONS.get(application.status, set()) - {ApplicationStatus.SEEN}
    form = ApplicationStatusForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_application_status(
                application=application,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
                by=request.user,
            )
        except services.ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("C'est enregistré : la personne est prévenue."))
            return redirect(
                "jobs:partner_application", partner_id=partner.pk, public_id=application.public_id
            )
    return render(
        request,
        "jobs/offers/partner/application_detail.html",
        {"partner": partner, "application": application, "form": form, "allowed": allowed},
        status=form_status(form),
    )
