from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from declics.accounts.models import Role
from declics.accounts.permissions import role_required, staff_required
from declics.errors import form_error, form_status
from programs.decorators import step_page
from programs.enrolments import current_session_enrolment
from programs.models import EnrolmentStatus, Session, Step

from . import selectors, services
from .forms import (
    AskMentorForm,
    DeclineForm,
    EndMentorshipForm,
    FeedbackForm,
    GoalsForm,
    MenteePreferencesForm,
    MentorProfileForm,
    ProposalForm,
    SessionLogForm,
)
from .models import (
    Feedback,
    MatchProposal,
    MatchRun,
    MenteePreferences,
    MentoringRequest,
    MentorProfile,
    Mentorship,
    RequestStatus,
)
from .notifications import read_answer_token
from .scoring import score_pair

mentor_required = role_required(Role.MENTOR)
job_seeker_required = role_required(Role.JOB_SEEKER)


# --- Mentors ------------------------------------------------------------------------------------------


@mentor_required
def mentor_dashboard(request):
    profile = selectors.mentor_profile_of(request.user)
    pending = selectors.pending_requests_for_mentor(profile) if profile else MentoringRequest.objects.none()
    mentorships = selectors.active_mentorships_of(profile) if profile else Mentorship.objects.none()
    return render(
        request,
        "mentoring/mentor_dashboard.html",
        {"profile": profile, "pending": list(pending), "mentorships": list(mentorships)},
    )


@mentor_required
def mentor_profile(request):
    instance = MentorProfile.objects.filter(user=request.user).first()
    form = MentorProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_mentor_profile(user=request.user, data=dict(form.cleaned_data))
        except services.MentoringError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Votre profil de mentor·e est enregistré."))
            return redirect("mentoring:mentor_dashboard")
    return render(
        request,
        "mentoring/mentor_profile.html",
        {"form": form, "profile": instance},
        status=form_status(form),
    )


def _mentor_request(request, public_id) -> MentoringRequest:
    """A request addressed to the logged-in mentor, else 404 (a tampered id reveals nothing)."""
    return get_object_or_404(
        MentoringRequest.objects.select_related(
            "enrolment__job_seeker", "enrolment__session", "mentor__user"
        ),
        public_id=public_id,
        mentor__user=request.user,
    )


@mentor_required
def request_detail(request, public_id):
    mentoring_request = _mentor_request(request, public_id)
    return render(
        request,
        "mentoring/request_detail.html",
        {"mentoring_request": mentoring_request, "decline_form": DeclineForm()},
    )


def _answer(request, mentoring_request, *, mentor_user):
    """Apply the mentor's answer (POST `action` = accept | decline); return (mentorship|None, error)."""
    action = request.POST.get("action")
    decline_form = DeclineForm(request.POST if action == "decline" else None)
    try:
        if action == "accept":
            return (
                services.accept_request(request=mentoring_request, mentor_user=mentor_user),
                None,
                decline_form,
            )
        if action == "decline" and decline_form.is_valid():
            services.decline_request(
                request=mentoring_request, mentor_user=mentor_user, reason=decline_form.cleaned_data["reason"]
            )
            return None, None, decline_form
        return None, _("Choisissez d'accepter ou de refuser la demande."), decline_form
    except services.MentoringError as error:
        return None, error.message, decline_form


@mentor_required
@require_POST
def answer_request(request, public_id):
    mentoring_request = _mentor_request(request, public_id)
    mentorship, error, decline_form = _answer(request, mentoring_request, mentor_user=request.user)
    if error:
        mentoring_request.refresh_from_db()
        return render(
            request,
            "mentoring/request_detail.html",
            {"mentoring_request": mentoring_request, "decline_form": decline_form, "error": error},
            status=409 if mentoring_request.status != RequestStatus.PENDING else 400,
        )
    if mentorship:
        messages.success(request, _("Vous avez accepté : voici votre espace de mentorat commun."))
        return redirect("mentoring:mentorship", public_id=mentorship.public_id)
    messages.info(request, _("Demande refusée. La personne se voit proposer un·e autre mentor·e."))
    return redirect("mentoring:mentor_dashboard")


def answer_by_email(request, token):
    """The link in the mentor's e-mail: a signed token stands for the login; POST only changes state."""
    data = read_answer_token(token)
    if data is None:
        return render(request, "mentoring/answer_invalid.html", status=404)
    request_id, mentor_user_id = data
    mentoring_request = (
        MentoringRequest.objects.select_related("enrolment__job_seeker", "enrolment__session", "mentor__user")
        .filter(pk=request_id, mentor__user_id=mentor_user_id)
        .first()
    )
    if mentoring_request is None:
        return render(request, "mentoring/answer_invalid.html", status=404)
    context = {"mentoring_request": mentoring_request, "decline_form": DeclineForm(), "token": token}
    if request.method == "POST":
        mentorship, error, decline_form = _answer(
            request, mentoring_request, mentor_user=mentoring_request.mentor.user
        )
        if error:
            mentoring_request.refresh_from_db()
            context.update(error=error, decline_form=decline_form)
            status = 409 if mentoring_request.status != RequestStatus.PENDING else 400
            return render(request, "mentoring/answer_by_email.html", context, status=status)
        mentoring_request.refresh_from_db()
        return render(
            request,
            "mentoring/answer_done.html",
            {"mentoring_request": mentoring_request, "mentorship": mentorship},
        )
    return render(request, "mentoring/answer_by_email.html", context)


# --- Mentees ------------------------------------------------------------------------------------------


@job_seeker_required
def mentee_start(request):
    """The mentoring page of the person's current session (the rule: `current_session_enrolment`)."""
    enrolment = current_session_enrolment(request.user)
    if enrolment is None:
        return render(request, "mentoring/mentee_no_enrolment.html")
    if enrolment.status != EnrolmentStatus.ACTIVE:  # on the waiting list: the pathway says so
        return redirect("programs:pathway", slug=enrolment.session.slug)
    return redirect("mentoring:mentee_home", slug=enrolment.session.slug)


@step_page(Step.MENTOR)
def mentee_home(request, enrolment):
    mentorship = (
        Mentorship.objects.active().filter(enrolment=enrolment).select_related("mentor__user").first()
    )
    pending = (
        MentoringRequest.objects.pending().filter(enrolment=enrolment).select_related("mentor__user").first()
    )
    preferences = MenteePreferences.objects.filter(enrolment=enrolment).first()
    recommendations = []
    if mentorship is None and pending is None and preferences is not None:
        recommendations = selectors.recommend_mentors(enrolment)
    past = (
        MentoringRequest.objects.filter(enrolment=enrolment)
        .exclude(status=RequestStatus.PENDING)
        .select_related("mentor__user")
        .order_by("-created_at")
    )
    return render(
        request,
        "mentoring/mentee_home.html",
        {
            "enrolment": enrolment,
            "session": enrolment.session,
            "mentorship": mentorship,
            "pending": pending,
            "preferences": preferences,
            "recommendations": recommendations,
            "past": list(past),
        },
    )


@step_page(Step.MENTOR)
def mentee_preferences(request, enrolment):
    slug = enrolment.session.slug
    instance = MenteePreferences.objects.filter(enrolment=enrolment).first()
    form = MenteePreferencesForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_mentee_preferences(enrolment=enrolment, data=dict(form.cleaned_data))
        messages.success(request, _("Merci ! Voici les mentor·es qui vous correspondent le mieux."))
        return redirect("mentoring:mentee_home", slug=slug)
    query = request.GET.get("q", "")[:100]
    families = form.job_families(query)
    context = {
        "form": form,
        "session": enrolment.session,
        "query": query,
        "families": families,
        "nothing_found": bool(query.strip()) and not any(group.matches for group in families),
    }
    return render(request, "mentoring/mentee_preferences.html", context, status=form_status(form))


@step_page(Step.MENTOR)
def ask_mentor(request, enrolment, public_id):
    slug = enrolment.session.slug
    mentor = get_object_or_404(MentorProfile.objects.select_related("user"), public_id=public_id)
    (mentee,) = selectors.mentee_facts([enrolment])
    (facts,) = selectors.mentor_facts([mentor])
    score = score_pair(mentee, facts, session_region=enrolment.session.region_id)
    form = AskMentorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_mentor(enrolment=enrolment, mentor=mentor, message=form.cleaned_data["message"])
        except services.MentoringError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Votre demande est envoyée. Vous recevrez un e-mail dès sa réponse."))
            return redirect("mentoring:mentee_home", slug=slug)
    return render(
        request,
        "mentoring/ask_mentor.html",
        {"form": form, "mentor": mentor, "score": score, "session": enrolment.session},
        status=form_status(form),
    )


@job_seeker_required
@require_POST
def cancel_request(request, public_id):
    mentoring_request = get_object_or_404(
        MentoringRequest.objects.select_related("enrolment__session"),
        public_id=public_id,
        enrolment__job_seeker=request.user,
    )
    services.cancel_request(request=mentoring_request, mentee_user=request.user)  # refused: middleware
    messages.info(request, _("Votre demande est annulée."))
    return redirect("mentoring:mentee_home", slug=mentoring_request.enrolment.session.slug)


# --- Mentorships --------------------------------------------------------------------------------------


def _mentorship(request, public_id) -> Mentorship:
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(selectors.mentorships_visible_to(request.user), public_id=public_id)


def _mentorship_page(request, mentorship, *, status=200, **forms):
    is_mentor = request.user.pk == mentorship.mentor.user_id
    is_party = is_mentor or request.user.pk == mentorship.enrolment.job_seeker_id
    context = {
        "mentorship": mentorship,
        "is_mentor": is_mentor,
        "is_party": is_party,
        "logs": list(mentorship.logs.select_related("created_by")),
        "assessment": selectors.shared_assessment(mentorship.enrolment),
        "log_form": forms.get("log_form") or SessionLogForm(is_mentor=is_mentor),
        "goals_form": forms.get("goals_form") or GoalsForm(initial={"goals": mentorship.goals}),
        "has_feedback": Feedback.objects.filter(mentorship=mentorship, author=request.user).exists(),
    }
    return render(request, "mentoring/mentorship.html", context, status=status)


@role_required(Role.MENTOR, Role.JOB_SEEKER)
def mentorship_detail(request, public_id):
    return _mentorship_page(request, _mentorship(request, public_id))


@role_required(Role.MENTOR, Role.JOB_SEEKER)
@require_POST
def mentorship_log(request, public_id):
    mentorship = _mentorship(request, public_id)
    is_mentor = request.user.pk == mentorship.mentor.user_id
    form = SessionLogForm(request.POST, is_mentor=is_mentor)
    if form.is_valid():
        try:
            services.log_session(mentorship=mentorship, author=request.user, **form.cleaned_data)
        except services.MentoringError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Séance enregistrée."))
            return redirect("mentoring:mentorship", public_id=public_id)
    return _mentorship_page(request, mentorship, status=400, log_form=form)


@role_required(Role.MENTOR, Role.JOB_SEEKER)
@require_POST
def mentorship_goals(request, public_id):
    mentorship = _mentorship(request, public_id)
    form = GoalsForm(request.POST)
    if form.is_valid():
        try:
            services.update_goals(mentorship=mentorship, user=request.user, goals=form.cleaned_data["goals"])
        except services.MentoringError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Objectifs enregistrés."))
            return redirect("mentoring:mentorship", public_id=public_id)
    return _mentorship_page(request, mentorship, status=400, goals_form=form)


@role_required(Role.MENTOR, Role.JOB_SEEKER)
def mentorship_end(request, public_id):
    mentorship = _mentorship(request, public_id)
    form = EndMentorshipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.end_mentorship(mentorship=mentorship, user=request.user, **form.cleaned_data)
        except services.MentoringError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Le mentorat est terminé. Merci de nous donner votre avis."))
            return redirect("mentoring:feedback", public_id=public_id)
    return render(
        request,
        "mentoring/mentorship_end.html",
        {"form": form, "mentorship": mentorship},
        status=form_status(form),
    )


@role_required(Role.MENTOR, Role.JOB_SEEKER)
def feedback(request, public_id):
    mentorship = _mentorship(request, public_id)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.give_feedback(mentorship=mentorship, author=request.user, **form.cleaned_data)
        except services.MentoringError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Merci pour votre avis !"))
            return redirect("mentoring:mentorship", public_id=public_id)
    return render(
        request, "mentoring/feedback.html", {"form": form, "mentorship": mentorship}, status=form_status(form)
    )


# --- Staff --------------------------------------------------------------------------------------------


@staff_required
def staff_mentors(request):
    return render(request, "mentoring/staff/mentors.html", {"mentors": selectors.mentors_to_review()})


@staff_required
@require_POST
def staff_review_mentor(request, public_id):
    profile = get_object_or_404(MentorProfile, public_id=public_id)
    approve = request.POST.get("decision") == "approve"
    services.review_mentor(profile=profile, staff=request.user, approve=approve)
    if approve:
        messages.success(request, _("%(name)s est validé·e comme mentor·e.") % {"name": profile.user})
    else:
        messages.info(request, _("Le profil de %(name)s est refusé.") % {"name": profile.user})
    return redirect("mentoring:staff_mentors")


@staff_required
def staff_sessions(request):
    sessions = selectors.sessions_with_mentorship_counts()
    return render(request, "mentoring/staff/sessions.html", {"sessions": sessions})


@staff_required
def staff_session_matching(request, slug):
    session = get_object_or_404(Session.objects.select_related("region"), slug=slug)
    if request.method == "POST":
        # Refused (a run already open…): DomainErrorMiddleware answers 409 with the reason.
        run = services.start_match_run(session=session, staff=request.user)
        return redirect("mentoring:staff_run", pk=run.pk)
    return render(
        request,
        "mentoring/staff/session_matching.html",
        {
            "session": session,
            "runs": selectors.recent_match_runs(session),
            "unmatched_count": selectors.unmatched_enrolments(session).count(),
            "to_accompany": selectors.enrolments_to_accompany(session),
            "stale": selectors.mentorships_without_session(
                session, since=timezone.now() - services.NO_SESSION_AFTER
            ),
        },
    )


def _run(pk) -> MatchRun:
    return get_object_or_404(MatchRun.objects.select_related("session"), pk=pk)


@staff_required
def staff_run(request, pk):
    run = _run(pk)
    return render(
        request, "mentoring/staff/run.html", {"run": run, "proposals": selectors.run_proposals(run)}
    )


@staff_required
def staff_run_progress(request, pk):
    """The progress block alone, polled by htmx; a full page reload shows the same block."""
    run = _run(pk)
    if not run.is_working and request.headers.get("HX-Request"):
        response = render(request, "mentoring/staff/run.html#progress", {"run": run})
        response["HX-Refresh"] = "true"  # done: reload once to show the proposal
        return response
    return render(request, "mentoring/staff/run.html#progress", {"run": run})


@staff_required
@require_POST
def staff_run_publish(request, pk):
    run = _run(pk)
    services.publish_match_run(run=run, staff=request.user)  # refused: DomainErrorMiddleware
    messages.success(request, _("Publication lancée."))
    return redirect("mentoring:staff_run", pk=pk)


@staff_required
@require_POST
def staff_run_discard(request, pk):
    run = _run(pk)
    services.discard_match_run(run=run)  # refused: DomainErrorMiddleware
    messages.info(request, _("Proposition abandonnée."))
    return redirect("mentoring:staff_session_matching", slug=run.session.slug)


@staff_required
def staff_proposal(request, public_id):
    proposal = get_object_or_404(
        MatchProposal.objects.select_related(
            "run__session", "enrolment__job_seeker", "enrolment__commune__departement"
        ),
        public_id=public_id,
    )
    session = proposal.run.session
    candidates = selectors.proposal_candidates(session)
    form = ProposalForm(request.POST or None, candidates=candidates, initial={"mentor": proposal.mentor_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.adjust_proposal(
                proposal=proposal, mentor=form.cleaned_data["mentor"], staff=request.user
            )
        except services.MentoringError as error:
            form_error(form, error, field="mentor")
        else:
            messages.success(request, _("Proposition modifiée."))
            return redirect("mentoring:staff_run", pk=proposal.run_id)
    mentors = list(candidates)
    (mentee,) = selectors.mentee_facts([proposal.enrolment])
    ranked = []
    for mentor, facts in zip(mentors, selectors.mentor_facts(mentors, count_pending=True), strict=True):
        ranked.append((mentor, score_pair(mentee, facts, session_region=session.region_id)))
    ranked.sort(key=lambda pair: (not pair[1].eligible, -pair[1].points, pair[0].pk))
    return render(
        request,
        "mentoring/staff/proposal.html",
        {"proposal": proposal, "form": form, "ranked": ranked[:10]},
        status=form_status(form),
    )
