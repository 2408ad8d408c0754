"""Partner pages of step 5: a training body's trainings, meeting slots (with attendance) and interests.

Every object is loaded through a queryset scoped to the partners the user manages: another
partner's id gives a 404, nothing changes.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from declics.errors import form_error, form_status
from jobs.views import partner_or_404, partner_required

from .. import selectors, services
from ..forms import MeetingSlotCancelForm, MeetingSlotChangeForm, MeetingSlotForm, TrainingForm
from ..models import Training


@partner_required
def training_edit(request, partner_id, pk=None):
    partner = partner_or_404(request, partner_id)
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
            form_error(form, error)
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
        status=form_status(form),
    )


@partner_required
def slot_create(request, partner_id):
    partner = partner_or_404(request, partner_id)
    form = MeetingSlotForm(request.POST or None, body=partner)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_meeting_slot(body=partner, by=request.user, **form.cleaned_data)
        except services.MeetingError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Le créneau est proposé aux personnes de la session."))
            return redirect("jobs:partner_dashboard", partner_id=partner.pk)
    return render(
        request,
        "jobs/partner/form.html",
        {"partner": partner, "form": form, "title": _("Nouveau créneau de rencontre")},
        status=form_status(form),
    )


@partner_required
def slot_detail(request, partner_id, pk):
    """The slot, who holds a seat (with their attendance) and who waits, in order."""
    partner = partner_or_404(request, partner_id)
    slot = get_object_or_404(selectors.body_slots(partner), pk=pk)
    return render(
        request,
        "jobs/trainings/partner/slot_detail.html",
        {
            "partner": partner,
            "slot": slot,
            "bookings": selectors.booked_people(slot),
            "waiting": selectors.waiting_list(slot),
            "now": timezone.now(),
        },
    )


@partner_required
def slot_edit(request, partner_id, pk):
    """Move the slot (date, time, length) or change its seats; everyone booked or waiting is told."""
    partner = partner_or_404(request, partner_id)
    slot = get_object_or_404(selectors.body_slots(partner), pk=pk)
    initial = {"starts_at": slot.starts_at, "duration_minutes": slot.duration_minutes, "seats": slot.seats}
    form = MeetingSlotChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting_slot(slot=slot, by=request.user, **form.cleaned_data)
        except services.MeetingError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Le créneau est modifié. Les personnes inscrites ou en attente sont prévenues.")
            )
            return redirect("jobs:partner_slot", partner_id=partner.pk, pk=slot.pk)
    return render(
        request,
        "jobs/trainings/partner/slot_edit.html",
        {"partner": partner, "slot": slot, "form": form},
        status=form_status(form),
    )


@partner_required
def slot_cancel(request, partner_id, pk):
    """Cancel the slot, with a reason, after a confirmation: everyone booked or waiting is told."""
    partner = partner_or_404(request, partner_id)
    slot = get_object_or_404(selectors.body_slots(partner).with_waiting_count(), pk=pk)
    form = MeetingSlotCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            told = services.cancel_meeting_slot(
                slot=slot, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.MeetingError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Le créneau est annulé. %(n)s personne est prévenue.",
                    "Le créneau est annulé. %(n)s personnes sont prévenues.",
                    told,
                )
                % {"n": told},
            )
            return redirect("jobs:partner_slot", partner_id=partner.pk, pk=slot.pk)
    return render(
        request,
        "jobs/trainings/partner/slot_cancel.html",
        {"partner": partner, "slot": slot, "form": form},
        status=form_status(form),
    )


@require_POST
@partner_required
def mark_attendance(request, partner_id, public_id):
    partner = partner_or_404(request, partner_id)
    booking = get_object_or_404(selectors.body_bookings(partner), public_id=public_id)
    # Refused (the meeting has not started…): DomainErrorMiddleware answers 409 with the reason.
    services.mark_meeting_attendance(
        booking=booking, attended=request.POST.get("attended") == "yes", by=request.user
    )
    messages.success(request, _("La présence est notée."))
    return redirect("jobs:partner_slot", partner_id=partner.pk, pk=booking.slot_id)


@partner_required
def interests(request, partner_id):
    partner = partner_or_404(request, partner_id)
    rows = selectors.body_interests(user=request.user, body=partner)
    return render(request, "jobs/trainings/partner/interests.html", {"partner": partner, "interests": rows})
