import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .validators import validate_french_phone


class Role(models.TextChoices):
    JOB_SEEKER = "job_seeker", _("Candidat·e")
    MENTOR = "mentor", _("Mentor·e")
    ADVISER = "adviser", _("Conseiller·ère")
    PARTNER = "partner", _("Partenaire")
    STAFF = "staff", _("Équipe DéClics")


# Roles a person may choose for themselves; the others come only through a staff invitation.
SELF_SERVICE_ROLES = (Role.JOB_SEEKER, Role.MENTOR)
INVITED_ROLES = (Role.ADVISER, Role.PARTNER)
# Roles that see other people's data: their accounts cannot be used without a second factor.
SECOND_FACTOR_ROLES = (Role.STAFF, Role.ADVISER)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        # A job seeker may sign up with a phone number only; every other account needs an address
        # (the database refuses it too: user_email_unless_job_seeker).
        if not email and not extra_fields.get("phone"):
            raise ValueError("An e-mail address or a phone number is required")
        email = self.normalize_email(email).lower() if email else None
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("role", Role.STAFF)
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with one role on the platform, who signs in with an e-mail address or a mobile number.

    The address is optional for job seekers only (many have none they read): NULL, never "", so that
    the unique index ignores the people without one.
    """

    email = models.EmailField(_("adresse e-mail"), unique=True, null=True, blank=True)
    first_name = models.CharField(_("prénom"), max_length=100, blank=True)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    # E.164 (+33…), "" when unknown; one account per number. Verified: a code sent to it by SMS
    # was typed back (sign-up, login by code), so it may be used to sign in and to receive messages.
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, validators=[validate_french_phone])
    phone_verified = models.BooleanField(_("téléphone vérifié"), default=False)
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices, default=Role.JOB_SEEKER)
    # The language the person reads the site in: every e-mail and SMS to them is written in it.
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")
    is_staff = models.BooleanField(
        _("accès à l'administration"),
        default=False,
        help_text=_("Peut se connecter à l'administration Django."),
    )
    is_active = models.BooleanField(_("actif"), default=True)
    date_joined = models.DateTimeField(_("inscription"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("utilisateur·rice")
        verbose_name_plural = _("utilisateur·rices")
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
            models.UniqueConstraint(
                fields=["phone"],
                condition=~models.Q(phone=""),
                name="user_phone_unique",
                violation_error_message=_("Ce numéro de téléphone est déjà celui d'un autre compte."),
            ),
            # Someone to reach: an address or a number.
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | ~models.Q(phone=""), name="user_email_or_phone"
            ),
            # Mentors, advisers, partners and staff are reached (and invited) by e-mail.
            models.CheckConstraint(
                condition=models.Q(email__isnull=False) | models.Q(role=Role.JOB_SEEKER),
                name="user_email_unless_job_seeker",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.contact

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.contact

    @property
    def contact(self) -> str:
        """How to reach the person, for lists and exports: the address, else the phone number."""
        return self.email or self.phone

    @property
    def is_job_seeker(self) -> bool:
        return self.role == Role.JOB_SEEKER

    @property
    def is_mentor(self) -> bool:
        return self.role == Role.MENTOR

    @property
    def is_adviser(self) -> bool:
        return self.role == Role.ADVISER

    @property
    def is_partner(self) -> bool:
        return self.role == Role.PARTNER

    @property
    def is_programme_staff(self) -> bool:
        return self.role == Role.STAFF or self.is_superuser

    @property
    def must_use_second_factor(self) -> bool:
        """Staff, advisers and anyone with access to the Django admin see other people's data."""
        return self.role in SECOND_FACTOR_ROLES or self.is_staff or self.is_superuser


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _default_expiry():
    return timezone.now() + timedelta(days=14)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A staff invitation for an adviser or a partner: the link lets them set their password."""

    email = models.EmailField(_("adresse e-mail"))
    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100)
    role = models.CharField(_("rôle"), max_length=20, choices=[(r.value, r.label) for r in INVITED_ROLES])
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=_default_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.OneToOneField(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # One pending invitation per address: a second one would send two different links.
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(accepted_at__isnull=True),
                name="invitation_one_pending_per_email",
            ),
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
