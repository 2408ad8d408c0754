"""Messages from the team to a group ("segment") of a session's people, through the outbox.

A segment is named by a key: the spine's own ones (everyone with a place, the waiting list, the
people stuck on step N) and those each step offers through `programs.registry` (the no-shows of a
workshop, those without an assessment…). Writing to a segment:

1. `write_to_segment` records one `CohortMessage` under the compose form's `token`: the same form
   sent twice finds that message again and sends nothing more (a double click sends once);
2. `deliver_cohort_message` freezes who receives it (`CohortMessageRecipient`, unique per message
   and person) and writes one outbox row per person under the key
   `programs:cohort-message:<message>:enrolment:<enrolment>`, so a retried or doubled delivery
   queues nobody twice. A small group is delivered inside the request; a large one by a Celery task
   (`programs.tasks.deliver_cohort_message`), caught up by the beat if the broker was away.

The e-mails leave outside the quiet hours (21:00–08:00 Paris time: they are then held until 08:00)
and only to the people who can be reached (see `reachable`).
"""

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.accounts.models import User
from declics.notifications import kinds as message_kinds
from declics.notifications.models import OutboxMessage
from declics.notifications.preferences import muted_user_ids
from declics.notifications.routing import SMS_SUFFIX, notify_many, people_of
from declics.notifications.services import render_email
from declics.personal_data import ANONYMOUS_DOMAIN
from declics.queueing import enqueue_on_commit

from .. import registry
from ..models import (
    CohortMessage,
    CohortMessageRecipient,
    Enrolment,
    Session,
    SessionStatus,
    SessionStep,
    Step,
    StepProgress,
)
from .calendar import next_allowed_send_time
from .errors import ProgramError

logger = logging.getLogger(__name__)

EMAIL_TEMPLATE = "programs/emails/cohort_message"
# Up to this many recipients, the message is queued within the request; above, by a task.
INLINE_LIMIT = 100
BATCH_SIZE = 1000
# A message not delivered this long after it was written lost its task (broker away): the beat
# delivers it (`deliver_pending_messages`).
CATCH_UP_AFTER = timedelta(minutes=2)
SEGMENT_KEY = re.compile(r"[a-z0-9:-]{1,100}")
EVERYONE, WAITING, STUCK = "everyone", "waiting", "stuck"


class MessageError(ProgramError):
    """Writing to a group was refused (an unknown group, nobody in it, a draft session…)."""


# --- Segments -------------------------------------------------------------------------------------


def stuck_on_step(*, session: Session, step: int, now: datetime) -> QuerySet:
    """The people stuck on step `step` of `session`, as enrolment ids.

    An enrolment is stuck on step N when, at `now`:

    - it holds a place (status active: the waiting list has no pathway yet);
    - step N is open per the session's calendar: its `SessionStep.opens_at` has come (the date, not
      the calendar task's `opened_at`, so the group does not wait for the task);
    - step N is not done (no `StepProgress` of step N with `completed_at`);
    - every step before N is done.

    So step N is the person's current step, and it is open: each active person is stuck on at most
    one step. Unlike the adviser dashboard's "bloqué·e" filter, no inactivity delay is required:
    the team decides when to write. A step not open yet has nobody stuck on it.
    """
    step_open = SessionStep.objects.filter(session=session, step=step, opens_at__lte=now)
    done = StepProgress.objects.done().filter(enrolment=OuterRef("pk"))
    enrolments = session.enrolments.active().filter(Exists(step_open)).exclude(Exists(done.filter(step=step)))
    for earlier in range(1, step):
        enrolments = enrolments.filter(Exists(done.filter(step=earlier)))
    return enrolments.values("pk")


def session_segments(session: Session, *, now: datetime) -> list[registry.Segment]:
    """The groups of `session` the team may write to: the spine's, then each step's.

    One query (the steps open now) plus at most one per step that offers groups.
    """
    segments = [  # querysets are lazy: a group's query runs only when it is counted or written to
        registry.Segment(
            EVERYONE, _("Toutes les personnes inscrites"), session.enrolments.active().values("pk")
        ),
        registry.Segment(WAITING, _("La liste d'attente"), session.enrolments.waiting().values("pk")),
    ]
    open_steps = SessionStep.objects.filter(session=session, opens_at__lte=now).order_by("step")
    for step in open_steps.values_list("step", flat=True):
        segments.append(
            registry.Segment(
                f"{STUCK}:{step}",
                _("Bloqué·es à l'étape %(n)s : %(label)s") % {"n": step, "label": Step(step).label},
                stuck_on_step(session=session, step=step, now=now),  # lazy: no query until used
            )
        )
    segments.extend(registry.segments(session, now=now))
    return segments


def find_segment(session: Session, key: str, *, now: datetime) -> registry.Segment | None:
    if not SEGMENT_KEY.fullmatch(key or ""):
        return None
    return next((segment for segment in session_segments(session, now=now) if segment.key == key), None)


def segment_enrolments(session: Session, segment: registry.Segment) -> QuerySet:
    """The enrolments of `segment`: the session's active ones (its waiting list for that group)
    among the ids the group names, so a step's group cannot reach beyond the session."""
    ids = segment.enrolment_ids
    base = session.enrolments.waiting() if segment.key == WAITING else session.enrolments.active()
    return base.filter(pk__in=ids).order_by("pk")


def reachable(enrolments: QuerySet) -> QuerySet:
    """The people of `enrolments` a message may be sent to: an account still active and not erased.

    Not those who turned cohort news off (one click from an earlier message, or their preferences
    page); each person's channel and daily budget are applied when the message is queued
    (`routing.notify_many`).
    """
    return (
        enrolments.filter(job_seeker__is_active=True)
        .exclude(job_seeker__email__iendswith=f"@{ANONYMOUS_DOMAIN}")
        .exclude(job_seeker_id__in=muted_user_ids(message_kinds.NEWS))
    )


# --- Composing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    segment: registry.Segment
    recipients: int  # who will receive it
    unreachable: int  # in the group, but without a reachable account
    subject: str
    text: str
    send_after: datetime


def render_message(*, session: Session, subject: str, body: str) -> tuple[str, str, str]:
    """(subject, text, HTML) of the e-mail: the same for everyone of the group (no name in it)."""
    return render_email(
        template=EMAIL_TEMPLATE, context={"session": session, "subject": subject, "body": body}
    )


def _segment_or_refuse(session: Session, key: str, now: datetime) -> registry.Segment:
    if session.status == SessionStatus.DRAFT:
        raise MessageError(_("Cette session est un brouillon : personne n'y est encore inscrit."))
    segment = find_segment(session, key, now=now)
    if segment is None:
        raise MessageError(_("Ce groupe n'existe pas (ou plus) dans cette session : choisissez-en un autre."))
    return segment


def preview_message(*, session: Session, segment_key: str, subject: str, body: str, now: datetime) -> Preview:
    """How many people the message would reach, and the e-mail as they would read it."""
    segment = _segment_or_refuse(session, segment_key, now)
    in_group = segment_enrolments(session, segment)
    total, recipients = in_group.count(), reachable(in_group).count()
    subject_line, text, _html = render_message(session=session, subject=subject, body=body)
    return Preview(
        segment=segment,
        recipients=recipients,
        unreachable=total - recipients,
        subject=subject_line,
        text=text,
        send_after=next_allowed_send_time(now),
    )


@transaction.atomic
def write_to_segment(
    *,
    session: Session,
    segment_key: str,
    subject: str,
    body: str,
    token: UUID,
    created_by,
    now: datetime | None = None,
) -> tuple[CohortMessage, bool]:
    """Record the message and have it delivered; (message, False) when `token` was already sent.

    The same compose form sent twice (a double click, a reload, two tabs) carries the same token:
    the second finds the first message (the unique token decides, even for two requests at once)
    and nothing is queued again. A group of up to INLINE_LIMIT people is queued now; a larger one by
    a task once this transaction commits.
    """
    now = now or timezone.now()
    existing = CohortMessage.objects.filter(token=token).first()
    if existing is not None:
        if existing.session_id != session.pk:
            raise MessageError(_("Ce formulaire a déjà servi pour une autre session : recommencez."))
        return existing, False
    segment = _segment_or_refuse(session, segment_key, now)
    count = reachable(segment_enrolments(session, segment)).count()
    if count == 0:
        raise MessageError(_("Personne ne peut recevoir ce message dans ce groupe : rien n'a été envoyé."))
    message, created = CohortMessage.objects.get_or_create(
        token=token,
        defaults={
            "session": session,
            "segment_key": segment.key,
            "segment_label": str(segment.label)[:300],
            "subject": subject,
            "body": body,
            "created_by": created_by,
            "send_after": next_allowed_send_time(now),
        },
    )
    if not created:  # the other request of a double click won the race
        return message, False
    if count <= INLINE_LIMIT:
        deliver_cohort_message(message_id=message.pk, now=now)
        message.refresh_from_db()
    else:
        from ..tasks import deliver_cohort_message as task

        # A broker away loses only the nudge: the beat delivers it (`deliver_pending_messages`).
        enqueue_on_commit(task, message_id=message.pk)
    return message, True


# --- Delivering -----------------------------------------------------------------------------------


def outbox_key(*, message_id: int, enrolment_id: int) -> str:
    return f"programs:cohort-message:{message_id}:enrolment:{enrolment_id}"


@transaction.atomic
def deliver_cohort_message(*, message_id: int, now: datetime | None = None) -> int:
    """Queue the message to each reachable person of its group, once; returns how many were new.

    Idempotent: the message row is locked and a delivered message is left alone; and even past
    that check, the recipients' unique (message, person) and the outbox's unique key per message
    and person keep anyone from being queued twice. The group is read now (who is stuck at this
    moment); the e-mails leave after the quiet hours.
    """
    now = now or timezone.now()
    message = CohortMessage.objects.select_for_update().select_related("session").get(pk=message_id)
    if message.delivered_at is not None:
        return 0
    session = message.session
    segment = find_segment(session, message.segment_key, now=now)
    in_group = segment_enrolments(session, segment) if segment is not None else Enrolment.objects.none()
    total = in_group.count()
    send_after = max(next_allowed_send_time(now), message.send_after)
    rows = list(reachable(in_group).values_list("pk", "job_seeker_id"))
    new = 0
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        new += _queue_batch(message, batch, send_after=send_after)
    recipients = len(rows)
    message.delivered_at = now
    message.recipients_count = recipients
    message.skipped_count = total - recipients
    message.save(update_fields=["delivered_at", "recipients_count", "skipped_count"])
    logger.info(
        "cohort message delivered",
        extra={"cohort_message": message.pk, "session": session.slug, "recipients": recipients, "new": new},
    )
    return new


def _queue_batch(message, rows, *, send_after) -> int:
    """Queue the message to one batch of `(enrolment id, user id)`, by each person's channel(s) and in
    their language (`notify_many`: cohort news is optional, so a person who turned it off or whose
    daily budget is spent gets nothing now, or the next morning's digest); the recipients are
    recorded with their outbox row (the e-mail's, else the SMS's; none when held or turned off)."""
    keys = {
        enrolment_id: outbox_key(message_id=message.pk, enrolment_id=enrolment_id)
        for enrolment_id, _u in rows
    }
    people = people_of(User.objects.filter(pk__in=[user_id for _e, user_id in rows]))
    queued = notify_many(
        recipients=[
            (keys[enrolment_id], people[user_id]) for enrolment_id, user_id in rows if user_id in people
        ],
        kind=message_kinds.COHORT_NEWS,
        template=EMAIL_TEMPLATE,
        context={"session": message.session, "subject": message.subject, "body": message.body},
        send_after=send_after,
    )
    outbox_ids = dict(
        OutboxMessage.objects.filter(dedup_key__in=keys.values()).values_list("dedup_key", "pk")
    )
    sms_ids = dict(
        OutboxMessage.objects.filter(dedup_key__in=[key + SMS_SUFFIX for key in keys.values()]).values_list(
            "dedup_key", "pk"
        )
    )
    CohortMessageRecipient.objects.bulk_create(
        [
            CohortMessageRecipient(
                message=message,
                enrolment_id=enrolment_id,
                outbox_id=outbox_ids.get(key) or sms_ids.get(key + SMS_SUFFIX),
            )
            for enrolment_id, key in keys.items()
        ],
        ignore_conflicts=True,
    )
    return len(queued)


def deliver_pending_messages(*, now: datetime | None = None) -> int:
    """Deliver the messages whose task was lost (written over CATCH_UP_AFTER ago, not delivered);
    each in its own transaction. Returns how many e-mails were queued."""
    now = now or timezone.now()
    pending = CohortMessage.objects.filter(delivered_at__isnull=True, created_at__lte=now - CATCH_UP_AFTER)
    queued = 0
    for message_id in pending.order_by("pk").values_list("pk", flat=True)[:100]:
        try:
            queued += deliver_cohort_message(message_id=message_id, now=now)
        except Exception:
            logger.exception("cohort message delivery failed", extra={"cohort_message": message_id})
    return queued


# --- History --------------------------------------------------------------------------------------


def message_history(session: Session) -> QuerySet:
    """The session's messages, latest first, with their delivery counts (one query for a page)."""
    status = "recipients__outbox__status"
    return (
        CohortMessage.objects.filter(session=session)
        .select_related("created_by")
        .annotate(
            sent=Count("recipients", filter=Q(**{status: OutboxMessage.Status.SENT})),
            failed=Count("recipients", filter=Q(**{status: OutboxMessage.Status.FAILED})),
            pending=Count("recipients", filter=Q(**{status: OutboxMessage.Status.PENDING})),
        )
        .order_by("-created_at", "-pk")
    )
