"""What step 3 holds about people: a job seeker's preferences, requests and mentorships (each
enrolment's `mentoring` section of the export), a mentor's profile and the sessions they logged,
the feedback either side gave.

Erasure first frees what the person holds through the step's own services — their pending
requests cancelled (as a mentee) or declined (as a mentor), their active mentorships ended (the
mentor's place freed) — then drops the free text: preferences, messages, goals, the mentor's
private notes about the person, comments, a mentor's presentation. The requests, mentorships and
logged sessions stay, with no text: the step's figures count them.
"""

import contextlib

from django.db.models import Q

from declics import personal_data
from declics.personal_data import choice, full_name, iso
from programs.models import Enrolment

from .models import (
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
from .services import MentoringError, decline_request, end_mentorship, release_enrolment


def _preferences(preferences) -> dict | None:
    if preferences is None:
        return None
    return {
        "rome_jobs": [job.code for job in preferences.rome_jobs.all()],
        "availability": preferences.availability,
        "languages": preferences.languages,
        "mentor_gender": preferences.mentor_gender,
        "goals": preferences.goals,
    }


def _request(request) -> dict:
    return {
        "mentor": request.mentor.public_name,
        "message": request.message,
        "status": choice(request, "status"),
        "decline_reason": request.decline_reason,
        "created_at": iso(request.created_at),
        "answered_at": iso(request.answered_at),
    }


def _mentorship(mentorship) -> dict:
    return {
        "mentor": full_name(mentorship.mentor.user),
        "status": choice(mentorship, "status"),
        "goals": mentorship.goals,
        "started_at": iso(mentorship.started_at),
        "ended_at": iso(mentorship.ended_at),
        "ended_by": full_name(mentorship.ended_by),
        "end_reason": choice(mentorship, "end_reason"),
        "end_comment": mentorship.end_comment,
        # The mentor's private notes are theirs: never in the mentee's export.
        "sessions": [
            {"held_on": iso(log.held_on), "duration_minutes": log.duration_minutes, "topic": log.topic}
            for log in mentorship.logs.all()
        ],
    }


def export_enrolments(enrolment_ids) -> dict[int, dict]:
    sections = {
        pk: {"mentoring": {"preferences": None, "requests": [], "mentorships": [], "match_proposals": []}}
        for pk in enrolment_ids
    }
    for preferences in MenteePreferences.objects.filter(enrolment__in=enrolment_ids).prefetch_related(
        "rome_jobs"
    ):
        sections[preferences.enrolment_id]["mentoring"]["preferences"] = _preferences(preferences)
    for request in MentoringRequest.objects.filter(enrolment__in=enrolment_ids).select_related(
        "mentor__user"
    ):
        sections[request.enrolment_id]["mentoring"]["requests"].append(_request(request))
    mentorships = (
        Mentorship.objects.filter(enrolment__in=enrolment_ids)
        .select_related("mentor__user", "ended_by")
        .prefetch_related("logs")
    )
    for mentorship in mentorships:
        sections[mentorship.enrolment_id]["mentoring"]["mentorships"].append(_mentorship(mentorship))
    for proposal in MatchProposal.objects.filter(enrolment__in=enrolment_ids).select_related("mentor__user"):
        sections[proposal.enrolment_id]["mentoring"]["match_proposals"].append(
            {"mentor": proposal.mentor.public_name if proposal.mentor else None, "outcome": proposal.outcome}
        )
    return sections


def _mentor_profile(user) -> dict | None:
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
        "gender": choice(profile, "gender"),
        "presentation": profile.presentation,
        "status": choice(profile, "status"),
        "created_at": iso(profile.created_at),
        # Their own sessions as a mentor, with their own private notes (theirs to read).
        "sessions": [
            {
                "mentee": log.mentorship.enrolment.job_seeker.first_name,
                "held_on": iso(log.held_on),
                "duration_minutes": log.duration_minutes,
                "topic": log.topic,
                "private_notes": log.private_notes,
            }
            for log in logs
        ],
    }


def export(user) -> dict:
    return {
        "mentor_profile": _mentor_profile(user),
        "mentoring_feedback_given": [
            {"rating": f.rating, "useful": f.useful, "comment": f.comment, "created_at": iso(f.created_at)}
            for f in Feedback.objects.filter(author=user).order_by("created_at")
        ],
    }


def erase(*, user, now) -> None:
    # As a mentee: what a lifecycle ending releases, reason "erased" (the mentor told once).
    for enrolment in Enrolment.objects.filter(job_seeker=user).order_by("pk"):
        release_enrolment(enrolment, reason="erased", now=now)
    # As a mentor: their pending requests declined (passed on), their mentorships ended.
    for request in MentoringRequest.objects.filter(mentor__user=user, status=RequestStatus.PENDING):
        with contextlib.suppress(MentoringError):
            decline_request(request=request, mentor_user=user)
    for mentorship in Mentorship.objects.active().filter(mentor__user=user):
        end_mentorship(mentorship=mentorship, user=user, reason="other")

    MenteePreferences.objects.filter(enrolment__job_seeker=user).delete()
    MentoringRequest.objects.filter(enrolment__job_seeker=user).update(message="", decline_reason="")
    Mentorship.objects.filter(Q(enrolment__job_seeker=user) | Q(mentor__user=user)).update(
        goals="", end_comment=""
    )
    # The mentor's notes are about this person: they go; the session (date, length) still counts.
    SessionLog.objects.filter(mentorship__enrolment__job_seeker=user).update(private_notes="")
    Feedback.objects.filter(author=user).update(comment="")
    MentorProfile.objects.filter(user=user).update(
        job_title="", employer="", presentation="", availability=[], languages=[], status=MentorStatus.PAUSED
    )


PERSONAL_DATA = personal_data.PersonalData(
    app="mentoring",
    order=personal_data.STEP + 3,
    personal={
        "mentoring.MentorProfile": "job_title employer presentation availability languages",
        # Deleted at erasure.
        "mentoring.MenteePreferences": "enrolment rome_jobs availability languages mentor_gender goals "
        "updated_at",
        "mentoring.MentoringRequest": "message decline_reason",
        "mentoring.Mentorship": "goals end_comment",
        "mentoring.SessionLog": "private_notes",
        "mentoring.Feedback": "comment",
    },
    kept={
        "mentoring.MentorProfile": "public_id user region departements nationwide rome_jobs capacity "
        "gender status reviewed_at reviewed_by active_mentees created_at updated_at",
        # Why a mentor was suggested (region, jobs, availability in common): no text of the person's.
        "mentoring.MentoringRequest": "public_id enrolment mentor origin status score reasons created_at "
        "expires_at answered_at reminded_at chain_try",
        # Staff are to accompany this person: why, since when (no text of the person's).
        "mentoring.MentoringAlert": "enrolment reason created_at",
        "mentoring.Mentorship": "public_id enrolment mentor request status started_at ended_at ended_by "
        "end_reason",
        # The subject line of a session, shown to both sides (the notes are the mentor's own).
        "mentoring.SessionLog": "mentorship held_on duration_minutes topic created_by created_at",
        "mentoring.Feedback": "mentorship author rating useful created_at",
        "mentoring.MatchProposal": "public_id run enrolment mentor score reasons adjusted outcome "
        "outcome_detail",
        "mentoring.MatchRun": "created_by published_by",
    },
    not_personal={
        "mentoring.MatchRun": "session status progress step_label mentee_count mentor_count matched_count "
        "total_score duration_ms error created_at finished_at published_at",
    },
    export=export,
    export_enrolments=export_enrolments,
    erase=erase,
)
