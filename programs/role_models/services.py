"""Step 1: talk registration, the join link, attendance, replays, job pages and their descriptions."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.notifications.services import cancel_messages, queue_email
from declics.rome.models import RomeJob
from programs.models import Enrolment, EnrolmentStatus, Session, Step
from programs.services.enrolments import complete_step
from programs.services.errors import ProgramError
from programs.services.steps import ensure_step_open

from .models import JobPageView, Talk, TalkRegistration, TalkReplayView

JOB_DESCRIPTIONS_FILE = (
    Path(__file__).resolve().parent.parent / "role_models" / "data" / "digital_jobs_fr.json"
)
# (key, how long before the start, the registration's stamp field)
REMINDERS = (
    ("day-before", timedelta(hours=24), "reminded_day_before_at"),
    ("hour-before", timedelta(hours=1), "reminded_hour_before_at"),
)


class TalkError(ProgramError):
    """A talk action was refused; the message is safe to show."""


def can_mark_attendance(*, user, talk: Talk) -> bool:
    return user.is_authenticated and (user.is_programme_staff or talk.host_id == user.pk)


def _email_context(registration: TalkRegistration) -> dict:
    talk = registration.talk
    site = settings.SITE_URL
    return {
        "talk": talk,
        "registration": registration,
        "user": registration.enrolment.job_seeker,
        "starts_at": timezone.localtime(talk.starts_at),
        "talk_url": site + reverse("programs:talk_detail", args=[talk.pk]),
        "join_url": site + reverse("programs:talk_join", args=[talk.pk]),
    }


def copy_talks(*, source: Session, target: Session, shift: timedelta) -> list[Talk]:
    """Launching a session from another copies its talks, shifted, with their speakers and host.

    The copies start empty: no registration, no replay (a replay belongs to the talk that was
    given). The source's role models are shown in the new session too.
    """
    copies = []
    for talk in source.talks.prefetch_related("role_models").order_by("starts_at", "pk"):
        copy = Talk.objects.create(
            session=target,
            title=talk.title,
            description=talk.description,
            starts_at=talk.starts_at + shift,
            duration=talk.duration,
            video_url=talk.video_url,
            capacity=talk.capacity,
            host_id=talk.host_id,
        )
        copy.role_models.set(talk.role_models.all())
        copies.append(copy)
    target.role_models.add(*source.role_models.all())
    return copies


@transaction.atomic
def register_for_talk(*, talk: Talk, enrolment: Enrolment, now: datetime | None = None) -> TalkRegistration:
    """Register an active participant of the talk's session; a capacity, if any, is never exceeded.

    The talk row is locked so two requests cannot both take the last place. A confirmation with
    the `.ics` invitation is queued in the outbox, once.
    """
    from . import ics

    now = now or timezone.now()
    talk = Talk.objects.select_for_update().get(pk=talk.pk)
    if enrolment.session_id != talk.session_id or enrolment.status != EnrolmentStatus.ACTIVE:
        raise TalkError(_("Ce témoignage est réservé aux participant·es inscrit·es à la session."))
    ensure_step_open(enrolment=enrolment, step=Step.ROLE_MODELS, now=now, error=TalkError)
    if talk.ends_at <= now:
        raise TalkError(_("Ce témoignage est terminé : regardez son replay quand il sera en ligne."))
    if TalkRegistration.objects.filter(talk=talk, enrolment=enrolment).exists():
        raise TalkError(_("Vous êtes déjà inscrit·e à ce témoignage."))
    if talk.capacity is not None and talk.registrations.count() >= talk.capacity:
        raise TalkError(_("Ce témoignage est complet."))
    registration = TalkRegistration.objects.create(talk=talk, enrolment=enrolment)
    registration.talk = talk
    person = enrolment.job_seeker
    queue_email(
        key=f"talk-registered:registration:{registration.pk}",
        to=person.email,
        template="programs/emails/talk_registered",
        context=_email_context(registration),
        user=person,
        attachments=[ics.attachment(registration)],
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
    return registration


def release_registrations(enrolment: Enrolment, *, reason: str, now: datetime) -> int:
    """The enrolment ended: its registrations to talks not yet started are removed (the place goes
    back to the talk) and their confirmation and reminders still in the outbox are cancelled.
    Registrations to talks already started stay: they count attendance. Returns how many went.
    """
    upcoming = list(
        TalkRegistration.objects.filter(enrolment=enrolment, talk__starts_at__gt=now).values_list(
            "pk", flat=True
        )
    )
    for pk in upcoming:
        cancel_messages(key_prefix=f"talk-registered:registration:{pk}")
        for key, _before, _field in REMINDERS:
            cancel_messages(key_prefix=f"talk-reminder:{key}:registration:{pk}")
    TalkRegistration.objects.filter(pk__in=upcoming).delete()
    return len(upcoming)


@transaction.atomic
def join_talk(*, registration: TalkRegistration, now: datetime | None = None) -> str:
    """The video room's URL for a registered person, from 30 minutes before until the end."""
    now = now or timezone.now()
    talk = registration.talk
    if not talk.join_is_open(now):
        if now < talk.join_opens_at:
            when = timezone.localtime(talk.join_opens_at)
            raise TalkError(
                _("Le lien s'ouvrira le %(day)s à %(time)s, 30 minutes avant le début.")
                % {"day": when.strftime("%d/%m/%Y"), "time": when.strftime("%H:%M")}
            )
        raise TalkError(_("Ce témoignage est terminé."))
    if registration.joined_at is None:
        TalkRegistration.objects.filter(pk=registration.pk, joined_at__isnull=True).update(joined_at=now)
    return talk.video_url


@transaction.atomic
def mark_talk_attendance(*, talk: Talk, present_ids, by, now: datetime | None = None) -> int:
    """Record who attended among the talk's registrations; each person present completes step 1.

    `present_ids` are registration ids; the others are recorded absent. Returns the number present.
    """
    now = now or timezone.now()
    if not can_mark_attendance(user=by, talk=talk):
        raise TalkError(_("Seules l'équipe et la personne qui anime peuvent noter les présences."))
    if talk.starts_at > now:
        raise TalkError(_("Les présences se notent une fois le témoignage commencé."))
    registrations = list(talk.registrations.select_for_update().select_related("enrolment"))
    present = {int(pk) for pk in present_ids}
    count = 0
    for registration in registrations:
        attended = registration.pk in present
        registration.attended = attended
        registration.attendance_marked_at = now
        if attended:
            count += 1
            complete_step(enrolment=registration.enrolment, step=Step.ROLE_MODELS, when=now)
    TalkRegistration.objects.bulk_update(registrations, ["attended", "attendance_marked_at"])
    return count


@transaction.atomic
def record_replay_view(*, talk: Talk, enrolment: Enrolment, now: datetime | None = None) -> str:
    """A participant of the session opens the replay: counted once for step 1; returns the replay URL."""
    now = now or timezone.now()
    if not talk.replay_url:
        raise TalkError(_("Le replay de ce témoignage n'est pas encore en ligne."))
    if enrolment.session_id != talk.session_id or enrolment.status != EnrolmentStatus.ACTIVE:
        raise TalkError(_("Ce replay est réservé aux participant·es inscrit·es à la session."))
    view, created = TalkReplayView.objects.select_for_update().get_or_create(
        talk=talk, enrolment=enrolment, defaults={"first_viewed_at": now}
    )
    if not created:
        view.views += 1
        view.save(update_fields=["views"])
    complete_step(enrolment=enrolment, step=Step.ROLE_MODELS, when=now)
    return talk.replay_url


@transaction.atomic
def record_job_page_view(*, enrolment: Enrolment, rome: RomeJob, now: datetime | None = None) -> bool:
    """Remember that the person read this job page; returns True when it completes step 1.

    Step 1 is completed by job pages only when the session asks for some
    (`role_model_job_pages_required` > 0) and that many distinct pages were read.
    """
    now = now or timezone.now()
    if enrolment.status != EnrolmentStatus.ACTIVE:
        return False
    JobPageView.objects.get_or_create(enrolment=enrolment, rome=rome, defaults={"viewed_at": now})
    required = enrolment.session.role_model_job_pages_required
    if required and JobPageView.objects.filter(enrolment=enrolment).count() >= required:
        progress = complete_step(enrolment=enrolment, step=Step.ROLE_MODELS, when=now)
        return progress.completed_at == now
    return False


def send_talk_reminders(*, now: datetime | None = None) -> int:
    """Queue the day-before and hour-before reminders that are due; each is queued once.

    Idempotent: a reminder's outbox key is unique and the registration is stamped, under a row
    lock, in the same transaction. A person who registers within the last hour only gets the
    hour-before reminder (the day-before one would arrive with it).
    """
    now = now or timezone.now()
    queued = 0
    for key, before, field in REMINDERS:
        due = TalkRegistration.objects.filter(
            **{f"{field}__isnull": True},
            talk__starts_at__gt=now,
            talk__starts_at__lte=now + before,
            enrolment__status=EnrolmentStatus.ACTIVE,
        )
        if key == "day-before":
            due = due.filter(talk__starts_at__gt=now + REMINDERS[1][1])
        for pk in due.values_list("pk", flat=True):
            queued += _remind(pk=pk, key=key, field=field, now=now)
    return queued


@transaction.atomic
def _remind(*, pk: int, key: str, field: str, now: datetime) -> int:
    registration = (
        TalkRegistration.objects.select_for_update()
        .select_related("talk", "enrolment__job_seeker")
        .filter(pk=pk, **{f"{field}__isnull": True})
        .first()
    )
    if registration is None:
        return 0
    person = registration.enrolment.job_seeker
    _message, created = queue_email(
        key=f"talk-reminder:{key}:registration:{registration.pk}",
        to=person.email,
        template="programs/emails/talk_reminder",
        context={**_email_context(registration), "hour_before": key == "hour-before"},
        user=person,
    )
    setattr(registration, field, now)
    registration.save(update_fields=[field])
    return int(created)


@dataclass
class DescriptionLoadResult:
    updated: int
    unchanged: int
    unknown: list[str]


@transaction.atomic
def load_job_descriptions(*, path: Path = JOB_DESCRIPTIONS_FILE) -> DescriptionLoadResult:
    """Write the plain-French descriptions of the digital jobs (data file) on the ROME sheets.

    Idempotent: a description already equal is left alone. Codes missing from the loaded ROME
    (run `load_rome` first) are reported, not created.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    descriptions = {code: text.strip() for code, text in data["descriptions"].items()}
    jobs = {job.code: job for job in RomeJob.objects.filter(code__in=descriptions)}
    changed = []
    for code, text in descriptions.items():
        job = jobs.get(code)
        if job is not None and job.description != text:
            job.description = text
            changed.append(job)
    RomeJob.objects.bulk_update(changed, ["description"], batch_size=200)
    unknown = sorted(set(descriptions) - set(jobs))
    return DescriptionLoadResult(updated=len(changed), unchanged=len(jobs) - len(changed), unknown=unknown)
