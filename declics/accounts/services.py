"""Account rules: invitations of advisers and partners, the welcome e-mail."""

from collections.abc import Callable
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from declics.notifications.services import queue_email

from .models import INVITED_ROLES, SELF_SERVICE_ROLES, Invitation, User


class InvitationError(Exception):
    """A business rule refused the invitation; the message is safe to show."""


@dataclass(frozen=True)
class InvitationHook:
    """Another app's part in staff invitations (registered from its `AppConfig.ready()`), so that
    accounts imports no domain app:

    - `invited(*, invitation, **options)`: records what the `options` given to `invite_user` mean
      to that app (e.g. the agency an adviser will join), inside the invitation's transaction; an
      option it does not know raises `TypeError`, as a wrong keyword would.
    - `accepted(*, invitation, user)`: applies it once the account exists, inside the acceptance's
      transaction.
    """

    invited: Callable[..., object] | None = None
    accepted: Callable[..., object] | None = None


_invitation_hooks: dict[str, InvitationHook] = {}


def register_invitation_hook(name: str, hook: InvitationHook) -> None:
    """Record `hook` under `name` (registering a name again replaces it)."""
    _invitation_hooks[name] = hook


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
    **options,
) -> Invitation:
    """Invite an adviser or a partner; they receive a link to set their password.

    `options` are for the apps' invitation hooks (`InvitationHook`): an adviser may be invited
    into an agency (`agency=`, `is_head=`, see `programs.services.advisers`), joined on acceptance.
    """
    if options and not any(hook.invited for hook in _invitation_hooks.values()):
        raise TypeError(f"invite_user() got options no app handles: {sorted(options)}")
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
    for hook in _invitation_hooks.values():
        if hook.invited is not None:
            hook.invited(invitation=invitation, **options)
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
    for hook in _invitation_hooks.values():
        if hook.accepted is not None:
            hook.accepted(invitation=invitation, user=user)
    queue_welcome(user=user)
    return user


def role_may_self_register(role: str) -> bool:
    return role in SELF_SERVICE_ROLES
