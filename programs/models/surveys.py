"""The satisfaction survey at a session's end and the follow-ups at 3 and 6 months."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SurveyKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("questionnaire de satisfaction")
    FOLLOW_UP_3 = "follow_up_3", _("suivi à 3 mois")
    FOLLOW_UP_6 = "follow_up_6", _("suivi à 6 mois")


class Situation(models.TextChoices):
    JOB = "job", _("En emploi")
    TRAINING = "training", _("En formation")
    SEARCHING = "searching", _("Toujours en recherche d'emploi")
    OTHER = "other", _("Autre situation")


class ContractKind(models.TextChoices):
    CDI = "cdi", _("CDI")
    CDD = "cdd", _("CDD")
    INTERIM = "interim", _("Intérim")
    WORK_STUDY = "work_study", _("Alternance")
    FREELANCE = "freelance", _("Indépendant·e, création d'entreprise")
    OTHER = "other", _("Autre contrat")


class SurveyResponseQuerySet(models.QuerySet):
    def answered(self):
        return self.filter(answered_at__isnull=False)

    def unanswered(self):
        return self.filter(answered_at__isnull=True)


class SurveyResponse(models.Model):
    """One survey sent to one enrolment: created when the e-mail is queued, filled when answered.

    The person's answers; the free comment is the only text and is erased with the account.
    """

    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.CASCADE, related_name="survey_responses"
    )
    kind = models.CharField(_("questionnaire"), max_length=15, choices=SurveyKind.choices)
    sent_at = models.DateTimeField(_("envoyé le"))
    reminded_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)

    # Satisfaction.
    overall = models.PositiveSmallIntegerField(_("note globale"), null=True, blank=True)
    step_usefulness = models.JSONField(_("utilité de chaque étape"), default=dict, blank=True)
    would_recommend = models.BooleanField(_("recommanderait le programme"), null=True, blank=True)
    comment = models.TextField(_("commentaire"), blank=True, max_length=2000)

    # Follow-ups.
    situation = models.CharField(_("situation"), max_length=10, choices=Situation.choices, blank=True)
    contract = models.CharField(_("type de contrat"), max_length=12, choices=ContractKind.choices, blank=True)
    rome_code = models.CharField(_("code ROME du métier"), max_length=5, blank=True)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("réponse à un questionnaire")
        verbose_name_plural = _("réponses aux questionnaires")
        ordering = ["sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "kind"], name="survey_response_once_per_kind"),
            models.CheckConstraint(
                condition=models.Q(overall__isnull=True) | models.Q(overall__gte=1, overall__lte=5),
                name="survey_overall_1_to_5",
            ),
        ]
        indexes = [models.Index(fields=["kind", "answered_at"], name="survey_kind_answered_idx")]

    def __str__(self):
        return f"{self.enrolment} – {self.get_kind_display()}"
