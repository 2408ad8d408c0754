"""Business rules of mentoring: profiles, requests and answers, mentorships, bulk matching.

Capacity rule: a place is taken only when a mentorship starts (accepted request or direct
match) and always under a row lock on the mentor (`select_for_update`), with the counter
`MentorProfile.active_mentees` guarded by a check constraint `active_mentees <= capacity`.
Lock order everywhere: the mentor row first, then the request row, so two services never
wait on each other in opposite orders.
"""

import logging
import time
from datetime import timedelta
from functools import partial

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.db import duplicate_raises
from declics.errors import DomainError
from declics.queueing import enqueue_on_commit
from programs.models import Enrolment, EnrolmentStatus, Step
from programs.services import complete_step, ensure_step_open

from . import notifications, selectors
from .matching import optimal_assignment
from .models import (
    AlertReason,
    EndReason,
    Feedback,
    MatchProposal,
    MatchRun,
    MatchRunStatus,
    MenteePreferences,
    MentoringAlert,
    MentoringRequest,
    MentorProfile,
    Mentorship,
    MentorshipStatus,
    MentorStatus,
    ProposalOutcome,
    RequestOrigin,
    RequestStatus,
    SessionLog,
)
from .scoring import score_matrix, score_pair

logger = logging.getLogger(__name__)

REMIND_AFTER = timedelta(days=2)
NO_SESSION_AFTER = timedelta(days=14)


class MentoringError(DomainError):
    """A business rule refused the action; the message is safe to show."""


# --- Profiles --------------------------------------------------------------------------------------


@transaction.atomic
def save_mentor_profile(*, user, data: dict) -> MentorProfile:
    """Create or update the mentor's profile. A new profile waits for staff approval."""
    if not user.is_mentor:
        raise MentoringError(_("Seul un compte mentor·e peut remplir ce profil."))
    rome_jobs = data.pop("rome_jobs", [])
    departements = data.pop("departements", [])
    # Locked when it exists; two first saves at once: the second finds the one the first created.
    profile, created = MentorProfile.objects.select_for_update().get_or_create(user=user, defaults=data)
    if not created:
        if data.get("capacity", profile.capacity) < profile.active_mentees:
            raise MentoringError(
                _("Vous accompagnez déjà %(count)s personnes : la capacité ne peut pas être plus petite.")
                % {"count": profile.active_mentees}
            )
        for name, value in data.items():
            setattr(profile, name, value)
        profile.save()
    profile.rome_jobs.set(rome_jobs)
    profile.departements.set(departements)
    return profile


@transaction.atomic
def review_mentor(*, profile: MentorProfile, staff, approve: bool) -> MentorProfile:
    """Staff approve (the mentor may then be matched, and is told) or refuse a mentor."""
    profile = MentorProfile.objects.select_for_update().get(pk=profile.pk)
    profile.status = MentorStatus.APPROVED if approve else MentorStatus.REJECTED
    profile.reviewed_at = timezone.now()
    profile.reviewed_by = staff
    profile.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    if approve:
        notifications.queue_mentor_approved(profile)
    return profile


@transaction.atomic
def save_mentee_preferences(*, enrolment: Enrolment, data: dict) -> MenteePreferences:
    rome_jobs = data.pop("rome_jobs", [])
    preferences, _created = MenteePreferences.objects.update_or_create(enrolment=enrolment, defaults=data)
    preferences.rome_jobs.set(rome_jobs)
    return preferences


# --- Requests --------------------------------------------------------------------------------------


def _has_active_mentorship(enrolment_id: int) -> bool:
    return Mentorship.objects.active().filter(enrolment_id=enrolment_id).exists()


@transaction.atomic
def ask_mentor(*, enrolment: Enrolment, mentor: MentorProfile, message: str = "") -> MentoringRequest:
    """A mentee asks a mentor; the mentor has `session.mentor_request_expiry_days` to answer."""
    enrolment = Enrolment.objects.select_related("session", "commune__departement", "job_seeker").get(
        pk=enrolment.pk
    )
    mentor = MentorProfile.objects.select_related("user").get(pk=mentor.pk)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        raise MentoringError(_("Votre inscription à cette session n'est pas active."))
    ensure_step_open(enrolment=enrolment, step=Step.MENTOR, error=MentoringError)
    if _has_active_mentorship(enrolment.pk):
        raise MentoringError(_("Vous avez déjà un·e mentor·e."))
    if MentoringRequest.objects.pending().filter(enrolment=enrolment).exists():
        raise MentoringError(_("Vous avez déjà une demande en attente : attendez sa réponse ou annulez-la."))
    if not mentor.is_approved:
        raise MentoringError(_("Cette personne n'est pas disponible pour le mentorat."))
    if mentor.is_full:
        raise MentoringError(_("Cette personne n'a plus de place pour un·e nouveau·elle mentoré·e."))
    (mentee,) = selectors.mentee_facts([enrolment])
    (facts,) = selectors.mentor_facts([mentor])
    score = score_pair(mentee, facts, session_region=enrolment.session.region_id)
    if not score.eligible:
        code = score.reasons[0].code
        if code == "already_asked":
            raise MentoringError(_("Vous avez déjà sollicité cette personne."))
        raise MentoringError(_("Cette personne n'accompagne pas les participant·es de votre session."))
    now = timezone.now()
    # The same request sent twice at once: both pass the checks above, the database keeps one.
    with duplicate_raises(
        MentoringError(_("Vous avez déjà une demande en attente : attendez sa réponse ou annulez-la."))
    ):
        request = MentoringRequest.objects.create(
            enrolment=enrolment,
            mentor=mentor,
            message=message,
            origin=RequestOrigin.MENTEE,
            score=score.points,
            reasons=score.reasons_as_json(),
            created_at=now,
            expires_at=now + timedelta(days=enrolment.session.mentor_request_expiry_days),
        )
    notifications.queue_new_request(request)
    return request


def _lock_pending_request(
    request: MentoringRequest, *, mentor_user
) -> tuple[MentoringRequest, MentorProfile]:
    # Mentor row first, then the request (see the module's lock order).
    mentor = MentorProfile.objects.select_for_update().select_related("user").get(pk=request.mentor_id)
    request = (
        MentoringRequest.objects.select_for_update(of=("self",))
        .select_related("enrolment__session", "enrolment__job_seeker")
        .get(pk=request.pk)
    )
    request.mentor = mentor
    if mentor.user_id != mentor_user.pk:
        raise MentoringError(_("Cette demande ne vous est pas adressée."))
    if request.status != RequestStatus.PENDING:
        raise MentoringError(
            _("Cette demande a déjà reçu une réponse (%(status)s).")
            % {"status": request.get_status_display()}
        )
    if request.expires_at <= timezone.now():
        raise MentoringError(_("Cette demande a expiré : la personne s'est vu proposer un·e autre mentor·e."))
    return request, mentor


def _take_place(mentor: MentorProfile) -> None:
    """Take one of the locked mentor's places; the check constraint is the last guard."""
    if mentor.active_mentees >= mentor.capacity:
        raise MentoringError(_("Vous accompagnez déjà le nombre maximum de personnes que vous avez choisi."))
    MentorProfile.objects.filter(pk=mentor.pk).update(active_mentees=F("active_mentees") + 1)
    mentor.active_mentees += 1


def _start_mentorship(*, enrolment: Enrolment, mentor: MentorProfile, request=None) -> Mentorship:
    if _has_active_mentorship(enrolment.pk):
        raise MentoringError(_("Cette personne a déjà un·e mentor·e."))
    _take_place(mentor)
    try:
        with transaction.atomic():
            return Mentorship.objects.create(
                enrolment=enrolment,
                mentor=mentor,
                request=request,
                goals=getattr(getattr(enrolment, "mentoring_preferences", None), "goals", ""),
            )
    except IntegrityError as error:  # a concurrent match of the same mentee won
        raise MentoringError(_("Cette personne a déjà un·e mentor·e.")) from error


@transaction.atomic
def accept_request(*, request: MentoringRequest, mentor_user) -> Mentorship:
    """The mentor accepts: a mentorship starts and takes one place (under the mentor's row lock).

    When that was the mentor's last place, their other pending requests are closed and those
    mentees are offered their next suggestion.
    """
    request, mentor = _lock_pending_request(request, mentor_user=mentor_user)
    mentorship = _start_mentorship(enrolment=request.enrolment, mentor=mentor, request=request)
    request.status = RequestStatus.ACCEPTED
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    notifications.queue_request_accepted(request, mentorship)
    if mentor.active_mentees >= mentor.capacity:
        others = (
            MentoringRequest.objects.pending()
            .filter(mentor=mentor)
            .select_for_update(of=("self",))
            .select_related("enrolment__session", "enrolment__job_seeker", "mentor__user")
        )
        for other in others:
            _close_not_accepted(
                other, status=RequestStatus.DECLINED, reason=_("La ou le mentor·e n'a plus de place.")
            )
    return mentorship


def _close_not_accepted(request: MentoringRequest, *, status: str, reason: str = "") -> None:
    """Close a locked pending request, then pass it on to the next mentor (see `pass_request_on`)."""
    request.status = status
    request.decline_reason = reason
    request.answered_at = timezone.now() if status == RequestStatus.DECLINED else None
    request.save(update_fields=["status", "decline_reason", "answered_at"])
    if pass_request_on(request=request) is not None:
        return  # the mentee was told "passed on" instead
    if status == RequestStatus.DECLINED:
        notifications.queue_request_declined(request, None)
    else:
        notifications.queue_request_expired(request, None)


def _flag_for_staff(enrolment: Enrolment, reason: str) -> MentoringAlert:
    alert, _created = MentoringAlert.objects.update_or_create(
        enrolment=enrolment, defaults={"reason": reason, "created_at": timezone.now()}
    )
    return alert


def _lock_free_mentor(mentor_id: int) -> MentorProfile | None:
    """The mentor's row locked, if no one else holds it and they still have a free place.

    SKIP LOCKED: a mentor whose row is held (accepting, ending a mentorship, passing on their own
    requests) is skipped rather than waited for, so two passes in opposite directions never
    deadlock; the place itself is still only taken under the lock, at acceptance.
    """
    mentor = (
        MentorProfile.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("user")
        .filter(pk=mentor_id)
    ).first()
    if mentor is None or not mentor.is_approved or mentor.is_full:
        return None
    return mentor


@transaction.atomic
def pass_request_on(*, request: MentoringRequest) -> MentoringRequest | None:
    """Send a declined or expired request on to the next suggested mentor; tell the mentee.

    The next mentor is the best of `recommend_mentors` (approved, of the session's region, with a
    free place counted as at acceptance, never one the mentee already asked in this enrolment).
    The old request's row is locked and a pending request of the enrolment ends the pass, so a
    second run (the expiry task twice, a retried decline) creates nothing more; the database's
    "one pending request per enrolment" is the last guard. After
    `settings.MENTORING_MAX_CHAINED_REQUESTS` passes, or when no mentor is left, the enrolment is
    flagged for staff instead. Returns the new request, or None.
    """
    request = (
        MentoringRequest.objects.select_for_update(of=("self",))
        .select_related("enrolment__session", "enrolment__job_seeker", "mentor__user")
        .get(pk=request.pk)
    )
    enrolment = request.enrolment
    if request.status not in (RequestStatus.DECLINED, RequestStatus.EXPIRED):
        return None
    if enrolment.status != EnrolmentStatus.ACTIVE or _has_active_mentorship(enrolment.pk):
        return None
    if (
        MentoringRequest.objects.filter(enrolment=enrolment, created_at__gte=request.created_at)
        .exclude(pk=request.pk)
        .exists()
        or MentoringRequest.objects.pending().filter(enrolment=enrolment).exists()
    ):
        return None  # already passed on, or the mentee asked someone meanwhile
    if request.chain_try >= settings.MENTORING_MAX_CHAINED_REQUESTS:
        _flag_for_staff(enrolment, AlertReason.TOO_MANY_TRIES)
        return None
    for suggestion in selectors.recommend_mentors(enrolment, limit=None):
        mentor = _lock_free_mentor(suggestion.mentor.pk)
        if mentor is None:
            continue
        now = timezone.now()
        try:
            with transaction.atomic():
                new = MentoringRequest.objects.create(
                    enrolment=enrolment,
                    mentor=mentor,
                    message=request.message,
                    origin=RequestOrigin.CHAIN,
                    score=suggestion.score.points,
                    reasons=suggestion.score.reasons_as_json(),
                    chain_try=request.chain_try + 1,
                    created_at=now,
                    expires_at=now + timedelta(days=enrolment.session.mentor_request_expiry_days),
                )
        except IntegrityError:  # the mentee asked someone at this very moment: theirs stands
            return None
        notifications.queue_new_request(new)
        notifications.queue_request_passed_on(request, new)
        return new
    _flag_for_staff(enrolment, AlertReason.NO_MENTOR_LEFT)
    return None


@transaction.atomic
def decline_request(*, request: MentoringRequest, mentor_user, reason: str = "") -> MentoringRequest:
    """The mentor declines (reason optional); the mentee is offered their next suggestion."""
    request, _mentor = _lock_pending_request(request, mentor_user=mentor_user)
    _close_not_accepted(request, status=RequestStatus.DECLINED, reason=reason.strip())
    return request


@transaction.atomic
def cancel_request(*, request: MentoringRequest, mentee_user) -> MentoringRequest:
    request = MentoringRequest.objects.select_for_update().select_related("enrolment").get(pk=request.pk)
    if request.enrolment.job_seeker_id != mentee_user.pk:
        raise MentoringError(_("Cette demande n'est pas la vôtre."))
    if request.status != RequestStatus.PENDING:
        raise MentoringError(_("Cette demande n'est plus en attente."))
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status"])
    return request


def expire_due_requests(*, now=None) -> int:
    """Expire pending requests past their date and offer each mentee the next suggestion.

    One transaction per request, claimed with SKIP LOCKED where available, so two beats running
    at once never expire (nor e-mail about) the same request twice.
    """
    now = now or timezone.now()
    ids = list(MentoringRequest.objects.pending().filter(expires_at__lte=now).values_list("id", flat=True))
    expired = 0
    for request_id in ids:
        with transaction.atomic():
            rows = MentoringRequest.objects.pending().filter(pk=request_id, expires_at__lte=now)
            request = (
                rows.select_for_update(skip_locked=True, of=("self",))
                .select_related("enrolment__session", "enrolment__job_seeker", "mentor__user")
                .first()
            )
            if request is None:
                continue
            _close_not_accepted(request, status=RequestStatus.EXPIRED)
            expired += 1
    return expired


def remind_unanswered_requests(*, now=None) -> int:
    """Remind the mentor once about a request left unanswered for two days."""
    now = now or timezone.now()
    due = MentoringRequest.objects.pending().filter(
        created_at__lte=now - REMIND_AFTER, expires_at__gt=now, reminded_at__isnull=True
    )
    reminded = 0
    for request in due.select_related("enrolment__job_seeker", "enrolment__session", "mentor__user"):
        with transaction.atomic():
            if MentoringRequest.objects.filter(pk=request.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                notifications.queue_request_reminder(request)
                reminded += 1
    return reminded


# --- Mentorships -----------------------------------------------------------------------------------


def _check_party(mentorship: Mentorship, user) -> None:
    if user.pk not in (mentorship.mentor.user_id, mentorship.enrolment.job_seeker_id):
        raise MentoringError(_("Vous ne faites pas partie de ce mentorat."))


@transaction.atomic
def log_session(
    *, mentorship: Mentorship, author, held_on, duration_minutes: int, topic: str, private_notes: str = ""
) -> SessionLog:
    """Record a mentoring session; the first one completes step 3 of the mentee's pathway."""
    mentorship = (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("mentor", "enrolment")
        .get(pk=mentorship.pk)
    )
    _check_party(mentorship, author)
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise MentoringError(_("Ce mentorat est terminé."))
    if held_on > timezone.localdate():
        raise MentoringError(_("La date d'une séance ne peut pas être dans le futur."))
    is_mentor = author.pk == mentorship.mentor.user_id
    log = SessionLog.objects.create(
        mentorship=mentorship,
        held_on=held_on,
        duration_minutes=duration_minutes,
        topic=topic,
        private_notes=private_notes if is_mentor else "",
        created_by=author,
    )
    complete_step(enrolment=mentorship.enrolment, step=Step.MENTOR)
    return log


@transaction.atomic
def update_goals(*, mentorship: Mentorship, user, goals: str) -> Mentorship:
    _check_party(mentorship, user)
    if not mentorship.is_active:
        raise MentoringError(_("Ce mentorat est terminé."))
    Mentorship.objects.filter(pk=mentorship.pk).update(goals=goals)
    mentorship.goals = goals
    return mentorship


def _close_mentorship(mentorship: Mentorship, *, ended_by, reason: str, comment: str, now) -> Mentorship:
    """End an active mentorship and free the mentor's place: the mentor's row, then the mentorship's,
    are locked (the module's lock order). Raises when it is not active any more."""
    mentor = MentorProfile.objects.select_for_update().get(pk=mentorship.mentor_id)
    mentorship = (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("enrolment__job_seeker", "enrolment__session", "mentor__user")
        .get(pk=mentorship.pk)
    )
    if mentorship.status != MentorshipStatus.ACTIVE:
        raise MentoringError(_("Ce mentorat est déjà terminé."))
    mentorship.status = MentorshipStatus.ENDED
    mentorship.ended_at = now
    mentorship.ended_by = ended_by
    mentorship.end_reason = reason
    mentorship.end_comment = comment
    mentorship.save(update_fields=["status", "ended_at", "ended_by", "end_reason", "end_comment"])
    MentorProfile.objects.filter(pk=mentor.pk).update(active_mentees=F("active_mentees") - 1)
    return mentorship


@transaction.atomic
def end_mentorship(*, mentorship: Mentorship, user, reason: str, comment: str = "") -> Mentorship:
    """Either side ends the mentorship: the mentor's place is freed, both get the short survey."""
    _check_party(mentorship, user)
    mentorship = _close_mentorship(
        mentorship, ended_by=user, reason=reason, comment=comment, now=timezone.now()
    )
    notifications.queue_feedback_request(mentorship)
    return mentorship


@transaction.atomic
def release_enrolment(enrolment: Enrolment, *, reason: str, now) -> None:
    """The enrolment ended (`reason`, see `programs.registry.END_REASONS`); the person themselves is
    told by the lifecycle, so only the mentor hears from here:

    - a pending request is withdrawn; the mentor is told only if the request's e-mail had reached
      them (otherwise it and its reminder are simply cancelled);
    - an active mentorship ends with the reason (the session's cancellation, or the mentee left)
      and the mentor's place is freed; the mentor is told once, with the link to the short survey.

    What happened (answered requests, ended mentorships, logged sessions) stays.
    """
    for request in (
        MentoringRequest.objects.pending()
        .filter(enrolment=enrolment)
        .select_for_update(of=("self",))
        .select_related("mentor__user", "enrolment__job_seeker", "enrolment__session")
        .order_by("pk")
    ):
        request.status = RequestStatus.CANCELLED
        request.save(update_fields=["status"])
        if notifications.cancel_request_emails(request):
            notifications.queue_request_withdrawn(request, reason=reason)
    end_reason = EndReason.SESSION_CANCELLED if reason == "session_cancelled" else EndReason.MENTEE_LEFT
    ended_by = enrolment.job_seeker if reason == "withdrawn" else None
    for mentorship in Mentorship.objects.active().filter(enrolment=enrolment).order_by("pk"):
        mentorship = _close_mentorship(mentorship, ended_by=ended_by, reason=end_reason, comment="", now=now)
        notifications.queue_mentorship_ended_for_mentor(mentorship, reason=reason)


@transaction.atomic
def give_feedback(
    *, mentorship: Mentorship, author, rating: int, useful: bool, comment: str = ""
) -> Feedback:
    _check_party(mentorship, author)
    if mentorship.status != MentorshipStatus.ENDED:
        raise MentoringError(_("Vous pourrez donner votre avis à la fin du mentorat."))
    already = MentoringError(_("Vous avez déjà donné votre avis. Merci !"))
    if Feedback.objects.filter(mentorship=mentorship, author=author).exists():
        raise already
    with duplicate_raises(already):
        return Feedback.objects.create(
            mentorship=mentorship, author=author, rating=rating, useful=useful, comment=comment
        )


def remind_mentorships_without_session(*, now=None) -> int:
    """Tell both sides once when no session was logged `NO_SESSION_AFTER` after the start."""
    now = now or timezone.now()
    stale = Mentorship.objects.without_session_since(now - NO_SESSION_AFTER).select_related(
        "enrolment__job_seeker", "mentor__user"
    )
    count = 0
    for mentorship in stale:
        notifications.queue_no_session_yet(mentorship)
        count += 1
    return count


# --- Bulk matching ---------------------------------------------------------------------------------


@transaction.atomic
def start_match_run(*, session, staff) -> MatchRun:
    """Queue a bulk match of the session's unmatched mentees (one open run per session)."""
    from .tasks import task_compute_match_run

    open_already = MentoringError(
        _("Un appariement est déjà en cours pour cette session : publiez-le ou abandonnez-le.")
    )
    if MatchRun.objects.filter(
        session=session,
        status__in=[
            MatchRunStatus.QUEUED,
            MatchRunStatus.RUNNING,
            MatchRunStatus.READY,
            MatchRunStatus.PUBLISHING,
        ],
    ).exists():
        raise open_already
    with duplicate_raises(open_already):
        run = MatchRun.objects.create(
            session=session, created_by=staff, step_label=_("En attente d'un processus")
        )
    enqueue_on_commit(task_compute_match_run, run_id=run.pk, on_failure=partial(_not_started, run.pk))
    return run


def _not_started(run_id: int) -> None:
    """The task queue could not take the run: say so, and let staff start another one."""
    MatchRun.objects.filter(pk=run_id, status=MatchRunStatus.QUEUED).update(
        status=MatchRunStatus.FAILED,
        step_label="",
        error=_(
            "Le calcul n'a pas pu être lancé (service de tâches indisponible). "
            "Relancez-le dans quelques minutes."
        ),
        finished_at=timezone.now(),
    )


def _progress(run_id: int, progress: int, label: str) -> None:
    # Outside any transaction: the page polling the run sees it at once.
    MatchRun.objects.filter(pk=run_id).update(progress=progress, step_label=label)


def compute_match_run(*, run_id: int) -> MatchRun:
    """Compute the optimal proposal of a queued run. Idempotent: a run already taken is left alone."""
    with transaction.atomic():
        run = MatchRun.objects.select_for_update().select_related("session").get(pk=run_id)
        if run.status != MatchRunStatus.QUEUED:
            return run
        run.status = MatchRunStatus.RUNNING
        run.progress = 5
        run.step_label = _("Lecture des profils")
        run.save(update_fields=["status", "progress", "step_label"])
    started = time.perf_counter()
    try:
        session = run.session
        enrolments = list(selectors.unmatched_enrolments(session))
        mentors = list(
            MentorProfile.objects.approved()
            .for_region(session.region_id)
            .select_related("user")
            .order_by("id")
        )
        mentees = selectors.mentee_facts(enrolments)
        mentor_records = selectors.mentor_facts(mentors, count_pending=True)
        _progress(run_id, 30, _("Calcul des scores"))
        points, eligible = score_matrix(mentees, mentor_records, session_region=session.region_id)
        _progress(run_id, 60, _("Recherche de la meilleure répartition"))
        capacity = np.array([max(r.remaining, 0) for r in mentor_records], dtype=np.int64)
        pairs = dict(optimal_assignment(points, eligible, capacity))
        _progress(run_id, 85, _("Enregistrement de la proposition"))
        proposals = []
        for i, enrolment in enumerate(enrolments):
            j = pairs.get(i)
            if j is None:
                proposals.append(MatchProposal(run_id=run_id, enrolment=enrolment))
                continue
            score = score_pair(mentees[i], mentor_records[j], session_region=session.region_id)
            proposals.append(
                MatchProposal(
                    run_id=run_id,
                    enrolment=enrolment,
                    mentor=mentors[j],
                    score=score.points,
                    reasons=score.reasons_as_json(),
                )
            )
        with transaction.atomic():
            MatchProposal.objects.bulk_create(proposals, batch_size=500)
            MatchRun.objects.filter(pk=run_id).update(
                status=MatchRunStatus.READY,
                progress=100,
                step_label=_("Proposition prête"),
                mentee_count=len(enrolments),
                mentor_count=len(mentors),
                matched_count=len(pairs),
                total_score=int(sum(int(points[i, j]) for i, j in pairs.items())),
                duration_ms=int((time.perf_counter() - started) * 1000),
                finished_at=timezone.now(),
            )
    except Exception as error:
        logger.exception("bulk match failed", extra={"run_id": run_id})
        MatchRun.objects.filter(pk=run_id).update(
            status=MatchRunStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    run.refresh_from_db()
    return run


@transaction.atomic
def adjust_proposal(*, proposal: MatchProposal, mentor: MentorProfile | None, staff) -> MatchProposal:
    """Staff change the proposed mentor (or remove them) before publishing."""
    run = MatchRun.objects.select_for_update().select_related("session").get(pk=proposal.run_id)
    if run.status != MatchRunStatus.READY:
        raise MentoringError(_("Cette proposition n'est plus modifiable."))
    proposal = MatchProposal.objects.select_related("enrolment__commune__departement").get(pk=proposal.pk)
    if mentor is None:
        proposal.mentor, proposal.score, proposal.reasons = None, 0, []
    else:
        (facts,) = selectors.mentor_facts([mentor], count_pending=True)
        used = run.proposals.filter(mentor=mentor).exclude(pk=proposal.pk).count()
        if used >= facts.remaining:
            raise MentoringError(_("Ce ou cette mentor·e n'a plus de place dans cette proposition."))
        (mentee,) = selectors.mentee_facts([proposal.enrolment])
        score = score_pair(mentee, facts, session_region=run.session.region_id)
        if not score.eligible:
            raise MentoringError(
                _("Ce ou cette mentor·e ne peut pas être proposé·e : %(why)s.")
                % {"why": score.reasons[0].staff_text}
            )
        proposal.mentor, proposal.score, proposal.reasons = mentor, score.points, score.reasons_as_json()
    proposal.adjusted = True
    proposal.save(update_fields=["mentor", "score", "reasons", "adjusted"])
    return proposal


@transaction.atomic
def discard_match_run(*, run: MatchRun) -> MatchRun:
    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.status not in (MatchRunStatus.READY, MatchRunStatus.FAILED, MatchRunStatus.QUEUED):
        raise MentoringError(_("Cet appariement ne peut plus être abandonné."))
    run.status = MatchRunStatus.FAILED
    run.error = _("Abandonné par l'équipe.")
    run.save(update_fields=["status", "error"])
    return run


@transaction.atomic
def publish_match_run(*, run: MatchRun, staff) -> MatchRun:
    """Staff publish a reviewed proposal: a task sends the requests (or direct matches)."""
    from .tasks import task_publish_match_run

    run = MatchRun.objects.select_for_update().get(pk=run.pk)
    if run.status != MatchRunStatus.READY:
        raise MentoringError(_("Seule une proposition prête peut être publiée."))
    run.status = MatchRunStatus.PUBLISHING
    run.progress = 0
    run.step_label = _("Publication")
    run.published_by = staff
    run.save(update_fields=["status", "progress", "step_label", "published_by"])
    enqueue_on_commit(task_publish_match_run, run_id=run.pk, on_failure=partial(_not_published, run.pk))
    return run


def _not_published(run_id: int) -> None:
    """The task queue could not take the publication: nothing was sent, the proposal is ready again."""
    MatchRun.objects.filter(pk=run_id, status=MatchRunStatus.PUBLISHING).update(
        status=MatchRunStatus.READY,
        step_label=_("Publication non lancée (service de tâches indisponible) : publiez de nouveau."),
    )


def _publish_one(proposal: MatchProposal, *, direct: bool) -> tuple[str, str]:
    mentor = MentorProfile.objects.select_for_update().select_related("user").get(pk=proposal.mentor_id)
    enrolment = Enrolment.objects.select_related("session", "job_seeker").get(pk=proposal.enrolment_id)
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return ProposalOutcome.SKIPPED, _("inscription plus active")
    if _has_active_mentorship(enrolment.pk):
        return ProposalOutcome.SKIPPED, _("a déjà un·e mentor·e")
    if MentoringRequest.objects.pending().filter(enrolment=enrolment).exists():
        return ProposalOutcome.SKIPPED, _("une demande est déjà en attente")
    if not mentor.is_approved:
        return ProposalOutcome.SKIPPED, _("mentor·e plus validé·e")
    if mentor.is_full:
        return ProposalOutcome.SKIPPED, _("mentor·e complet·e")
    if direct:
        mentorship = _start_mentorship(enrolment=enrolment, mentor=mentor)
        notifications.queue_mentorship_started(mentorship)
        return ProposalOutcome.MATCHED, ""
    if MentoringRequest.objects.filter(enrolment=enrolment, mentor=mentor).exists():
        return ProposalOutcome.SKIPPED, _("déjà sollicité·e par cette personne")
    now = timezone.now()
    request = MentoringRequest.objects.create(
        enrolment=enrolment,
        mentor=mentor,
        origin=RequestOrigin.BULK,
        score=proposal.score,
        reasons=proposal.reasons,
        created_at=now,
        expires_at=now + timedelta(days=enrolment.session.mentor_request_expiry_days),
    )
    notifications.queue_new_request(request)
    return ProposalOutcome.REQUESTED, ""


def publish_proposals(*, run_id: int) -> MatchRun:
    """Publish every not-yet-published proposal of a run, one transaction each (safe to re-run)."""
    run = MatchRun.objects.select_related("session").get(pk=run_id)
    if run.status != MatchRunStatus.PUBLISHING:
        return run
    direct = run.session.mentor_direct_match
    ids = list(run.proposals.filter(mentor__isnull=False, outcome="").values_list("id", flat=True))
    for index, proposal_id in enumerate(ids, start=1):
        with transaction.atomic():
            proposal = MatchProposal.objects.select_for_update().get(pk=proposal_id)
            if proposal.outcome:
                continue
            try:
                with transaction.atomic():
                    outcome, detail = _publish_one(proposal, direct=direct)
            except MentoringError as error:
                outcome, detail = ProposalOutcome.SKIPPED, str(error)
            proposal.outcome, proposal.outcome_detail = outcome, detail[:200]
            proposal.save(update_fields=["outcome", "outcome_detail"])
        if index % 20 == 0:
            _progress(run_id, min(99, index * 100 // len(ids)), _("Publication"))
    MatchRun.objects.filter(pk=run_id).update(
        status=MatchRunStatus.PUBLISHED, progress=100, step_label=_("Publiée"), published_at=timezone.now()
    )
    run.refresh_from_db()
    return run
