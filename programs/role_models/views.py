"""Step 1 pages: the session's talks, a talk (register, cancel, confirm an offered seat, .ics, join,
replay), attendance, staff's move and cancel, the digital jobs.

The video room's URL is never written in a page: registered people go through `talk_join`, which
redirects to it from 30 minutes before the start; anybody else gets 403. A refused action shows the
page again with the service's French message and the refusal's status (`declics.errors.refused`);
another person's registration id answers 404, like an unknown one.
"""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from declics.accounts.models import Role
from declics.accounts.permissions import role_required, staff_required
from declics.errors import form_error, form_status, refused
from programs.bookings.models import BookingStatus as Status
from programs.enrolments import find_enrolment
from programs.models import Session, Step, StepProgress

from . import ics, selectors, services
from .forms import AttendanceForm, CancelTalkForm, MoveTalkForm, RoleModelFilterForm, RoleModelForm, TalkForm
from .models import RoleModel, Talk, TalkRegistration
from .services import can_mark_attendance, can_organise

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
    talks = list(selectors.talks_of(session, user=request.user))
    return render(
        request,
        "programs/role_models/talk_list.html",
        {
            "session": session,
            "upcoming": [talk for talk in talks if not talk.is_past(now)],
            "past": [talk for talk in talks if talk.is_past(now)],
            "step_done": _step_done(enrolment),
            "pages_required": session.role_model_job_pages_required,
        },
    )


def _talk(pk) -> Talk:
    return get_object_or_404(
        Talk.objects.select_related("session").prefetch_related("role_models__rome"), pk=pk
    )


def _confirmed_registration(request, talk) -> TalkRegistration | None:
    registration = selectors.my_registration(talk, request.user)
    return registration if registration is not None and registration.status == Status.CONFIRMED else None


def _my_registration(request, public_id: UUID) -> TalkRegistration:
    """The person's own registration, or 404 (another person's id looks like an unknown one)."""
    return get_object_or_404(
        TalkRegistration.objects.select_related("talk__session", "job_seeker"),
        public_id=public_id,
        job_seeker=request.user,
    )


def _detail_context(request, talk) -> dict:
    now = timezone.now()
    registration = selectors.my_registration(talk, request.user)
    confirmed = registration is not None and registration.status == Status.CONFIRMED
    return {
        "talk": talk,
        "session": talk.session,
        "role_models": list(talk.role_models.all()),
        "registration": registration,
        "confirmed": confirmed,
        "live": registration is not None and registration.is_live,
        "join_open": confirmed and talk.join_is_open(now),
        "started": talk.starts_at <= now,
        "is_past": talk.is_past(now),
        "places_left": talk.seats_left,
        "can_mark": can_mark_attendance(user=request.user, talk=talk),
        "can_organise": can_organise(user=request.user, talk=talk),
    }


def _detail(request, talk, *, error=None):
    template, context = "programs/role_models/talk_detail.html", _detail_context(request, talk)
    if error is not None:
        return refused(request, template, context, error)
    return render(request, template, context)


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
        registration = services.register_for_talk(talk=talk, enrolment=enrolment)
    except services.TalkError as error:
        return _detail(request, talk, error=error)
    if registration.status == Status.CONFIRMED:
        messages.success(
            request, _("C'est noté, vous êtes inscrit·e ! Vous recevez une invitation pour votre agenda.")
        )
    else:
        messages.info(
            request,
            _(
                "Le témoignage est complet : vous êtes sur la liste d'attente. "
                "Nous vous écrivons si une place se libère."
            ),
        )
    return redirect("programs:talk_detail", pk=talk.pk)


@role_required(Role.JOB_SEEKER)
def talk_cancel(request, public_id):
    """The person gives up their seat, their place in the queue or an offered seat (POST, after a
    confirmation page)."""
    registration = _my_registration(request, public_id)
    talk = registration.talk
    context = {"registration": registration, "talk": talk, "session": talk.session}
    if request.method == "POST":
        try:
            services.cancel_registration(registration=registration, job_seeker=request.user)
        except services.TalkError as error:
            return refused(request, "programs/role_models/cancel.html", context, error)
        messages.success(request, _("Votre inscription est annulée. Merci d'avoir libéré la place."))
        return redirect("programs:talk_detail", pk=talk.pk)
    return render(request, "programs/role_models/cancel.html", context)


@role_required(Role.JOB_SEEKER)
def talk_confirm_offer(request, public_id):
    registration = _my_registration(request, public_id)
    talk = registration.talk
    context = {"registration": registration, "talk": talk, "session": talk.session}
    if request.method == "POST":
        try:
            services.confirm_offer(registration=registration, job_seeker=request.user)
        except services.TalkError as error:
            return refused(request, "programs/role_models/confirm_offer.html", context, error)
        messages.success(request, _("Votre place est confirmée ! L'invitation arrive par e-mail."))
        return redirect("programs:talk_detail", pk=talk.pk)
    return render(request, "programs/role_models/confirm_offer.html", context)


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
    registration = _confirmed_registration(request, talk)
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
    registration = _confirmed_registration(request, talk)
    if registration is None or talk.is_cancelled:
        return _forbidden(
            request, talk, _("L'invitation est réservée aux personnes inscrites à ce témoignage.")
        )
    response = HttpResponse(ics.registration_ics(registration), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{ics.FILENAME}"'
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
        return _detail(request, talk, error=error)
    return redirect(url)


@role_required(Role.JOB_SEEKER, Role.MENTOR, Role.ADVISER)
def talk_attendance(request, pk):
    talk = _talk(pk)
    if not can_mark_attendance(user=request.user, talk=talk):
        raise PermissionDenied
    registrations = list(selectors.talk_registrations(talk))
    initial = {"present": [str(r.pk) for r in registrations if r.attended]}
    form = AttendanceForm(request.POST or None, registrations=registrations, initial=initial)
    context = {"talk": talk, "session": talk.session, "form": form, "registrations": registrations}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "programs/role_models/attendance.html", context, status=400)
        try:
            counts = services.mark_talk_attendance(
                talk=talk, present_ids=form.cleaned_data["present"], by=request.user
            )
        except services.TalkError as error:
            return refused(request, "programs/role_models/attendance.html", context, error)
        messages.success(
            request,
            _("Présences enregistrées : %(present)s présent·es, %(absent)s absent·es.") % counts,
        )
        return redirect("programs:talk_attendance", pk=talk.pk)
    return render(request, "programs/role_models/attendance.html", context)


# --- Staff: move and cancel a talk (pages linked from the talk, and later from the console) ------


def _staff_talk(pk) -> Talk:
    return get_object_or_404(Talk.objects.select_related("session"), pk=pk)


@staff_required
def talk_move(request, pk):
    talk = _staff_talk(pk)
    form = MoveTalkForm(
        request.POST or None,
        initial={"starts_at": timezone.localtime(talk.starts_at), "duration_minutes": talk.duration_minutes},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.move_talk(talk=talk, by=request.user, **form.cleaned_data)
        except services.TalkError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("Témoignage déplacé : les personnes inscrites et en attente sont prévenues.")
            )
            return redirect("programs:talk_detail", pk=talk.pk)
    return render(
        request,
        "programs/role_models/move.html",
        {"talk": talk, "session": talk.session, "form": form},
        status=form_status(form),
    )


@staff_required
def talk_cancel_talk(request, pk):
    talk = _staff_talk(pk)
    form = CancelTalkForm(request.POST or None)
    context = {"talk": talk, "session": talk.session, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            told = services.cancel_talk(talk=talk, by=request.user, reason=form.cleaned_data["reason"])
        except services.TalkError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "Témoignage annulé : %(n)s personne prévenue.",
                    "Témoignage annulé : %(n)s personnes prévenues.",
                    told,
                )
                % {"n": told},
            )
            return redirect("programs:talk_detail", pk=talk.pk)
    return render(request, "programs/role_models/cancel_talk.html", context, status=form_status(form))


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


# --- Staff: role models (/equipe/modeles/…) --------------------------------------------------------


@staff_required
@require_GET
def staff_role_models(request):
    """Every role model, filtered on active, with their job and how many sessions and talks."""
    form = RoleModelFilterForm(request.GET or None)
    role_models = list(selectors.role_models_for_staff(active=form.active()))
    return render(
        request,
        "programs/role_models/staff/role_models.html",
        {"form": form, "role_models": role_models},
    )


def _save_role_model(request, form):
    return services.save_role_model(
        role_model=form.save(commit=False),
        photo_consent=form.cleaned_data["photo_consent"],
        sessions=form.cleaned_data.get("sessions"),
        by=request.user,
    )


@staff_required
def staff_role_model_create(request):
    form = RoleModelForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            role_model = _save_role_model(request, form)
        except services.RoleModelError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Le modèle %(name)s est ajouté.") % {"name": role_model.display_name})
            return redirect("programs:staff_role_model", pk=role_model.pk)
    return render(
        request, "programs/role_models/staff/role_model_create.html", {"form": form}, status=form_status(form)
    )


@staff_required
def staff_role_model(request, pk):
    """A role model's details (edited here), the sessions and talks they appear in."""
    role_model = get_object_or_404(RoleModel.objects.select_related("rome"), pk=pk)
    form = RoleModelForm(request.POST or None, request.FILES or None, instance=role_model)
    if request.method == "POST" and form.is_valid():
        try:
            _save_role_model(request, form)
        except services.RoleModelError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Les informations du modèle sont enregistrées."))
            return redirect("programs:staff_role_model", pk=role_model.pk)
    sessions, talks = selectors.appearances_of(role_model)
    return render(
        request,
        "programs/role_models/staff/role_model.html",
        {"role_model": role_model, "form": form, "sessions": sessions, "talks": talks},
        status=form_status(form),
    )


@staff_required
@require_POST
def staff_role_model_active(request, pk):
    """Deactivate a role model, or bring them back (a button on their page)."""
    role_model = get_object_or_404(RoleModel, pk=pk)
    active = request.POST.get("actif") == "oui"
    services.set_role_model_active(role_model=role_model, active=active, by=request.user)
    if active:
        messages.success(request, _("Le modèle est de nouveau actif."))
    else:
        messages.success(request, _("Le modèle est désactivé : il n'est plus proposé pour les témoignages."))
    return redirect("programs:staff_role_model", pk=role_model.pk)


# --- Staff: a session's talks (/sessions/equipe/<slug>/temoignages/…) -----------------------------


@staff_required
@require_GET
def staff_talks(request, slug):
    """A session's talks with their speakers and registrations, and links to edit, move, cancel."""
    session = get_object_or_404(Session, slug=slug)
    talks = list(selectors.talks_of(session))
    return render(
        request,
        "programs/role_models/staff/talks.html",
        {"session": session, "talks": talks, "now": timezone.now()},
    )


@staff_required
def staff_talk_create(request, slug):
    session = get_object_or_404(Session, slug=slug)
    form = TalkForm(request.POST or None, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            talk = services.create_talk(session=session, by=request.user, **form.cleaned_data)
        except services.TalkError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Témoignage créé."))
            return redirect("programs:staff_talks", slug=talk.session.slug)
    return render(
        request,
        "programs/role_models/staff/talk_form.html",
        {"session": session, "form": form, "creating": True},
        status=form_status(form),
    )


@staff_required
def staff_talk_edit(request, pk):
    talk = _staff_talk(pk)
    initial = {
        name: getattr(talk, name) for name in ("title", "description", "seats", "video_url", "replay_url")
    }
    initial["host"] = talk.host_id
    initial["role_models"] = list(talk.role_models.all())
    form = TalkForm(request.POST or None, initial=initial, session=talk.session, talk=talk)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_talk(talk=talk, by=request.user, **form.cleaned_data)
        except services.TalkError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Témoignage mis à jour."))
            return redirect("programs:staff_talks", slug=talk.session.slug)
    return render(
        request,
        "programs/role_models/staff/talk_form.html",
        {"session": talk.session, "talk": talk, "form": form, "creating": False},
        status=form_status(form),
    )
