import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics.public_ids import public_id_field


class ContractType(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    WORK_STUDY = "alternance", _("alternance")
    INTERNSHIP = "stage", _("stage")
    INTERIM = "interim", _("intérim")


class OfferSource(models.TextChoices):
    PARTNER = "partner", _("entreprise partenaire")
    FRANCE_TRAVAIL = "france_travail", _("France Travail")


class JobOfferQuerySet(models.QuerySet):
    def open(self, today=None):
        today = today or timezone.localdate()
        return self.filter(is_published=True, expires_on__gte=today)

    def moderated(self):
        return self.filter(is_moderated=True)

    def in_territory(self, departement_ids):
        """Offers located in one of these départements, plus remote ones."""
        return self.filter(models.Q(departement_id__in=list(departement_ids)) | models.Q(is_remote=True))

    def with_list_data(self):
        return self.select_related("company", "rome_job", "commune")


class JobOffer(models.Model):
    """A job, work-study or internship offer: from a partner company, or imported from France Travail."""

    source = models.CharField(
        _("source"), max_length=20, choices=OfferSource.choices, default=OfferSource.PARTNER
    )
    external_id = models.CharField(_("identifiant d'origine"), max_length=40, blank=True)
    external_url = models.URLField(_("offre d'origine"), blank=True, max_length=500)
    company = models.ForeignKey(
        "jobs.Partner",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="job_offers",
        verbose_name=_("entreprise"),
        limit_choices_to={"kind": "company"},
    )
    company_name = models.CharField(_("nom de l'entreprise"), max_length=200, blank=True)
    title = models.CharField(_("intitulé du poste"), max_length=200)
    rome_job = models.ForeignKey(
        "rome.RomeJob",
        on_delete=models.PROTECT,
        null=True,
        related_name="job_offers",
        verbose_name=_("métier (ROME)"),
    )
    contract = models.CharField(_("contrat"), max_length=12, choices=ContractType.choices)
    commune = models.ForeignKey(
        "territories.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ville"),
    )
    departement = models.ForeignKey(
        "territories.Departement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_remote = models.BooleanField(_("télétravail complet"), default=False)
    hours = models.CharField(
        _("horaires"), max_length=100, blank=True, help_text=_("Par exemple : 35 h par semaine.")
    )
    salary_min = models.PositiveIntegerField(_("salaire brut annuel minimum (euros)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salaire brut annuel maximum (euros)"), null=True, blank=True)
    description = models.TextField(_("description du poste"))
    requirements = models.TextField(_("profil recherché"), blank=True)
    starts_on = models.DateField(_("date de début"), null=True, blank=True)
    expires_on = models.DateField(_("date limite de candidature"))
    positions = models.PositiveSmallIntegerField(_("nombre de postes"), default=1)
    is_published = models.BooleanField(_("publiée"), default=True)
    # Unpublished by staff (`services.unpublish_offer`): only staff may publish it again.
    is_moderated = models.BooleanField(_("retirée par l'équipe DéClics"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobOfferQuerySet.as_manager()

    class Meta:
        app_label = "jobs"
        verbose_name = _("offre d'emploi")
        verbose_name_plural = _("offres d'emploi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="job_offer_external_id_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(salary_min__isnull=True)
                | models.Q(salary_max__isnull=True)
                | models.Q(salary_min__lte=models.F("salary_max")),
                name="job_offer_salary_in_order",
            ),
            models.CheckConstraint(condition=models.Q(positions__gt=0), name="job_offer_positions_positive"),
            models.CheckConstraint(
                condition=models.Q(is_moderated=False) | models.Q(is_published=False),
                name="job_offer_moderated_is_unpublished",
            ),
        ]
        indexes = [models.Index(fields=["departement", "expires_on"], name="job_offer_dept_expiry_idx")]

    def __str__(self):
        return self.title

    @property
    def employer_name(self) -> str:
        return self.company.name if self.company_id else self.company_name

    @property
    def is_imported(self) -> bool:
        return self.source == OfferSource.FRANCE_TRAVAIL

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()


class ModerationAction(models.TextChoices):
    UNPUBLISHED = "unpublished", _("retirée")
    REPUBLISHED = "republished", _("remise en ligne")


class OfferModeration(models.Model):
    """One staff decision on an offer (unpublished with a reason, or put back online): its history."""

    offer = models.ForeignKey(JobOffer, on_delete=models.CASCADE, related_name="moderations")
    action = models.CharField(_("décision"), max_length=12, choices=ModerationAction.choices)
    reason = models.TextField(_("raison"), blank=True, max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("par"),
    )
    created_at = models.DateTimeField(_("le"), default=timezone.now)

    class Meta:
        app_label = "jobs"
        verbose_name = _("modération d'une offre")
        verbose_name_plural = _("modérations des offres")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.offer} – {self.get_action_display()}"


class ApplicationStatus(models.TextChoices):
    NEW = "new", _("envoyée")
    SEEN = "seen", _("lue par l'entreprise")
    INTERVIEW = "interview", _("entretien proposé")
    HIRED = "hired", _("recruté·e")
    NOT_SELECTED = "not_selected", _("non retenue")
    WITHDRAWN = "withdrawn", _("retirée")
    CLOSED = "closed", _("close sans réponse")


OPEN_APPLICATION_STATUSES = (ApplicationStatus.NEW, ApplicationStatus.SEEN, ApplicationStatus.INTERVIEW)
FINAL_APPLICATION_STATUSES = (
    ApplicationStatus.HIRED,
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.CLOSED,
)


class RejectionReason(models.TextChoices):
    POSITION_FILLED = "filled", _("Le poste a été pourvu.")
    PROFILE = "profile", _("D'autres profils correspondaient davantage au poste pour cette fois.")
    EXPERIENCE = (
        "experience",
        _("Le poste demande une expérience que vous pourrez acquérir par une formation."),
    )
    CANCELLED = "cancelled", _("Le recrutement a été annulé.")
    OTHER = "other", _("Autre raison (précisée dans le message).")


def cv_path(instance, filename):
    # A random name: the original file name is kept only in `cv_name`, never in the path.
    extension = ".pdf" if instance.cv_content_type == "application/pdf" else ".docx"
    return f"private/cv/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{extension}"


class ApplicationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_APPLICATION_STATUSES)


class Application(models.Model):
    """A job seeker's application to an offer, with a CV stored privately."""

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    offer = models.ForeignKey(JobOffer, on_delete=models.CASCADE, related_name="applications")
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("message"), max_length=3000)
    cv = models.FileField(_("CV"), upload_to=cv_path, max_length=200)
    cv_name = models.CharField(_("nom du fichier"), max_length=200)
    cv_content_type = models.CharField(max_length=100)
    status = models.CharField(
        _("statut"), max_length=15, choices=ApplicationStatus.choices, default=ApplicationStatus.NEW
    )
    rejection_reason = models.CharField(
        _("raison"), max_length=15, choices=RejectionReason.choices, blank=True
    )
    company_message = models.TextField(_("message de l'entreprise"), blank=True, max_length=2000)
    status_changed_at = models.DateTimeField(_("dernier changement"), default=timezone.now)
    reminded_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)
    hired_at = models.DateTimeField(_("recrutement"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        app_label = "jobs"
        verbose_name = _("candidature")
        verbose_name_plural = _("candidatures")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "job_seeker"], name="application_one_per_offer"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="application_status_created_idx")]

    def __str__(self):
        return f"{self.job_seeker} – {self.offer}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_APPLICATION_STATUSES
