"""Advisers' pages: sessions, a session's dashboard, a person, the export, invitations; agencies."""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from declics.accounts.models import Role
from declics.accounts.permissions import role_required, staff_required
from declics.accounts.services import InvitationError, invite_user
from declics.errors import DomainError, form_error, form_status

from .. import notifications, registry
from ..pathway import build_pathway
from ..services import advisers as services
from . import dashboard, export, selectors
from .forms import (
    AgencyForm,
    AttachAdviserForm,
    InviteAdviserForm,
    InviteByPhoneForm,
    InviteJobSeekersForm,
    PeopleFilterForm,
)

PAGE_SIZE = 25


def _session_for(request, slug):
    return get_object_or_404(selectors.dashboard_sessions(request.user), slug=slug)


@role_required(Role.ADVISER)
def adviser_sessions(request):
    return render(
        request,
        "programs/advisers/session_list.html",
        {
            "sessions": list(selectors.session_list_for(request.user)[:100]),
            "membership": selectors.membership_of(request.user),
        },
    )


def _filters(request) -> tuple[PeopleFilterForm, dict]:
    form = PeopleFilterForm(request.GET or None)
    if not request.GET:
        return form, {}
    form.is_valid()
    # A tampered value is dropped (and said), never passed to the database.
    return form, {name: value for name, value in form.cleaned_data.items() if value not in (None, "", False)}


@role_required(Role.ADVISER)
def adviser_dashboard(request, slug):
    """Four queries of its own whatever the number of rows: the session (with its step dates and
    invitations count), the funnel, the people's order (or, filtered, their count) and the page;
    plus the login session and user. All but the page are cached a minute
    (`programs.figures_cache`, `dashboard.people_page`): one query then; the rows are read live."""
    now = timezone.now()
    form, filters = _filters(request)
    # The people's order, when it is cached, is read with the session's other cached parts.
    sort = dashboard.cached_order_sort(filters)
    session = selectors.dashboard_session(user=request.user, slug=slug, sort=sort)
    if session is None:
        raise Http404("no such session for this user")
    session_steps = dashboard.session_steps(session)
    open_steps = dashboard.opened_steps(session_steps, now)
    page = dashboard.people_page(
        session=session,
        user=request.user,
        filters=filters,
        now=now,
        open_steps=open_steps,
        number=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    rows = dashboard.table_rows(page.object_list, session=session, now=now, open_steps=open_steps)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "programs/advisers/dashboard.html",
        {
            "session": session,
            "funnel": dashboard.funnel(session=session, user=request.user, emailed=session.emailed),
            "form": form,
            "page": page,
            "rows": rows,
            "query": query.urlencode(),
            "steps": session_steps,
            "stuck_days": dashboard.stuck_days(session),
        },
    )


@role_required(Role.ADVISER)
def adviser_person(request, slug, public_id):
    """One person in one session: found among the enrolments the user may see; then the pathway and
    each step's own section (`programs.registry`), every one read through that enrolment, never
    through the person (the same person may be enrolled elsewhere without consent)."""
    enrolment = get_object_or_404(
        selectors.person_enrolments(request.user), session__slug=slug, public_id=public_id
    )
    context = build_pathway(enrolment=enrolment, now=timezone.now())
    context.update({"person": enrolment.job_seeker, "panels": registry.adviser_panels(enrolment)})
    return render(request, "programs/advisers/person.html", context)


@role_required(Role.ADVISER)
def adviser_export(request, slug):
    session = _session_for(request, slug)
    form = PeopleFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        # A spreadsheet is all or nothing: a tampered filter is refused (400, DomainErrorMiddleware).
        raise DomainError(_("Ces filtres ne sont pas valides."), status=400)
    filters = {
        k: v for k, v in (form.cleaned_data if request.GET else {}).items() if v not in (None, "", False)
    }
    now = timezone.now()
    open_steps = dashboard.opened_steps(dashboard.session_steps(session), now)
    people = dashboard.people(
        session=session, user=request.user, filters=filters, now=now, open_steps=open_steps
    )
    return export.xlsx_response(session=session, people=people, now=now, open_steps=open_steps)


@role_required(Role.ADVISER)
def adviser_invite(request, slug):
    session = _session_for(request, slug)
    if request.user.role != Role.ADVISER:
        raise Http404  # staff follow sessions but do not invite as an adviser
    by_sms = request.method == "POST" and "sms-phones" in request.POST
    form = InviteJobSeekersForm(request.POST if request.method == "POST" and not by_sms else None)
    sms_form = InviteByPhoneForm(request.POST if by_sms else None)
    if by_sms:
        bound, field = sms_form, "phones"

        def invite():
            return services.invite_job_seekers_by_phone(
                session=session, adviser=request.user, phones=sms_form.phone_list()
            )

        def done(n):
            return ngettext("%(n)s SMS d'invitation envoyé.", "%(n)s SMS d'invitation envoyés.", n) % {"n": n}
    else:
        bound, field = form, "emails"

        def invite():
            return services.invite_job_seekers(
                session=session, adviser=request.user, emails=form.email_list()
            )

        def done(n):
            return ngettext("%(n)s invitation envoyée.", "%(n)s invitations envoyées.", n) % {"n": n}

    if bound.is_bound and bound.is_valid():
        try:
            created = invite()
        except services.AdviserError as error:
            form_error(bound, error, field=field)
        else:
            messages.success(request, done(len(created)))
            return redirect("programs:adviser_invite", slug=session.slug)
    sent = selectors.invitations_sent(session=session, adviser=request.user)
    sent_by_sms = selectors.phone_invitations_sent(session=session, adviser=request.user)
    return render(
        request,
        "programs/advisers/invite.html",
        {
            "session": session,
            "form": form,
            "sms_form": sms_form,
            "link": notifications.adviser_invitation_url(session=session, adviser=request.user),
            "sent": list(sent[:100]),
            "sent_by_sms": list(sent_by_sms[:100]),
        },
        status=form_status(form, sms_form),
    )


@staff_required
def adviser_agencies(request):
    agency_form = AgencyForm(prefix="agence")
    invite_form = InviteAdviserForm(prefix="invitation")
    attach_form = AttachAdviserForm(prefix="rattacher")
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "agency":
            agency_form = AgencyForm(request.POST, prefix="agence")
            if agency_form.is_valid():
                try:
                    services.create_agency(**agency_form.cleaned_data, by=request.user)
                except services.AdviserError as error:
                    form_error(agency_form, error)
                else:
                    messages.success(request, _("Agence créée."))
                    return redirect("programs:adviser_agencies")
        elif action == "invite":
            invite_form = InviteAdviserForm(request.POST, prefix="invitation")
            if invite_form.is_valid():
                try:
                    invite_user(role=Role.ADVISER, invited_by=request.user, **invite_form.cleaned_data)
                except InvitationError as error:
                    form_error(invite_form, error)
                else:
                    messages.success(request, _("Invitation envoyée."))
                    return redirect("programs:adviser_agencies")
        elif action == "attach":
            attach_form = AttachAdviserForm(request.POST, prefix="rattacher")
            if attach_form.is_valid():
                try:
                    services.attach_adviser(
                        user=attach_form.user,
                        agency=attach_form.cleaned_data["agency"],
                        is_head=attach_form.cleaned_data["is_head"],
                        by=request.user,
                    )
                except services.AdviserError as error:
                    form_error(attach_form, error)
                else:
                    messages.success(request, _("Conseiller·ère rattaché·e à l'agence."))
                    return redirect("programs:adviser_agencies")
        else:
            return HttpResponseBadRequest()
    return render(
        request,
        "programs/advisers/agencies.html",
        {
            "agencies": list(selectors.agencies_for_staff()[:200]),
            "agency_form": agency_form,
            "invite_form": invite_form,
            "attach_form": attach_form,
        },
        status=form_status(agency_form, invite_form, attach_form),
    )
