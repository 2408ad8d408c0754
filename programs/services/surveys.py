"""Surveys: the satisfaction survey at a session's end, follow-ups at 3 and 6 months.

Each person gets one e-mail per survey and at most one reminder, through the outbox (a key per
response). The e-mail's link carries a signed, expiring token: the person answers without logging in.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.notifications import kinds as message_kinds
from declics.notifications.routing import notify
from programs.figures_cache import figures_changed

from ..models import Enrolment, EnrolmentStatus, Session, SessionStatus, Step, SurveyKind, SurveyResponse
from .calendar import next_allowed_send_time
from .errors import ProgramError

TOKEN_SALT = "programs.survey"
TOKEN_MAX_AGE = timedelta(days=60)
REMINDER_AFTER = timedelta(days=7)
# A survey whose date passed longer ago than this is not sent any more (e.g. when the task was off).
SEND_WINDOW = timedelta(days=30)
FOLLOW_UP_DELAYS = {SurveyKind.FOLLOW_UP_3: timedelta(days=91), SurveyKind.FOLLOW_UP_6: timedelta(days=182)}


class SurveyError(ProgramError):
    """The answer was refused; the message is safe to show."""


class SurveyTokenInvalid(SurveyError):
    """The survey link is not one of ours (or was altered)."""

    status = HTTPStatus.NOT_FOUND


class SurveyTokenExpired(SurveyError):
    """The survey link is ours but too old to answer."""

    status = HTTPStatus.GONE


def survey_token(*, response: SurveyResponse) -> str:
    return signing.dumps({"r": response.pk, "k": response.kind}, salt=TOKEN_SALT, compress=True)


def survey_url(*, response: SurveyResponse) -> str:
    return settings.SITE_URL + reverse("programs:survey_answer", args=[survey_token(response=response)])


def load_response(*, token: str) -> SurveyResponse:
    """The response a link points to; a forged link and an expired one raise distinct errors."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as error:
        raise SurveyTokenExpired(_("Ce lien a expiré : le questionnaire n'est plus ouvert.")) from error
    except signing.BadSignature as error:
        raise SurveyTokenInvalid(_("Ce lien n'est pas valide.")) from error
    response = (
        SurveyResponse.objects.select_related("enrolment__session", "enrolment__job_seeker")
        .filter(pk=data.get("r"), kind=data.get("k"))
        .first()
    )
    if response is None:
        raise SurveyTokenInvalid(_("Ce lien n'est pas valide."))
    return response


def due_at(*, session: Session, kind: str) -> datetime:
    if kind == SurveyKind.SATISFACTION:
        return session.survey_at
    return session.ends_at + FOLLOW_UP_DELAYS[SurveyKind(kind)]


def _due_sessions(*, kind: str, now: datetime):
    sessions = Session.objects.published().filter(
        status__in=(SessionStatus.RUNNING, SessionStatus.CLOSED, SessionStatus.ARCHIVED)
    )
    if kind == SurveyKind.SATISFACTION:
        return sessions.filter(survey_at__lte=now, survey_at__gt=now - SEND_WINDOW)
    delay = FOLLOW_UP_DELAYS[SurveyKind(kind)]
    return sessions.filter(ends_at__lte=now - delay, ends_at__gt=now - delay - SEND_WINDOW)


@transaction.atomic
def send_session_surveys(*, session: Session, kind: str, now: datetime | None = None) -> int:
    """Create the survey rows of `kind` for the session's active people and queue their e-mails.

    Idempotent: a person who already has a row of this kind is skipped, and each e-mail has its
    key (`programs:survey:<kind>:response:<pk>`). Returns how many e-mails were queued.
    """
    now = now or timezone.now()
    already = SurveyResponse.objects.filter(enrolment=OuterRef("pk"), kind=kind)
    enrolments = Enrolment.objects.filter(session=session, status=EnrolmentStatus.ACTIVE).exclude(
        Exists(already)
    )
    ids = list(enrolments.values_list("pk", flat=True))
    if not ids:
        return 0
    SurveyResponse.objects.bulk_create(
        [SurveyResponse(enrolment_id=pk, kind=kind, sent_at=now) for pk in ids],
        ignore_conflicts=True,
        batch_size=1000,
    )
    send_after = next_allowed_send_time(now)
    responses = SurveyResponse.objects.filter(enrolment_id__in=ids, kind=kind).select_related(
        "enrolment__job_seeker"
    )
    for response in responses.iterator(chunk_size=1000):
        _queue(response=response, session=session, event="survey", send_after=send_after)
    return len(ids)


def _queue(*, response: SurveyResponse, session: Session, event: str, send_after: datetime) -> None:
    person = response.enrolment.job_seeker
    reminder = event == "survey-reminder"
    notify(
        user=person,
        kind=message_kinds.SURVEY,
        key=f"programs:{event}:{response.kind}:response:{response.pk}",
        template="programs/emails/survey_reminder" if reminder else "programs/emails/survey_invitation",
        context={
            "session": session,
            "user": person,
            "satisfaction": response.kind == SurveyKind.SATISFACTION,
            "months": {SurveyKind.FOLLOW_UP_3: 3, SurveyKind.FOLLOW_UP_6: 6}.get(response.kind),
            "url": survey_url(response=response),
        },
        send_after=send_after,
    )


def send_due_surveys(*, now: datetime | None = None) -> dict[str, int]:
    """Every survey whose date has come, session by session (each in its own transaction)."""
    now = now or timezone.now()
    sent: dict[str, int] = {}
    for kind in SurveyKind:
        for session in _due_sessions(kind=kind, now=now).order_by("pk"):
            count = send_session_surveys(session=session, kind=kind, now=now)
            if count:
                sent[f"{session.slug}:{kind.value}"] = count
    return sent


@transaction.atomic
def send_survey_reminders(*, now: datetime | None = None) -> int:
    """One reminder per unanswered survey, 7 days after it was sent, while its link is still valid."""
    now = now or timezone.now()
    due = (
        SurveyResponse.objects.unanswered()
        .filter(
            reminded_at__isnull=True,
            sent_at__lte=now - REMINDER_AFTER,
            sent_at__gt=now - TOKEN_MAX_AGE + REMINDER_AFTER,
            enrolment__status=EnrolmentStatus.ACTIVE,
        )
        .select_related("enrolment__job_seeker", "enrolment__session")
        .select_for_update(of=("self",), skip_locked=True)
    )
    send_after = next_allowed_send_time(now)
    count = 0
    for response in due:
        _queue(
            response=response,
            session=response.enrolment.session,
            event="survey-reminder",
            send_after=send_after,
        )
        response.reminded_at = now
        response.save(update_fields=["reminded_at"])
        count += 1
    return count


@dataclass(frozen=True)
class Answer:
    overall: int | None = None
    step_usefulness: Mapping[int, int] | None = None
    would_recommend: bool | None = None
    comment: str = ""
    situation: str = ""
    contract: str = ""
    rome_code: str = ""


@transaction.atomic
def record_answer(*, response: SurveyResponse, answer: Answer, now: datetime | None = None) -> SurveyResponse:
    """Save the person's answers, once: a second submission is refused."""
    now = now or timezone.now()
    response = SurveyResponse.objects.select_for_update().get(pk=response.pk)
    if response.answered_at is not None:
        raise SurveyError(_("Vous avez déjà répondu à ce questionnaire : merci !"))
    figures_changed(response.enrolment.session_id)
    if response.kind == SurveyKind.SATISFACTION:
        if answer.overall is None or not 1 <= answer.overall <= 5:
            raise SurveyError(_("Donnez une note de 1 à 5."))
        usefulness = {
            str(int(k)): int(v) for k, v in (answer.step_usefulness or {}).items() if int(k) in Step.values
        }
        if any(not 1 <= v <= 5 for v in usefulness.values()):
            raise SurveyError(_("Chaque note va de 1 à 5."))
        response.overall = answer.overall
        response.step_usefulness = usefulness
        response.would_recommend = answer.would_recommend
        response.comment = answer.comment.strip()[:2000]
    else:
        if not answer.situation:
            raise SurveyError(_("Indiquez votre situation."))
        response.situation = answer.situation
        response.contract = answer.contract if answer.situation == "job" else ""
        response.rome_code = answer.rome_code.upper() if answer.situation == "job" else ""
        response.comment = answer.comment.strip()[:2000]
    response.answered_at = now
    response.save()
    Enrolment.objects.filter(pk=response.enrolment_id).update(last_activity_at=now)
    return response
