from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrainingFormat(models.TextChoices):
    DISTANCE = "distance", _("à distance")
    ON_SITE = "on_site", _("sur place")
    MIXED = "mixed", _("mixte (à distance et sur place)")


class TrainingLevel(models.TextChoices):
    NONE = "none", _("sans niveau requis")
    LEVEL_3 = "3", _("niveau CAP (3)")
    LEVEL_4 = "4", _("niveau bac (4)")
    LEVEL_5 = "5", _("niveau bac+2 (5)")
    LEVEL_6 = "6", _("niveau bac+3 (6)")
    LEVEL_7 = "7", _("niveau bac+5 (7)")


class TrainingQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_list_data(self):
        """What a list row shows, in a constant number of queries."""
        today = timezone.localdate()
        return self.select_related("body").prefetch_related(
            "rome_jobs",
            "communes",
            models.Prefetch(
                "start_dates",
                queryset=TrainingStart.objects.filter(starts_on__gte=today).order_by("starts_on"),
                to_attr="upcoming_starts",
            ),
        )


class Training(models.Model):
    """A training offered by a training body, leading to one or more digital jobs."""

    body = models.ForeignKey(
        "jobs.Partner",
        on_delete=models.CASCADE,
        related_name="trainings",
        verbose_name=_("organisme de formation"),
        limit_choices_to={"kind": "training_body"},
    )
    title = models.CharField(_("intitulé"), max_length=200)
    summary = models.TextField(_("présentation"), blank=True)
    rome_jobs = models.ManyToManyField(
        "rome.RomeJob", related_name="trainings", verbose_name=_("métiers visés (ROME)")
    )
    certification_code = models.CharField(
        _("code RNCP ou RS"), max_length=20, blank=True, help_text=_("Par exemple RNCP37273 ou RS5487.")
    )
    level = models.CharField(
        _("niveau"), max_length=5, choices=TrainingLevel.choices, default=TrainingLevel.NONE
    )
    duration_hours = models.PositiveIntegerField(_("durée (heures)"))
    format = models.CharField(_("format"), max_length=10, choices=TrainingFormat.choices)
    communes = models.ManyToManyField(
        "territories.Commune", related_name="+", blank=True, verbose_name=_("villes")
    )
    cost_eur = models.PositiveIntegerField(_("coût (euros)"), null=True, blank=True)
    is_free = models.BooleanField(_("gratuite pour la personne"), default=False)
    funding_cpf = models.BooleanField(_("finançable par le CPF"), default=False)
    funding_aif = models.BooleanField(_("finançable par l'AIF de France Travail"), default=False)
    funding_region = models.BooleanField(_("financée par la Région"), default=False)
    gen_label = models.BooleanField(_("label Grande École du Numérique"), default=False)
    disability_accessible = models.BooleanField(
        _("accessible aux personnes en situation de handicap"), default=False
    )
    url = models.URLField(_("lien vers la formation"), blank=True)
    is_published = models.BooleanField(_("publiée"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        app_label = "jobs"
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["title", "id"]

    def __str__(self):
        return self.title

    @property
    def is_funded(self) -> bool:
        return self.is_free or self.funding_cpf or self.funding_aif or self.funding_region

    def funding_labels(self) -> list[str]:
        labels = []
        if self.is_free:
            labels.append(_("gratuite"))
        if self.funding_cpf:
            labels.append(_("votre compte formation (CPF)"))
        if self.funding_aif:
            labels.append(_("une aide de France Travail (AIF)"))
        if self.funding_region:
            labels.append(_("Région"))
        return labels


class TrainingStart(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="start_dates")
    starts_on = models.DateField(_("date de début"))

    class Meta:
        app_label = "jobs"
        verbose_name = _("date de début")
        verbose_name_plural = _("dates de début")
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["training", "starts_on"], name="training_start_unique"),
        ]

    def __str__(self):
        return f"{self.training} – {self.starts_on}"


class TrainingInterest(models.Model):
    """ "I am interested": the training body sees the person's name and e-mail, which they agreed to share."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="interests")
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_interests"
    )
    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    consent_at = models.DateTimeField(_("accord pour partager nom et e-mail"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "jobs"
        verbose_name = _("intérêt pour une formation")
        verbose_name_plural = _("intérêts pour des formations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["training", "job_seeker"], name="training_interest_unique"),
        ]

    def __str__(self):
        return f"{self.job_seeker} – {self.training}"
