"""The programs app's messages, all through the outbox, each under a key unique per person and event.

Messages to a job seeker go by their channel(s), in their language (`routing.notify` and
`notify_many`); the session announcement to an adviser's agency address stays an e-mail.
"""

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.accounts.models import User
from declics.notifications import kinds
from declics.notifications.routing import notify, notify_many, people_of
from declics.notifications.services import forget_pending_for, queue_email

ADVISER_LINK_SALT = "programs.adviser-invitation"


def adviser_invitation_token(*, session, adviser) -> str:
    return signing.dumps({"s": session.pk, "a": adviser.pk}, salt=ADVISER_LINK_SALT, compress=True)


def adviser_invitation_url(*, session, adviser) -> str:
    token = adviser_invitation_token(session=session, adviser=adviser)
    return f"{settings.SITE_URL}{reverse('programs:landing', args=[session.slug])}?conseiller={token}"


def phone_invitation_url(*, invitation) -> str:
    return f"{settings.SITE_URL}{reverse('programs:phone_invitation', args=[invitation.token])}"


def phone_invitation_text(*, invitation) -> str:
    """The adviser's invitation by SMS, with the short link; GSM-7 characters only (no "·" nor
    "«»"), so that each SMS segment holds 153 characters, not 67."""
    return _(
        'DéClics : %(adviser)s vous invite à "%(session)s", un parcours gratuit vers le numérique : %(url)s'
    ) % {
        "adviser": invitation.adviser.get_full_name(),
        "session": invitation.session.title,
        "url": phone_invitation_url(invitation=invitation),
    }


def queue_session_announcement(*, session, adviser) -> None:
    queue_email(
        key=f"programs:session-announcement:{session.pk}:user:{adviser.pk}",
        to=adviser.email,
        template="programs/emails/session_announcement",
        context={
            "session": session,
            "adviser": adviser,
            "invitation_url": adviser_invitation_url(session=session, adviser=adviser),
            "departements": list(session.departements.all()),
        },
        user=adviser,
    )


def _queue_for_one(*, enrolment, event: str, template: str, kind: kinds.Kind = kinds.ENROLMENT) -> None:
    notify(
        user=enrolment.job_seeker,
        kind=kind,
        key=f"programs:{event}:enrolment:{enrolment.pk}",
        template=template,
        context={"session": enrolment.session, "enrolment": enrolment, "user": enrolment.job_seeker},
    )


def queue_enrolled(*, enrolment) -> None:
    _queue_for_one(enrolment=enrolment, event="enrolled", template="programs/emails/enrolled")


def queue_waiting_list(*, enrolment) -> None:
    _queue_for_one(enrolment=enrolment, event="waiting-list", template="programs/emails/waiting_list")


def queue_promoted(*, enrolment) -> None:
    """Told once per enrolment, whatever happens later."""
    _queue_for_one(enrolment=enrolment, event="promoted", template="programs/emails/promoted")


# The kind of each calendar notice (by the start of its event name); nudges are optional.
NOTICE_KINDS = (
    ("nudge:", kinds.NUDGE),
    ("step-opened:", kinds.STEP_OPENED),
    ("session-started:", kinds.STEP_OPENED),
    ("registration-closed:", kinds.ENROLMENT_CHANGED),
)
BATCH_SIZE = 1000


def notice_kind(event: str) -> kinds.Kind:
    return next((kind for prefix, kind in NOTICE_KINDS if event.startswith(prefix)), kinds.ENROLMENT_CHANGED)


# The session's news to a person (`…:enrolment:<id>` keys): pointless once they left it.
SESSION_NEWS_KINDS = (kinds.STEP_OPENED, kinds.NUDGE, kinds.COHORT_NEWS)


def forget_session_news(*, enrolment) -> int:
    """Cancel the session's news still waiting for `enrolment`'s person (queued, or held for their
    digest): called when the enrolment ends. Its own notices (withdrawn, removed…) still go."""
    return forget_pending_for(
        user_id=enrolment.job_seeker_id,
        key_suffix=f":enrolment:{enrolment.pk}",
        kinds=[kind.name for kind in SESSION_NEWS_KINDS],
    )


def queue_for_enrolments(
    *, event: str, enrolments, template: str, context: dict, send_after: datetime | None = None
) -> int:
    """Queue one calendar notice to every person of `enrolments`, once each (key per event and person).

    The message is the same for everyone (no name in it): rendered once per language, sent by
    each person's channel(s) (`notify_many`), in batches; keys already queued are skipped, which
    makes a second run a no-op. Returns how many people got new messages.
    """
    send_after = send_after or timezone.now()
    rows = list(enrolments.values_list("pk", "job_seeker_id"))
    created = 0
    for start in range(0, len(rows), BATCH_SIZE):
        batch = rows[start : start + BATCH_SIZE]
        people = people_of(User.objects.filter(pk__in=[user_id for _pk, user_id in batch]))
        recipients = [
            (f"programs:{event}:enrolment:{enrolment_id}", people[user_id])
            for enrolment_id, user_id in batch
            if user_id in people
        ]
        created += len(
            notify_many(
                recipients=recipients,
                kind=notice_kind(event),
                template=template,
                context=context,
                send_after=send_after,
            )
        )
    return created


def queue_ended(*, enrolment, event: str) -> None:
    """The person is told their enrolment ended (`event`: withdrawn, removed, transferred), once."""
    _queue_for_one(
        enrolment=enrolment, event=event, template=f"programs/emails/{event}", kind=kinds.ENROLMENT_CHANGED
    )
