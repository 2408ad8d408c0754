"""Job-seeker pages of step 5 in the person's session (`/sessions/<slug>/formations/…`,
`…/rencontres/…`): trainings (search, detail, "I am interested") and meetings.

Each page is about the enrolment `@step_page` resolves from the user and the session in the URL:
the places of the search are the person's commune in that enrolment, the meeting slots and
bookings those of that session."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.errors import form_error, form_status
from jobs.selectors import suggested_rome_codes
from jobs.views import PAGE_SIZE, job_codes, query_without_page
from programs.decorators import step_page
from programs.models import Step

from .. import ics, selectors, services
from ..forms import InterestForm, TrainingSearchForm, start_limit
from ..models import (
    BookingStatus,
    MeetingBooking,
    MeetingSlot,
    Training,
    TrainingFormat,
    TrainingStart,
)


@step_page(Step.TRAININGS)
def trainings(request, enrolment):
    """Search the trainings: by job (or the assessment's suggestions), place, cost, start date."""
    suggested = suggested_rome_codes(request.user)
    form = TrainingSearchForm(request.GET or None, with_suggested=bool(suggested))
    results = Training.objects.published()
    if form.is_valid():
        data = form.cleaned_data
        codes = job_codes(data["job"], suggested)
        if codes is not None:
            results = results.filter(
                Exists(Training.rome_jobs.through.objects.filter(training=OuterRef("pk"), romejob__in=codes))
            )
        commune = enrolment.commune
        distance = Q(format=TrainingFormat.DISTANCE)
        if data["where"] == "distance":
            results = results.filter(distance)
        elif data["where"] == "commune" and commune:
            results = results.filter(
                distance
                | Exists(Training.communes.through.objects.filter(training=OuterRef("pk"), commune=commune))
            )
        elif data["where"] == "departement" and commune:
            results = results.filter(
                distance
                | Exists(
                    Training.communes.through.objects.filter(
                        training=OuterRef("pk"), commune__departement_id=commune.departement_id
                    )
                )
            )
        if data["cost"] == "free":
            results = results.filter(Q(is_free=True) | Q(cost_eur=0))
        elif data["cost"] == "funded":
            results = results.filter(
                Q(is_free=True)
                | Q(cost_eur=0)
                | Q(funding_cpf=True)
                | Q(funding_aif=True)
                | Q(funding_region=True)
            )
        limit = start_limit(data["start"])
        if limit:
            results = results.filter(
                Exists(
                    TrainingStart.objects.filter(
                        training=OuterRef("pk"), starts_on__gte=timezone.localdate(), starts_on__lte=limit
                    )
                )
            )
        if data["gen_label"]:
            results = results.filter(gen_label=True)
        if data["disability_accessible"]:
            results = results.filter(disability_accessible=True)
    if suggested:
        results = results.annotate(
            matches=Exists(
                Training.rome_jobs.through.objects.filter(training=OuterRef("pk"), romejob__in=suggested)
            )
        ).order_by("-matches", "title", "id")
    page = Paginator(results.with_list_data(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/trainings/trainings.html",
        {
            "form": form,
            "page": page,
            "trainings": page.object_list,
            "enrolment": enrolment,
            "session": enrolment.session,
            "query": query_without_page(request),
        },
    )


@step_page(Step.TRAININGS)
def training_detail(request, enrolment, pk):
    training = get_object_or_404(Training.objects.published().with_list_data(), pk=pk)
    # One interest per person and training (whichever session they said it in).
    interest = training.interests.filter(job_seeker=request.user).first()
    slots = list(selectors.open_slots(session=enrolment.session, now=timezone.now(), body=training.body))
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.express_interest(
                training=training,
                enrolment=enrolment,
                message=form.cleaned_data["message"],
                consent=form.cleaned_data["consent"],
            )
        except services.TrainingError as error:
            form_error(form, error)
        else:
            messages.success(request, _("C'est envoyé : l'organisme va vous contacter."))
            return redirect("jobs:training_detail", slug=enrolment.session.slug, pk=training.pk)
    return render(
        request,
        "jobs/trainings/training_detail.html",
        {
            "training": training,
            "form": form,
            "interest": interest,
            "slots": slots,
            "enrolment": enrolment,
            "session": enrolment.session,
        },
        status=form_status(form),
    )


@step_page(Step.TRAININGS)
def meetings(request, enrolment):
    return _meetings_page(request, enrolment)


def _meetings_page(request, enrolment, *, status: int = 200):
    """The person's meetings (seats, offers, places in a queue) and the session's open slots."""
    now = timezone.now()
    bookings = selectors.my_meetings(enrolment=enrolment, now=now)
    for booking in bookings:
        booking.link_visible = services.video_link_visible(booking=booking, slot=booking.slot, now=now)
    mine = {booking.slot_id: booking for booking in bookings}
    slots = list(selectors.open_slots(session=enrolment.session, now=now))
    for slot in slots:
        slot.my_booking = mine.get(slot.pk)
    return render(
        request,
        "jobs/trainings/meetings.html",
        {
            "slots": slots,
            "bookings": bookings,
            "now": now,
            "enrolment": enrolment,
            "session": enrolment.session,
        },
        status=status,
    )


@require_POST
@step_page(Step.TRAININGS)
def book_meeting(request, enrolment, pk):
    slot = get_object_or_404(MeetingSlot.objects.filter(session=enrolment.session), pk=pk)
    try:
        booking = services.book_meeting_slot(slot=slot, enrolment=enrolment)
    except services.MeetingError as error:
        # Refused (past, cancelled, the limit reached, step not open yet…): the same page, with the
        # reason, and a 409.
        messages.error(request, str(error))
        return _meetings_page(request, enrolment, status=409)
    if booking.status == BookingStatus.WAITING:
        messages.success(
            request,
            _(
                "Ce créneau est complet : vous êtes sur la liste d'attente. "
                "Si une place se libère, nous vous écrivons."
            ),
        )
    else:
        messages.success(
            request,
            _("C'est réservé ! Vous recevez un e-mail avec le lien et l'invitation pour votre agenda."),
        )
    return redirect("jobs:meetings", slug=enrolment.session.slug)


def _my_booking(enrolment, public_id):
    return get_object_or_404(MeetingBooking.objects.filter(enrolment=enrolment), public_id=public_id)


@require_POST
@step_page(Step.TRAININGS)
def confirm_meeting_offer(request, enrolment, public_id):
    booking = _my_booking(enrolment, public_id)
    try:
        services.confirm_meeting_offer(booking=booking, job_seeker=request.user)
    except services.MeetingError as error:
        messages.error(request, str(error))
        return _meetings_page(request, enrolment, status=409)
    messages.success(
        request, _("Votre place est confirmée. Vous recevez un e-mail avec l'invitation pour votre agenda.")
    )
    return redirect("jobs:meetings", slug=enrolment.session.slug)


@require_POST
@step_page(Step.TRAININGS)
def cancel_meeting(request, enrolment, public_id):
    booking = _my_booking(enrolment, public_id)
    try:
        services.cancel_meeting_booking(booking=booking, job_seeker=request.user)
    except services.MeetingError as error:
        messages.error(request, str(error))
        return _meetings_page(request, enrolment, status=409)
    messages.success(request, _("Votre réservation est annulée."))
    return redirect("jobs:meetings", slug=enrolment.session.slug)


@step_page(Step.TRAININGS)
def meeting_ics(request, enrolment, public_id):
    booking = get_object_or_404(
        MeetingBooking.objects.filter(enrolment=enrolment, status=BookingStatus.CONFIRMED).select_related(
            "slot__body", "job_seeker"
        ),
        public_id=public_id,
    )
    response = HttpResponse(ics.meeting_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rencontre.ics"'
    return response
