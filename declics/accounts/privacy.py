"""Personal data: what the platform holds about a person (export), erasure, and retention.

Export: `export_user_data` gathers, app by app, every row that is about the person (their account,
their enrolments and everything hanging from them, mentoring, applications, messages sent to them)
into one JSON-ready dict; `export_zip` adds the CV files they uploaded. Every relation to the User
model is either exported (`EXPORTED_USER_RELATIONS`) or deliberately left out with a reason
(`NOT_EXPORTED_USER_RELATIONS`); a test fails when a new relation is in neither.

Erasure (`erase_user`) — what is deleted, what is kept, and why:

- deleted or blanked: name, e-mail (→ `anonymised-<id>@invalid`), phone, password, the allauth
  addresses, the second factors (authenticator app, recovery codes, security keys), the France
  Travail id, education, situation, how they heard of the programme, the
  profile's commune, the QPV of each enrolment and the address part of the eligibility snapshot,
  every free text they wrote or that was written about them (survey comments, mentoring request
  and goals, mentor's notes on their sessions, application messages, training-interest messages),
  their CV files (from disk), their skills-assessment answers and results, their mentoring
  preferences, their calendar feed token, and the text of every e-mail sent to them;
- kept, with no direct identifier, because the programme's aggregated impact figures count them
  (published only with the small-group suppression of `programs.impact`): the enrolments (session,
  status, commune — for the département figures — and the QPV/FRR basis), step progress, workshop
  and talk attendance, survey scores and outcomes (job, training, contract, ROME code), and on the
  profile the gender, birth year and RQTH flag (share of women, age bands, recognised disability);
- the account row stays, deactivated, so that these counted rows keep their owner; the person can
  no longer log in and no e-mail can reach them.

Retention lives in `declics.accounts.retention`: accounts inactive for 2 years are warned, then
erased with `erase_user` 30 days after the warning if they have not logged in since.
"""

import contextlib
import io
import json
import logging
import zipfile
from datetime import datetime
from pathlib import PurePosixPath

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from declics.errors import DomainError
from declics.notifications.models import OutboxMessage
from jobs.models import PartnerMembership
from jobs.offers.models import Application
from jobs.trainings.models import MeetingBooking, TrainingInterest
from mentoring.models import (
    Feedback,
    MatchProposal,
    MenteePreferences,
    MentoringRequest,
    MentorProfile,
    Mentorship,
    MentorStatus,
    RequestStatus,
    SessionLog,
)
from mentoring.services import MentoringError, cancel_request, decline_request, end_mentorship
from programs.assessment.models import AssessmentAttempt
from programs.models import (
    AdviserMembership,
    Enrolment,
    JobSeekerProfile,
    SessionEmailInvitation,
    SurveyResponse,
)
from programs.role_models.models import Talk
from programs.workshops.models import LIVE_STATUSES, CalendarFeedToken, Workshop, WorkshopBooking
from programs.workshops.services import WorkshopError, cancel_booking

from .models import Invitation, Role, User

logger = logging.getLogger(__name__)

ANONYMOUS_DOMAIN = "invalid"

# Relations to the User model ("app_label.Model.field") that the export covers.
EXPORTED_USER_RELATIONS = {
    "account.EmailAddress.user",
    "mfa.Authenticator.user",  # which second factors, when added and last used: never their secrets
    "accounts.Invitation.user",
    "notifications.OutboxMessage.user",
    "programs.AdviserMembership.user",
    "programs.SessionEmailInvitation.adviser",  # as a count per session: the addresses are others'
    "programs.JobSeekerProfile.user",
    "programs.Enrolment.job_seeker",
    "programs.Enrolment.adviser",  # an adviser's people, as a count per session
    "programs.Talk.host",
    "programs.Workshop.facilitators",
    "programs.WorkshopBooking.job_seeker",
    "programs.CalendarFeedToken.user",
    "mentoring.MentorProfile.user",
    "mentoring.Feedback.author",
    "jobs.MeetingBooking.job_seeker",
    "jobs.Application.job_seeker",
    "jobs.PartnerMembership.user",
    "jobs.TrainingInterest.job_seeker",
}
# Relations left out of the export on purpose, each with its reason.
NOT_EXPORTED_USER_RELATIONS = {
    # The administration's audit trail of staff actions (who changed what), not data about them.
    "admin.LogEntry.user": "journal des actions de l'équipe dans l'administration",
    # Staff invitations sent by this person: the data is the invitees', not theirs.
    "accounts.Invitation.invited_by": "invitations envoyées par l'équipe (données des invité·es)",
    # Who created a session or a workshop, who marked attendance, reviewed a mentor, ran or
    # published a bulk match: the operator's bookkeeping on the platform's own objects.
    "programs.Session.created_by": "auteur·rice d'une session (équipe)",
    "programs.Workshop.created_by": "auteur·rice d'un atelier (équipe)",
    "programs.WorkshopBooking.attendance_marked_by": "présence notée par l'équipe ou l'animateur·rice",
    "mentoring.MentorProfile.reviewed_by": "validation d'un·e mentor·e par l'équipe",
    "mentoring.MatchRun.created_by": "appariement groupé lancé par l'équipe",
    "mentoring.MatchRun.published_by": "appariement groupé publié par l'équipe",
    # Covered through the mentorship itself (exported with its end reason and its logs).
    "mentoring.Mentorship.ended_by": "exporté avec le mentorat (« terminé par »)",
    "mentoring.SessionLog.created_by": "exporté avec les séances du mentorat",
}
# Relations to programs.Enrolment: everything hanging from an enrolment is about its person.
EXPORTED_ENROLMENT_RELATIONS = {
    "programs.StepProgress.enrolment",
    "programs.SurveyResponse.enrolment",
    "programs.TalkRegistration.enrolment",
    "programs.TalkReplayView.enrolment",
    "programs.JobPageView.enrolment",
    "programs.AssessmentAttempt.enrolment",
    "programs.WorkshopBooking.enrolment",
    "mentoring.MenteePreferences.enrolment",
    "mentoring.MentoringRequest.enrolment",
    "mentoring.Mentorship.enrolment",
    "mentoring.MatchProposal.enrolment",
    "jobs.MeetingBooking.enrolment",
    "jobs.Application.enrolment",
    "jobs.TrainingInterest.enrolment",
}


def _iso(value):
    return value.isoformat() if value is not None else None


def _name(user) -> str:
    return user.get_full_name() if user is not None else ""


def _choice(obj, name):
    value = getattr(obj, name)
    return {"value": value, "label": str(getattr(obj, f"get_{name}_display")())} if value else None


def _account(user: User) -> dict:
    return {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "phone": user.phone,
        "role": _choice(user, "role"),
        "is_active": user.is_active,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }


def _profile(user: User) -> dict | None:

    profile = JobSeekerProfile.objects.filter(user=user).select_related("commune").first()
    if profile is None:
        return None
    return {
        "commune": {"code": profile.commune.code, "name": profile.commune.name} if profile.commune else None,
        "birth_year": profile.birth_year,
        "gender": _choice(profile, "gender"),
        "education_level": profile.education_level,
        "situation": profile.situation,
        "france_travail_id": profile.france_travail_id,
        "rqth": profile.rqth,
        "rqth_consent_at": _iso(profile.rqth_consent_at),
        "heard_from": profile.heard_from,
        "privacy_consent_at": _iso(profile.privacy_consent_at),
        "updated_at": _iso(profile.updated_at),
    }


def _assessment(enrolment) -> list[dict]:
    attempts = []
    for attempt in enrolment.assessment_attempts.all():
        result = getattr(attempt, "result", None)
        attempts.append(
            {
                "questionnaire_version": attempt.questionnaire.version,
                "status": _choice(attempt, "status"),
                "started_at": _iso(attempt.started_at),
                "completed_at": _iso(attempt.completed_at),
                "answers": [
                    {"question": answer.question.text, "answer": answer.choice.label}
                    for answer in attempt.answers.all()
                ],
                "result": None
                if result is None
                else {
                    "created_at": _iso(result.created_at),
                    "snapshot": result.snapshot,
                    "shares": [
                        {
                            "audience": _choice(share, "audience"),
                            "status": _choice(share, "status"),
                            "changed_at": _iso(share.changed_at),
                        }
                        for share in result.shares.all()
                    ],
                },
            }
        )
    return attempts


def _mentoring(enrolment) -> dict:
    preferences = getattr(enrolment, "mentoring_preferences", None)
    return {
        "preferences": None
        if preferences is None
        else {
            "rome_jobs": [job.code for job in preferences.rome_jobs.all()],
            "availability": preferences.availability,
            "languages": preferences.languages,
            "mentor_gender": preferences.mentor_gender,
            "goals": preferences.goals,
        },
        "requests": [
            {
                "mentor": request.mentor.public_name,
                "message": request.message,
                "status": _choice(request, "status"),
                "decline_reason": request.decline_reason,
                "created_at": _iso(request.created_at),
                "answered_at": _iso(request.answered_at),
            }
            for request in enrolment.mentoring_requests.all()
        ],
        "mentorships": [
            {
                "mentor": _name(mentorship.mentor.user),
                "status": _choice(mentorship, "status"),
                "goals": mentorship.goals,
                "started_at": _iso(mentorship.started_at),
                "ended_at": _iso(mentorship.ended_at),
                "ended_by": _name(mentorship.ended_by),
                "end_reason": _choice(mentorship, "end_reason"),
                "end_comment": mentorship.end_comment,
                # The mentor's private notes are theirs: never in the mentee's export.
                "sessions": [
                    {
                        "held_on": _iso(log.held_on),
                        "duration_minutes": log.duration_minutes,
                        "topic": log.topic,
                    }
                    for log in mentorship.logs.all()
                ],
            }
            for mentorship in enrolment.mentorships.all()
        ],
    }


def _enrolments(user: User) -> list[dict]:

    enrolments = (
        Enrolment.objects.filter(job_seeker=user)
        .select_related("session", "adviser", "commune", "qpv", "mentoring_preferences")
        .prefetch_related(
            "step_progress",
            "survey_responses",
            "talk_registrations__talk",
            "talk_replays__talk",
            "job_page_views__rome",
            "assessment_attempts__questionnaire",
            "assessment_attempts__answers__question",
            "assessment_attempts__answers__choice",
            "assessment_attempts__result__shares",
            "mentoring_preferences__rome_jobs",
            "mentoring_requests__mentor__user",
            "mentorships__mentor__user",
            "mentorships__ended_by",
            "mentorships__logs",
        )
        .order_by("created_at", "pk")
    )
    proposals: dict[int, list] = {}
    for proposal in MatchProposal.objects.filter(enrolment__job_seeker=user).select_related("mentor__user"):
        proposals.setdefault(proposal.enrolment_id, []).append(
            {"mentor": proposal.mentor.public_name if proposal.mentor else None, "outcome": proposal.outcome}
        )
    rows = []
    for enrolment in enrolments:
        rows.append(
            {
                "session": {"title": enrolment.session.title, "slug": enrolment.session.slug},
                "status": _choice(enrolment, "status"),
                "created_at": _iso(enrolment.created_at),
                "promoted_at": _iso(enrolment.promoted_at),
                "withdrawn_at": _iso(enrolment.withdrawn_at),
                "last_activity_at": _iso(enrolment.last_activity_at),
                "adviser": _name(enrolment.adviser),
                "share_with_adviser": enrolment.share_with_adviser,
                "commune": {"code": enrolment.commune.code, "name": enrolment.commune.name},
                "qpv": {"code": enrolment.qpv.code, "name": enrolment.qpv.name} if enrolment.qpv else None,
                "eligibility": enrolment.eligibility,
                "steps": [
                    {
                        "step": progress.step,
                        "label": str(progress.get_step_display()),
                        "completed_at": _iso(progress.completed_at),
                        "nudged_at": _iso(progress.nudged_at),
                    }
                    for progress in sorted(enrolment.step_progress.all(), key=lambda p: p.step)
                ],
                "talks": [
                    {
                        "talk": registration.talk.title,
                        "starts_at": _iso(registration.talk.starts_at),
                        "registered_at": _iso(registration.created_at),
                        "joined_at": _iso(registration.joined_at),
                        "attended": registration.attended,
                    }
                    for registration in enrolment.talk_registrations.all()
                ],
                "replays_watched": [
                    {
                        "talk": view.talk.title,
                        "first_viewed_at": _iso(view.first_viewed_at),
                        "views": view.views,
                    }
                    for view in enrolment.talk_replays.all()
                ],
                "job_pages_viewed": [
                    {"rome": view.rome.code, "viewed_at": _iso(view.viewed_at)}
                    for view in enrolment.job_page_views.all()
                ],
                "assessment": _assessment(enrolment),
                "surveys": [
                    {
                        "kind": _choice(response, "kind"),
                        "sent_at": _iso(response.sent_at),
                        "answered_at": _iso(response.answered_at),
                        "overall": response.overall,
                        "step_usefulness": response.step_usefulness,
                        "would_recommend": response.would_recommend,
                        "comment": response.comment,
                        "situation": _choice(response, "situation"),
                        "contract": _choice(response, "contract"),
                        "rome_code": response.rome_code,
                    }
                    for response in enrolment.survey_responses.all()
                ],
                "mentoring": {**_mentoring(enrolment), "match_proposals": proposals.get(enrolment.pk, [])},
            }
        )
    return rows


def _workshop_bookings(user: User) -> list[dict]:

    bookings = (
        WorkshopBooking.objects.filter(job_seeker=user).select_related("workshop").order_by("booked_at")
    )
    return [
        {
            "workshop": booking.workshop.title,
            "starts_at": _iso(booking.workshop.starts_at),
            "status": _choice(booking, "status"),
            "booked_at": _iso(booking.booked_at),
            "confirmed_at": _iso(booking.confirmed_at),
            "cancelled_at": _iso(booking.cancelled_at),
            "attended": booking.attended,
            "feedback": _choice(booking, "feedback"),
        }
        for booking in bookings
    ]


def _mentor(user: User) -> dict | None:

    profile = (
        MentorProfile.objects.filter(user=user)
        .select_related("region")
        .prefetch_related("rome_jobs", "departements")
        .first()
    )
    if profile is None:
        return None
    logs = (
        SessionLog.objects.filter(mentorship__mentor=profile)
        .select_related("mentorship__enrolment__job_seeker")
        .order_by("held_on", "pk")
    )
    return {
        "job_title": profile.job_title,
        "employer": profile.employer,
        "rome_jobs": [job.code for job in profile.rome_jobs.all()],
        "region": profile.region.name,
        "departements": [d.code for d in profile.departements.all()],
        "nationwide": profile.nationwide,
        "capacity": profile.capacity,
        "availability": profile.availability,
        "languages": profile.languages,
        "gender": _choice(profile, "gender"),
        "presentation": profile.presentation,
        "status": _choice(profile, "status"),
        "created_at": _iso(profile.created_at),
        # Their own sessions as a mentor, with their own private notes (theirs to read).
        "sessions": [
            {
                "mentee": log.mentorship.enrolment.job_seeker.first_name,
                "held_on": _iso(log.held_on),
                "duration_minutes": log.duration_minutes,
                "topic": log.topic,
                "private_notes": log.private_notes,
            }
            for log in logs
        ],
    }


def _jobs(user: User) -> dict:

    applications = Application.objects.filter(job_seeker=user).select_related("offer").order_by("created_at")
    interests = TrainingInterest.objects.filter(job_seeker=user).select_related("training__body")
    meetings = MeetingBooking.objects.filter(job_seeker=user).select_related("slot__body")
    return {
        "applications": [
            {
                "offer": application.offer.title,
                "company": application.offer.company_name or str(application.offer.company or ""),
                "message": application.message,
                "cv": {"name": application.cv_name, "file_in_archive": _cv_archive_name(application)}
                if application.cv
                else None,
                "status": _choice(application, "status"),
                "rejection_reason": _choice(application, "rejection_reason"),
                "company_message": application.company_message,
                "created_at": _iso(application.created_at),
                "status_changed_at": _iso(application.status_changed_at),
                "hired_at": _iso(application.hired_at),
            }
            for application in applications
        ],
        "training_interests": [
            {
                "training": interest.training.title,
                "body": interest.training.body.name,
                "message": interest.message,
                "consent_at": _iso(interest.consent_at),
                "created_at": _iso(interest.created_at),
            }
            for interest in interests.order_by("created_at")
        ],
        "meeting_bookings": [
            {
                "body": booking.slot.body.name,
                "starts_at": _iso(booking.slot.starts_at),
                "status": _choice(booking, "status"),
                "attended": booking.attended,
                "created_at": _iso(booking.created_at),
                "cancelled_at": _iso(booking.cancelled_at),
            }
            for booking in meetings.order_by("created_at")
        ],
    }


def _cv_archive_name(application) -> str:
    suffix = PurePosixPath(application.cv.name).suffix
    stem = get_valid_filename(PurePosixPath(application.cv_name).stem) or "cv"
    return f"cv/{application.pk}-{stem}{suffix}"


def _roles(user: User) -> dict:
    """What they do as an adviser, a partner, a host or a facilitator."""

    membership = AdviserMembership.objects.filter(user=user).select_related("agency").first()
    partner = PartnerMembership.objects.filter(user=user).select_related("partner").first()
    people = {
        row["session__slug"]: row["n"]
        for row in Enrolment.objects.filter(adviser=user)
        .values("session__slug")
        .annotate(n=Count("pk"))
        .order_by()
    }
    sent = {
        row["session__slug"]: row["n"]
        for row in SessionEmailInvitation.objects.filter(adviser=user)
        .values("session__slug")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return {
        "agency": None
        if membership is None
        else {
            "name": membership.agency.name,
            "is_head": membership.is_head,
            "since": _iso(membership.created_at),
        },
        "people_who_named_you_per_session": people,
        "email_invitations_sent_per_session": sent,
        "partner": None
        if partner is None
        else {"name": partner.partner.name, "since": _iso(partner.created_at)},
        "hosted_talks": [
            {"title": t.title, "starts_at": _iso(t.starts_at)} for t in Talk.objects.filter(host=user)
        ],
        "facilitated_workshops": [
            {"title": w.title, "starts_at": _iso(w.starts_at)}
            for w in Workshop.objects.filter(facilitators=user)
        ],
    }


def _messages(user: User) -> list[dict]:
    messages = OutboxMessage.objects.filter(Q(user=user) | Q(to_email__iexact=user.email)).order_by(
        "created_at", "pk"
    )
    return [
        {
            "to": message.to_email,
            "subject": message.subject,
            "text": message.body_text,
            "status": _choice(message, "status"),
            "created_at": _iso(message.created_at),
            "sent_at": _iso(message.sent_at),
        }
        for message in messages
    ]


def export_user_data(*, user: User) -> dict:
    """Everything the platform holds about `user`, as plain JSON-ready data (CV files apart)."""

    feed = CalendarFeedToken.objects.filter(user=user).first()
    invitation = Invitation.objects.filter(user=user).first()
    return {
        "generated_at": _iso(timezone.now()),
        "account": _account(user),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("pk")
        ],
        "second_factors": [
            {
                "type": _choice(a, "type"),
                "created_at": _iso(a.created_at),
                "last_used_at": _iso(a.last_used_at),
            }
            for a in Authenticator.objects.filter(user=user).order_by("pk")
        ],
        "staff_invitation": None
        if invitation is None
        else {
            "role": _choice(invitation, "role"),
            "created_at": _iso(invitation.created_at),
            "accepted_at": _iso(invitation.accepted_at),
        },
        "adviser_invitations_received": [
            {"session": i.session.title, "adviser": _name(i.adviser), "created_at": _iso(i.created_at)}
            for i in SessionEmailInvitation.objects.filter(email__iexact=user.email).select_related(
                "session", "adviser"
            )
        ],
        "job_seeker_profile": _profile(user),
        "enrolments": _enrolments(user),
        "workshop_bookings": _workshop_bookings(user),
        "workshop_calendar_feed": None if feed is None else {"created_at": _iso(feed.created_at)},
        "mentor_profile": _mentor(user),
        "mentoring_feedback_given": [
            {
                "rating": f.rating,
                "useful": f.useful,
                "comment": f.comment,
                "created_at": _iso(f.created_at),
            }
            for f in Feedback.objects.filter(author=user).order_by("created_at")
        ],
        **_jobs(user),
        "roles": _roles(user),
        "messages_sent_to_you": _messages(user),
    }


def export_zip(*, user: User) -> bytes:
    """The export as a ZIP: `donnees.json`, a short `LISEZMOI.txt`, and the CV files under `cv/`."""

    data = export_user_data(user=user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "donnees.json", json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        archive.writestr(
            "LISEZMOI.txt",
            _(
                "Vos données sur DéClics, au %(date)s.\n"
                "donnees.json : tout ce que la plateforme enregistre à votre sujet.\n"
                "cv/ : les CV que vous avez envoyés avec vos candidatures.\n"
            )
            % {"date": timezone.localtime().strftime("%d/%m/%Y %H:%M")},
        )
        for application in Application.objects.filter(job_seeker=user).exclude(cv=""):
            try:
                with application.cv.open("rb") as cv:
                    archive.writestr(_cv_archive_name(application), cv.read())
            except FileNotFoundError:
                logger.warning("cv file missing", extra={"application": application.pk})
    return buffer.getvalue()


class ErasureError(DomainError):
    """The account cannot be erased this way; the message is safe to show."""


def anonymised_email(user: User) -> str:
    return f"anonymised-{user.pk}@{ANONYMOUS_DOMAIN}"


def is_anonymised(user: User) -> bool:
    return user.email == anonymised_email(user)


def _erase_activity(user: User, *, now: datetime) -> None:
    """Free seats and places the person held, through each app's own rules."""

    live = WorkshopBooking.objects.filter(
        job_seeker=user, status__in=LIVE_STATUSES, workshop__starts_at__gt=now
    ).select_related("workshop")
    for booking in live:
        # Too late to cancel online: the seat stays taken, attendance will say.
        with contextlib.suppress(WorkshopError):
            cancel_booking(booking=booking, job_seeker=user, now=now)
    for request in MentoringRequest.objects.filter(enrolment__job_seeker=user, status=RequestStatus.PENDING):
        with contextlib.suppress(MentoringError):
            cancel_request(request=request, mentee_user=user)
    for request in MentoringRequest.objects.filter(mentor__user=user, status=RequestStatus.PENDING):
        with contextlib.suppress(MentoringError):
            decline_request(request=request, mentor_user=user)
    for mentorship in Mentorship.objects.active().filter(
        Q(enrolment__job_seeker=user) | Q(mentor__user=user)
    ):
        end_mentorship(mentorship=mentorship, user=user, reason="other")


@transaction.atomic
def erase_user(*, user: User, now: datetime | None = None) -> User:
    """Erase or anonymise `user`'s personal data, keep what the aggregated figures count, deactivate.

    See the module's docstring for what is kept. Idempotent; the caller logs the person out.
    """

    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_superuser or user.role == Role.STAFF:
        raise ErasureError(_("Un compte de l'équipe DéClics se ferme par l'administration."))
    old_email = user.email
    anonymous = anonymised_email(user)
    if not is_anonymised(user):
        _erase_activity(user, now=now)

    # Messages first: the ones the services above just queued (cancellations) are cancelled too.
    OutboxMessage.objects.filter(Q(user=user) | Q(to_email__iexact=old_email)).filter(
        status=OutboxMessage.Status.PENDING
    ).update(status=OutboxMessage.Status.CANCELLED)
    OutboxMessage.objects.filter(Q(user=user) | Q(to_email__iexact=old_email)).update(
        user=user, to_email=anonymous, subject="", body_text="", body_html="", attachments=[]
    )

    # Account.
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    Invitation.objects.filter(Q(user=user) | Q(email__iexact=old_email)).update(
        email=anonymous, first_name="", last_name=""
    )
    SessionEmailInvitation.objects.filter(email__iexact=old_email).update(email=anonymous)
    CalendarFeedToken.objects.filter(user=user).delete()
    user_type = ContentType.objects.get_for_model(User)
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).update(
        object_repr=anonymous, change_message=""
    )

    # Job seeker: keep the counted figures, drop what identifies.
    JobSeekerProfile.objects.filter(user=user).update(
        commune=None, education_level="", situation="", france_travail_id="", heard_from=""
    )
    for enrolment in Enrolment.objects.filter(job_seeker=user):
        snapshot = enrolment.eligibility or {}
        enrolment.eligibility = {
            key: snapshot[key]
            for key in (
                "decided_at",
                "reference_date",
                "session",
                "session_departements",
                "eligible",
                "basis",
            )
            if key in snapshot
        } | {
            "commune": {"code": enrolment.commune.code, "departement": enrolment.commune.departement_id},
            "anonymised_at": snapshot.get("anonymised_at", now.isoformat()),
        }
        enrolment.qpv = None
        enrolment.share_with_adviser = False
        enrolment.save(update_fields=["eligibility", "qpv", "share_with_adviser"])
    SurveyResponse.objects.filter(enrolment__job_seeker=user).update(comment="")
    AssessmentAttempt.objects.filter(enrolment__job_seeker=user).delete()
    MenteePreferences.objects.filter(enrolment__job_seeker=user).delete()
    MentoringRequest.objects.filter(enrolment__job_seeker=user).update(message="", decline_reason="")
    Mentorship.objects.filter(enrolment__job_seeker=user).update(goals="", end_comment="")
    # The mentor's notes are about this person: they go; the session (date, length) still counts.
    SessionLog.objects.filter(mentorship__enrolment__job_seeker=user).update(private_notes="")
    Feedback.objects.filter(author=user).update(comment="")
    for application in Application.objects.filter(job_seeker=user).exclude(cv=""):
        application.cv.delete(save=False)  # the file, from disk
    Application.objects.filter(job_seeker=user).update(message="", cv="", cv_name="", company_message="")
    TrainingInterest.objects.filter(job_seeker=user).update(message="")

    # Mentor and partner.
    MentorProfile.objects.filter(user=user).update(
        job_title="", employer="", presentation="", availability=[], languages=[], status=MentorStatus.PAUSED
    )
    Mentorship.objects.filter(mentor__user=user).update(goals="", end_comment="")
    PartnerMembership.objects.filter(user=user).delete()

    user.email = anonymous
    user.first_name = ""
    user.last_name = ""
    user.phone = ""
    user.is_active = False
    user.set_unusable_password()  # also ends every other logged-in session (the hash changes)
    user.save(update_fields=["email", "first_name", "last_name", "phone", "is_active", "password"])
    logger.info("account erased", extra={"user": user.pk})
    return user
