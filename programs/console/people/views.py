"""People of a session: thin views over `programs.services.lifecycle` (staff only)."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.accounts.permissions import staff_required
from declics.forms import parse_bounded_int
from programs import services
from programs.models import Enrolment, Session

from . import selectors
from .forms import PeopleFilterForm, ReasonForm, TransferForm

MAX_PAGE = 10_000


def _session(slug: str) -> Session:
    return get_object_or_404(Session, slug=slug)


def _person(session: Session, public_id) -> Enrolment:
    enrolment = selectors.person(session, public_id)
    if enrolment is None:
        raise Http404("no such enrolment in this session")
    return enrolment


def _public_ids(values) -> list[uuid.UUID]:
    ids = []
    for value in values[:1000]:
        try:
            ids.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return ids


@staff_required
def people(request, slug):
    """The session's enrolments with filters; staff tick people and remove them in one action."""
    session = _session(slug)
    filters = PeopleFilterForm(request.GET or None)
    status, step = "", None
    if filters.is_valid():
        status, step = filters.cleaned_data["statut"], filters.cleaned_data["etape"]
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        chosen = Enrolment.objects.filter(
            session=session, public_id__in=_public_ids(request.POST.getlist("people"))
        )
        try:
            removal = services.start_bulk_removal(
                session=session,
                enrolments=list(chosen.only("pk")),
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except services.LifecycleError as error:
            form.add_error(None, str(error))
        else:
            return redirect("programs:console_bulk_removal", public_id=removal.public_id)
    page_number = parse_bounded_int(request.GET.get("page"), min_value=1, max_value=MAX_PAGE) or 1
    page = Paginator(
        selectors.people_of(session, status=status, step_done=step), selectors.PAGE_SIZE
    ).get_page(page_number)
    return render(
        request,
        "programs/console/people/list.html",
        {
            "session": session,
            "filters": filters,
            "form": form,
            "page": page,
            "waiting_list": status == "waiting",
        },
    )


@staff_required
def person(request, slug, public_id):
    session = _session(slug)
    enrolment = _person(session, public_id)
    context = {
        "session": session,
        "enrolment": enrolment,
        "remove_form": ReasonForm(),
        "transfer_form": TransferForm(sessions=selectors.transfer_targets(session)),
    }
    return render(request, "programs/console/people/person.html", context)


def _act(request, slug, public_id, action) -> object:
    session = _session(slug)
    enrolment = _person(session, public_id)
    try:
        message = action(enrolment)
    except services.LifecycleError as error:
        messages.error(request, str(error))
    else:
        if message:
            messages.success(request, message)
    return redirect("programs:console_person", slug=slug, public_id=public_id)


@staff_required
@require_POST
def remove(request, slug, public_id):
    form = ReasonForm(request.POST)

    def action(enrolment):
        if not form.is_valid():
            raise services.LifecycleError(
                _("Indiquez la raison du retrait : elle sera envoyée à la personne.")
            )
        services.remove_enrolment(enrolment=enrolment, by=request.user, reason=form.cleaned_data["reason"])
        return _("La personne est retirée de la session ; elle en est informée.")

    return _act(request, slug, public_id, action)


@staff_required
@require_POST
def transfer(request, slug, public_id):
    session = _session(slug)
    form = TransferForm(request.POST, sessions=selectors.transfer_targets(session))

    def action(enrolment):
        if not form.is_valid():
            raise services.LifecycleError(_("Choisissez la session où inscrire la personne."))
        new = services.transfer_enrolment(
            enrolment=enrolment, to_session=form.cleaned_data["to_session"], by=request.user
        )
        return _("La personne est inscrite à la session %(title)s ; elle en est informée.") % {
            "title": new.session.title
        }

    return _act(request, slug, public_id, action)


@staff_required
@require_POST
def promote(request, slug, public_id):
    def action(enrolment):
        services.promote_enrolment(enrolment=enrolment, by=request.user)
        return _("La personne a une place ; elle en est informée.")

    return _act(request, slug, public_id, action)


@staff_required
def bulk_removal(request, public_id):
    """The progress of a removal of many people; the block alone for htmx's polling."""
    removal = selectors.bulk_removal(public_id)
    if removal is None:
        raise Http404("no such removal")
    template = "programs/console/people/bulk_removal.html"
    if request.headers.get("HX-Request"):
        return render(request, f"{template}#progress", {"removal": removal})
    return render(request, template, {"removal": removal, "session": removal.session})
