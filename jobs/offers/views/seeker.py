"""Job-seeker pages of step 6 in the person's session (`/sessions/<slug>/offres/…`,
`…/candidatures/…`): offers (search, detail, apply with a CV) and the person's applications.

Each page is about the enrolment `@step_page` resolves from the user and the session in the URL:
the offers of that session's territory, the applications made in that session."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.errors import form_error
from jobs import selectors
from jobs.views import PAGE_SIZE, job_codes, query_without_page
from programs.decorators import step_page
from programs.models import Step

from .. import services
from ..forms import ApplicationForm, OfferSearchForm
from ..models import Application, JobOffer
from ..selectors import applications_visible_to


@step_page(Step.JOBS)
def offers(request, enrolment):
    """Offers of the session's territory (plus remote), the ones matching the assessment first."""
    suggested = selectors.suggested_rome_codes(request.user)
    departements = selectors.session_departement_ids(enrolment)
    form = OfferSearchForm(request.GET or None, with_suggested=bool(suggested))
    results = JobOffer.objects.open().in_territory(departements)
    if form.is_valid():
        data = form.cleaned_data
        codes = job_codes(data["job"], suggested)
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
            "query": query_without_page(request),
            "session": enrolment.session,
        },
    )


def _visible_offer(request, pk, enrolment):
    offer = get_object_or_404(JobOffer.objects.with_list_data().filter(is_published=True), pk=pk)
    departements = selectors.session_departement_ids(enrolment)
    if not offer.is_remote and offer.departement_id not in departements:
        raise Http404("offer outside the session's territory")
    return offer


@step_page(Step.JOBS)
def offer_detail(request, enrolment, pk):
    offer = _visible_offer(request, pk, enrolment)
    # One application per person and offer (whichever session they applied in).
    application = Application.objects.filter(offer=offer, job_seeker=request.user).first()
    form = ApplicationForm()
    return render(
        request,
        "jobs/offers/offer_detail.html",
        {"offer": offer, "form": form, "application": application, "session": enrolment.session},
    )


@require_POST
@step_page(Step.JOBS)
def apply(request, enrolment, pk):
    offer = _visible_offer(request, pk, enrolment)
    form = ApplicationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.apply_to_offer(
                offer=offer,
                enrolment=enrolment,
                message=form.cleaned_data["message"],
                cv=form.cleaned_data["cv"],
            )
        except services.ApplicationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Votre candidature est envoyée. Vous suivrez sa réponse ici."))
            return redirect("jobs:my_applications", slug=enrolment.session.slug)
    return render(
        request,
        "jobs/offers/offer_detail.html",
        {"offer": offer, "form": form, "application": None, "session": enrolment.session},
        status=400,
    )


@step_page(Step.JOBS)
def my_applications(request, enrolment):
    """The applications made in this session (another session's are on that session's page)."""
    applications = (
        Application.objects.filter(enrolment=enrolment)
        .select_related("offer__company", "offer__commune")
        .order_by("-created_at", "-id")
    )
    return render(
        request,
        "jobs/offers/my_applications.html",
        {"applications": applications, "session": enrolment.session},
    )


@step_page(Step.JOBS)
def withdraw(request, enrolment, public_id):
    """GET asks for confirmation (a page that works without JavaScript); POST withdraws."""
    application = get_object_or_404(
        Application.objects.filter(enrolment=enrolment).select_related("offer"), public_id=public_id
    )
    if request.method != "POST":
        return render(
            request,
            "jobs/offers/withdraw.html",
            {"application": application, "session": enrolment.session},
        )
    try:
        services.withdraw_application(application=application, job_seeker=request.user)
    except services.ApplicationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Votre candidature est retirée. L'entreprise est prévenue."))
    return redirect("jobs:my_applications", slug=enrolment.session.slug)


def application_cv(request, public_id):
    """The CV, only to its author, the company's users and staff; never a public URL."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    application = get_object_or_404(applications_visible_to(request.user), public_id=public_id)
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
