from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from declics.public_ids import public_id_field

from .sessions import Step


class JobSeekerProfile(models.Model):
    """What a job seeker tells about themselves once, reused across sessions.

    Only what serves the person or the programme's reporting; RQTH is visible to staff only.
    """

    class Gender(models.TextChoices):
        WOMAN = "woman", _("Femme")
        MAN = "man", _("Homme")
        OTHER = "other", _("Autre")
        UNSAID = "unsaid", _("Je préfère ne pas répondre")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_seeker_profile"
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    birth_year = models.PositiveSmallIntegerField(_("année de naissance"), null=True, blank=True)
    gender = models.CharField(_("genre"), max_length=10, choices=Gender.choices, default=Gender.UNSAID)
    education_level = models.CharField(_("niveau d'études"), max_length=30, blank=True)
    situation = models.CharField(_("situation actuelle"), max_length=30, blank=True)
    france_travail_id = models.CharField(_("identifiant France Travail"), max_length=20, blank=True)
    rqth = models.BooleanField(
        _("reconnaissance de la qualité de travailleur handicapé (RQTH)"), null=True, blank=True
    )
    rqth_consent_at = models.DateTimeField(null=True, blank=True)
    heard_from = models.CharField(_("comment avez-vous connu le programme ?"), max_length=30, blank=True)
    privacy_consent_at = models.DateTimeField(_("accord sur les données personnelles"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("profil candidat·e")
        verbose_name_plural = _("profils candidat·es")

    def __str__(self):
        return str(self.user)


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("inscrit·e")
    WAITING = "waiting", _("liste d'attente")
    # The ways an enrolment ends, each one service of `programs.services.lifecycle`.
    WITHDRAWN = "withdrawn", _("désinscrit·e")
    REMOVED = "removed", _("retiré·e par l'équipe")
    TRANSFERRED = "transferred", _("transféré·e vers une autre session")
    ERASED = "erased", _("compte supprimé")
    SESSION_CANCELLED = "session_cancelled", _("session annulée")


# An enrolment in one of these statuses is current: it holds a place or waits for one.
CURRENT_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING)
ENDED_STATUSES = tuple(status for status in EnrolmentStatus if status not in CURRENT_STATUSES)


class EnrolmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=EnrolmentStatus.ACTIVE)

    def current(self):
        return self.filter(status__in=CURRENT_STATUSES)

    def waiting(self):
        return self.filter(status=EnrolmentStatus.WAITING).order_by("created_at", "id")


class Enrolment(models.Model):
    """A job seeker in a session, with the eligibility decision as it was made."""

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    session = models.ForeignKey("programs.Session", on_delete=models.CASCADE, related_name="enrolments")
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="advised_enrolments",
        verbose_name=_("conseiller·ère"),
    )
    share_with_adviser = models.BooleanField(
        _("partage de l'avancement avec le conseiller·ère"), default=False
    )

    # Eligibility snapshot: later changes to the QPV/FRR lists never rewrite this decision.
    commune = models.ForeignKey("territories.Commune", on_delete=models.PROTECT, related_name="+")
    qpv = models.ForeignKey(
        "territories.QPV", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    eligibility = models.JSONField(
        _("décision d'éligibilité"),
        default=dict,
        help_text=_(
            "Commune, QPV ou FRR/ZRR retenu, liste et date de la décision, "
            "tels qu'au moment de l'inscription."
        ),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)

    # How it ended (every ended status): when, by which team member, why, and where it went.
    ended_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("terminée par"),
    )
    end_reason = models.TextField(_("raison de la fin"), max_length=1000, blank=True)
    transferred_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transferred_from",
        verbose_name=_("transférée vers"),
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "job_seeker"], name="enrolment_one_per_person_and_session"
            ),
        ]
        indexes = [models.Index(fields=["session", "status"], name="enrolment_session_status_idx")]

    def __str__(self):
        return f"{self.job_seeker} – {self.session}"

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


class StepProgressQuerySet(models.QuerySet):
    def done(self):
        return self.filter(completed_at__isnull=False)


class StepProgress(models.Model):
    """One enrolment on one step: when it was done, and the nudge sent for it.

    A row may exist with `completed_at` empty (a nudge was sent): "done" is `completed_at` set.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="step_progress")
    step = models.PositiveSmallIntegerField(_("étape"), choices=Step.choices)
    completed_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    nudged_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)

    objects = StepProgressQuerySet.as_manager()

    class Meta:
        verbose_name = _("avancement")
        verbose_name_plural = _("avancements")
        constraints = [models.UniqueConstraint(fields=["enrolment", "step"], name="step_progress_unique")]

    def __str__(self):
        return f"{self.enrolment} – {self.step}"
