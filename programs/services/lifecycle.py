"""The enrolment lifecycle: the five ways an enrolment ends, one service each.

- `withdraw`: the person leaves (and keeps or withdraws their job applications);
- `remove_enrolment` (and `remove_enrolments`, many at once): staff remove someone, with a reason;
- `transfer_enrolment`: staff move someone to another session; their assessment result follows;
- `erase_enrolment`: the person's account is erased (`programs.privacy`);
- `cancel_session`: staff cancel a session; every enrolment ends, nobody is promoted.

Every transition goes the same way, in one transaction (`_end`):

1. the session row is locked, then the enrolment's (the order `enrol_job_seeker` and the steps'
   services use), so a transition never races a sign-up, a promotion or another transition;
2. the enrolment gets its ended status, when, by whom and why;
3. every step gives back what it holds for it (`registry.release_holdings`, with the reason), and
   the session's news still waiting for the person is dropped (`notifications.forget_session_news`);
4. the person is told once (an outbox key per enrolment and transition; nobody on erasure);
5. the session's figures are refreshed (`figures_changed`);
6. when an active place was freed, the session's waiting list promotes the next person
   (`fill_free_places`, the one promotion rule).

A transition asked twice does nothing more: the same staff action on an enrolment it already
ended returns it as it is; anything else on an ended enrolment is refused with a French message.
"""

import logging
from collections.abc import Iterable
from datetime import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.accounts.models import Role
from declics.queueing import enqueue_on_commit

from .. import notifications, registry
from ..figures_cache import figures_changed
from ..models import BulkRemoval, BulkRemovalStatus, Enrolment, EnrolmentStatus, Session, SessionStatus
from .eligibility import check_eligibility
from .errors import EnrolmentError

# The sessions staff may move someone into: announced, open or running (and not over).
TRANSFER_TARGET_STATUSES = (
    SessionStatus.PUBLISHED,
    SessionStatus.REGISTRATION_OPEN,
    SessionStatus.RUNNING,
)
# The sessions that can be cancelled: not over, not archived, not cancelled already.
CANCELLABLE_STATUSES = (
    SessionStatus.DRAFT,
    SessionStatus.PUBLISHED,
    SessionStatus.REGISTRATION_OPEN,
    SessionStatus.RUNNING,
)
REASON_MAX_LENGTH = 1000
# A bulk removal writes its progress every this many people.
PROGRESS_EVERY = 10

logger = logging.getLogger(__name__)


class LifecycleError(EnrolmentError):
    """A lifecycle transition was refused; the message is safe to show."""


def _require_staff(by) -> None:
    if by is None or not getattr(by, "is_authenticated", False) or not by.is_programme_staff:
        raise LifecycleError(_("Seule l'équipe DéClics peut faire cette action."))


def _clean_reason(reason: str, *, required_message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise LifecycleError(required_message)
    if len(reason) > REASON_MAX_LENGTH:
        raise LifecycleError(_("La raison tient en %(max)s caractères au plus.") % {"max": REASON_MAX_LENGTH})
    return reason


def _removal_reason_required() -> str:
    return _("Indiquez la raison du retrait : elle sera envoyée à la personne.")


def _lock(enrolment: Enrolment) -> tuple[Session, Enrolment]:
    """The enrolment's session, then the enrolment, locked in that order."""
    session = Session.objects.select_for_update().get(pk=enrolment.session_id)
    enrolment = Enrolment.objects.select_for_update().select_related("job_seeker").get(pk=enrolment.pk)
    enrolment.session = session
    return session, enrolment


def _refuse_ended(enrolment: Enrolment) -> None:
    if not enrolment.is_current:
        raise LifecycleError(
            _("Cette inscription est déjà terminée (%(status)s).")
            % {"status": enrolment.get_status_display()}
        )


def fill_free_places(*, session: Session, now: datetime) -> list[Enrolment]:
    """Give each free place of `session` to the first person waiting, who is told once.

    The one promotion rule of the waiting list; the caller holds the session's row lock. Nobody is
    promoted once the session is over or cancelled. Returns the promoted enrolments.
    """
    if session.status == SessionStatus.CANCELLED or session.ends_at <= now:
        return []
    promoted = []
    free = session.capacity - session.enrolments.active().count()
    while free > 0:
        waiting = session.enrolments.waiting().select_for_update().select_related("job_seeker").first()
        if waiting is None:
            break
        waiting.status = EnrolmentStatus.ACTIVE
        waiting.promoted_at = now
        waiting.save(update_fields=["status", "promoted_at"])
        notifications.queue_promoted(enrolment=waiting)
        promoted.append(waiting)
        free -= 1
    if promoted:
        figures_changed(session.pk)
    return promoted


def _end(
    *,
    session: Session,
    enrolment: Enrolment,
    status: str,
    release_reason: str,
    now: datetime,
    by=None,
    reason: str = "",
    transferred_to: Enrolment | None = None,
    promote: bool = True,
) -> list[Enrolment]:
    """Steps 2–6 of the module's docstring for a locked, current enrolment; the promoted ones."""
    was_active = enrolment.status == EnrolmentStatus.ACTIVE
    enrolment.status = status
    enrolment.ended_at = now
    enrolment.ended_by = by
    enrolment.end_reason = reason
    enrolment.transferred_to = transferred_to
    fields = ["status", "ended_at", "ended_by", "end_reason", "transferred_to"]
    if status == EnrolmentStatus.WITHDRAWN:
        enrolment.withdrawn_at = now
        fields.append("withdrawn_at")
    enrolment.save(update_fields=fields)
    registry.release_holdings(enrolment, reason=release_reason, now=now)
    notifications.forget_session_news(enrolment=enrolment)
    figures_changed(session.pk)
    if not (promote and was_active):
        return []
    return fill_free_places(session=session, now=now)


# --- The person leaves ----------------------------------------------------------------------------


@transaction.atomic
def withdraw(
    *, enrolment: Enrolment, withdraw_applications: bool = False, now: datetime | None = None
) -> Enrolment | None:
    """The person leaves the session; a freed place goes to the first person waiting.

    Every step gives back what it holds (an upcoming workshop seat goes to its waiting list,
    reminders are cancelled, a pending mentor request is withdrawn, an active mentorship ended);
    the job applications stay unless the person chose to withdraw them (each company is told).
    Returns the promoted enrolment, if any (told once).
    """
    now = now or timezone.now()
    session, enrolment = _lock(enrolment)
    if not enrolment.is_current:
        raise LifecycleError(_("Vous n'êtes plus inscrit·e à cette session."))
    if withdraw_applications:
        registry.capability("withdraw_applications")(enrolment, now=now)
    promoted = _end(
        session=session,
        enrolment=enrolment,
        status=EnrolmentStatus.WITHDRAWN,
        release_reason="withdrawn",
        now=now,
    )
    notifications.queue_ended(enrolment=enrolment, event="withdrawn")
    return promoted[0] if promoted else None


# --- Staff remove someone -------------------------------------------------------------------------


@transaction.atomic
def remove_enrolment(*, enrolment: Enrolment, by, reason: str, now: datetime | None = None) -> Enrolment:
    """Staff remove the person from the session; the reason is kept and told to them.

    Their applications stay (they went to companies and are the person's own). Removing an
    enrolment already removed changes nothing.
    """
    _require_staff(by)
    reason = _clean_reason(
        reason, required_message=_("Indiquez la raison du retrait : elle sera envoyée à la personne.")
    )
    now = now or timezone.now()
    session, enrolment = _lock(enrolment)
    if enrolment.status == EnrolmentStatus.REMOVED:
        return enrolment
    _refuse_ended(enrolment)
    _end(
        session=session,
        enrolment=enrolment,
        status=EnrolmentStatus.REMOVED,
        release_reason="removed",
        now=now,
        by=by,
        reason=reason,
    )
    notifications.queue_ended(enrolment=enrolment, event="removed")
    return enrolment


def remove_enrolments(
    *,
    session: Session,
    enrolments: Iterable[Enrolment],
    by,
    reason: str,
    now: datetime | None = None,
    progress=None,
) -> int:
    """Remove many people of `session` at once, each through `remove_enrolment` in its own transaction.

    A person already ended (or of another session) is skipped, so the action can be run again
    after an interruption. `progress(done, total)`, when given, is called after each person.
    Returns how many were removed now.
    """
    _require_staff(by)
    _clean_reason(
        reason, required_message=_("Indiquez la raison du retrait : elle sera envoyée à la personne.")
    )
    ids = [enrolment.pk for enrolment in enrolments]
    removed = 0
    for done, enrolment in enumerate(
        Enrolment.objects.current().filter(session=session, pk__in=ids).order_by("pk"), start=1
    ):
        try:
            remove_enrolment(enrolment=enrolment, by=by, reason=reason, now=now)
        except LifecycleError:
            pass  # ended meanwhile (withdrawn, transferred…): nothing to remove
        else:
            removed += 1
        if progress is not None:
            progress(done, len(ids))
    return removed


@transaction.atomic
def start_bulk_removal(
    *, session: Session, enrolments: Iterable[Enrolment], by, reason: str, now: datetime | None = None
) -> BulkRemoval:
    """Queue the removal of many people of `session` (a Celery task runs `run_bulk_removal`).

    Checked here, before anything is queued: staff only, a reason, at least one current person of
    this session. The page polls the returned row for its progress.
    """
    _require_staff(by)
    reason = _clean_reason(reason, required_message=_removal_reason_required())
    ids = sorted(
        Enrolment.objects.current()
        .filter(session=session, pk__in=[enrolment.pk for enrolment in enrolments])
        .values_list("pk", flat=True)
    )
    if not ids:
        raise LifecycleError(_("Choisissez au moins une personne inscrite à cette session."))
    removal = BulkRemoval.objects.create(
        session=session, created_by=by, reason=reason, enrolment_ids=ids, total=len(ids)
    )
    from ..tasks import task_run_bulk_removal

    enqueue_on_commit(
        task_run_bulk_removal, removal_id=removal.pk, on_failure=partial(_not_started, removal.pk)
    )
    return removal


def _not_started(removal_id: int) -> None:
    """The task queue could not take the removal: nobody was removed; say so on the page."""
    BulkRemoval.objects.filter(pk=removal_id, status=BulkRemovalStatus.QUEUED).update(
        status=BulkRemovalStatus.FAILED,
        error=_("Le retrait n'a pas pu être lancé (service de tâches indisponible) : relancez-le."),
        finished_at=timezone.now(),
    )


def run_bulk_removal(*, removal_id: int) -> BulkRemoval:
    """Remove the people of a queued (or interrupted) bulk removal, writing the progress as it goes.

    Idempotent: a run that is done is left alone, and people already removed are skipped.
    """
    with transaction.atomic():
        removal = (
            BulkRemoval.objects.select_for_update(of=("self",))
            .select_related("session", "created_by")
            .get(pk=removal_id)
        )
        if removal.status not in (BulkRemovalStatus.QUEUED, BulkRemovalStatus.RUNNING):
            return removal
        removal.status = BulkRemovalStatus.RUNNING
        removal.save(update_fields=["status"])

    ids = removal.enrolment_ids
    # People of the list who ended before this run (a run resumed after a crash) count as done.
    offset = removal.total - Enrolment.objects.current().filter(pk__in=ids).count()

    def progress(done: int, _total: int) -> None:
        if done % PROGRESS_EVERY == 0:
            BulkRemoval.objects.filter(pk=removal_id).update(done=min(removal.total, offset + done))

    try:
        remove_enrolments(
            session=removal.session,
            enrolments=[Enrolment(pk=pk) for pk in ids],
            by=removal.created_by,
            reason=removal.reason,
            progress=progress,
        )
    except Exception as error:
        logger.exception("bulk removal failed", extra={"removal_id": removal_id})
        BulkRemoval.objects.filter(pk=removal_id).update(
            status=BulkRemovalStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    BulkRemoval.objects.filter(pk=removal_id).update(
        status=BulkRemovalStatus.DONE,
        done=removal.total,
        removed=Enrolment.objects.filter(pk__in=ids, status=EnrolmentStatus.REMOVED).count(),
        finished_at=timezone.now(),
    )
    removal.refresh_from_db()
    return removal


# --- Staff give a place to someone waiting -------------------------------------------------------


@transaction.atomic
def promote_enrolment(*, enrolment: Enrolment, by, now: datetime | None = None) -> Enrolment:
    """Staff give a place now to a person on the waiting list, ahead of their turn; when the session
    is full, it gets one more place for them (staff's decision, said on the button). Told once."""
    _require_staff(by)
    now = now or timezone.now()
    session, enrolment = _lock(enrolment)
    if enrolment.status == EnrolmentStatus.ACTIVE:
        return enrolment
    if enrolment.status != EnrolmentStatus.WAITING:
        raise LifecycleError(_("Seule une personne sur la liste d'attente peut recevoir une place."))
    if session.status == SessionStatus.CANCELLED or session.ends_at <= now:
        raise LifecycleError(_("Cette session est terminée ou annulée."))
    if session.enrolments.active().count() >= session.capacity:
        session.capacity += 1
        session.save(update_fields=["capacity"])
    enrolment.status = EnrolmentStatus.ACTIVE
    enrolment.promoted_at = now
    enrolment.save(update_fields=["status", "promoted_at"])
    notifications.queue_promoted(enrolment=enrolment)
    figures_changed(session.pk)
    return enrolment


# --- Staff move someone to another session --------------------------------------------------------


@transaction.atomic
def transfer_enrolment(
    *, enrolment: Enrolment, to_session: Session, by, now: datetime | None = None
) -> Enrolment:
    """Staff move the person to `to_session`: a new enrolment there, a place if one is left, else
    its waiting list; the assessment result goes with it (step 2 done in the new session).

    The old enrolment becomes TRANSFERRED with a link to the new one; its holdings are released
    as for any ending (reason "transferred"), applications kept. The person is told once. Both
    sessions are locked (lowest id first, so two transfers in opposite directions cannot
    deadlock), then the enrolment. Transferring again to the same session returns the same new
    enrolment.
    """
    _require_staff(by)
    now = now or timezone.now()
    if to_session.pk == enrolment.session_id:
        raise LifecycleError(_("Choisissez une autre session que la session actuelle."))
    sessions = {
        session.pk: session
        for session in Session.objects.select_for_update()
        .filter(pk__in=[enrolment.session_id, to_session.pk])
        .order_by("pk")
    }
    session, target = sessions[enrolment.session_id], sessions[to_session.pk]
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("job_seeker", "commune")
        .get(pk=enrolment.pk)
    )
    enrolment.session = session
    moved = enrolment.transferred_to if enrolment.status == EnrolmentStatus.TRANSFERRED else None
    if moved is not None and moved.session_id == target.pk:
        return moved
    _refuse_ended(enrolment)
    if target.status not in TRANSFER_TARGET_STATUSES or target.published_at is None or target.ends_at <= now:
        raise LifecycleError(_("La session choisie n'accueille pas de nouvelles personnes."))
    if enrolment.job_seeker.role != Role.JOB_SEEKER:
        raise LifecycleError(_("Seules les personnes en recherche d'emploi peuvent être inscrites."))
    existing = (
        Enrolment.objects.select_for_update().filter(session=target, job_seeker=enrolment.job_seeker).first()
    )
    if existing is not None and existing.is_current:
        raise LifecycleError(_("Cette personne est déjà inscrite à la session choisie."))
    decision = check_eligibility(session=target, commune=enrolment.commune, qpv=enrolment.qpv)
    if not decision.eligible:
        raise LifecycleError(
            _("Cette personne ne remplit pas les conditions de la session choisie : %(reason)s")
            % {"reason": decision.reason}
        )
    full = target.enrolments.active().count() >= target.capacity
    values = {
        "status": EnrolmentStatus.WAITING if full else EnrolmentStatus.ACTIVE,
        "commune": enrolment.commune,
        "qpv": enrolment.qpv,
        "eligibility": decision.snapshot,
        "share_with_adviser": enrolment.share_with_adviser,
        "adviser": enrolment.adviser,
        "withdrawn_at": None,
        "promoted_at": None,
        "ended_at": None,
        "ended_by": None,
        "end_reason": "",
        "transferred_to": None,
        "last_activity_at": now,
    }
    if existing is not None:  # an old enrolment of theirs in the target session: the same row
        for name, value in values.items():
            setattr(existing, name, value)
        existing.created_at = now
        existing.save()
        new = existing
    else:
        new = Enrolment.objects.create(session=target, job_seeker=enrolment.job_seeker, **values)
    _end(
        session=session,
        enrolment=enrolment,
        status=EnrolmentStatus.TRANSFERRED,
        release_reason="transferred",
        now=now,
        by=by,
        transferred_to=new,
    )
    registry.carry_over(source=enrolment, target=new, now=now)
    figures_changed(target.pk)
    notifications.queue_ended(enrolment=enrolment, event="transferred")
    return new


# --- The account is erased ------------------------------------------------------------------------


@transaction.atomic
def erase_enrolment(*, enrolment: Enrolment, now: datetime | None = None) -> Enrolment:
    """The person's account is being erased (`programs.privacy`): the enrolment ends, its place goes
    to the waiting list, its holdings are released (reason "erased": open applications removed),
    and nobody writes to the person."""
    now = now or timezone.now()
    session, enrolment = _lock(enrolment)
    if not enrolment.is_current:
        return enrolment
    _end(
        session=session,
        enrolment=enrolment,
        status=EnrolmentStatus.ERASED,
        release_reason="erased",
        now=now,
    )
    return enrolment


# --- Staff cancel a session -----------------------------------------------------------------------


@transaction.atomic
def cancel_session(*, session: Session, by, reason: str, now: datetime | None = None) -> Session:
    """Staff cancel the session: every current enrolment ends (reason "session_cancelled"), each
    person is told once, nobody is promoted; registrations close. Cancelling again does nothing."""
    _require_staff(by)
    reason = _clean_reason(
        reason,
        required_message=_("Indiquez la raison de l'annulation : elle sera envoyée aux personnes inscrites."),
    )
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        return session
    if session.status not in CANCELLABLE_STATUSES or session.ends_at <= now:
        raise LifecycleError(_("Une session terminée ou archivée ne peut plus être annulée."))
    session.status = SessionStatus.CANCELLED
    session.cancelled_at = now
    session.cancelled_by = by
    session.cancel_reason = reason
    session.registration_closed_at = session.registration_closed_at or now
    session.save(
        update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "registration_closed_at"]
    )
    ended = []
    for enrolment in (
        session.enrolments.current().select_for_update().select_related("job_seeker").order_by("pk")
    ):
        enrolment.session = session
        _end(
            session=session,
            enrolment=enrolment,
            status=EnrolmentStatus.SESSION_CANCELLED,
            release_reason="session_cancelled",
            now=now,
            by=by,
            reason=reason,
            promote=False,
        )
        ended.append(enrolment.pk)
    notifications.queue_for_enrolments(
        event="session-cancelled",
        enrolments=Enrolment.objects.filter(pk__in=ended),
        template="programs/emails/session_cancelled",
        context={"session": session, "reason": reason},
    )
    figures_changed(session.pk)
    return session
