"""The sessions' calendar: transitions when their dates come, the notices, the nudges.

Each transition writes its state (the status, `registration_closed_at`, `SessionStep.opened_at`,
`survey_sent_at`) in the same transaction as its notices, under a lock on the session row; every
notice has a dedup key per person and event. So a run that comes twice, late, or at the same time
as another one still sends each notice exactly once.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import notifications
from ..models import Enrolment, Session, SessionStatus, SessionStep, StepProgress

logger = logging.getLogger(__name__)

QUIET_HOURS_END = time(8, 0)  # nudges never leave between 21:00 and 08:00, Paris time
QUIET_HOURS_START = time(21, 0)


@dataclass(frozen=True)
class Transition:
    when: datetime
    label: str


def pending_transitions(*, session: Session, now: datetime | None = None) -> list[Transition]:
    """What the calendar will still do for `session`, in date order (overdue ones included)."""
    now = now or timezone.now()
    items: list[Transition] = []
    if session.status in (SessionStatus.DRAFT, SessionStatus.ARCHIVED, SessionStatus.CANCELLED):
        return items
    if session.status == SessionStatus.PUBLISHED:
        items.append(Transition(session.registration_opens_at, _("ouverture des inscriptions")))
    if session.registration_closed_at is None:
        items.append(Transition(session.registration_closes_at, _("clôture des inscriptions")))
    if session.status in (SessionStatus.PUBLISHED, SessionStatus.REGISTRATION_OPEN):
        items.append(Transition(session.starts_at, _("début de la session")))
    for step in session.steps.all():
        if step.opened_at is None:
            items.append(
                Transition(
                    step.opens_at,
                    _("ouverture de l'étape %(n)s : %(label)s")
                    % {"n": step.step, "label": step.get_step_display()},
                )
            )
    if session.status != SessionStatus.CLOSED:
        items.append(Transition(session.ends_at, _("fin de la session")))
    if session.survey_sent_at is None:
        items.append(Transition(session.survey_at, _("envoi du questionnaire de satisfaction")))
    return sorted(items, key=lambda item: item.when)


def sessions_with_due_transitions(now: datetime):
    """Sessions for which at least one transition's date has come (a cheap query on indexed dates)."""
    return (
        Session.objects.published()
        .exclude(status__in=[SessionStatus.ARCHIVED, SessionStatus.CANCELLED])
        .filter(
            Q(status=SessionStatus.PUBLISHED, registration_opens_at__lte=now)
            | Q(registration_closed_at__isnull=True, registration_closes_at__lte=now)
            | Q(status__in=[SessionStatus.PUBLISHED, SessionStatus.REGISTRATION_OPEN], starts_at__lte=now)
            | Q(status=SessionStatus.RUNNING, ends_at__lte=now)
            | Q(survey_sent_at__isnull=True, survey_at__lte=now)
            | Exists(
                SessionStep.objects.filter(session=OuterRef("pk"), opened_at__isnull=True, opens_at__lte=now)
            )
        )
        .order_by("pk")
    )


@transaction.atomic
def advance_session(*, session: Session, now: datetime | None = None) -> list[str]:
    """Apply every transition of `session` whose date has come, in order; return their names.

    Safe to call twice or concurrently: the session row is locked and each transition checks
    its own state before acting.
    """
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=session.pk)
    done: list[str] = []
    if session.published_at is None or session.status in (
        SessionStatus.DRAFT,
        SessionStatus.ARCHIVED,
        SessionStatus.CANCELLED,
    ):
        return done
    fields: set[str] = set()
    if session.status == SessionStatus.PUBLISHED and session.registration_opens_at <= now:
        session.status = SessionStatus.REGISTRATION_OPEN
        fields.add("status")
        done.append("registration_open")
    if session.registration_closed_at is None and session.registration_closes_at <= now:
        session.registration_closed_at = now
        fields.add("registration_closed_at")
        notifications.queue_for_enrolments(
            event=f"registration-closed:{session.pk}",
            enrolments=session.enrolments.waiting(),
            template="programs/emails/registration_closed_waiting",
            context={"session": session},
        )
        done.append("registration_closed")
    if session.status == SessionStatus.REGISTRATION_OPEN and session.starts_at <= now:
        session.status = SessionStatus.RUNNING
        fields.add("status")
        notifications.queue_for_enrolments(
            event=f"session-started:{session.pk}",
            enrolments=session.enrolments.active(),
            template="programs/emails/session_started",
            context={"session": session},
        )
        done.append("started")
    if session.status in (SessionStatus.RUNNING, SessionStatus.CLOSED):
        due_steps = session.steps.filter(opened_at__isnull=True, opens_at__lte=now).order_by("step")
        for step in due_steps.select_for_update():
            step.opened_at = now
            step.save(update_fields=["opened_at"])
            notifications.queue_for_enrolments(
                event=f"step-opened:{step.pk}",
                enrolments=session.enrolments.active(),
                template="programs/emails/step_opened",
                context={"session": session, "session_step": step, "step_label": step.get_step_display()},
            )
            done.append(f"step_{step.step}_opened")
    if session.status == SessionStatus.RUNNING and session.ends_at <= now:
        session.status = SessionStatus.CLOSED
        fields.add("status")
        done.append("closed")
    if (
        session.survey_sent_at is None
        and session.survey_at <= now
        and session.status in (SessionStatus.RUNNING, SessionStatus.CLOSED)
    ):
        # Only the bookkeeping: the survey e-mails themselves (one per person, with its signed
        # link and one reminder) are sent by `services.surveys.send_due_surveys`, hourly.
        session.survey_sent_at = now
        fields.add("survey_sent_at")
        done.append("survey_sent")
    if fields:
        session.save(update_fields=sorted(fields))
    if done:
        logger.info("session advanced", extra={"session": session.slug, "transitions": done})
    return done


def advance_due_sessions(*, now: datetime | None = None) -> dict[str, list[str]]:
    """Advance every session whose dates have come, each in its own transaction.

    One session failing (logged) never holds the others back: they move independently.
    """
    now = now or timezone.now()
    results: dict[str, list[str]] = {}
    for session in sessions_with_due_transitions(now):
        try:
            results[session.slug] = advance_session(session=session, now=now)
        except Exception:
            logger.exception("session calendar failed", extra={"session": session.slug})
    return results


def next_allowed_send_time(now: datetime) -> datetime:
    """`now` if it is between 08:00 and 21:00 in Paris, else the next 08:00 Paris time."""
    local = timezone.localtime(now)
    if QUIET_HOURS_END <= local.time() < QUIET_HOURS_START:
        return now
    day = local.date() if local.time() < QUIET_HOURS_END else local.date() + timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, QUIET_HOURS_END), timezone.get_current_timezone())


def send_nudges(*, now: datetime | None = None) -> int:
    """Nudge people who have not done an open step N days (the session's setting) after it opened.

    At most one nudge per person and step (`StepProgress.nudged_at` plus the outbox key), never
    delivered between 21:00 and 08:00 Paris time: it is then queued for 08:00. Returns how many
    nudges were queued.
    """
    now = now or timezone.now()
    queued = 0
    open_steps = (
        SessionStep.objects.filter(opened_at__isnull=False, session__status=SessionStatus.RUNNING)
        .select_related("session")
        .order_by("session_id", "step")
    )
    for step in open_steps:
        delay = timedelta(days=step.session.nudge_after_days)
        if step.session.nudge_after_days == 0 or step.opened_at + delay > now:
            continue
        queued += _nudge_step(step_id=step.pk, now=now, delay=delay)
    return queued


@transaction.atomic
def _nudge_step(*, step_id: int, now: datetime, delay: timedelta) -> int:
    step = SessionStep.objects.select_for_update().select_related("session").get(pk=step_id)
    acted = StepProgress.objects.filter(enrolment=OuterRef("pk"), step=step.step).filter(
        Q(completed_at__isnull=False) | Q(nudged_at__isnull=False)
    )
    enrolments = (
        Enrolment.objects.active()
        .filter(session_id=step.session_id, created_at__lte=now - delay)
        .exclude(Exists(acted))
    )
    ids = list(enrolments.values_list("pk", flat=True))
    if not ids:
        return 0
    notifications.queue_for_enrolments(
        event=f"nudge:{step.pk}",
        enrolments=Enrolment.objects.filter(pk__in=ids),
        template="programs/emails/nudge",
        context={"session": step.session, "session_step": step, "step_label": step.get_step_display()},
        send_after=next_allowed_send_time(now),
    )
    StepProgress.objects.bulk_create(
        [StepProgress(enrolment_id=pk, step=step.step) for pk in ids], ignore_conflicts=True, batch_size=1000
    )
    StepProgress.objects.filter(enrolment_id__in=ids, step=step.step, nudged_at__isnull=True).update(
        nudged_at=now
    )
    return len(ids)
