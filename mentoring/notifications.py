"""Every message of the mentoring step, queued in the outbox under a key that makes it unique, by
each person's channel(s) and in their language (`routing.notify`)."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from declics.notifications import kinds as message_kinds
from declics.notifications.models import OutboxMessage
from declics.notifications.routing import notify
from declics.notifications.services import cancel_messages

ANSWER_SALT = "mentoring.request-answer"
# An e-mail answer link outlives the longest per-session expiry; the request's own status and
# expiry still decide whether an answer is accepted.
ANSWER_MAX_AGE = 60 * 60 * 24 * 60


def answer_token(request) -> str:
    """A signed link for the mentor to answer from the e-mail, without logging in."""
    return signing.dumps({"r": request.pk, "m": request.mentor.user_id}, salt=ANSWER_SALT, compress=True)


def read_answer_token(token: str) -> tuple[int, int] | None:
    """(request id, mentor user id), or None when the token is forged, altered or too old."""
    try:
        data = signing.loads(token, salt=ANSWER_SALT, max_age=ANSWER_MAX_AGE)
        return int(data["r"]), int(data["m"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _mentee(request_or_mentorship):
    return request_or_mentorship.enrolment.job_seeker


def queue_new_request(request) -> None:
    mentor_user = request.mentor.user
    notify(
        kind=message_kinds.MENTORING_NOTICE,
        key=f"mentoring:request-new:{request.pk}",
        template="mentoring/emails/request_new",
        context={
            "mentoring_request": request,
            "mentor_user": mentor_user,
            "mentee": _mentee(request),
            "answer_url": _url("mentoring:answer_by_email", answer_token(request)),
        },
        user=mentor_user,
    )


def queue_request_reminder(request) -> None:
    mentor_user = request.mentor.user
    notify(
        kind=message_kinds.MENTORING_NOTICE,
        key=f"mentoring:request-reminder:{request.pk}",
        template="mentoring/emails/request_reminder",
        context={
            "mentoring_request": request,
            "mentor_user": mentor_user,
            "mentee": _mentee(request),
            "answer_url": _url("mentoring:answer_by_email", answer_token(request)),
        },
        user=mentor_user,
    )


def queue_request_accepted(request, mentorship) -> None:
    mentee = _mentee(request)
    notify(
        kind=message_kinds.MENTORING_NOTICE,
        key=f"mentoring:request-accepted:{request.pk}",
        template="mentoring/emails/request_accepted",
        context={
            "mentee": mentee,
            "mentor": request.mentor,
            "mentorship_url": _url("mentoring:mentorship", mentorship.public_id),
        },
        user=mentee,
    )


def _queue_not_accepted(request, *, template: str, key: str, next_suggestion) -> None:
    mentee = _mentee(request)
    notify(
        kind=message_kinds.MENTORING_NOTICE,
        key=key,
        template=template,
        context={
            "mentee": mentee,
            "mentoring_request": request,
            "mentor": request.mentor,
            "next": next_suggestion,
            "mentee_url": _url("mentoring:mentee_home", request.enrolment.session.slug),
        },
        user=mentee,
    )


def queue_request_declined(request, next_suggestion) -> None:
    _queue_not_accepted(
        request,
        template="mentoring/emails/request_declined",
        key=f"mentoring:request-declined:{request.pk}",
        next_suggestion=next_suggestion,
    )


def queue_request_expired(request, next_suggestion) -> None:
    _queue_not_accepted(
        request,
        template="mentoring/emails/request_expired",
        key=f"mentoring:request-expired:{request.pk}",
        next_suggestion=next_suggestion,
    )


def queue_request_passed_on(old_request, new_request) -> None:
    """The mentee is told their request went on to another mentor (one notice per closed request)."""
    mentee = _mentee(old_request)
    notify(
        kind=message_kinds.MENTORING_NOTICE,
        key=f"mentoring:request-passed-on:{old_request.pk}",
        template="mentoring/emails/request_passed_on",
        context={
            "mentee": mentee,
            "old_request": old_request,
            "declined": old_request.status == "declined",
            "old_mentor": old_request.mentor,
            "mentoring_request": new_request,
            "mentor": new_request.mentor,
            "mentee_url": _url("mentoring:mentee_home", new_request.enrolment.session.slug),
        },
        user=mentee,
    )


def _queue_to_both(mentorship, *, template: str, key_prefix: str) -> None:
    for person in (mentorship.mentor.user, mentorship.enrolment.job_seeker):
        notify(
            kind=message_kinds.MENTORING_NOTICE,
            key=f"{key_prefix}:{mentorship.pk}:{person.pk}",
            template=template,
            context={
                "person": person,
                "mentorship": mentorship,
                "mentorship_url": _url("mentoring:mentorship", mentorship.public_id),
                "feedback_url": _url("mentoring:feedback", mentorship.public_id),
            },
            user=person,
        )


def queue_mentorship_started(mentorship) -> None:
    """A direct match published by staff: both are told, with the link to their shared page."""
    _queue_to_both(mentorship, template="mentoring/emails/mentorship_started", key_prefix="mentoring:started")


def queue_no_session_yet(mentorship) -> None:
    _queue_to_both(mentorship, template="mentoring/emails/no_session", key_prefix="mentoring:no-session")


def queue_feedback_request(mentorship) -> None:
    _queue_to_both(mentorship, template="mentoring/emails/feedback", key_prefix="mentoring:feedback")


def queue_mentor_approved(profile) -> None:
    notify(
        kind=message_kinds.MENTORING_NOTICE,
        key=f"mentoring:mentor-approved:{profile.pk}",
        template="mentoring/emails/mentor_approved",
        context={"mentor_user": profile.user, "dashboard_url": _url("mentoring:mentor_dashboard")},
        user=profile.user,
    )


# Why a mentee's enrolment ended, as the mentor reads it (`programs.registry.END_REASONS`).
ENDED_BECAUSE = {
    "withdrawn": _("la personne a quitté la session"),
    "removed": _("l'équipe DéClics a retiré la personne de la session"),
    "transferred": _("la personne a rejoint une autre session"),
    "erased": _("la personne a fermé son compte"),
    "session_cancelled": _("la session a été annulée"),
}


def cancel_request_emails(request) -> bool:
    """Cancel the new-request e-mail and its reminder while still queued; True when the new-request
    e-mail had already gone to the mentor (they have the request in hand)."""
    sent = OutboxMessage.objects.filter(
        dedup_key=f"mentoring:request-new:{request.pk}", status=OutboxMessage.Status.SENT
    ).exists()
    cancel_messages(key_prefix=f"mentoring:request-new:{request.pk}")
    cancel_messages(key_prefix=f"mentoring:request-reminder:{request.pk}")
    return sent


def queue_request_withdrawn(request, *, reason: str) -> None:
    """The mentor is told a request they received no longer stands (once per request)."""
    mentor_user = request.mentor.user
    notify(
        kind=message_kinds.MENTORING_NOTICE,
        key=f"mentoring:request-withdrawn:{request.pk}",
        template="mentoring/emails/request_withdrawn",
        context={
            "mentor_user": mentor_user,
            "mentee": _mentee(request),
            "because": ENDED_BECAUSE.get(reason, ""),
            "dashboard_url": _url("mentoring:mentor_dashboard"),
        },
        user=mentor_user,
    )


def queue_mentorship_ended_for_mentor(mentorship, *, reason: str) -> None:
    """The mentor is told the mentorship ended because the mentee's enrolment did (once), with the
    short survey; scheduled "no session yet" notices to either side are cancelled."""
    cancel_messages(key_prefix=f"mentoring:no-session:{mentorship.pk}:")
    mentor_user = mentorship.mentor.user
    notify(
        kind=message_kinds.MENTORING_NOTICE,
        key=f"mentoring:mentorship-ended:{mentorship.pk}:{mentor_user.pk}",
        template="mentoring/emails/mentorship_ended",
        context={
            "person": mentor_user,
            "mentee": mentorship.enrolment.job_seeker,
            "because": ENDED_BECAUSE.get(reason, ""),
            "feedback_url": _url("mentoring:feedback", mentorship.public_id),
        },
        user=mentor_user,
    )
