"""Advisers' agencies, their membership, and the invitations they send to job seekers."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    FRANCE_TRAVAIL = "france_travail", _("France Travail")
    MISSION_LOCALE = "mission_locale", _("Mission locale")
    CAP_EMPLOI = "cap_emploi", _("Cap emploi")
    OTHER = "other", _("Autre structure")


class Agency(models.Model):
    """An employment agency in one département; its advisers follow the people they send."""

    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=AgencyKind.choices)
    departement = models.ForeignKey(
        "territories.Departement",
        on_delete=models.PROTECT,
        related_name="agencies",
        verbose_name=_("département"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agence")
        verbose_name_plural = _("agences")
        ordering = ["departement", "name"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "name"], name="agency_unique_name_per_departement")
        ]

    def __str__(self):
        return f"{self.name} ({self.departement_id})"


class AdviserMembership(models.Model):
    """An adviser's agency; the head of an agency sees all of the agency's people."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="adviser_membership"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    is_head = models.BooleanField(_("responsable de l'agence"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conseiller·ère d'agence")
        verbose_name_plural = _("conseillers·ères d'agence")

    def __str__(self):
        return f"{self.user} – {self.agency}"


class AgencyInvitation(models.Model):
    """The agency a pending adviser invitation will attach the new account to once accepted."""

    invitation = models.OneToOneField(
        "accounts.Invitation", on_delete=models.CASCADE, related_name="agency_invitation"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="invitations")
    is_head = models.BooleanField(_("responsable de l'agence"), default=False)

    class Meta:
        verbose_name = _("invitation en agence")
        verbose_name_plural = _("invitations en agence")

    def __str__(self):
        return f"{self.invitation} – {self.agency}"


class SessionEmailInvitation(models.Model):
    """An adviser invited one person, by e-mail, to a session (counted as "invited" in the funnel)."""

    session = models.ForeignKey(
        "programs.Session", on_delete=models.CASCADE, related_name="adviser_email_invitations"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_email_invitations"
    )
    email = models.EmailField(_("adresse e-mail"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation d'un·e candidat·e")
        verbose_name_plural = _("invitations de candidat·es")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "adviser", "email"], name="session_email_invitation_once"
            )
        ]

    def __str__(self):
        return f"{self.email} – {self.session}"


def _short_token() -> str:
    return secrets.token_urlsafe(6)  # 8 characters: the link fits in one SMS with its text


class SessionPhoneInvitation(models.Model):
    """An adviser invited one person, by SMS, to a session: the SMS carries a short link
    (`programs:phone_invitation`) that opens the session's page with the adviser remembered."""

    session = models.ForeignKey(
        "programs.Session", on_delete=models.CASCADE, related_name="adviser_phone_invitations"
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_phone_invitations"
    )
    phone = models.CharField(_("numéro de portable"), max_length=20)  # E.164; "" once erased
    token = models.CharField(max_length=16, unique=True, default=_short_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation d'un·e candidat·e par SMS")
        verbose_name_plural = _("invitations de candidat·es par SMS")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "adviser", "phone"],
                condition=~models.Q(phone=""),
                name="session_phone_invitation_once",
            )
        ]

    def __str__(self):
        return f"{self.phone} – {self.session}"
