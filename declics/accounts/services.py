"""Account rules: invitations of advisers and partners, the welcome e-mail, staff changes of a
person's role, the deactivation of an account, and the first staff account of a new site."""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from declics.errors import DomainError
from declics.notifications import kinds as message_kinds
from declics.notifications.routing import notify
from declics.notifications.services import queue_email

from .models import INVITED_ROLES, SECOND_FACTOR_ROLES, SELF_SERVICE_ROLES, Invitation, Role, User


class InvitationError(DomainError):
    """A business rule refused the invitation; the message is safe to show."""


@dataclass(frozen=True)
class InvitationHook:
    """Another app's part in staff invitations (registered from its `AppConfig.ready()`), so that
    accounts imports no domain app:

    - `invited(*, invitation, **options)`: records what the `options` given to `invite_user` mean
      to that app (e.g. the agency an adviser will join), inside the invitation's transaction. It
      receives only the options its signature names (so two apps' hooks do not trip on each
      other's); an option no hook names raises `TypeError`, as a wrong keyword would.
    - `accepted(*, invitation, user)`: applies it once the account exists, inside the acceptance's
      transaction.
    """

    invited: Callable[..., object] | None = None
    accepted: Callable[..., object] | None = None


_invitation_hooks: dict[str, InvitationHook] = {}


def register_invitation_hook(name: str, hook: InvitationHook) -> None:
    """Record `hook` under `name` (registering a name again replaces it)."""
    _invitation_hooks[name] = hook


def _hook_options(function: Callable, options: dict) -> dict:
    """The part of `options` that `function`'s signature names (all of them if it takes **kwargs)."""
    parameters = inspect.signature(function).parameters.values()
    if any(parameter.kind is inspect.Parameter.VAR_KEYWORD for parameter in parameters):
        return dict(options)
    names = {parameter.name for parameter in parameters}
    return {name: value for name, value in options.items() if name in names}


def queue_welcome(*, user: User) -> None:
    """The welcome e-mail, once per person, after their address is confirmed."""
    notify(
        user=user,
        kind=message_kinds.WELCOME,
        key=f"welcome:user:{user.pk}",
        template="accounts/emails/welcome",
        context={"user": user},
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
    handled = set()
    for hook in _invitation_hooks.values():
        if hook.invited is not None:
            handled |= set(_hook_options(hook.invited, options))
    if set(options) - handled:
        raise TypeError(f"invite_user() got options no app handles: {sorted(set(options) - handled)}")
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
            hook.invited(invitation=invitation, **_hook_options(hook.invited, options))
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


def site_language(language: str | None) -> str:
    """One of settings.LANGUAGES for the language a page was shown in ("en-gb" → "en"); French otherwise."""
    try:
        return translation.get_supported_language_variant(language or "")
    except LookupError:
        return settings.LANGUAGE_CODE


# --- Staff: a person's role, deactivation ------------------------------------------------------


class AccountError(DomainError):
    """A staff change of an account was refused; the message is safe to show."""


def _ensure_staff(by: User) -> None:
    if not by.is_programme_staff:
        raise AccountError(_("Seule l'équipe DéClics peut modifier les comptes."), status=403)


def _other_active_staff(*, user: User) -> int:
    """How many active staff members there are besides `user`, their rows locked.

    Locking every staff row makes two demotions (or deactivations) at once wait for each other, so
    they cannot both see "another one is left" and leave none.
    """
    staff = User.objects.select_for_update().filter(role=Role.STAFF, is_active=True).exclude(pk=user.pk)
    return len(list(staff.values_list("pk", flat=True)))


def _stamp(now: datetime) -> str:
    return now.strftime("%Y%m%dT%H%M%S%f")


@transaction.atomic
def change_role(*, user: User, role: str, by: User, now: datetime | None = None) -> User:
    """Give `user` another role, and tell them by e-mail.

    Refused: an unknown role, the same role, one's own role (nobody demotes or promotes themselves),
    and demoting the last active staff member. Leaving the staff role also removes the access to
    the Django admin (`is_staff`). Becoming an adviser or staff member means the second factor:
    `SecondFactorMiddleware` asks for it (or for setting it up) at the person's next page, as it
    does for every adviser and staff member; the e-mail says so.
    """
    now = now or timezone.now()
    _ensure_staff(by)
    if role not in Role.values:
        raise AccountError(_("Choisissez un des rôles proposés."), status=400)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk:
        raise AccountError(_("Vous ne pouvez pas changer votre propre rôle : demandez à un·e collègue."))
    if user.role == role:
        raise AccountError(_("Ce compte a déjà ce rôle."))
    if role != Role.JOB_SEEKER and not user.email:
        raise AccountError(
            _("Ce compte n'a pas d'adresse e-mail : seul un·e candidat·e peut se connecter sans.")
        )
    if user.role == Role.STAFF and user.is_active and not _other_active_staff(user=user):
        raise AccountError(_("C'est le dernier compte actif de l'équipe DéClics : il doit garder ce rôle."))
    previous = user.role
    user.role = role
    fields = ["role"]
    if previous == Role.STAFF and user.is_staff and not user.is_superuser:
        user.is_staff = False
        fields.append("is_staff")
    user.save(update_fields=fields)
    notify(
        user=user,
        kind=message_kinds.SECURITY,
        key=f"accounts:role-changed:{user.pk}:{previous}:{role}:{_stamp(now)}",
        template="accounts/emails/role_changed",
        context={
            "user": user,
            "role": user.get_role_display(),
            "second_factor": role in SECOND_FACTOR_ROLES,
            "login_url": settings.SITE_URL + reverse("account_login"),
        },
    )
    return user


def end_sessions(*, user: User, now: datetime | None = None) -> int:
    """Delete every unexpired login session of `user` (database sessions); returns how many.

    A session's owner is only readable once decoded: this walks the live sessions, which stay few
    (they end after SESSION_COOKIE_AGE of inactivity). An unreadable session is nobody's: skipped.
    """
    now = now or timezone.now()
    ended = []
    for session in Session.objects.filter(expire_date__gt=now).iterator(chunk_size=500):
        try:
            owner = session.get_decoded().get(SESSION_KEY)
        except Exception:  # noqa: BLE001 (a corrupted row: Django itself reads it as empty)
            continue
        if owner == str(user.pk):
            ended.append(session.session_key)
    return Session.objects.filter(session_key__in=ended).delete()[0]


@transaction.atomic
def deactivate_user(*, user: User, by: User, now: datetime | None = None) -> User:
    """Close `user`'s account: no login any more, their open sessions ended, an e-mail says so.

    Their data stay (erasure is another thing). Refused for oneself and for the last active staff
    member; an account already closed is refused too, so a double click sends one e-mail.
    """
    now = now or timezone.now()
    _ensure_staff(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.pk == by.pk:
        raise AccountError(_("Vous ne pouvez pas désactiver votre propre compte."))
    if not user.is_active:
        raise AccountError(_("Ce compte est déjà désactivé."))
    if user.role == Role.STAFF and not _other_active_staff(user=user):
        raise AccountError(
            _("C'est le dernier compte actif de l'équipe DéClics : il ne peut pas être désactivé.")
        )
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_sessions(user=user, now=now)
    notify(
        user=user,
        kind=message_kinds.SECURITY,
        key=f"accounts:deactivated:{user.pk}:{_stamp(now)}",
        template="accounts/emails/account_deactivated",
        context={"user": user},
    )
    return user


@transaction.atomic
def reactivate_user(*, user: User, by: User, now: datetime | None = None) -> User:
    """Open a closed account again; an e-mail tells its owner they may sign in."""
    now = now or timezone.now()
    _ensure_staff(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise AccountError(_("Ce compte est déjà actif."))
    user.is_active = True
    user.save(update_fields=["is_active"])
    notify(
        user=user,
        kind=message_kinds.SECURITY,
        key=f"accounts:reactivated:{user.pk}:{_stamp(now)}",
        template="accounts/emails/account_reactivated",
        context={"user": user, "login_url": settings.SITE_URL + reverse("account_login")},
    )
    return user


class FirstStaffError(DomainError):
    """The first staff account cannot be created (the address is taken, the password too weak)."""


@dataclass(frozen=True)
class FirstStaff:
    """The new account and, shown once, what its owner needs to sign in with the second factor."""

    user: User
    totp_secret: str
    totp_url: str
    recovery_codes: list[str]


@transaction.atomic
def create_first_staff(*, email: str, first_name: str, last_name: str, password: str) -> FirstStaff:
    """Create a staff account (Django admin included) with its address verified and its second factor
    enrolled: an authenticator-app key and 10 recovery codes, returned so the command shows them once.

    For the very first account of a new site (later ones are invited from the team's space). An
    existing address is refused: running the command twice never changes an account silently.
    """
    email = User.objects.normalize_email(email).strip()
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise FirstStaffError(
            _("Un compte existe déjà avec l'adresse %(email)s : rien n'a été changé.") % {"email": email}
        )
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=Role.STAFF,
        is_staff=True,
        is_superuser=True,
    )
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise FirstStaffError(" ".join(error.messages)) from error
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    return FirstStaff(
        user=user,
        totp_secret=secret,
        totp_url=get_mfa_adapter().build_totp_url(user, secret),
        recovery_codes=codes,
    )
