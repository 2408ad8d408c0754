"""Partner pages: a training body's trainings, slots and interests; a company's offers and applicants.

Every object is loaded through a queryset scoped to the partners the user manages: another
partner's id gives a 404, nothing changes.
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.accounts.models import Role
from declics.accounts.permissions import role_required

from .. import selectors
from ..forms import ApplicationStatusForm, JobOfferForm, MeetingSlotForm, TrainingForm
from ..models import Partner
from ..offers import services as offer_services
from ..offers.models import ApplicationStatus, JobOffer
from ..offers.services.applications import COMPANY_TRANSITIONS
from ..trainings import services
from ..trainings.models import BookingStatus, MeetingBooking, MeetingSlot, Training

partner_required = role_required(Role.PARTNER)


def _partner(request, partner_id) -> Partner:
    return get_object_or_404(selectors.partners_managed_by(request.user), pk=partner_id)


@partner_required
def partner_home(request):
    """A partner user goes to their partner's page; staff choose a partner."""
    partner = selectors.partner_of(request.user)
    if partner is not None:
        return redirect("jobs:partner_dashboard", partner_id=partner.pk)
    partners = selectors.partners_managed_by(request.user).order_by("kind", "name")
    return render(request, "jobs/partner/home.html", {"partners": partners})


@partner_required
def partner_dashboard(request, partner_id):
    partner = _partner(request, partner_id)
    context = {"partner": partner}
    if partner.is_training_body:
        context["trainings"] = partner.trainings.annotate(interest_count=Count("interests")).order_by("title")
        context["slots"] = (
            partner.meeting_slots.with_seats_taken()
            .select_related("session", "training")
            .order_by("-starts_at")
        )
    else:
        context["offers"] = partner.job_offers.annotate(
            application_count=Count("applications"),
            new_count=Count("applications", filter=Q(applications__status=ApplicationStatus.NEW)),
        ).order_by("-created_at")
    return render(request, "jobs/partner/dashboard.html", context)


@partner_required
def training_edit(request, partner_id, pk=None):
    partner = _partner(request, partner_id)
    training = get_object_or_404(partner.trainings, pk=pk) if pk else Training(body=partner)
    form = TrainingForm(request.POST or None, instance=training)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_training(
                training=form.save(commit=False),
                body=partner,
                by=request.user,
                rome_jobs=form.cleaned_data["rome_jobs"],
                communes=form.cleaned_data["communes"],
                start_dates=form.cleaned_data["start_dates"],
            )
        except services.TrainingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("La formation est enregistrée."))
            return redirect("jobs:partner_dashboard", partner_id=partner.pk)
    return render(
        request,
        "jobs/partner/form.html",
        {
            "partner": partner,
            "form": form,
            "title": _("Modifier la formation") if pk else _("Nouvelle formation"),
        },
        status=400 if request.method == "POST" else 200,
    )


@partner_required
def offer_edit(request, partner_id, pk=None):
    partner = _partner(request, partner_id)
    offer = get_object_or_404(partner.job_offers, pk=pk) if pk else JobOffer(company=partner)
    form = JobOfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        try:
            offer_services.save_job_offer(offer=form.save(commit=False), company=partner, by=request.user)
        except offer_services.OfferError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("L'offre est enregistrée."))
            return redirect("jobs:partner_dashboard", partner_id=partner.pk)
    return render(
        request,
        "jobs/partner/form.html",
        {"partner": partner, "form": form, "title": _("Modifier l'offre") if pk else _("Nouvelle offre")},
        status=400 if request.method == "POST" else 200,
    )


@partner_required
def slot_create(request, partner_id):
    partner = _partner(request, partner_id)
    form = MeetingSlotForm(request.POST or None, body=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_meeting_slot(body=partner, by=request.user, **form.cleaned_data)
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Le créneau est proposé aux personnes de la session."))
            return redirect("jobs:partner_dashboard", partner_id=partner.pk)
    return render(
        request,
        "jobs/partner/form.html",
        {"partner": partner, "form": form, "title": _("Nouveau créneau de rencontre")},
        status=400 if request.method == "POST" else 200,
    )


@partner_required
def slot_detail(request, partner_id, pk):
    partner = _partner(request, partner_id)
    slot = get_object_or_404(MeetingSlot.objects.filter(body=partner).select_related("session"), pk=pk)
    bookings = slot.bookings.filter(status=BookingStatus.BOOKED).select_related("job_seeker")
    return render(
        request,
        "jobs/trainings/partner/slot_detail.html",
        {"partner": partner, "slot": slot, "bookings": bookings},
    )


@require_POST
@partner_required
def mark_attendance(request, partner_id, public_id):
    partner = _partner(request, partner_id)
    booking = get_object_or_404(MeetingBooking.objects.filter(slot__body=partner), public_id=public_id)
    try:
        services.mark_meeting_attendance(
            booking=booking, attended=request.POST.get("attended") == "yes", by=request.user
        )
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("La présence est notée."))
    return redirect("jobs:partner_slot", partner_id=partner.pk, pk=booking.slot_id)


@partner_required
def interests(request, partner_id):
    partner = _partner(request, partner_id)
    rows = (
        selectors.interests_visible_to(request.user)
        .filter(training__body=partner)
        .select_related("training", "job_seeker")
        .order_by("-created_at")
    )
    return render(request, "jobs/trainings/partner/interests.html", {"partner": partner, "interests": rows})


@partner_required
def offer_applications(request, partner_id, pk):
    """The applicant list of one offer (constant number of queries)."""
    partner = _partner(request, partner_id)
    offer = get_object_or_404(partner.job_offers, pk=pk)
    applications = (
        selectors.applications_visible_to(request.user)
        .filter(offer=offer)
        .select_related("job_seeker")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "jobs/offers/partner/applications.html",
        {"partner": partner, "offer": offer, "applications": applications},
    )


@partner_required
def application_detail(request, partner_id, public_id):
    partner = _partner(request, partner_id)
    application = get_object_or_404(
        selectors.applications_visible_to(request.user)
        .filter(offer__company=partner)
        .select_related("offer", "job_seeker"),
        public_id=public_id,
    )
    if request.method == "GET":
        application = offer_services.mark_application_seen(application=application, by=request.user)
    allowed = COMPANY_TRANSITIONS.get(application.status, set()) - {ApplicationStatus.SEEN}
    form = ApplicationStatusForm(request.POST or None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            offer_services.change_application_status(
                application=application,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                message=form.cleaned_data["message"],
                by=request.user,
            )
        except offer_services.ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("C'est enregistré : la personne est prévenue."))
            return redirect(
                "jobs:partner_application", partner_id=partner.pk, public_id=application.public_id
            )
    return render(
        request,
        "jobs/offers/partner/application_detail.html",
        {"partner": partner, "application": application, "form": form, "allowed": allowed},
        status=400 if request.method == "POST" else 200,
    )
