"""Step 1 pages: the session's talks, a talk (register, .ics, join, replay), attendance, the digital jobs.

The video room's URL is never written in a page: registered people go through `talk_join`, which
redirects to it from 30 minutes before the start; anybody else gets 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.accounts.models import Role
from declics.accounts.permissions import role_required
from programs.enrolments import find_enrolment
from programs.models import Session, Step, StepProgress

from . import ics, selectors, services
from .forms import AttendanceForm
from .models import Talk, TalkRegistration
from .services import can_mark_attendance

FORBIDDEN = 403


def _session_or_404(slug) -> Session:
    return get_object_or_404(Session.objects.published(), slug=slug)


def _step_done(enrolment) -> bool:
    return (
        enrolment is not None
        and StepProgress.objects.done().filter(enrolment=enrolment, step=Step.ROLE_MODELS).exists()
    )


@role_required(Role.JOB_SEEKER)
def talk_list(request, slug):
    # Not `@step_page`: programme staff see a session's talks without an enrolment.
    session = _session_or_404(slug)
    enrolment = find_enrolment(request.user, session=session)
    if enrolment is None and not request.user.is_programme_staff:
        messages.info(request, _("Les témoignages sont réservés aux participant·es inscrit·es à la session."))
        return redirect("programs:landing", slug=slug)
    now = timezone.now()
    talks = list(selectors.talks_of(session))
    return render(
        request,
        "programs/role_models/talk_list.html",
        {
            "session": session,
            "upcoming": [talk for talk in talks if not talk.is_past(now)],
            "past": [talk for talk in talks if talk.is_past(now)],
            "registered": selectors.registered_talk_ids(enrolment),
            "step_done": _step_done(enrolment),
            "pages_required": session.role_model_job_pages_required,
        },
    )


def _talk(pk) -> Talk:
    return get_object_or_404(
        Talk.objects.select_related("session").prefetch_related("role_models__rome"), pk=pk
    )


def _registration(request, talk) -> TalkRegistration | None:
    if not request.user.is_authenticated:
        return None
    return (
        TalkRegistration.objects.select_related("talk", "enrolment__job_seeker")
        .filter(talk=talk, enrolment__job_seeker=request.user)
        .first()
    )


def _detail(request, talk, *, error=None, status=200):
    now = timezone.now()
    registration = _registration(request, talk)
    return render(
        request,
        "programs/role_models/talk_detail.html",
        {
            "talk": talk,
            "session": talk.session,
            "role_models": list(talk.role_models.all()),
            "registration": registration,
            "join_open": registration is not None and talk.join_is_open(now),
            "is_past": talk.is_past(now),
            "places_left": None
            if talk.capacity is None
            else max(talk.capacity - talk.registrations.count(), 0),
            "can_mark": can_mark_attendance(user=request.user, talk=talk),
            "error": error,
        },
        status=status,
    )


@role_required(Role.JOB_SEEKER, Role.MENTOR, Role.ADVISER)
def talk_detail(request, pk):
    talk = _talk(pk)
    enrolment = find_enrolment(request.user, session=talk.session)
    if enrolment is None and not can_mark_attendance(user=request.user, talk=talk):
        raise PermissionDenied
    return _detail(request, talk)


@role_required(Role.JOB_SEEKER)
@require_POST
def talk_register(request, pk):
    talk = _talk(pk)
    enrolment = find_enrolment(request.user, session=talk.session)
    if enrolment is None:
        raise PermissionDenied
    try:
        services.register_for_talk(talk=talk, enrolment=enrolment)
    except services.TalkError as error:
        return _detail(request, talk, error=error.message, status=error.status)
    messages.success(
        request, _("C'est noté, vous êtes inscrit·e ! Vous recevez une invitation pour votre agenda.")
    )
    return redirect("programs:talk_detail", pk=talk.pk)


def _forbidden(request, talk, message):
    return render(
        request,
        "programs/role_models/talk_forbidden.html",
        {"talk": talk, "message": message},
        status=FORBIDDEN,
    )


@role_required(Role.JOB_SEEKER)
def talk_join(request, pk):
    talk = get_object_or_404(Talk.objects.select_related("session"), pk=pk)
    registration = _registration(request, talk)
    if registration is None:
        return _forbidden(request, talk, _("Le lien est réservé aux personnes inscrites à ce témoignage."))
    try:
        url = services.join_talk(registration=registration)
    except services.TalkError as error:
        return _forbidden(request, talk, error.message)  # the room stays closed: 403
    return redirect(url)


@role_required(Role.JOB_SEEKER)
def talk_ics(request, pk):
    talk = get_object_or_404(Talk.objects.select_related("session"), pk=pk)
    registration = _registration(request, talk)
    if registration is None:
        return _forbidden(
            request, talk, _("L'invitation est réservée aux personnes inscrites à ce témoignage.")
        )
    response = HttpResponse(ics.registration_ics(registration), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="temoignage.ics"'
    return response


@role_required(Role.JOB_SEEKER)
def talk_replay(request, pk):
    talk = get_object_or_404(Talk.objects.select_related("session"), pk=pk)
    enrolment = find_enrolment(request.user, session=talk.session)
    if enrolment is None:
        return _forbidden(
            request, talk, _("Le replay est réservé aux participant·es inscrit·es à la session.")
        )
    try:
        url = services.record_replay_view(talk=talk, enrolment=enrolment)
    except services.TalkError as error:
        return _detail(request, talk, error=error.message, status=error.status)
    return redirect(url)


@role_required(Role.JOB_SEEKER, Role.MENTOR, Role.ADVISER)
def talk_attendance(request, pk):
    talk = _talk(pk)
    if not can_mark_attendance(user=request.user, talk=talk):
        raise PermissionDenied
    registrations = list(selectors.talk_registrations(talk))
    initial = {"present": [str(r.pk) for r in registrations if r.attended]}
    form = AttendanceForm(request.POST or None, registrations=registrations, initial=initial)
    error, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                count = services.mark_talk_attendance(
                    talk=talk, present_ids=form.cleaned_data["present"], by=request.user
                )
            except services.TalkError as exc:
                error, status = exc.message, exc.status
            else:
                messages.success(request, _("Présences enregistrées : %(n)s personne(s).") % {"n": count})
                return redirect("programs:talk_attendance", pk=talk.pk)
        else:
            status = 400
    return render(
        request,
        "programs/role_models/attendance.html",
        {"talk": talk, "session": talk.session, "form": form, "registrations": registrations, "error": error},
        status=status,
    )


def jobs_list(request, slug):
    session = _session_or_404(slug)
    enrolment = find_enrolment(request.user, session=session)
    viewed = set()
    if enrolment is not None:
        viewed = set(enrolment.job_page_views.values_list("rome_id", flat=True))
    return render(
        request,
        "programs/role_models/jobs_list.html",
        {
            "session": session,
            "jobs": list(selectors.digital_jobs()),
            "viewed": viewed,
            "enrolment": enrolment,
            "pages_required": session.role_model_job_pages_required,
        },
    )


def jobs_detail(request, slug, code):
    session = _session_or_404(slug)
    job = get_object_or_404(selectors.digital_jobs(), code=code.upper())
    enrolment = find_enrolment(request.user, session=session)
    if enrolment is not None and services.record_job_page_view(enrolment=enrolment, rome=job):
        messages.success(request, _("Bravo, vous avez terminé l'étape 1 du parcours !"))
    return render(
        request,
        "programs/role_models/jobs_detail.html",
        {"session": session, "job": job, "role_models": list(job.role_models.all())},
    )
