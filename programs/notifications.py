"""The programs app's e-mails, all through the outbox, each under a key unique per person and event."""

from datetime import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.notifications.models import OutboxMessage
from declics.notifications.services import kick_sender_on_commit, queue_email, render_email

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


def _queue_for_one(*, enrolment, event: str, template: str) -> None:
    queue_email(
        key=f"programs:{event}:enrolment:{enrolment.pk}",
        to=enrolment.job_seeker.email,
        template=template,
        context={"session": enrolment.session, "enrolment": enrolment, "user": enrolment.job_seeker},
        user=enrolment.job_seeker,
    )


def queue_enrolled(*, enrolment) -> None:
    _queue_for_one(enrolment=enrolment, event="enrolled", template="programs/emails/enrolled")


def queue_waiting_list(*, enrolment) -> None:
    _queue_for_one(enrolment=enrolment, event="waiting-list", template="programs/emails/waiting_list")


def queue_promoted(*, enrolment) -> None:
    """Told once per enrolment, whatever happens later."""
    _queue_for_one(enrolment=enrolment, event="promoted", template="programs/emails/promoted")


def queue_for_enrolments(
    *, event: str, enrolments, template: str, context: dict, send_after: datetime | None = None
) -> int:
    """Queue one calendar notice to every person of `enrolments`, once each (key per event and person).

    The message is the same for everyone (no name in it), so it is rendered once and the rows are
    inserted in bulk; keys already queued are skipped by the unique constraint, which makes a
    second run a no-op. Returns how many rows were new.
    """
    subject, text, html = render_email(template=template, context=context)
    send_after = send_after or timezone.now()
    rows = list(enrolments.values_list("pk", "job_seeker_id", "job_seeker__email"))
    created = 0
    batch: list[OutboxMessage] = []
    for enrolment_id, user_id, email in rows:
        batch.append(
            OutboxMessage(
                dedup_key=f"programs:{event}:enrolment:{enrolment_id}",
                user_id=user_id,
                to_email=email,
                subject=subject[:255],
                body_text=text,
                body_html=html,
                send_after=send_after,
            )
        )
        if len(batch) >= 1000:
            created += _insert(batch)
            batch = []
    if batch:
        created += _insert(batch)
    if created and settings.NOTIFICATIONS_KICK_ON_QUEUE and send_after <= timezone.now():
        kick_sender_on_commit()
    return created


def _insert(batch: list[OutboxMessage]) -> int:
    keys = [message.dedup_key for message in batch]
    before = OutboxMessage.objects.filter(dedup_key__in=keys).count()
    OutboxMessage.objects.bulk_create(batch, ignore_conflicts=True)
    return len(batch) - before


def queue_ended(*, enrolment, event: str) -> None:
    """The person is told their enrolment ended (`event`: withdrawn, removed, transferred), once."""
    _queue_for_one(enrolment=enrolment, event=event, template=f"programs/emails/{event}")
