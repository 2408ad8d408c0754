"""Changing a session after its launch: its calendar, places and public texts; closing its
registrations early; archiving it.

Every change locks the session row (`select_for_update`), as enrolments and the calendar task
do, so a change never crosses a sign-up or a transition half-way. Cancelling a session is the
lifecycle's `cancel_session` (it ends every enrolment), not here.
"""

from collections.abc import Mapping
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .. import notifications
from ..models import Enrolment, EnrolmentStatus, Session, SessionStatus, Step
from .errors import SessionError
from .lifecycle import fill_free_places
from .sessions import calendar_errors

SESSION_DATE_FIELDS = ("registration_opens_at", "registration_closes_at", "starts_at", "ends_at", "survey_at")
STARTED = (SessionStatus.RUNNING, SessionStatus.CLOSED, SessionStatus.ARCHIVED)


def _locked(session: Session) -> Session:
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.ARCHIVED:
        raise SessionError(_("Cette session est archivée : elle ne change plus."))
    return session


def frozen_dates(session: Session) -> set[str]:
    """The dates of `session` whose transition has happened: they are history and never change.

    Names as in `calendar_errors` (`step_<n>` for the steps); `session.steps` is read (prefetch it).
    """
    frozen: set[str] = set()
    if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
        frozen.add("registration_opens_at")
    if session.registration_closed_at is not None:
        frozen.add("registration_closes_at")
    if session.status in STARTED:
        frozen.add("starts_at")
    if session.status in (SessionStatus.CLOSED, SessionStatus.ARCHIVED):
        frozen.add("ends_at")
    if session.survey_sent_at is not None:
        frozen.add("survey_at")
    frozen.update(f"step_{step.step}" for step in session.steps.all() if step.opened_at is not None)
    return frozen


def _label(name: str) -> str:
    if name.startswith("step_"):
        return str(Step(int(name.removeprefix("step_"))).label)
    return capfirst(Session._meta.get_field(name).verbose_name)


@transaction.atomic
def reschedule_session(
    *,
    session: Session,
    dates: Mapping[str, datetime],
    step_dates: Mapping[int, datetime],
    by=None,
    now: datetime | None = None,
) -> Session:
    """Move the dates of a session, at any stage, under the calendar's rules.

    `dates` holds the session's own dates (`SESSION_DATE_FIELDS`), `step_dates` each step's
    opening; a missing one keeps its value. A date whose transition has happened cannot change,
    and once published a moved date must lie ahead. Once published, the people enrolled and
    waiting are told once per change (the outbox key carries the calendar's version). What follows
    the calendar (step openings, nudges, the surveys) reads the dates when it runs: nothing queued
    has to be moved.
    """
    now = now or timezone.now()
    session = _locked(session)
    steps = {step.step: step for step in session.steps.select_for_update()}
    current = {name: getattr(session, name) for name in SESSION_DATE_FIELDS}
    current.update({f"step_{n}": step.opens_at for n, step in steps.items()})
    wanted = dict(current)
    wanted.update({name: value for name, value in dates.items() if name in SESSION_DATE_FIELDS and value})
    wanted.update({f"step_{n}": value for n, value in step_dates.items() if n in steps and value})
    changed = sorted(name for name in wanted if wanted[name] != current[name])
    if not changed:
        return session

    frozen = frozen_dates(session) & set(changed)
    if frozen:
        raise SessionError(
            _("La date « %(date)s » est passée sur le calendrier de la session : elle ne change plus.")
            % {"date": _label(sorted(frozen)[0])}
        )
    published = session.published_at is not None
    if published:
        past = [name for name in changed if wanted[name] <= now]
        if past:
            raise SessionError(
                _("« %(date)s » : choisissez une date à venir (la session est publiée).")
                % {"date": _label(past[0])}
            )
    errors = calendar_errors(
        **{name: wanted[name] for name in SESSION_DATE_FIELDS},
        step_dates={n: wanted[f"step_{n}"] for n in steps},
    )
    if errors:
        raise SessionError(next(iter(errors.values())))

    for name in SESSION_DATE_FIELDS:
        setattr(session, name, wanted[name])
    fields = [*SESSION_DATE_FIELDS]
    if published:
        session.calendar_version += 1
        fields.append("calendar_version")
    session.save(update_fields=fields)
    for n, step in steps.items():
        if step.opens_at != wanted[f"step_{n}"]:
            step.opens_at = wanted[f"step_{n}"]
            step.save(update_fields=["opens_at"])
    if published:
        notifications.queue_for_enrolments(
            event=f"session-dates-changed:{session.pk}:v{session.calendar_version}",
            enrolments=Enrolment.objects.filter(
                session=session, status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING]
            ),
            template="programs/emails/session_dates_changed",
            context={"session": session, "steps": [steps[n] for n in sorted(steps)]},
        )
    return session


@transaction.atomic
def change_capacity(
    *, session: Session, capacity: int, by=None, now: datetime | None = None
) -> list[Enrolment]:
    """Set the number of places; the places added go to the people waiting, in their order.

    Fewer places than people already enrolled is refused (nobody loses a place this way).
    Returns the people promoted, each told once.
    """
    now = now or timezone.now()
    session = _locked(session)
    if capacity is None or capacity <= 0:
        raise SessionError(_("Le nombre de places doit être positif."))
    active = session.enrolments.active().count()
    if capacity < active:
        raise SessionError(
            _(
                "%(count)s personnes ont déjà une place : le nombre de places ne peut pas descendre "
                "sous ce nombre."
            )
            % {"count": active}
        )
    if capacity == session.capacity:
        return []
    session.capacity = capacity
    session.save(update_fields=["capacity"])
    return fill_free_places(session=session, now=now)


@transaction.atomic
def update_public_texts(
    *,
    session: Session,
    description: str,
    faq: str,
    reviewed: set[str] = frozenset(),
    by=None,
) -> Session:
    """Save the landing page's texts. A copied text stays "to review" until it is changed or said
    reviewed (`reviewed` holds "description" and/or "faq")."""
    session = _locked(session)
    for name, value in (("description", description), ("faq", faq)):
        flag = f"{name}_to_review"
        if value != getattr(session, name) or name in reviewed:
            setattr(session, flag, False)
        setattr(session, name, value)
    session.save(update_fields=["description", "faq", "description_to_review", "faq_to_review"])
    return session


@transaction.atomic
def close_registrations(*, session: Session, by=None, now: datetime | None = None) -> Session:
    """Close the registrations now rather than on their date; the people still waiting are told
    (the calendar's own closing, applied at once)."""
    from .calendar import advance_session

    now = now or timezone.now()
    session = _locked(session)
    if session.published_at is None:
        raise SessionError(_("Publiez d'abord la session : un brouillon ne prend pas d'inscriptions."))
    if session.registration_closed_at is not None or session.registration_closes_at <= now:
        raise SessionError(_("Les inscriptions de cette session sont déjà closes."))
    if session.registration_opens_at >= now:
        raise SessionError(
            _("Les inscriptions ne sont pas encore ouvertes : changez plutôt leurs dates dans le calendrier.")
        )
    session.registration_closes_at = now
    session.save(update_fields=["registration_closes_at"])
    advance_session(session=session, now=now)
    session.refresh_from_db()
    return session


@transaction.atomic
def archive_session(*, session: Session, by=None, now: datetime | None = None) -> Session:
    """Archive a finished session, or a draft never published: it leaves the lists and the calendar.

    A session announced or running is cancelled (the lifecycle's `cancel_session`), not archived.
    """
    session = _locked(session)
    if session.status != SessionStatus.CLOSED and session.published_at is not None:
        raise SessionError(
            _("Seule une session terminée (ou un brouillon jamais publié) peut être archivée.")
        )
    session.status = SessionStatus.ARCHIVED
    session.save(update_fields=["status"])
    return session
