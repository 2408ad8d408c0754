"""Step 4: online workshops, their seats, bookings (with a waiting list), attendance and calendar feeds.

Seats are counted twice on purpose: `Workshop.seats_taken` is a counter kept by the services under
a lock on the workshop row, and a check constraint keeps it between 0 and `seats` — the database's
last guard against overbooking, whatever code path writes.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics.public_ids import public_id_field


class WorkshopTopic(models.TextChoices):
    SOFT_SKILLS = "soft_skills", _("Savoir-être et confiance en soi")
    CV_LINKEDIN = "cv_linkedin", _("CV et LinkedIn")
    INTERVIEW = "interview", _("Entretien d'embauche")
    JOB_DISCOVERY = "job_discovery", _("Découvrir un métier")
    DIGITAL_TOOLS = "digital_tools", _("Outils numériques")


class WorkshopStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("programmé")
    CANCELLED = "cancelled", _("annulé")


class WorkshopQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=WorkshopStatus.SCHEDULED)

    def upcoming(self, now=None):
        return self.scheduled().filter(starts_at__gt=now or timezone.now())

    def with_waiting_count(self):
        return self.annotate(
            waiting_count=models.Count(
                "bookings", filter=models.Q(bookings__status=WorkshopBookingStatus.WAITING)
            )
        )


class Workshop(models.Model):
    """A live video workshop of one session, with a fixed number of seats."""

    session = models.ForeignKey(
        "programs.Session", on_delete=models.CASCADE, related_name="workshops", verbose_name=_("session")
    )
    title = models.CharField(_("titre"), max_length=200)
    topic = models.CharField(_("thème"), max_length=20, choices=WorkshopTopic.choices)
    description = models.TextField(_("présentation en mots simples"))
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_workshops",
        verbose_name=_("animateur·ices"),
    )
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=90)
    seats = models.PositiveSmallIntegerField(_("places"))
    seats_taken = models.PositiveSmallIntegerField(
        _("places prises"), default=0, help_text=_("Réservations confirmées et places proposées en attente.")
    )
    video_url = models.URLField(_("lien de la visioconférence"))
    accessibility_notes = models.TextField(
        _("accessibilité"), blank=True, help_text=_("Sous-titres, accès par téléphone, etc.")
    )
    replay_url = models.URLField(_("lien du replay"), blank=True)
    status = models.CharField(
        _("statut"), max_length=10, choices=WorkshopStatus.choices, default=WorkshopStatus.SCHEDULED
    )
    # iCalendar SEQUENCE: incremented at each move or cancellation, so calendars apply the update.
    sequence = models.PositiveIntegerField(default=0)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta:
        app_label = "programs"
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gt=0), name="workshop_seats_positive"),
            models.CheckConstraint(
                condition=models.Q(seats_taken__lte=models.F("seats")), name="workshop_never_overbooked"
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="workshop_duration_positive"
            ),
        ]
        indexes = [models.Index(fields=["session", "starts_at"], name="workshop_session_start_idx")]

    def __str__(self):
        return f"{self.title} – {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def seats_left(self) -> int:
        return max(self.seats - self.seats_taken, 0)

    @property
    def is_cancelled(self) -> bool:
        return self.status == WorkshopStatus.CANCELLED


class WorkshopBookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("réservé")
    WAITING = "waiting", _("liste d'attente")
    OFFERED = "offered", _("place proposée")
    CANCELLED = "cancelled", _("annulé")
    EXPIRED = "expired", _("proposition expirée")


# Statuses that hold one of the workshop's seats (counted in `Workshop.seats_taken`).
SEAT_HOLDING = (WorkshopBookingStatus.CONFIRMED, WorkshopBookingStatus.OFFERED)
# Statuses that count towards a person's limit of simultaneous bookings.
LIVE_STATUSES = (
    WorkshopBookingStatus.CONFIRMED,
    WorkshopBookingStatus.OFFERED,
    WorkshopBookingStatus.WAITING,
)


class FeedbackAnswer(models.TextChoices):
    VERY = "very", _("Oui, beaucoup")
    SOMEWHAT = "somewhat", _("Un peu")
    NOT = "not", _("Pas vraiment")


class WorkshopBookingQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=WorkshopBookingStatus.CONFIRMED)

    def waiting_queue(self):
        """The waiting list in its order: first come, first offered."""
        return self.filter(status=WorkshopBookingStatus.WAITING).order_by("waiting_since", "id")


class WorkshopBooking(models.Model):
    """One person's place (or place in the queue) for one workshop.

    One row per person and workshop: booking again after a cancellation revives the row with the
    next `round`, so e-mail keys, the calendar UID and the reminders of each round stay distinct.
    """

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="bookings")
    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.CASCADE, related_name="workshop_bookings"
    )
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_bookings"
    )
    status = models.CharField(_("statut"), max_length=10, choices=WorkshopBookingStatus.choices)
    round = models.PositiveSmallIntegerField(default=1)
    booked_at = models.DateTimeField(_("réservé le"), default=timezone.now)
    waiting_since = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    offered_at = models.DateTimeField(_("place proposée le"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("à confirmer avant"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    # None: not marked yet.
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    feedback = models.CharField(
        _("l'atelier vous a-t-il été utile ?"), max_length=10, choices=FeedbackAnswer.choices, blank=True
    )
    feedback_at = models.DateTimeField(null=True, blank=True)

    objects = WorkshopBookingQuerySet.as_manager()

    class Meta:
        app_label = "programs"
        verbose_name = _("réservation d'atelier")
        verbose_name_plural = _("réservations d'atelier")
        ordering = ["workshop", "booked_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workshop", "job_seeker"], name="workshop_booking_one_per_person"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="offered") | models.Q(offer_expires_at__isnull=False),
                name="workshop_offer_has_deadline",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="waiting") | models.Q(waiting_since__isnull=False),
                name="workshop_waiting_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["workshop", "status"], name="workshop_booking_status_idx"),
            models.Index(
                fields=["offer_expires_at"],
                condition=models.Q(status="offered"),
                name="workshop_offer_expiry_idx",
            ),
        ]

    def __str__(self):
        return f"{self.job_seeker} – {self.workshop} ({self.get_status_display()})"

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING
