"""What the spine holds about people: the job seeker's profile, their enrolments with their step
progress and survey answers, and the advisers' agencies and invitations.

Each enrolment's export carries every step's part of it (`personal_data.enrolment_sections`).
Erasure keeps what the aggregated impact figures count — the enrolment (session, status,
commune, the QPV/FRR basis), step progress, survey scores and outcomes, and on the profile the
gender, birth year and RQTH flag — and drops what identifies: the profile's commune and details,
the enrolment's QPV and the address part of its eligibility snapshot, survey comments, the
invitations sent to the person's address; the calendar feed's secret address is deleted.
Every current enrolment first ends through the lifecycle (`services.lifecycle.erase_enrolment`:
status "erased", its place to the waiting list, every step's holdings released with reason
"erased", open applications removed, nobody written to): the steps' own `erase` ran before and
released most of it; this also frees upcoming talk places.
"""

import secrets

from django.db.models import Count

from declics import personal_data
from declics.personal_data import choice, full_name, iso

from .figures_cache import figures_changed
from .models import (
    AdviserMembership,
    CalendarFeedToken,
    Enrolment,
    JobSeekerProfile,
    SessionEmailInvitation,
    SessionPhoneInvitation,
    SurveyResponse,
)
from .services.lifecycle import erase_enrolment

# What an erased enrolment's eligibility snapshot keeps: the decision and its basis, not the address.
KEPT_ELIGIBILITY = ("decided_at", "reference_date", "session", "session_departements", "eligible", "basis")


def _profile(user) -> dict | None:
    profile = JobSeekerProfile.objects.filter(user=user).select_related("commune").first()
    if profile is None:
        return None
    return {
        "commune": {"code": profile.commune.code, "name": profile.commune.name} if profile.commune else None,
        "birth_year": profile.birth_year,
        "gender": choice(profile, "gender"),
        "education_level": profile.education_level,
        "situation": profile.situation,
        "france_travail_id": profile.france_travail_id,
        "rqth": profile.rqth,
        "rqth_consent_at": iso(profile.rqth_consent_at),
        "heard_from": profile.heard_from,
        "privacy_consent_at": iso(profile.privacy_consent_at),
        "updated_at": iso(profile.updated_at),
    }


def _enrolments(user) -> list[dict]:
    enrolments = list(
        Enrolment.objects.filter(job_seeker=user)
        .select_related("session", "adviser", "commune", "qpv")
        .prefetch_related("step_progress", "survey_responses")
        .order_by("created_at", "pk")
    )
    sections = personal_data.enrolment_sections([enrolment.pk for enrolment in enrolments])
    return [
        {
            "session": {"title": enrolment.session.title, "slug": enrolment.session.slug},
            "status": choice(enrolment, "status"),
            "created_at": iso(enrolment.created_at),
            "promoted_at": iso(enrolment.promoted_at),
            "withdrawn_at": iso(enrolment.withdrawn_at),
            "ended_at": iso(enrolment.ended_at),
            "end_reason": enrolment.end_reason,
            "last_activity_at": iso(enrolment.last_activity_at),
            "adviser": full_name(enrolment.adviser),
            "share_with_adviser": enrolment.share_with_adviser,
            "commune": {"code": enrolment.commune.code, "name": enrolment.commune.name},
            "qpv": {"code": enrolment.qpv.code, "name": enrolment.qpv.name} if enrolment.qpv else None,
            "eligibility": enrolment.eligibility,
            "steps": [
                {
                    "step": progress.step,
                    "label": str(progress.get_step_display()),
                    "completed_at": iso(progress.completed_at),
                    "nudged_at": iso(progress.nudged_at),
                }
                for progress in sorted(enrolment.step_progress.all(), key=lambda p: p.step)
            ],
            "surveys": [
                {
                    "kind": choice(response, "kind"),
                    "sent_at": iso(response.sent_at),
                    "answered_at": iso(response.answered_at),
                    "overall": response.overall,
                    "step_usefulness": response.step_usefulness,
                    "would_recommend": response.would_recommend,
                    "comment": response.comment,
                    "situation": choice(response, "situation"),
                    "contract": choice(response, "contract"),
                    "rome_code": response.rome_code,
                }
                for response in enrolment.survey_responses.all()
            ],
            **sections[enrolment.pk],
        }
        for enrolment in enrolments
    ]


def _per_session(queryset) -> dict[str, int]:
    return {
        row["session__slug"]: row["n"]
        for row in queryset.values("session__slug").annotate(n=Count("pk")).order_by()
    }


def export(user) -> dict:
    membership = AdviserMembership.objects.filter(user=user).select_related("agency").first()
    feed = CalendarFeedToken.objects.filter(user=user).first()
    return {
        "adviser_invitations_received": [
            {"session": i.session.title, "adviser": full_name(i.adviser), "created_at": iso(i.created_at)}
            for i in SessionEmailInvitation.objects.filter(email__iexact=user.email).select_related(
                "session", "adviser"
            )
        ],
        "adviser_sms_invitations_received": [
            {"session": i.session.title, "adviser": full_name(i.adviser), "created_at": iso(i.created_at)}
            for i in (
                SessionPhoneInvitation.objects.filter(phone=user.phone).select_related("session", "adviser")
                if user.phone
                else []
            )
        ],
        "job_seeker_profile": _profile(user),
        "enrolments": _enrolments(user),
        "calendar_feed": None if feed is None else {"created_at": iso(feed.created_at)},
        # What they do as an adviser (the other roles come from their apps).
        "roles": {
            "agency": None
            if membership is None
            else {
                "name": membership.agency.name,
                "is_head": membership.is_head,
                "since": iso(membership.created_at),
            },
            # An adviser's people and invitations as counts per session: the names are others'.
            "people_who_named_you_per_session": _per_session(Enrolment.objects.filter(adviser=user)),
            "email_invitations_sent_per_session": _per_session(
                SessionEmailInvitation.objects.filter(adviser=user)
            ),
            "sms_invitations_sent_per_session": _per_session(
                SessionPhoneInvitation.objects.filter(adviser=user)
            ),
        },
    }


def erase(*, user, now) -> None:
    for enrolment in Enrolment.objects.current().filter(job_seeker=user).order_by("pk"):
        erase_enrolment(enrolment=enrolment, now=now)
    SessionEmailInvitation.objects.filter(email__iexact=user.email).update(
        email=personal_data.anonymised_email(user)
    )
    if user.phone:
        # The number goes, and with it the link (a new random token nobody was sent).
        for invitation in SessionPhoneInvitation.objects.filter(phone=user.phone):
            invitation.phone = ""
            invitation.token = secrets.token_urlsafe(12)
            invitation.save(update_fields=["phone", "token"])
    JobSeekerProfile.objects.filter(user=user).update(
        commune=None, education_level="", situation="", france_travail_id="", heard_from=""
    )
    for enrolment in Enrolment.objects.filter(job_seeker=user).select_related("commune"):
        snapshot = enrolment.eligibility or {}
        enrolment.eligibility = {key: snapshot[key] for key in KEPT_ELIGIBILITY if key in snapshot} | {
            "commune": {"code": enrolment.commune.code, "departement": enrolment.commune.departement_id},
            "anonymised_at": snapshot.get("anonymised_at", now.isoformat()),
        }
        enrolment.qpv = None
        enrolment.share_with_adviser = False
        enrolment.end_reason = ""  # a staff's words about the person
        enrolment.save(update_fields=["eligibility", "qpv", "share_with_adviser", "end_reason"])
        # The person no longer shares their progress: the adviser's figures change (after commit).
        figures_changed(enrolment.session_id)
    SurveyResponse.objects.filter(enrolment__job_seeker=user).update(comment="")
    CalendarFeedToken.objects.filter(user=user).delete()


PERSONAL_DATA = personal_data.PersonalData(
    app="programs",
    order=personal_data.SPINE,
    personal={
        "programs.JobSeekerProfile": "commune education_level situation france_travail_id heard_from",
        # The QPV and the address part of the eligibility snapshot (its basis is kept).
        "programs.Enrolment": "qpv eligibility share_with_adviser end_reason",
        "programs.SurveyResponse": "comment",
        "programs.SessionEmailInvitation": "email",  # the invitee's address
        "programs.SessionPhoneInvitation": "phone token",  # the invitee's number and their link
        "programs.CalendarFeedToken": "user token created_at",
    },
    kept={
        "programs.JobSeekerProfile": "user birth_year gender rqth rqth_consent_at privacy_consent_at "
        "updated_at",
        "programs.Enrolment": "public_id session job_seeker status adviser commune created_at promoted_at "
        "withdrawn_at last_activity_at ended_at ended_by transferred_to",
        "programs.StepProgress": "enrolment step completed_at nudged_at",
        "programs.SurveyResponse": "enrolment kind sent_at reminded_at answered_at overall step_usefulness "
        "would_recommend situation contract rome_code",
        "programs.SessionEmailInvitation": "session adviser created_at",
        "programs.SessionPhoneInvitation": "session adviser created_at",
        "programs.AdviserMembership": "user agency is_head created_at",
        "programs.CohortMessage": "created_by",  # the team member who wrote it
        "programs.SessionTemplate": "created_by",  # the team member who saved it
        # Who a team message was queued for (the e-mail itself is the outbox's, exported there).
        "programs.CohortMessageRecipient": "message enrolment outbox",
        "programs.Session": "created_by cancelled_by",  # the team members who created or cancelled it
        # A staff's bulk removal: who ran it (the people removed are ids; its reason is about them all).
        "programs.BulkRemoval": "public_id session created_by reason enrolment_ids status total done removed "
        "error created_at finished_at",
    },
    not_personal={
        "programs.Agency": "name kind",
        "programs.Session": "title slug region departements status capacity description faq "
        "registration_opens_at registration_closes_at starts_at ends_at survey_at nudge_after_days "
        "role_model_job_pages_required workshops_required max_simultaneous_bookings "
        "mentor_request_expiry_days mentor_direct_match copied_from created_at published_at "
        "registration_closed_at survey_sent_at cancelled_at cancel_reason description_to_review "
        "faq_to_review calendar_version",
        # A launch template: a calendar as offsets, settings and text skeletons (nobody's data).
        "programs.SessionTemplate": "name source capacity calendar settings description faq created_at",
        # The team's own words to a group (no name in them: the same text for everyone).
        "programs.CohortMessage": "token session segment_key segment_label subject body created_at "
        "send_after delivered_at recipients_count skipped_count",
    },
    export=export,
    erase=erase,
)
