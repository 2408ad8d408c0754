"""Job-seeker pages: steps 5 (trainings, meetings) and 6 (offers, applications)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.accounts.models import Role
from declics.accounts.permissions import role_required

from .. import selectors
from ..forms import ApplicationForm, InterestForm, OfferSearchForm, TrainingSearchForm, start_limit
from ..offers import services as offer_services
from ..offers.models import Application, JobOffer
from ..trainings import services
from ..trainings.models import (
    BookingStatus,
    MeetingBooking,
    MeetingSlot,
    Training,
    TrainingFormat,
    TrainingStart,
)

PAGE_SIZE = 20

job_seeker_required = role_required(Role.JOB_SEEKER)


def _no_session(request):
    return render(request, "jobs/no_session.html", status=200)


def _job_codes(job: str, suggested: list[str]) -> list[str] | None:
    if job == "suggested":
        return suggested
    return [job] if job else None


@job_seeker_required
def trainings(request):
    """Search the trainings: by job (or the assessment's suggestions), place, cost, start date."""
    enrolment = selectors.current_enrolment(request.user)
    suggested = selectors.suggested_rome_codes(request.user)
    form = TrainingSearchForm(request.GET or None, with_suggested=bool(suggested))
    results = Training.objects.published()
    if form.is_valid():
        data = form.cleaned_data
        codes = _job_codes(data["job"], suggested)
        if codes is not None:
            results = results.filter(
                Exists(Training.rome_jobs.through.objects.filter(training=OuterRef("pk"), romejob__in=codes))
            )
        commune = enrolment.commune if enrolment else None
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
            "query": _query(request),
        },
    )


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@job_seeker_required
def training_detail(request, pk):
    training = get_object_or_404(Training.objects.published().with_list_data(), pk=pk)
    enrolment = selectors.current_enrolment(request.user)
    interest = training.interests.filter(job_seeker=request.user).first()
    slots = []
    if enrolment:
        slots = list(
            MeetingSlot.objects.filter(body=training.body, session=enrolment.session)
            .upcoming()
            .with_seats_taken()
        )
    form = InterestForm(request.POST or None)
    if request.method == "POST":
        if enrolment is None:
            return _no_session(request)
        if form.is_valid():
            try:
                services.express_interest(
                    training=training,
                    enrolment=enrolment,
                    message=form.cleaned_data["message"],
                    consent=form.cleaned_data["consent"],
                )
            except services.TrainingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("C'est envoyé : l'organisme va vous contacter."))
                return redirect("jobs:training_detail", pk=training.pk)
    return render(
        request,
        "jobs/trainings/training_detail.html",
        {"training": training, "form": form, "interest": interest, "slots": slots, "enrolment": enrolment},
        status=400 if request.method == "POST" else 200,
    )


@job_seeker_required
def meetings(request):
    enrolment = selectors.current_enrolment(request.user)
    if enrolment is None:
        return _no_session(request)
    return _meetings_page(request, enrolment)


def _meetings_page(request, enrolment, *, status: int = 200):
    slots = (
        MeetingSlot.objects.filter(session=enrolment.session)
        .upcoming()
        .with_seats_taken()
        .select_related("body", "training")
    )
    bookings = MeetingBooking.objects.filter(
        job_seeker=request.user, status=BookingStatus.BOOKED, slot__session=enrolment.session
    ).select_related("slot__body")
    booked_slot_ids = {booking.slot_id for booking in bookings}
    return render(
        request,
        "jobs/trainings/meetings.html",
        {"slots": slots, "bookings": bookings, "booked_slot_ids": booked_slot_ids, "enrolment": enrolment},
        status=status,
    )


@require_POST
@job_seeker_required
def book_meeting(request, pk):
    enrolment = selectors.current_enrolment(request.user)
    if enrolment is None:
        return _no_session(request)
    slot = get_object_or_404(MeetingSlot.objects.filter(session=enrolment.session), pk=pk)
    try:
        services.book_meeting_slot(slot=slot, enrolment=enrolment)
    except services.MeetingError as error:
        # Refused (full, past, step not open yet…): the same page, with the reason, and a 409.
        messages.error(request, str(error))
        return _meetings_page(request, enrolment, status=409)
    messages.success(
        request, _("C'est réservé ! Vous recevez un e-mail avec le lien et l'invitation pour votre agenda.")
    )
    return redirect("jobs:meetings")


@require_POST
@job_seeker_required
def cancel_meeting(request, public_id):
    booking = get_object_or_404(MeetingBooking.objects.filter(job_seeker=request.user), public_id=public_id)
    try:
        services.cancel_meeting_booking(booking=booking, job_seeker=request.user)
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre réservation est annulée."))
    return redirect("jobs:meetings")


@job_seeker_required
def meeting_ics(request, public_id):
    booking = get_object_or_404(
        MeetingBooking.objects.filter(job_seeker=request.user, status=BookingStatus.BOOKED).select_related(
            "slot__body"
        ),
        public_id=public_id,
    )
    response = HttpResponse(services.meeting_ics(booking), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="rencontre.ics"'
    return response


@job_seeker_required
def offers(request):
    """Offers of the session's territory (plus remote), the ones matching the assessment first."""
    enrolment = selectors.current_enrolment(request.user)
    if enrolment is None:
        return _no_session(request)
    suggested = selectors.suggested_rome_codes(request.user)
    departements = selectors.session_departement_ids(enrolment)
    form = OfferSearchForm(request.GET or None, with_suggested=bool(suggested))
    results = JobOffer.objects.open().in_territory(departements)
    if form.is_valid():
        data = form.cleaned_data
        codes = _job_codes(data["job"], suggested)
        if codes is not None:
            results = results.filter(rome_job__in=codes)
        if data["where"] == "commune":
            results = results.filter(Q(commune=enrolment.commune) | Q(is_remote=True))
        elif data["where"] == "departement":
            results = results.filter(Q(departement_id=enrolment.commune.departement_id) | Q(is_remote=True))
        elif data["where"] == "remote":
            results = results.filter(is_remote=True)
        if data["contract"]:
            results = results.filter(contract=data["contract"])
    results = results.annotate(
        matches=Case(
            When(rome_job__in=suggested, then=Value(1)), default=Value(0), output_field=IntegerField()
        )
        if suggested
        else Value(0, output_field=IntegerField())
    ).order_by("-matches", "-created_at", "-id")
    page = Paginator(results.with_list_data(), PAGE_SIZE).get_page(request.GET.get("page"))
    applied = set(
        Application.objects.filter(
            job_seeker=request.user, offer__in=[offer.pk for offer in page.object_list]
        ).values_list("offer_id", flat=True)
    )
    return render(
        request,
        "jobs/offers/offers.html",
        {
            "form": form,
            "page": page,
            "offers": page.object_list,
            "applied": applied,
            "suggested": set(suggested),
            "query": _query(request),
        },
    )


def _visible_offer(request, pk, enrolment):
    offer = get_object_or_404(JobOffer.objects.with_list_data().filter(is_published=True), pk=pk)
    departements = selectors.session_departement_ids(enrolment)
    if not offer.is_remote and offer.departement_id not in departements:
        raise Http404("offer outside the session's territory")
    return offer


@job_seeker_required
def offer_detail(request, pk):
    enrolment = selectors.current_enrolment(request.user)
    if enrolment is None:
        return _no_session(request)
    offer = _visible_offer(request, pk, enrolment)
    application = Application.objects.filter(offer=offer, job_seeker=request.user).first()
    form = ApplicationForm()
    return render(
        request, "jobs/offers/offer_detail.html", {"offer": offer, "form": form, "application": application}
    )


@require_POST
@job_seeker_required
def apply(request, pk):
    enrolment = selectors.current_enrolment(request.user)
    if enrolment is None:
        return _no_session(request)
    offer = _visible_offer(request, pk, enrolment)
    form = ApplicationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            offer_services.apply_to_offer(
                offer=offer,
                enrolment=enrolment,
                message=form.cleaned_data["message"],
                cv=form.cleaned_data["cv"],
            )
        except offer_services.ApplicationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Votre candidature est envoyée. Vous suivrez sa réponse ici."))
            return redirect("jobs:my_applications")
    return render(
        request,
        "jobs/offers/offer_detail.html",
        {"offer": offer, "form": form, "application": None},
        status=400,
    )


@job_seeker_required
def my_applications(request):
    applications = (
        Application.objects.filter(job_seeker=request.user)
        .select_related("offer__company", "offer__commune")
        .order_by("-created_at", "-id")
    )
    return render(request, "jobs/offers/my_applications.html", {"applications": applications})


@require_POST
@job_seeker_required
def withdraw(request, public_id):
    application = get_object_or_404(Application.objects.filter(job_seeker=request.user), public_id=public_id)
    try:
        offer_services.withdraw_application(application=application, job_seeker=request.user)
    except offer_services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre candidature est retirée. L'entreprise est prévenue."))
    return redirect("jobs:my_applications")


def application_cv(request, public_id):
    """The CV, only to its author, the company's users and staff; never a public URL."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    application = get_object_or_404(selectors.applications_visible_to(request.user), public_id=public_id)
    try:
        handle = application.cv.open("rb")
    except FileNotFoundError as error:
        raise Http404("CV file missing") from error
    extension = ".pdf" if application.cv_content_type == "application/pdf" else ".docx"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"cv-candidature-{application.public_id.hex[:8]}{extension}",
        content_type=application.cv_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
