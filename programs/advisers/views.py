"""Advisers' pages: sessions, a session's dashboard, a person, the export, invitations; agencies."""

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.accounts.models import Role
from declics.accounts.permissions import role_required, staff_required
from declics.accounts.services import InvitationError, invite_user

from .. import notifications, registry
from ..figures_cache import session_figures_version
from ..models import AdviserMembership, Agency, Session, SessionEmailInvitation
from ..pathway import build_pathway
from ..services import advisers as services
from . import dashboard, export, selectors
from .forms import AgencyForm, AttachAdviserForm, InviteAdviserForm, InviteJobSeekersForm, PeopleFilterForm

PAGE_SIZE = 25


def _session_for(request, slug):
    visible = selectors.sessions_visible_to(request.user)
    sessions = dashboard.with_dashboard_figures(visible, user=request.user)
    return get_object_or_404(sessions, slug=slug)


@role_required(Role.ADVISER)
def adviser_sessions(request):
    sessions = (
        selectors.sessions_visible_to(request.user).select_related("region").order_by("-starts_at", "pk")
    )
    membership = AdviserMembership.objects.filter(user=request.user).select_related("agency").first()
    return render(
        request,
        "programs/advisers/session_list.html",
        {"sessions": list(sessions[:100]), "membership": membership},
    )


def _filters(request) -> tuple[PeopleFilterForm, dict]:
    form = PeopleFilterForm(request.GET or None)
    if not request.GET:
        return form, {}
    form.is_valid()
    # A tampered value is dropped (and said), never passed to the database.
    return form, {name: value for name, value in form.cleaned_data.items() if value not in (None, "", False)}


def _figures_version(slug: str) -> int:
    """The session's figures version (programs.figures_cache), found by slug: the slug → id pair
    is cached for good (slugs do not change), so this is one cache read, no query, once warm."""
    id_key = f"programs:session-id:{slug}"
    session_id = cache.get(id_key)
    if session_id is None:
        session_id = Session.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if session_id is None:
            return 0
        cache.set(id_key, session_id, timeout=None)
    return session_figures_version(session_id)


@role_required(Role.ADVISER)
def adviser_dashboard(request, slug):
    """Four queries of its own whatever the number of rows: the session (with its step dates and
    invitations count), the funnel, the page count and the page; plus the login session and user.
    The first two are cached a minute: two queries then."""
    now = timezone.now()
    # The session, its step dates and its invitations count are kept a minute per user, like the
    # funnel (building that query was a third of the page's time); the people are read live.
    key = f"programs:adviser-dashboard-session:{request.user.pk}:{slug}:{_figures_version(slug)}"
    session = cache.get(key)
    if session is None:
        session = get_object_or_404(
            dashboard.with_dashboard_figures(selectors.sessions_visible_to(request.user), user=request.user),
            slug=slug,
        )
        cache.set(key, session, dashboard.FUNNEL_CACHE_SECONDS)
    session_steps = dashboard.session_steps(session)
    open_steps = dashboard.opened_steps(session_steps, now)
    form, filters = _filters(request)
    people = dashboard.people(
        session=session, user=request.user, filters=filters, now=now, open_steps=open_steps
    )
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
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
        selectors.enrolments_visible_to(request.user).select_related("session", "job_seeker", "commune"),
        session__slug=slug,
        public_id=public_id,
    )
    context = build_pathway(enrolment=enrolment, now=timezone.now())
    context.update({"person": enrolment.job_seeker, "panels": registry.adviser_panels(enrolment)})
    return render(request, "programs/advisers/person.html", context)


@role_required(Role.ADVISER)
def adviser_export(request, slug):
    session = _session_for(request, slug)
    form = PeopleFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        html = render_to_string(
            "programs/bad_request.html",
            {"message": _("Ces filtres ne sont pas valides."), "session": session},
            request,
        )
        return HttpResponseBadRequest(html)
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
    form = InviteJobSeekersForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.invite_job_seekers(
                session=session, adviser=request.user, emails=form.email_list()
            )
        except services.AdviserError as error:
            form.add_error("emails", str(error))
        else:
            messages.success(request, _("%(n)s invitation(s) envoyée(s).") % {"n": len(created)})
            return redirect("programs:adviser_invite", slug=session.slug)
    sent = SessionEmailInvitation.objects.filter(session=session, adviser=request.user).order_by(
        "-created_at"
    )
    return render(
        request,
        "programs/advisers/invite.html",
        {
            "session": session,
            "form": form,
            "link": notifications.adviser_invitation_url(session=session, adviser=request.user),
            "sent": list(sent[:100]),
        },
        status=400 if request.method == "POST" else 200,
    )


@staff_required
def adviser_agencies(request):
    agency_form = AgencyForm(prefix="agence")
    invite_form = InviteAdviserForm(prefix="invitation")
    attach_form = AttachAdviserForm(prefix="rattacher")
    status = 200
    if request.method == "POST":
        status = 400
        action = request.POST.get("action")
        if action == "agency":
            agency_form = AgencyForm(request.POST, prefix="agence")
            if agency_form.is_valid():
                try:
                    services.create_agency(**agency_form.cleaned_data, by=request.user)
                except services.AdviserError as error:
                    agency_form.add_error(None, str(error))
                else:
                    messages.success(request, _("Agence créée."))
                    return redirect("programs:adviser_agencies")
        elif action == "invite":
            invite_form = InviteAdviserForm(request.POST, prefix="invitation")
            if invite_form.is_valid():
                try:
                    invite_user(role=Role.ADVISER, invited_by=request.user, **invite_form.cleaned_data)
                except InvitationError as error:
                    invite_form.add_error(None, str(error))
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
                    attach_form.add_error(None, str(error))
                else:
                    messages.success(request, _("Conseiller·ère rattaché·e à l'agence."))
                    return redirect("programs:adviser_agencies")
        else:
            return HttpResponseBadRequest()
    agencies = Agency.objects.select_related("departement").prefetch_related("memberships__user")
    return render(
        request,
        "programs/advisers/agencies.html",
        {
            "agencies": list(agencies.order_by("departement__code", "name")[:200]),
            "agency_form": agency_form,
            "invite_form": invite_form,
            "attach_form": attach_form,
        },
        status=status,
    )
