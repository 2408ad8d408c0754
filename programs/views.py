from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from declics.accounts.models import Role, User
from declics.accounts.permissions import role_required, staff_required
from declics.errors import form_error, form_status
from declics.territories.models import QPV, Commune
from declics.territories.selectors import is_commune_in

from . import notifications, registry, selectors, services
from .calendar_files import PUBLISH, calendar_file
from .enrolments import NOT_WITHDRAWN, current_session_enrolment, enrolment_of, find_enrolment
from .forms import EligibilityForm, EnrolmentForm, LaunchSessionForm, WithdrawForm
from .models import CalendarFeedToken, EnrolmentStatus, Session, SessionPhoneInvitation, Step
from .pathway import build_pathway, pathway_enrolments
from .services.eligibility import outside_territory_reason, refuse_outside_territory

# What the person told the eligibility check, kept in their (server-side) session until sign-up.
PENDING_KEY = "programs_pending_enrolment"
ADVISER_KEY = "programs_adviser"


def _bad_request(request, message: str, session: Session | None = None):
    html = render_to_string("programs/bad_request.html", {"message": message, "session": session}, request)
    return HttpResponseBadRequest(html)


def session_list(request):
    sessions = list(selectors.open_sessions())
    return render(request, "programs/session_list.html", {"sessions": sessions})


def landing(request, slug):
    session = get_object_or_404(selectors.session_with_calendar(Session.objects.published()), slug=slug)
    token = request.GET.get("conseiller")
    if token:
        _remember_adviser(request, session, token)
    places_taken = session.enrolments.active().count()
    enrolment = find_enrolment(request.user, session=session, statuses=NOT_WITHDRAWN)
    adviser_link = None
    if request.user.is_authenticated and request.user.role == Role.ADVISER:
        adviser_link = notifications.adviser_invitation_url(session=session, adviser=request.user)
    return render(
        request,
        "programs/landing.html",
        {
            "session": session,
            "steps": list(session.steps.all()),
            "places_left": max(session.capacity - places_taken, 0),
            "is_open": session.is_open_for_registration(),
            "enrolment": enrolment,
            "adviser_link": adviser_link,
        },
    )


@require_GET
def phone_invitation(request, token):
    """An adviser's SMS link: the session's page, with the adviser remembered as their link does."""
    invitation = get_object_or_404(
        SessionPhoneInvitation.objects.select_related("session").exclude(phone=""), token=token
    )
    _link_adviser(request, invitation.session.pk, invitation.adviser_id)
    return redirect("programs:landing", slug=invitation.session.slug)


def _link_adviser(request, session_pk, adviser_pk):
    advisers = dict(request.session.get(ADVISER_KEY, {}))
    advisers[str(session_pk)] = adviser_pk
    request.session[ADVISER_KEY] = advisers


def _remember_adviser(request, session, token):
    try:
        data = signing.loads(token, salt=notifications.ADVISER_LINK_SALT)
    except signing.BadSignature:
        messages.warning(
            request, _("Ce lien d'invitation n'est pas valide : vous pouvez quand même vous inscrire.")
        )
        return
    if data.get("s") != session.pk:
        return
    _link_adviser(request, session.pk, data.get("a"))


def eligibility(request, slug):
    session = get_object_or_404(selectors.session_with_calendar(Session.objects.published()), slug=slug)
    if not session.is_open_for_registration():
        messages.info(request, _("Les inscriptions à cette session sont fermées."))
        return redirect("programs:landing", slug=session.slug)
    form = EligibilityForm(request.POST or None, session=session)
    decision = None
    if request.method == "POST" and form.is_valid() and form.complete:
        if form.homonyms_outside:
            decision = refuse_outside_territory(name=form.homonyms_outside[0].name)
        else:
            try:
                decision = services.check_eligibility(
                    session=session, commune=form.chosen_commune, qpv=form.chosen_qpv
                )
            except services.EligibilityInputError as error:
                return _bad_request(request, str(error), session)
        if decision.eligible:
            request.session[PENDING_KEY] = {
                "session": session.pk,
                "commune": form.chosen_commune.pk,
                "qpv": form.chosen_qpv.pk if form.chosen_qpv else None,
            }
    elif request.method == "POST" and form.is_tampered():
        return _bad_request(request, form.non_field_errors()[0], session)
    other_sessions = []
    if decision and not decision.eligible:
        wanted = {commune.departement_id for commune in form.homonyms_outside or [form.chosen_commune]}
        other_sessions = [
            other
            for other in selectors.open_sessions()
            if other.pk != session.pk and wanted & {d.code for d in other.departements.all()}
        ]
    enrol_url = reverse("programs:enrol", args=[session.slug])
    return render(
        request,
        "programs/eligibility.html",
        {
            "session": session,
            "form": form,
            "commune": form.chosen_commune,
            "qpv": form.chosen_qpv,
            "decision": decision,
            "other_sessions": other_sessions,
            "enrol_url": enrol_url,
            "signup_url": f"{reverse('account_signup')}?{urlencode({'next': enrol_url})}",
            "login_url": f"{reverse('account_login')}?{urlencode({'next': enrol_url})}",
        },
    )


@role_required(Role.JOB_SEEKER)
def enrol(request, slug):
    session = get_object_or_404(Session.objects.published(), slug=slug)
    if find_enrolment(request.user, session=session, statuses=NOT_WITHDRAWN):
        messages.info(request, _("Vous êtes déjà inscrit·e à cette session."))
        return redirect("programs:pathway", slug=session.slug)
    pending = request.session.get(PENDING_KEY) or {}
    if request.method == "GET" and pending.get("session") != session.pk:
        messages.info(request, _("Vérifiez d'abord que vous pouvez participer : c'est rapide."))
        return redirect("programs:eligibility", slug=session.slug)
    form = EnrolmentForm(
        request.POST or None,
        initial={"session_id": session.pk, "commune": pending.get("commune"), "qpv": pending.get("qpv")},
    )
    adviser = _pending_adviser(request, session)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["session_id"] != session.pk:
            return _bad_request(request, _("Ce formulaire ne correspond pas à cette session."), session)
        commune = Commune.objects.current().filter(pk=data["commune"]).first()
        qpv = QPV.objects.filter(pk=data["qpv"]).first() if data.get("qpv") else None
        if commune is None or (data.get("qpv") and qpv is None):
            return _bad_request(request, _("La commune ou le quartier indiqué est inconnu."), session)
        if not is_commune_in(commune, session.departements.all()):
            return _bad_request(request, outside_territory_reason(name=commune.name), session)
        try:
            enrolment = services.enrol_job_seeker(
                session=session,
                job_seeker=request.user,
                commune=commune,
                qpv=qpv,
                profile=form.profile_data(),
                share_with_adviser=data["share_with_adviser"],
                adviser=adviser,
            )
        except services.EligibilityInputError as error:
            return _bad_request(request, str(error), session)
        except services.EnrolmentError as error:
            form_error(form, error)
        else:
            request.session.pop(PENDING_KEY, None)
            if enrolment.status == EnrolmentStatus.ACTIVE:
                messages.success(request, _("Vous êtes inscrit·e ! Voici votre parcours."))
            else:
                messages.info(request, _("La session est complète : vous êtes sur la liste d'attente."))
            return redirect("programs:pathway", slug=session.slug)
    commune = Commune.objects.filter(pk=pending.get("commune")).first() if pending.get("commune") else None
    return render(
        request,
        "programs/enrol.html",
        {"session": session, "form": form, "commune": commune, "adviser": adviser},
        status=form_status(form),
    )


def _pending_adviser(request, session):
    adviser_id = (request.session.get(ADVISER_KEY) or {}).get(str(session.pk))
    if not adviser_id:
        return None
    return User.objects.filter(pk=adviser_id, role=Role.ADVISER, is_active=True).first()


@role_required(Role.JOB_SEEKER)
def my_pathway(request):
    """The pathway of the person's current session (the rule: `enrolments.current_session_enrolment`)."""
    enrolment = current_session_enrolment(request.user)
    if enrolment is None:
        return redirect("programs:list")
    return redirect("programs:pathway", slug=enrolment.session.slug)


@role_required(Role.JOB_SEEKER)
def pathway(request, slug):
    enrolment = enrolment_of(
        request.user, slug, statuses=NOT_WITHDRAWN, queryset=pathway_enrolments(), related=("session",)
    )
    context = build_pathway(enrolment=enrolment, now=timezone.now())
    return render(request, "programs/pathway.html", context)


@role_required(Role.JOB_SEEKER)
def withdraw(request, slug):
    enrolment = enrolment_of(request.user, slug, statuses=NOT_WITHDRAWN)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # A refusal is answered by DomainErrorMiddleware.
        services.withdraw(enrolment=enrolment, withdraw_applications=form.withdraw_applications())
        messages.success(request, _("Vous êtes désinscrit·e de cette session."))
        return redirect("programs:landing", slug=slug)
    context = {"enrolment": enrolment, "session": enrolment.session, "form": form}
    return render(request, "programs/withdraw.html", context)


@staff_required
def staff_sessions(request):
    sessions = list(selectors.sessions_for_staff())
    return render(request, "programs/staff/session_list.html", {"sessions": sessions})


@staff_required
def launch(request):
    form = LaunchSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.launch_session(**form.launch_kwargs(), created_by=request.user)
        except services.SessionError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Brouillon enregistré. Vérifiez l'aperçu, puis publiez."))
            return redirect("programs:preview", slug=session.slug)
    return render(request, "programs/staff/launch.html", {"form": form}, status=form_status(form))


@staff_required
def preview(request, slug):
    session = get_object_or_404(selectors.session_with_calendar(Session.objects.all()), slug=slug)
    return render(
        request,
        "programs/staff/preview.html",
        {
            "session": session,
            "steps": list(session.steps.all()),
            "places_left": session.capacity - session.enrolments.active().count(),
            "is_open": False,
            "preview": True,
            "step_choices": Step,
        },
    )


@staff_required
@require_POST
def publish(request, slug):
    session = get_object_or_404(Session.objects.all(), slug=slug)
    # A refusal (already published, dates past…) is answered by DomainErrorMiddleware: a 409 page
    # with the reason and a link back to the preview.
    session = services.publish_session(session=session, by=request.user)
    messages.success(request, _("Session publiée : sa page est en ligne et les conseillers sont prévenus."))
    return redirect("programs:landing", slug=session.slug)


@role_required(Role.JOB_SEEKER)
def calendar_feed_settings(request):
    if request.method == "POST":
        services.renew_calendar_feed(user=request.user)
        messages.success(request, _("Nouvelle adresse créée : l'ancienne ne fonctionne plus."))
        return redirect("programs:workshop_feed_settings")
    token, _created = CalendarFeedToken.objects.get_or_create(user=request.user)
    url = request.build_absolute_uri(reverse("programs:workshop_feed", args=[token.token]))
    return render(request, "programs/calendar_feed_settings.html", {"feed_url": url})


def calendar_feed(request, token):
    """The personal calendar feed, every booking of every step: no login, the secret token is the key."""
    feed = get_object_or_404(CalendarFeedToken.objects.select_related("user"), token=token)
    if not feed.user.is_active:
        raise Http404
    with translation.override(settings.LANGUAGE_CODE):
        name = _("Mes rendez-vous DéClics")
    body = calendar_file(registry.calendar_events(feed.user), method=PUBLISH, name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    return response
