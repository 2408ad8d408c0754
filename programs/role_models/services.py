"""Step 1: talks (their booking rules are the booking engine's), the join link, replays, job pages and
their descriptions.

Registering, the waiting list, offers, cancellations, moves, reminders and attendance are
`programs.bookings.services`, called here with the talks' `SlotKind` (`kind.TALKS`); this module
keeps what only talks have (the join link, replays, the copy into a new session) and step 1's other
ways through (job pages).
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from http import HTTPStatus
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.errors import DomainError
from declics.rome.models import RomeJob
from programs.bookings import services as engine
from programs.bookings.models import BookingStatus as Status
from programs.models import Enrolment, EnrolmentStatus, Session, Step
from programs.services.enrolments import complete_step

from .kind import TALKS, TalkError
from .kind import can_mark_attendance as _can_mark_attendance
from .models import JobPageView, RoleModel, Talk, TalkRegistration, TalkReplayView

__all__ = ["RoleModelError", "TalkError"]


class RoleModelError(DomainError):
    """A rule refused a change to a role model."""


JOB_DESCRIPTIONS_FILE = (
    Path(__file__).resolve().parent.parent / "role_models" / "data" / "digital_jobs_fr.json"
)
# The English versions, next to the French file: {"titles": {code: …}, "descriptions": {code: …}}.
JOB_DESCRIPTIONS_EN_FILE = JOB_DESCRIPTIONS_FILE.with_name("digital_jobs_en.json")


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def can_mark_attendance(*, user, talk: Talk) -> bool:
    """Staff, or the talk's host."""
    return _can_mark_attendance(user, talk)


def can_organise(*, user, talk: Talk) -> bool:
    """Staff move and cancel talks."""
    return TALKS.can_organise(user, talk)


def copy_talks(*, source: Session, target: Session, shift: timedelta) -> list[Talk]:
    """Launching a session from another copies its scheduled talks, shifted, with their speakers
    and host.

    The copies start empty: no registration, no replay (a replay belongs to the talk that was
    given). The source's role models are shown in the new session too.
    """
    copies = []
    for talk in source.talks.scheduled().prefetch_related("role_models").order_by("starts_at", "pk"):
        copy = Talk.objects.create(
            session=target,
            title=talk.title,
            description=talk.description,
            starts_at=talk.starts_at + shift,
            duration_minutes=talk.duration_minutes,
            video_url=talk.video_url,
            seats=talk.seats,
            host_id=talk.host_id,
        )
        copy.role_models.set(talk.role_models.all())
        copies.append(copy)
    target.role_models.add(*source.role_models.all())
    return copies


# --- Staff: role models --------------------------------------------------------------------------


def _ensure_staff(by) -> None:
    if by is None or not getattr(by, "is_programme_staff", False):
        raise RoleModelError(_("Seule l'équipe DéClics peut gérer les modèles."), status=HTTPStatus.FORBIDDEN)


@transaction.atomic
def save_role_model(
    *, role_model: RoleModel, photo_consent: bool, by, sessions=None, now: datetime | None = None
) -> RoleModel:
    """Create or update a role model (staff only).

    `photo_consent` is the team's word that the person agreed to their photo being shown: given, it
    stamps `photo_consent_at` (kept as first given); withdrawn, it clears it and the photo is
    no longer shown anywhere (`RoleModel.shows_photo`).
    """
    _ensure_staff(by)
    if role_model.rome_id is not None and not role_model.rome.is_digital:
        raise RoleModelError(_("Choisissez un métier du numérique."))
    if not photo_consent:
        role_model.photo_consent_at = None
    elif role_model.photo_consent_at is None:
        role_model.photo_consent_at = _now(now)
    role_model.save()
    if sessions is not None:  # the sessions where the role model may speak (a talk offers only these)
        role_model.sessions.set(sessions)
    return role_model


@transaction.atomic
def set_role_model_active(*, role_model: RoleModel, active: bool, by) -> RoleModel:
    """Deactivate a role model (no longer offered for new talks) or bring them back; staff only."""
    _ensure_staff(by)
    if role_model.is_active != active:
        role_model.is_active = active
        role_model.save(update_fields=["is_active"])
    return role_model


# --- Staff: create and edit talks (moving and cancelling are `move_talk` / `cancel_talk`) -------


def _ensure_talk_staff(by) -> None:
    if by is None or not getattr(by, "is_programme_staff", False):
        raise TalkError(
            _("Seule l'équipe DéClics peut créer ou modifier un témoignage."), status=HTTPStatus.FORBIDDEN
        )


def _check_speakers(session: Session, role_models) -> list:
    role_models = list(role_models)
    if not role_models:
        raise TalkError(_("Choisissez au moins un modèle."))
    shown = set(session.role_models.filter(pk__in=[r.pk for r in role_models]).values_list("pk", flat=True))
    if any(r.pk not in shown for r in role_models):
        raise TalkError(_("Les modèles d'un témoignage sont ceux de sa session."))
    return role_models


def _check_replay(talk: Talk, replay_url: str, now: datetime) -> None:
    if replay_url and replay_url != talk.replay_url and not talk.is_past(now):
        raise TalkError(_("Le lien du replay s'ajoute une fois le témoignage terminé."))


@transaction.atomic
def create_talk(
    *,
    session: Session,
    title: str,
    description: str = "",
    role_models,
    starts_at: datetime,
    duration_minutes: int,
    seats: int | None,
    video_url: str,
    host=None,
    by,
    now: datetime | None = None,
) -> Talk:
    """A new talk of the session (staff only), under the booking engine's rules for a new slot
    (not in the past, within the session; `seats` empty: no limit)."""
    _ensure_talk_staff(by)
    engine.check_new_slot(
        TALKS, session=session, starts_at=starts_at, duration_minutes=duration_minutes, seats=seats, now=now
    )
    speakers = _check_speakers(session, role_models)
    talk = Talk.objects.create(
        session=session,
        title=title,
        description=description,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        seats=seats,
        video_url=video_url,
        host=host,
    )
    talk.role_models.set(speakers)
    return talk


@transaction.atomic
def update_talk(
    *,
    talk: Talk,
    title: str,
    description: str,
    role_models,
    seats: int | None,
    video_url: str,
    host=None,
    replay_url: str = "",
    by,
    now: datetime | None = None,
    **others,
) -> Talk:
    """Change what is not the date (that is `move_talk`, which tells everyone): the seats go
    through the booking engine (never below the seats held; new seats offered to the waiting list),
    the replay link is added once the talk is over."""
    _ensure_talk_staff(by)
    now = _now(now)
    if "starts_at" in others or "duration_minutes" in others:
        raise TalkError(
            _(
                "La date se change depuis la page « Changer la date » : "
                "les personnes inscrites y sont prévenues."
            )
        )
    if others:
        raise TalkError(_("Champ inconnu : %(names)s.") % {"names": ", ".join(sorted(others))})
    talk = engine.lock_slot(TALKS, talk)
    if talk.is_cancelled:
        raise TalkError(_("Ce témoignage est annulé : il ne peut plus être modifié."))
    speakers = _check_speakers(talk.session, role_models)
    _check_replay(talk, replay_url, now)
    if seats != talk.seats:
        talk = engine.change_seats(TALKS, slot=talk, seats=seats, by=by, now=now)
    talk.title, talk.description, talk.video_url = title, description, video_url
    talk.host, talk.replay_url = host, replay_url
    talk.save()
    talk.role_models.set(speakers)
    return talk


# --- Job seekers: register, wait, confirm an offer, cancel (the engine's rules) ------------------


def register_for_talk(*, talk: Talk, enrolment: Enrolment, now: datetime | None = None) -> TalkRegistration:
    """Register the enrolment's person: a seat (the confirmation brings the `.ics` invitation), or a
    place on the waiting list when the talk has a number of seats and they are all taken."""
    return engine.book(TALKS, slot=talk, job_seeker=enrolment.job_seeker, now=now)


def cancel_registration(
    *, registration: TalkRegistration, job_seeker, now: datetime | None = None
) -> TalkRegistration:
    """The person gives up their seat (until the start), their place in the queue, or an offer; a
    freed seat is offered to the first person waiting."""
    return engine.cancel_booking(TALKS, booking=registration, job_seeker=job_seeker, now=now)


def confirm_offer(
    *, registration: TalkRegistration, job_seeker, now: datetime | None = None
) -> TalkRegistration:
    """The person takes the seat held for them, before the offer expires."""
    return engine.confirm_offer(TALKS, booking=registration, job_seeker=job_seeker, now=now)


def release_registrations(enrolment: Enrolment, *, reason: str, now: datetime) -> int:
    """The enrolment ended: its registrations to talks not yet started end as cancelled (the seat
    goes to the first person waiting, the reminders are cancelled; see
    `programs.bookings.services.release`). Past registrations stay: they count attendance."""
    return engine.release(TALKS, enrolment, reason=reason, now=now)


# --- Staff: move, cancel, attendance -------------------------------------------------------------


def move_talk(
    *, talk: Talk, starts_at: datetime, duration_minutes: int | None = None, by, now: datetime | None = None
) -> Talk:
    """Move a talk: everyone registered or waiting is told once, with an updated invitation
    (SEQUENCE + 1); the reminders follow the new time."""
    return engine.move_slot(
        TALKS, slot=talk, starts_at=starts_at, duration_minutes=duration_minutes, by=by, now=now
    )


def cancel_talk(*, talk: Talk, by, reason: str = "", now: datetime | None = None) -> int:
    """Cancel a talk: every registration ends, everyone is told once (with a CANCEL); returns how many."""
    return engine.cancel_slot(TALKS, slot=talk, by=by, reason=reason, now=now)


def mark_talk_attendance(
    *, talk: Talk, present_ids: Iterable[int], by, now: datetime | None = None
) -> dict[str, int]:
    """Record who attended among the confirmed registrations (`present_ids`; the others are absent).

    Each person present completes step 1 and is thanked; each absent person is offered the replay,
    else the session's next talk with a seat. Returns `{"present": n, "absent": n}`.
    """
    return engine.mark_attendance(TALKS, slot=talk, present=present_ids, by=by, now=now)


@transaction.atomic
def join_talk(*, registration: TalkRegistration, now: datetime | None = None) -> str:
    """The video room's URL for a person with a confirmed seat, from 30 minutes before until the end."""
    now = _now(now)
    talk = registration.talk
    if talk.is_cancelled:
        raise TalkError(_("Ce témoignage est annulé."))
    if registration.status != Status.CONFIRMED:
        raise TalkError(_("Le lien est réservé aux personnes inscrites à ce témoignage."))
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


@dataclass
class DescriptionLoadResult:
    updated: int
    unchanged: int
    unknown: list[str]


@transaction.atomic
def load_job_descriptions(
    *, path: Path = JOB_DESCRIPTIONS_FILE, english_path: Path | None = JOB_DESCRIPTIONS_EN_FILE
) -> DescriptionLoadResult:
    """Write the plain-French descriptions of the digital jobs (data file) on the ROME sheets, and
    their English names and descriptions from the English file beside it when there is one.

    Idempotent: a sheet already equal is left alone. Codes missing from the loaded ROME (run
    `load_rome` first) are reported, not created. A code missing from the English file keeps no
    English text, and its pages show the French one.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    english = {}
    if english_path is not None and Path(english_path).exists():
        english = json.loads(Path(english_path).read_text(encoding="utf-8"))
    texts = {
        code: {
            "description": text.strip(),
            "label_en": english.get("titles", {}).get(code, "").strip(),
            "description_en": english.get("descriptions", {}).get(code, "").strip(),
        }
        for code, text in data["descriptions"].items()
    }
    jobs = {job.code: job for job in RomeJob.objects.filter(code__in=texts)}
    changed = []
    for code, fields in texts.items():
        job = jobs.get(code)
        if job is not None and any(getattr(job, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(job, name, value)
            changed.append(job)
    RomeJob.objects.bulk_update(changed, ["description", "label_en", "description_en"], batch_size=200)
    unknown = sorted(set(texts) - set(jobs))
    return DescriptionLoadResult(updated=len(changed), unchanged=len(jobs) - len(changed), unknown=unknown)
