from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobs.validators import validate_logo, validate_siret


class PartnerKind(models.TextChoices):
    COMPANY = "company", _("entreprise")
    TRAINING_BODY = "training_body", _("organisme de formation")


class PartnerQuerySet(models.QuerySet):
    def companies(self):
        return self.filter(kind=PartnerKind.COMPANY)

    def training_bodies(self):
        return self.filter(kind=PartnerKind.TRAINING_BODY)


def logo_path(instance, filename):
    return f"partners/logos/{instance.siret}-{filename}"


class Partner(models.Model):
    """A company that recruits or a training body (organisme de formation)."""

    kind = models.CharField(_("type"), max_length=20, choices=PartnerKind.choices)
    name = models.CharField(_("nom"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[validate_siret])
    sector = models.CharField(_("secteur d'activité"), max_length=200, blank=True)
    logo = models.FileField(_("logo"), upload_to=logo_path, blank=True, validators=[validate_logo])
    regions = models.ManyToManyField(
        "territories.Region", related_name="partners", blank=True, verbose_name=_("régions")
    )
    # Training bodies only.
    qualiopi = models.BooleanField(_("certifié Qualiopi"), default=False)
    communes = models.ManyToManyField(
        "territories.Commune", related_name="+", blank=True, verbose_name=_("villes")
    )
    website = models.URLField(_("site internet"), blank=True)
    contact_email = models.EmailField(
        _("adresse e-mail de contact"),
        blank=True,
        help_text=_("Reçoit les notifications si aucun compte n'est rattaché."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_training_body(self) -> bool:
        return self.kind == PartnerKind.TRAINING_BODY

    @property
    def is_company(self) -> bool:
        return self.kind == PartnerKind.COMPANY


class PartnerMembership(models.Model):
    """A partner user belongs to one partner and manages its trainings, slots or offers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_membership"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membre d'un partenaire")
        verbose_name_plural = _("membres des partenaires")

    def __str__(self):
        return f"{self.user} – {self.partner}"


class PartnerInvitation(models.Model):
    """The partner a pending partner-user invitation will attach the new account to once accepted."""

    invitation = models.OneToOneField(
        "accounts.Invitation", on_delete=models.CASCADE, related_name="partner_invitation"
    )
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")

    class Meta:
        verbose_name = _("invitation chez un partenaire")
        verbose_name_plural = _("invitations chez les partenaires")

    def __str__(self):
        return f"{self.invitation} – {self.partner}"
