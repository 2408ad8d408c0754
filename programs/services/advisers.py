"""Agencies, their advisers, and the invitations advisers send to job seekers."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from declics.accounts.models import Invitation, Role, User
from declics.accounts.validators import normalise_french_mobile
from declics.db import duplicate_raises, is_unique_violation
from declics.notifications.services import queue_email, queue_sms
from declics.territories.models import Departement
from programs.figures_cache import figures_changed

from .. import notifications
from ..models import (
    AdviserMembership,
    Agency,
    AgencyInvitation,
    Session,
    SessionEmailInvitation,
    SessionPhoneInvitation,
    SessionStatus,
)
from .errors import ProgramError

# An adviser sends at most this many e-mail invitations at once (a paste of a list, not a mailing).
MAX_EMAIL_INVITATIONS = 50
# The same for SMS, which cost money.
MAX_PHONE_INVITATIONS = 50


class AdviserError(ProgramError):
    """An agency or invitation rule refused the action; the message is safe to show."""


@transaction.atomic
def create_agency(*, name: str, kind: str, departement: Departement, by: User) -> Agency:
    if not by.is_programme_staff:
        raise AdviserError(_("Seule l'équipe DéClics peut créer une agence."))
    name = " ".join(name.split())
    exists = AdviserError(_("Cette agence existe déjà dans ce département."))
    if Agency.objects.filter(departement=departement, name__iexact=name).exists():
        raise exists
    with duplicate_raises(exists):
        return Agency.objects.create(name=name, kind=kind, departement=departement)


@transaction.atomic
def attach_adviser(*, user: User, agency: Agency, is_head: bool = False, by: User) -> AdviserMembership:
    """Attach an existing adviser account to `agency` (moving them if they were elsewhere)."""
    if not by.is_programme_staff:
        raise AdviserError(_("Seule l'équipe DéClics peut rattacher un·e conseiller·ère à une agence."))
    if user.role != Role.ADVISER:
        raise AdviserError(_("Ce compte n'est pas un compte de conseiller·ère."))
    membership, _created = AdviserMembership.objects.update_or_create(
        user=user, defaults={"agency": agency, "is_head": is_head}
    )
    return membership


def record_invitation_agency(
    *, invitation: Invitation, agency: Agency | None = None, is_head: bool = False
) -> None:
    """Hook of `accounts.services.invite_user` (see `programs.apps`): the agency the invited
    adviser will join, if any."""
    if agency is None:
        return
    if invitation.role != Role.ADVISER:
        raise AdviserError(_("Seul·e un·e conseiller·ère peut être rattaché·e à une agence."))
    AgencyInvitation.objects.update_or_create(
        invitation=invitation, defaults={"agency": agency, "is_head": is_head}
    )


def attach_invited_adviser(*, invitation: Invitation, user: User) -> AdviserMembership | None:
    """Hook of `accounts.services.accept_invitation`, in its transaction: join the invited agency."""
    link = AgencyInvitation.objects.filter(invitation=invitation).first()
    if link is None or user.role != Role.ADVISER:
        return None
    membership, _created = AdviserMembership.objects.update_or_create(
        user=user, defaults={"agency_id": link.agency_id, "is_head": link.is_head}
    )
    return membership


def _clean_emails(emails: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in emails:
        email = raw.strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError as error:
            raise AdviserError(_("Adresse e-mail invalide : %(email)s") % {"email": email}) from error
        if email not in cleaned:
            cleaned.append(email)
    if not cleaned:
        raise AdviserError(_("Indiquez au moins une adresse e-mail."))
    if len(cleaned) > MAX_EMAIL_INVITATIONS:
        raise AdviserError(
            _("Vous pouvez inviter au plus %(n)s personnes à la fois.") % {"n": MAX_EMAIL_INVITATIONS}
        )
    return cleaned


def _ensure_may_invite(*, session: Session, adviser: User) -> None:
    if adviser.role != Role.ADVISER:
        raise AdviserError(_("Seul·e un·e conseiller·ère peut inviter des personnes."))
    if session.published_at is None or session.status in (SessionStatus.CLOSED, SessionStatus.ARCHIVED):
        raise AdviserError(_("On ne peut plus inviter de personnes à cette session."))


@transaction.atomic
def invite_job_seekers(
    *, session: Session, adviser: User, emails: Iterable[str]
) -> list[SessionEmailInvitation]:
    """E-mail `emails` the adviser's personal invitation link to `session`; each address once.

    Returns the new invitations (an address already invited by this adviser is not e-mailed again).
    """
    _ensure_may_invite(session=session, adviser=adviser)
    cleaned = _clean_emails(emails)
    already = set(
        SessionEmailInvitation.objects.filter(
            session=session, adviser=adviser, email__in=cleaned
        ).values_list("email", flat=True)
    )
    url = notifications.adviser_invitation_url(session=session, adviser=adviser)
    figures_changed(session.pk)
    created = []
    for email in cleaned:
        if email in already:
            continue
        try:
            with transaction.atomic():
                invitation = SessionEmailInvitation.objects.create(
                    session=session, adviser=adviser, email=email
                )
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            continue  # the same form, sent twice at once, invited this address a moment ago
        queue_email(
            key=f"programs:adviser-invitation:{invitation.pk}",
            to=email,
            template="programs/advisers/emails/invitation",
            context={"session": session, "adviser": adviser, "invitation_url": url},
        )
        created.append(invitation)
    return created


def _clean_phones(phones: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for raw in phones:
        typed = raw.strip()
        if not typed:
            continue
        try:
            phone = normalise_french_mobile(typed)
        except ValidationError as error:
            raise AdviserError(
                _("Numéro refusé : %(phone)s. %(reason)s") % {"phone": typed, "reason": error.messages[0]}
            ) from error
        if phone not in cleaned:
            cleaned.append(phone)
    if not cleaned:
        raise AdviserError(_("Indiquez au moins un numéro de portable."))
    if len(cleaned) > MAX_PHONE_INVITATIONS:
        raise AdviserError(
            _("Vous pouvez inviter au plus %(n)s personnes à la fois.") % {"n": MAX_PHONE_INVITATIONS}
        )
    return cleaned


@transaction.atomic
def invite_job_seekers_by_phone(
    *, session: Session, adviser: User, phones: Iterable[str]
) -> list[SessionPhoneInvitation]:
    """Send each mobile number in `phones` an SMS with a short link to `session`: who signs up
    through it is linked to `adviser` (as with the adviser's link). Each number once per adviser
    and session (a database constraint: the same form sent twice at once sends one SMS).

    Every number is checked before any SMS is queued: one wrong number refuses the whole list,
    with that number in the message. Returns the new invitations.
    """
    _ensure_may_invite(session=session, adviser=adviser)
    cleaned = _clean_phones(phones)
    already = set(
        SessionPhoneInvitation.objects.filter(
            session=session, adviser=adviser, phone__in=cleaned
        ).values_list("phone", flat=True)
    )
    created = []
    for phone in cleaned:
        if phone in already:
            continue
        try:
            with transaction.atomic():
                invitation = SessionPhoneInvitation.objects.create(
                    session=session, adviser=adviser, phone=phone
                )
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            continue
        queue_sms(
            key=f"programs:adviser-invitation-sms:{invitation.pk}",
            to=phone,
            text=notifications.phone_invitation_text(invitation=invitation),
            kind="invitation",
        )
        created.append(invitation)
    return created
