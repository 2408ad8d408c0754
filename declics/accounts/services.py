"""Account rules: invitations of advisers and partners, the welcome e-mail."""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.errors import DomainError
from declics.notifications.services import queue_email

from .models import INVITED_ROLES, SELF_SERVICE_ROLES, Invitation, User


class InvitationError(DomainError):
    """A business rule refused the invitation; the message is safe to show."""


def queue_welcome(*, user: User) -> None:
    """The welcome e-mail, once per person, after their address is confirmed."""
    queue_email(
        key=f"welcome:user:{user.pk}",
        to=user.email,
        template="accounts/emails/welcome",
        context={"user": user},
        user=user,
    )


@transaction.atomic
def invite_user(
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    invited_by: User,
    agency=None,
    is_head: bool = False,
) -> Invitation:
    """Invite an adviser or a partner; they receive a link to set their password.

    An adviser may be invited into an agency (`programs.models.Agency`): they join it on acceptance.
    """
    if not invited_by.is_programme_staff:
        raise InvitationError(_("Seule l'équipe DéClics peut inviter des conseillers et des partenaires."))
    if role not in INVITED_ROLES:
        raise InvitationError(_("Ce rôle ne s'obtient pas par invitation."))
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise InvitationError(_("Un compte existe déjà avec cette adresse e-mail."))
    # An expired, never-used invitation must not block a new one (the unique constraint covers
    # every unaccepted row, since a constraint cannot compare with the current time).
    Invitation.objects.filter(email=email, accepted_at__isnull=True, expires_at__lte=timezone.now()).delete()
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email, first_name=first_name, last_name=last_name, role=role, invited_by=invited_by
            )
    except IntegrityError as error:
        raise InvitationError(_("Une invitation est déjà en attente pour cette adresse e-mail.")) from error
    if agency is not None:
        # Agencies live in programs; imported here to keep accounts free of a module-level dependency.
        from programs.services.advisers import record_invitation_agency

        record_invitation_agency(invitation=invitation, agency=agency, is_head=is_head)
    queue_email(
        key=f"invitation:{invitation.pk}",
        to=email,
        template="accounts/emails/invitation",
        context={
            "invitation": invitation,
            "accept_url": settings.SITE_URL + reverse("accounts:accept_invitation", args=[invitation.token]),
        },
    )
    return invitation


@transaction.atomic
def accept_invitation(*, token: str, password: str) -> User:
    """Create the invited account with its password; the address counts as verified."""
    invitation = Invitation.objects.select_for_update().filter(token=token).first()
    if invitation is None or invitation.accepted_at is not None:
        raise InvitationError(_("Ce lien d'invitation n'est plus valable."))
    if invitation.is_expired:
        raise InvitationError(_("Ce lien d'invitation a expiré : demandez-en un nouveau à l'équipe DéClics."))
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError(_("Un compte existe déjà avec cette adresse e-mail."))
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email=invitation.email,
                password=password,
                first_name=invitation.first_name,
                last_name=invitation.last_name,
                role=invitation.role,
            )
    except IntegrityError as error:  # the same address signed up meanwhile
        raise InvitationError(_("Un compte existe déjà avec cette adresse e-mail.")) from error
    # The link reached them at that address: it is verified.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    from programs.services.advisers import attach_invited_adviser

    attach_invited_adviser(invitation=invitation, user=user)
    queue_welcome(user=user)
    return user


def role_may_self_register(role: str) -> bool:
    return role in SELF_SERVICE_ROLES
