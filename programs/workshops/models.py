"""Step 4: online workshops, their seats, bookings (with a waiting list), attendance and feedback.

The seats, the bookings and every rule about them are the booking engine's (`programs.bookings`):
a workshop is a `BookableSlot` and a booking a `SlotBooking`; this module keeps what is a
workshop's own (its topic, facilitators, accessibility notes, replay, feedback).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.bookings.models import (
    LIVE_STATUSES,
    SEAT_HOLDING,
    BookableSlot,
    BookingQuerySet,
    BookingStatus,
    SlotBooking,
    SlotQuerySet,
    SlotStatus,
)

__all__ = ["LIVE_STATUSES", "SEAT_HOLDING"]

WorkshopStatus = SlotStatus
WorkshopBookingStatus = BookingStatus


class WorkshopTopic(models.TextChoices):
    SOFT_SKILLS = "soft_skills", _("Savoir-être et confiance en soi")
    CV_LINKEDIN = "cv_linkedin", _("CV et LinkedIn")
    INTERVIEW = "interview", _("Entretien d'embauche")
    JOB_DISCOVERY = "job_discovery", _("Découvrir un métier")
    DIGITAL_TOOLS = "digital_tools", _("Outils numériques")


class WorkshopQuerySet(SlotQuerySet):
    def with_waiting_count(self):
        return self.annotate(
            waiting_count=models.Count(
                "bookings", filter=models.Q(bookings__status=WorkshopBookingStatus.WAITING)
            )
        )


class Workshop(BookableSlot):
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
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=90)
    seats = models.PositiveIntegerField(_("places"))
    video_url = models.URLField(_("lien de la visioconférence"))
    accessibility_notes = models.TextField(
        _("accessibilité"), blank=True, help_text=_("Sous-titres, accès par téléphone, etc.")
    )
    replay_url = models.URLField(_("lien du replay"), blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WorkshopQuerySet.as_manager()

    class Meta(BookableSlot.Meta):
        app_label = "programs"
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        indexes = [models.Index(fields=["session", "starts_at"], name="workshop_session_start_idx")]

    def __str__(self):
        return f"{self.title} – {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"


class FeedbackAnswer(models.TextChoices):
    VERY = "very", _("Oui, beaucoup")
    SOMEWHAT = "somewhat", _("Un peu")
    NOT = "not", _("Pas vraiment")


class WorkshopBooking(SlotBooking):
    """One person's place (or place in the queue) for one workshop, and their feedback."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="bookings")
    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.CASCADE, related_name="workshop_bookings"
    )
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_bookings"
    )
    feedback = models.CharField(
        _("l'atelier vous a-t-il été utile ?"), max_length=10, choices=FeedbackAnswer.choices, blank=True
    )
    feedback_at = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta(SlotBooking.Meta):
        app_label = "programs"
        verbose_name = _("réservation d'atelier")
        verbose_name_plural = _("réservations d'atelier")
        ordering = ["workshop", "booked_at", "id"]
        constraints = [
            *SlotBooking.Meta.constraints,
            models.UniqueConstraint(
                fields=["workshop", "job_seeker"], name="workshop_booking_one_per_person"
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
