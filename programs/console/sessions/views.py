"""A session's settings at every stage: thin views over `programs.services.session_changes`."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from declics.accounts.permissions import staff_required
from declics.errors import form_error, form_status
from programs import selectors, services
from programs.models import Session

from .forms import CancelSessionForm, CapacityForm, PublicTextsForm, SessionCalendarForm


def _session(slug: str) -> Session:
    return get_object_or_404(selectors.session_with_calendar(Session.objects.all()), slug=slug)


@staff_required
def session_calendar(request, slug):
    session = _session(slug)
    form = SessionCalendarForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.reschedule_session(session=session, **form.reschedule_kwargs(), by=request.user)
        except services.SessionError as error:
            form_error(form, error)
        else:
            if session.published_at:
                messages.success(
                    request, _("Calendrier enregistré : les personnes inscrites sont prévenues.")
                )
            else:
                messages.success(request, _("Calendrier enregistré."))
            return redirect("programs:preview", slug=session.slug)
    return render(
        request,
        "programs/console/sessions/calendar.html",
        {"session": session, "form": form},
        status=form_status(form),
    )


@staff_required
def session_places(request, slug):
    session = _session(slug)
    form = CapacityForm(request.POST or None, initial={"capacity": session.capacity})
    if request.method == "POST" and form.is_valid():
        try:
            promoted = services.change_capacity(
                session=session, capacity=form.cleaned_data["capacity"], by=request.user
            )
        except services.SessionError as error:
            form_error(form, error, field="capacity")
        else:
            messages.success(
                request,
                ngettext(
                    "Places enregistrées : %(count)s personne de la liste d'attente a reçu une place.",
                    "Places enregistrées : %(count)s personnes de la liste d'attente ont reçu une place.",
                    len(promoted),
                )
                % {"count": len(promoted)},
            )
            return redirect("programs:preview", slug=session.slug)
    context = {
        "session": session,
        "form": form,
        "active": session.enrolments.active().count(),
        "waiting": session.enrolments.waiting().count(),
    }
    return render(request, "programs/console/sessions/places.html", context, status=form_status(form))


@staff_required
def session_texts(request, slug):
    session = _session(slug)
    form = PublicTextsForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_public_texts(
                session=session,
                description=form.cleaned_data["description"],
                faq=form.cleaned_data["faq"],
                reviewed=form.reviewed(),
                by=request.user,
            )
        except services.SessionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Textes enregistrés."))
            return redirect("programs:preview", slug=session.slug)
    return render(
        request,
        "programs/console/sessions/texts.html",
        {"session": session, "form": form},
        status=form_status(form),
    )


@staff_required
@require_POST
def session_close_registrations(request, slug):
    # A refusal (not published, already closed) is answered by DomainErrorMiddleware (409 page).
    session = services.close_registrations(session=_session(slug), by=request.user)
    messages.success(request, _("Inscriptions closes : les personnes en liste d'attente sont prévenues."))
    return redirect("programs:preview", slug=session.slug)


@staff_required
@require_POST
def session_archive(request, slug):
    session = services.archive_session(session=_session(slug), by=request.user)
    messages.success(request, _("Session archivée."))
    return redirect("programs:preview", slug=session.slug)


@staff_required
def session_cancel(request, slug):
    """Cancel the session (`programs.services.cancel_session`): every enrolment ends, each person
    is told once with the reason, every step gives back its holdings. Asked with a reason and a
    confirmation, since nothing brings it back."""
    session = _session(slug)
    form = CancelSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_session(session=session, by=request.user, reason=form.cleaned_data["reason"])
        except services.LifecycleError as error:
            form_error(form, error, field="reason")
        else:
            messages.success(
                request, _("Session annulée : les personnes inscrites et en attente sont prévenues.")
            )
            return redirect("programs:preview", slug=session.slug)
    people = session.enrolments.current().count()
    return render(
        request,
        "programs/console/sessions/cancel.html",
        {"session": session, "form": form, "people": people},
        status=form_status(form),
    )
