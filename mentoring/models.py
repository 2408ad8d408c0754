"""Mentor profiles, mentee preferences, requests, mentorships, session logs and bulk match runs."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics.public_ids import public_id_field

DAYS = [
    ("mon", _("lundi")),
    ("tue", _("mardi")),
    ("wed", _("mercredi")),
    ("thu", _("jeudi")),
    ("fri", _("vendredi")),
    ("sat", _("samedi")),
]
PERIODS = [("morning", _("matin")), ("afternoon", _("après-midi")), ("evening", _("soir"))]
# "tue-evening" → "mardi soir"
AVAILABILITY_CHOICES = [
    (f"{day}-{period}", f"{day_label} {period_label}")
    for day, day_label in DAYS
    for period, period_label in PERIODS
]
LANGUAGE_CHOICES = [
    ("fr", _("français")),
    ("en", _("anglais")),
    ("ar", _("arabe")),
    ("es", _("espagnol")),
    ("pt", _("portugais")),
    ("de", _("allemand")),
    ("it", _("italien")),
    ("tr", _("turc")),
    ("ro", _("roumain")),
    ("ber", _("berbère")),
    ("wo", _("wolof")),
    ("zh", _("chinois")),
]
MIN_CAPACITY = 1
MAX_CAPACITY = 5


class Gender(models.TextChoices):
    WOMAN = "woman", _("une femme")
    MAN = "man", _("un homme")
    OTHER = "other", _("autre")
    UNSAID = "unsaid", _("je préfère ne pas le dire")


class MentorStatus(models.TextChoices):
    PENDING = "pending", _("en attente de validation")
    APPROVED = "approved", _("validé·e")
    REJECTED = "rejected", _("refusé·e")
    PAUSED = "paused", _("en pause")


class MentorProfileQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=MentorStatus.APPROVED)

    def for_region(self, region_id):
        return self.filter(models.Q(region_id=region_id) | models.Q(nationwide=True))

    def with_free_place(self):
        return self.filter(active_mentees__lt=models.F("capacity"))

    def with_pending_requests(self):
        return self.annotate(
            pending_requests=models.Count("requests", filter=models.Q(requests__status=RequestStatus.PENDING))
        )


class MentorProfile(models.Model):
    """A mentor: job, territory, capacity and availability. Staff approve before any match.

    `active_mentees` counts the mentor's active mentorships; the check constraint
    `active_mentees <= capacity` is the database's last guard against over-booking.
    """

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profile"
    )
    job_title = models.CharField(_("métier"), max_length=120, help_text=_("Par exemple : développeuse web."))
    rome_jobs = models.ManyToManyField(
        "rome.RomeJob", related_name="mentors", verbose_name=_("métiers (codes ROME)"), blank=True
    )
    employer = models.CharField(
        _("entreprise ou statut"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple : EDF, indépendant·e."),
    )
    region = models.ForeignKey(
        "territories.Region", on_delete=models.PROTECT, related_name="mentors", verbose_name=_("région")
    )
    departements = models.ManyToManyField(
        "territories.Departement",
        related_name="mentors",
        blank=True,
        verbose_name=_("départements"),
        help_text=_("Facultatif : le mentorat se fait en ligne, la région suffit."),
    )
    nationwide = models.BooleanField(_("je peux accompagner partout en France"), default=False)
    capacity = models.PositiveSmallIntegerField(
        _("nombre de mentoré·es en même temps"), default=2, help_text=_("De 1 à 5.")
    )
    availability = models.JSONField(_("disponibilités"), default=list, blank=True)
    languages = models.JSONField(_("langues parlées"), default=list, blank=True)
    gender = models.CharField(_("vous êtes"), max_length=10, choices=Gender.choices, default=Gender.UNSAID)
    presentation = models.TextField(_("présentation"), max_length=1500, blank=True)

    status = models.CharField(
        _("statut"), max_length=10, choices=MentorStatus.choices, default=MentorStatus.PENDING
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    active_mentees = models.PositiveSmallIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor·e")
        verbose_name_plural = _("mentor·es")
        ordering = ["user__last_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=MIN_CAPACITY, capacity__lte=MAX_CAPACITY),
                name="mentor_capacity_range",
            ),
            models.CheckConstraint(
                condition=models.Q(active_mentees__lte=models.F("capacity")),
                name="mentor_capacity_not_exceeded",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MentorStatus.values), name="mentor_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.job_title}"

    @property
    def is_approved(self) -> bool:
        return self.status == MentorStatus.APPROVED

    @property
    def is_full(self) -> bool:
        return self.active_mentees >= self.capacity

    @property
    def public_name(self) -> str:
        """First name and initial: what a mentee sees before the mentorship starts."""
        initial = f" {self.user.last_name[:1]}." if self.user.last_name else ""
        return f"{self.user.first_name}{initial}".strip() or _("Mentor·e")


class MenteePreferences(models.Model):
    """What a mentee tells in their mentoring request form, per enrolment."""

    enrolment = models.OneToOneField(
        "programs.Enrolment", on_delete=models.CASCADE, related_name="mentoring_preferences"
    )
    rome_jobs = models.ManyToManyField(
        "rome.RomeJob", related_name="+", blank=True, verbose_name=_("métiers qui vous intéressent")
    )
    availability = models.JSONField(_("disponibilités"), default=list, blank=True)
    languages = models.JSONField(_("langues parlées"), default=list, blank=True)
    mentor_gender = models.CharField(
        _("vous préférez être accompagné·e par"),
        max_length=10,
        blank=True,
        choices=[("", _("peu importe")), (Gender.WOMAN, _("une femme")), (Gender.MAN, _("un homme"))],
    )
    goals = models.TextField(_("ce que vous attendez du mentorat"), max_length=1500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("souhaits de mentorat")
        verbose_name_plural = _("souhaits de mentorat")

    def __str__(self):
        return str(self.enrolment)


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("en attente de réponse")
    ACCEPTED = "accepted", _("acceptée")
    DECLINED = "declined", _("refusée")
    EXPIRED = "expired", _("expirée")
    CANCELLED = "cancelled", _("annulée")


class RequestOrigin(models.TextChoices):
    MENTEE = "mentee", _("demande du ou de la candidat·e")
    BULK = "bulk", _("appariement par l'équipe")
    CHAIN = "chain", _("transmise automatiquement")


class MentoringRequestQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=RequestStatus.PENDING)


class MentoringRequest(models.Model):
    """A mentee (an enrolment) asks a mentor; the mentor accepts or declines before `expires_at`."""

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.CASCADE, related_name="mentoring_requests"
    )
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="requests")
    message = models.TextField(_("votre message"), max_length=1000, blank=True)
    origin = models.CharField(max_length=10, choices=RequestOrigin.choices, default=RequestOrigin.MENTEE)
    status = models.CharField(
        _("statut"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    score = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    decline_reason = models.TextField(_("raison"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # 0 when the mentee (or staff) chose the mentor; n for the n-th automatic pass to the next one.
    chain_try = models.PositiveSmallIntegerField(default=0)

    objects = MentoringRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de mentorat")
        verbose_name_plural = _("demandes de mentorat")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(status="pending"),
                name="mentoring_request_one_pending_per_enrolment",
            ),
            # A mentee never asks the same mentor twice (a decline or an expiry is final).
            models.UniqueConstraint(fields=["enrolment", "mentor"], name="mentoring_request_once_per_mentor"),
            models.CheckConstraint(
                condition=models.Q(status__in=RequestStatus.values), name="mentoring_request_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="mentoring_request_due_idx")]

    def __str__(self):
        return f"{self.enrolment} → {self.mentor}"

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING


class AlertReason(models.TextChoices):
    NO_MENTOR_LEFT = "no_mentor_left", _("plus aucun·e mentor·e disponible ne lui correspond")
    TOO_MANY_TRIES = "too_many_tries", _("demande transmise plusieurs fois sans réponse positive")


class MentoringAlert(models.Model):
    """An enrolment the automatic passing-on of requests gave up on: staff accompany the person.

    One per enrolment (the latest reason wins); the staff's page shows it only while the person
    has neither a mentor nor a pending request.
    """

    enrolment = models.OneToOneField(
        "programs.Enrolment", on_delete=models.CASCADE, related_name="mentoring_alert"
    )
    reason = models.CharField(_("raison"), max_length=20, choices=AlertReason.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("personne à accompagner")
        verbose_name_plural = _("personnes à accompagner")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reason__in=AlertReason.values), name="mentoring_alert_reason_valid"
            ),
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.get_reason_display()}"


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", _("en cours")
    ENDED = "ended", _("terminé")


class EndReason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("les objectifs sont atteints")
    FOUND_JOB = "found_job", _("la personne a trouvé un emploi ou une formation")
    NO_CONTACT = "no_contact", _("pas de nouvelles")
    NOT_A_FIT = "not_a_fit", _("le binôme ne fonctionne pas")
    MENTEE_LEFT = "mentee_left", _("la personne a quitté la session")
    SESSION_CANCELLED = "session_cancelled", _("la session a été annulée")
    OTHER = "other", _("autre raison")


class MentorshipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=MentorshipStatus.ACTIVE)

    def with_log_count(self):
        return self.annotate(log_count=models.Count("logs"))

    def without_session_since(self, when):
        """Active mentorships started before `when` with no session logged."""
        return self.active().filter(started_at__lte=when, logs__isnull=True)


class Mentorship(models.Model):
    """An accepted pair. Contact details are shown to both only through this object."""

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    enrolment = models.ForeignKey("programs.Enrolment", on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.PROTECT, related_name="mentorships")
    request = models.OneToOneField(
        MentoringRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="mentorship"
    )
    status = models.CharField(
        max_length=10, choices=MentorshipStatus.choices, default=MentorshipStatus.ACTIVE
    )
    goals = models.TextField(_("objectifs"), max_length=3000, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    end_reason = models.CharField(_("raison"), max_length=20, choices=EndReason.choices, blank=True)
    end_comment = models.TextField(_("précisions"), max_length=1000, blank=True)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentorat")
        verbose_name_plural = _("mentorats")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=models.Q(status="active"),
                name="mentorship_one_active_per_enrolment",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=MentorshipStatus.values), name="mentorship_status_valid"
            ),
        ]

    def __str__(self):
        return f"{self.mentor.user} ↔ {self.enrolment.job_seeker}"

    @property
    def is_active(self) -> bool:
        return self.status == MentorshipStatus.ACTIVE


class SessionLog(models.Model):
    """One mentoring session; `private_notes` are the mentor's own and shown to nobody else."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="logs")
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"))
    topic = models.CharField(_("sujet"), max_length=200)
    private_notes = models.TextField(
        _("notes privées (visibles par vous seul·e)"), max_length=3000, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("séance de mentorat")
        verbose_name_plural = _("séances de mentorat")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0, duration_minutes__lte=480),
                name="session_log_duration_range",
            ),
        ]

    def __str__(self):
        return f"{self.mentorship} – {self.held_on}"


class Feedback(models.Model):
    """The short survey each side answers at the end of a mentorship."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(_("note"), choices=[(i, str(i)) for i in range(1, 6)])
    useful = models.BooleanField(_("le mentorat vous a été utile"), default=True)
    comment = models.TextField(_("commentaire"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("avis sur un mentorat")
        verbose_name_plural = _("avis sur les mentorats")
        constraints = [
            models.UniqueConstraint(fields=["mentorship", "author"], name="feedback_once_per_author"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_range"
            ),
        ]

    def __str__(self):
        return f"{self.mentorship} – {self.author}"


class MatchRunStatus(models.TextChoices):
    QUEUED = "queued", _("en file d'attente")
    RUNNING = "running", _("calcul en cours")
    READY = "ready", _("proposition prête")
    PUBLISHING = "publishing", _("publication en cours")
    PUBLISHED = "published", _("publiée")
    FAILED = "failed", _("échec")


class MatchRun(models.Model):
    """A bulk match of a session's unmatched mentees: computed by a task, reviewed, then published."""

    session = models.ForeignKey("programs.Session", on_delete=models.CASCADE, related_name="match_runs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=12, choices=MatchRunStatus.choices, default=MatchRunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step_label = models.CharField(max_length=120, blank=True)
    mentee_count = models.PositiveIntegerField(default=0)
    mentor_count = models.PositiveIntegerField(default=0)
    matched_count = models.PositiveIntegerField(default=0)
    total_score = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("appariement groupé")
        verbose_name_plural = _("appariements groupés")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=models.Q(status__in=["queued", "running", "ready", "publishing"]),
                name="match_run_one_open_per_session",
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="match_run_progress_range"),
        ]

    def __str__(self):
        return f"{self.session} – {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_working(self) -> bool:
        return self.status in (MatchRunStatus.QUEUED, MatchRunStatus.RUNNING, MatchRunStatus.PUBLISHING)


class ProposalOutcome(models.TextChoices):
    NONE = "", _("—")
    REQUESTED = "requested", _("demande envoyée")
    MATCHED = "matched", _("mise en relation faite")
    SKIPPED = "skipped", _("non publiée")


class MatchProposal(models.Model):
    """One line of a run: a mentee and the proposed mentor (none when no eligible place was left)."""

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    enrolment = models.ForeignKey("programs.Enrolment", on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(default=0)
    reasons = models.JSONField(default=list, blank=True)
    adjusted = models.BooleanField(default=False)
    outcome = models.CharField(max_length=10, choices=ProposalOutcome.choices, blank=True)
    outcome_detail = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("proposition d'appariement")
        verbose_name_plural = _("propositions d'appariement")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "enrolment"], name="match_proposal_one_per_mentee"),
        ]

    def __str__(self):
        return f"{self.enrolment} → {self.mentor}"
