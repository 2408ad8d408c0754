from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Step(models.IntegerChoices):
    """The six steps of the pathway, in order."""

    ROLE_MODELS = 1, _("Rencontrer des modèles")
    ASSESSMENT = 2, _("Faire le point sur ses compétences")
    MENTOR = 3, _("Être accompagné·e par un·e mentor·e")
    WORKSHOPS = 4, _("Participer à des ateliers")
    TRAININGS = 5, _("Découvrir des formations")
    JOBS = 6, _("Postuler à des offres")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", _("brouillon")
    # Published, registration not open yet: the landing page is live.
    PUBLISHED = "published", _("annoncée")
    REGISTRATION_OPEN = "registration_open", _("inscriptions ouvertes")
    RUNNING = "running", _("en cours")
    CLOSED = "closed", _("terminée")
    ARCHIVED = "archived", _("archivée")
    # Cancelled by the team (`programs.services.lifecycle.cancel_session`): every enrolment ended.
    CANCELLED = "cancelled", _("annulée")


# Statuses in which people may sign up, provided the registration window is open.
REGISTRATION_STATUSES = (SessionStatus.REGISTRATION_OPEN, SessionStatus.RUNNING)


class SessionQuerySet(models.QuerySet):
    def published(self):
        return self.exclude(status=SessionStatus.DRAFT).filter(published_at__isnull=False)

    def open_for_registration(self, now=None):
        now = now or timezone.now()
        return self.published().filter(
            status__in=REGISTRATION_STATUSES,
            registration_opens_at__lte=now,
            registration_closes_at__gt=now,
        )

    def upcoming_or_open(self, now=None):
        """Published sessions a visitor may still join or wait for: registration not closed yet."""
        now = now or timezone.now()
        return self.published().filter(
            status__in=(SessionStatus.PUBLISHED, *REGISTRATION_STATUSES), registration_closes_at__gt=now
        )

    def with_places_taken(self):
        # A correlated count per session (an index-only scan on (session, status)) rather than a
        # join + GROUP BY over every enrolment of every listed session.
        from .enrolments import Enrolment

        active = (
            Enrolment.objects.filter(session=models.OuterRef("pk"), status="active")
            .order_by()
            .values("session")
            .annotate(count=models.Count("pk"))
            .values("count")
        )
        return self.annotate(
            places_taken=Coalesce(models.Subquery(active, output_field=models.IntegerField()), 0)
        )


class Session(models.Model):
    """A regional session (cohort): a territory, a calendar, a capacity."""

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=120, unique=True)
    region = models.ForeignKey(
        "territories.Region", on_delete=models.PROTECT, related_name="sessions", verbose_name=_("région")
    )
    departements = models.ManyToManyField(
        "territories.Departement", related_name="sessions", verbose_name=_("départements")
    )
    status = models.CharField(
        _("statut"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    capacity = models.PositiveIntegerField(_("nombre de places"))
    description = models.TextField(_("présentation"), blank=True)
    faq = models.TextField(_("questions fréquentes"), blank=True)
    # A copied session proposes its source's texts; each stays "to review" until the staff saved
    # it on the texts form, and publishing is refused while one is.
    description_to_review = models.BooleanField(_("présentation à relire"), default=False)
    faq_to_review = models.BooleanField(_("questions fréquentes à relire"), default=False)

    registration_opens_at = models.DateTimeField(_("ouverture des inscriptions"))
    registration_closes_at = models.DateTimeField(_("clôture des inscriptions"))
    starts_at = models.DateTimeField(_("début de la session"))
    ends_at = models.DateTimeField(_("fin de la session"))
    survey_at = models.DateTimeField(_("envoi du questionnaire de satisfaction"))

    # Per-session rules used by the steps.
    nudge_after_days = models.PositiveSmallIntegerField(
        _("relance après (jours)"),
        default=5,
        help_text=_("Relance d'une personne inactive sur une étape ouverte."),
    )
    role_model_job_pages_required = models.PositiveSmallIntegerField(
        _("fiches métiers à consulter pour valider l'étape 1"),
        default=0,
        help_text=_(
            "0 : l'étape 1 se valide seulement en assistant à un témoignage (ou en regardant son replay)."
        ),
    )
    workshops_required = models.PositiveSmallIntegerField(
        _("ateliers à suivre pour valider l'étape 4"), default=2
    )
    max_simultaneous_bookings = models.PositiveSmallIntegerField(
        _("réservations d'ateliers simultanées"), default=3
    )
    mentor_request_expiry_days = models.PositiveSmallIntegerField(
        _("délai de réponse des mentors (jours)"), default=5
    )
    mentor_direct_match = models.BooleanField(
        _("appariement direct"),
        default=False,
        help_text=_("La mise en relation publiée par l'équipe vaut acceptation."),
    )

    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copiée de"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)
    # Calendar state written by the periodic task (with the status): each transition happens once.
    registration_closed_at = models.DateTimeField(_("inscriptions closes le"), null=True, blank=True)
    survey_sent_at = models.DateTimeField(_("questionnaire envoyé le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancel_reason = models.TextField(_("raison de l'annulation"), max_length=1000, blank=True)
    # Bumped at each change of the calendar once published: the key of the notice to the people
    # enrolled ("dates changed, version N"), so each change is told once.
    calendar_version = models.PositiveIntegerField(default=0, editable=False)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session régionale")
        verbose_name_plural = _("sessions régionales")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registration_opens_at__lt=models.F("registration_closes_at")),
                name="session_registration_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")), name="session_dates_in_order"
            ),
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="session_capacity_positive"),
        ]

    def __str__(self):
        return self.title

    def is_open_for_registration(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.published_at is not None
            and self.status in REGISTRATION_STATUSES
            and self.registration_opens_at <= now < self.registration_closes_at
        )

    @property
    def texts_to_review(self) -> list[str]:
        """The labels of the public texts copied from another session and not reviewed yet."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name, flag in (("description", self.description_to_review), ("faq", self.faq_to_review))
            if flag
        ]

    @property
    def reference_date(self):
        """The day the QPV and FRR/ZRR lists are read for this session: its first day (Paris time)."""
        return timezone.localdate(self.starts_at)


class SessionStep(models.Model):
    """When one step of a session opens."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(_("étape"), choices=Step.choices)
    opens_at = models.DateTimeField(_("ouverture"))
    opened_at = models.DateTimeField(
        _("ouverte le"), null=True, blank=True, help_text=_("Quand la tâche du calendrier l'a ouverte.")
    )

    class Meta:
        verbose_name = _("étape de session")
        verbose_name_plural = _("étapes de session")
        ordering = ["session", "step"]
        constraints = [models.UniqueConstraint(fields=["session", "step"], name="session_step_unique")]

    def __str__(self):
        return f"{self.session} – {self.get_step_display()}"
