"""Workshop pages: thin views that load through a scoped queryset, call one service, redirect.

A refused action (full, twice, too late, expired offer…) re-renders the page with the service's
French message and the refusal's status (409, `declics.errors.refused`); a refused or invalid
form is shown again with its errors (400); tampered ids answer 404. Nothing changes then.
"""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from declics.accounts.models import Role
from declics.accounts.permissions import role_required, staff_required
from declics.errors import form_error, form_status, refused
from programs.decorators import step_page
from programs.models import Session, Step

from . import ics, selectors, services
from .forms import AttendanceForm, FeedbackForm, MoveWorkshopForm, WorkshopForm
from .models import Workshop, WorkshopBooking, WorkshopBookingStatus
from .services import (
    CANCEL_DEADLINE,
    can_facilitate,
    cancellation_deadline,
    video_link_visible,
)


def _my_booking(request, public_id: UUID, *, related=("workshop__session",)) -> WorkshopBooking:
    """The person's own booking, or 404 (another person's id looks like an unknown one)."""
    return get_object_or_404(
        WorkshopBooking.objects.select_related(*related), public_id=public_id, job_seeker=request.user
    )


# --- Job seekers ----------------------------------------------------------------------------------


@step_page(
    Step.WORKSHOPS,
    refused=gettext_lazy("Les ateliers sont réservés aux participant·es inscrit·es à la session."),
    staff_page="programs:workshop_staff_list",
)
def workshop_list(request, enrolment):
    """The person's own bookings at the top, then one page of the upcoming workshops (`?page=`)."""
    session = enrolment.session
    now = timezone.now()
    mine, past = selectors.my_bookings(session=session, user=request.user, now=now)
    number = selectors.page_number(request.GET.get("page"))
    page = selectors.workshop_page(session=session, now=now, number=number, mine=mine)
    return render(
        request,
        "programs/workshops/list.html",
        {
            "session": session,
            "mine": mine,
            "page": page,
            "workshops": page.workshops,
            "past": past,
            "attended": sum(1 for booking in past if booking.attended),
            "required": session.workshops_required,
            "max_bookings": session.max_simultaneous_bookings,
        },
    )


def _detail_context(request, workshop: Workshop) -> dict:
    now = timezone.now()
    booking = None
    if request.user.role == Role.JOB_SEEKER:
        booking = WorkshopBooking.objects.filter(workshop=workshop, job_seeker=request.user).first()
    return {
        "workshop": workshop,
        "session": workshop.session,
        "booking": booking,
        "facilitators": list(workshop.facilitators.all()),
        "show_video_link": video_link_visible(booking=booking, workshop=workshop, now=now),
        "video_link_from": timezone.localtime(workshop.starts_at) - services.VIDEO_LINK_OPENS,
        "can_cancel": booking is not None
        and booking.status == WorkshopBookingStatus.CONFIRMED
        and now <= cancellation_deadline(workshop),
        "cancel_deadline": timezone.localtime(cancellation_deadline(workshop)),
        "cancel_hours": int(CANCEL_DEADLINE.total_seconds() // 3600),
        "started": workshop.starts_at <= now,
        "ended": workshop.ends_at <= now,
        "can_facilitate": can_facilitate(user=request.user, workshop=workshop),
    }


@login_required
def workshop_detail(request, pk):
    workshop = get_object_or_404(selectors.visible_workshops(request.user), pk=pk)
    return render(request, "programs/workshops/detail.html", _detail_context(request, workshop))


@role_required(Role.JOB_SEEKER)
@require_POST
def workshop_book(request, pk):
    workshop = get_object_or_404(selectors.visible_workshops(request.user), pk=pk)
    try:
        booking = services.book_workshop(workshop=workshop, job_seeker=request.user)
    except services.WorkshopError as error:
        return refused(request, "programs/workshops/detail.html", _detail_context(request, workshop), error)
    if booking.status == WorkshopBookingStatus.CONFIRMED:
        messages.success(
            request, _("C'est réservé ! Vous allez recevoir un e-mail avec l'invitation pour votre agenda.")
        )
    else:
        messages.info(
            request,
            _(
                "L'atelier est complet : vous êtes sur la liste d'attente. "
                "Nous vous écrivons si une place se libère."
            ),
        )
    return redirect("programs:workshop_detail", pk=workshop.pk)


@role_required(Role.JOB_SEEKER)
def workshop_cancel(request, public_id):
    booking = _my_booking(request, public_id)
    workshop = booking.workshop
    context = {"booking": booking, "workshop": workshop, "session": workshop.session}
    if request.method == "POST":
        try:
            services.cancel_booking(booking=booking, job_seeker=request.user)
        except services.WorkshopError as error:
            return refused(request, "programs/workshops/cancel.html", context, error)
        messages.success(request, _("Votre réservation est annulée. Merci d'avoir libéré la place."))
        return redirect("programs:workshop_list", slug=workshop.session.slug)
    return render(request, "programs/workshops/cancel.html", context)


@role_required(Role.JOB_SEEKER)
def workshop_confirm_offer(request, public_id):
    booking = _my_booking(request, public_id)
    workshop = booking.workshop
    context = {"booking": booking, "workshop": workshop, "session": workshop.session}
    if request.method == "POST":
        try:
            services.confirm_offer(booking=booking, job_seeker=request.user)
        except services.WorkshopError as error:
            return refused(request, "programs/workshops/confirm_offer.html", context, error)
        messages.success(request, _("Votre place est confirmée ! L'invitation arrive par e-mail."))
        return redirect("programs:workshop_detail", pk=workshop.pk)
    return render(request, "programs/workshops/confirm_offer.html", context)


@role_required(Role.JOB_SEEKER)
def workshop_feedback(request, public_id):
    booking = _my_booking(request, public_id)
    form = FeedbackForm(request.POST or None, initial={"answer": booking.feedback or None})
    context = {"booking": booking, "workshop": booking.workshop, "form": form}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "programs/workshops/feedback.html", context, status=400)
        try:
            services.record_feedback(
                booking=booking, job_seeker=request.user, answer=form.cleaned_data["answer"]
            )
        except services.WorkshopError as error:
            return refused(request, "programs/workshops/feedback.html", context, error)
        messages.success(request, _("Merci pour votre réponse !"))
        return redirect("programs:workshop_detail", pk=booking.workshop_id)
    return render(request, "programs/workshops/feedback.html", context)


@role_required(Role.JOB_SEEKER)
def workshop_booking_ics(request, public_id):
    booking = _my_booking(request, public_id, related=("workshop", "job_seeker"))
    if booking.status != WorkshopBookingStatus.CONFIRMED:
        raise Http404
    response = HttpResponse(ics.booking_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="atelier.ics"'
    return response


# --- Facilitators and staff -----------------------------------------------------------------------


@login_required
def workshop_facilitated(request):
    workshops = list(selectors.facilitated_workshops(user=request.user, now=timezone.now()))
    return render(request, "programs/workshops/facilitated.html", {"workshops": workshops})


@login_required
def workshop_attendance(request, pk):
    workshop = get_object_or_404(Workshop.objects.select_related("session"), pk=pk)
    if not can_facilitate(user=request.user, workshop=workshop):
        raise Http404
    bookings = list(selectors.attendees(workshop))
    initial = {"present": [str(b.pk) for b in bookings if b.attended]}
    form = AttendanceForm(request.POST or None, bookings=bookings, initial=initial)
    context = {
        "workshop": workshop,
        "session": workshop.session,
        "bookings": bookings,
        "form": form,
        "started": workshop.starts_at <= timezone.now(),
        "waiting": list(selectors.waiting_list(workshop)),
    }
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "programs/workshops/attendance.html", context, status=400)
        try:
            counts = services.mark_attendance(workshop=workshop, present=form.present_ids(), by=request.user)
        except services.WorkshopError as error:
            return refused(request, "programs/workshops/attendance.html", context, error)
        messages.success(
            request,
            _("Présences enregistrées : %(present)s présent·es, %(absent)s absent·es.") % counts,
        )
        return redirect("programs:workshop_attendance", pk=workshop.pk)
    return render(request, "programs/workshops/attendance.html", context)


@staff_required
def workshop_staff_list(request, slug):
    session = get_object_or_404(Session.objects.all(), slug=slug)
    workshops = list(selectors.session_workshops_for_staff(session))
    return render(request, "programs/workshops/staff_list.html", {"session": session, "workshops": workshops})


@staff_required
def workshop_create(request, slug):
    session = get_object_or_404(Session.objects.all(), slug=slug)
    form = WorkshopForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            workshop = services.create_workshop(session=session, by=request.user, **form.cleaned_data)
        except services.WorkshopError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Atelier créé."))
            return redirect("programs:workshop_detail", pk=workshop.pk)
    return render(
        request,
        "programs/workshops/form.html",
        {"session": session, "form": form, "creating": True},
        status=form_status(form),
    )


@staff_required
def workshop_edit(request, pk):
    workshop = get_object_or_404(Workshop.objects.select_related("session"), pk=pk)
    initial = {
        name: getattr(workshop, name)
        for name in (
            "title",
            "topic",
            "description",
            "seats",
            "video_url",
            "accessibility_notes",
            "replay_url",
        )
    }
    initial["facilitators"] = list(workshop.facilitators.all())
    form = WorkshopForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_workshop(workshop=workshop, by=request.user, **form.cleaned_data)
        except services.WorkshopError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Atelier mis à jour."))
            return redirect("programs:workshop_detail", pk=workshop.pk)
    return render(
        request,
        "programs/workshops/form.html",
        {"session": workshop.session, "workshop": workshop, "form": form, "creating": False},
        status=form_status(form),
    )


@staff_required
def workshop_move(request, pk):
    workshop = get_object_or_404(Workshop.objects.select_related("session"), pk=pk)
    form = MoveWorkshopForm(
        request.POST or None,
        initial={
            "starts_at": timezone.localtime(workshop.starts_at),
            "duration_minutes": workshop.duration_minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.move_workshop(workshop=workshop, by=request.user, **form.cleaned_data)
        except services.WorkshopError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Atelier déplacé : les personnes inscrites et en attente sont prévenues.")
            )
            return redirect("programs:workshop_detail", pk=workshop.pk)
    return render(
        request,
        "programs/workshops/move.html",
        {"workshop": workshop, "session": workshop.session, "form": form},
        status=form_status(form),
    )


@staff_required
def workshop_cancel_workshop(request, pk):
    workshop = get_object_or_404(Workshop.objects.select_related("session"), pk=pk)
    context = {"workshop": workshop, "session": workshop.session}
    if request.method == "POST":
        try:
            told = services.cancel_workshop(workshop=workshop, by=request.user)
        except services.WorkshopError as error:
            return refused(request, "programs/workshops/cancel_workshop.html", context, error)
        messages.success(
            request,
            ngettext(
                "Atelier annulé : %(n)s personne prévenue.",
                "Atelier annulé : %(n)s personnes prévenues.",
                told,
            )
            % {"n": told},
        )
        return redirect("programs:workshop_staff_list", slug=workshop.session.slug)
    return render(request, "programs/workshops/cancel_workshop.html", context)
