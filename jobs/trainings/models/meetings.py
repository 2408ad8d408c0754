"""Meeting slots with training bodies: slots of the booking engine (`programs.bookings`).

A slot is a `BookableSlot` and a booking a `SlotBooking`: the seats, the waiting list, moves,
cancellations, reminders and attendance are the engine's (`jobs.trainings.kind.MEETINGS`); this
module keeps what is a meeting's own (the training body, the training presented, the video link).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.bookings.models import (
    BookableSlot,
    BookingQuerySet,
    BookingStatus,
    SlotBooking,
    SlotQuerySet,
    SlotStatus,
)

__all__ = ["BookingStatus", "MeetingBooking", "MeetingSlot", "SlotStatus"]


class MeetingSlotQuerySet(SlotQuerySet):
    def with_waiting_count(self):
        return self.annotate(
            waiting_count=models.Count("bookings", filter=models.Q(bookings__status=BookingStatus.WAITING))
        )


class MeetingSlot(BookableSlot):
    """A short video meeting a training body offers to the job seekers of one session."""

    body = models.ForeignKey(
        "jobs.Partner", on_delete=models.CASCADE, related_name="meeting_slots", verbose_name=_("organisme")
    )
    session = models.ForeignKey(
        "programs.Session", on_delete=models.CASCADE, related_name="meeting_slots", verbose_name=_("session")
    )
    training = models.ForeignKey(
        "jobs.Training",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_slots",
        verbose_name=_("formation présentée"),
    )
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=20)
    seats = models.PositiveIntegerField(_("places"), default=1)
    video_url = models.URLField(_("lien de la visioconférence"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingSlotQuerySet.as_manager()

    class Meta(BookableSlot.Meta):
        app_label = "jobs"
        verbose_name = _("créneau de rencontre")
        verbose_name_plural = _("créneaux de rencontre")
        indexes = [models.Index(fields=["session", "starts_at"], name="meeting_slot_session_start_idx")]

    def __str__(self):
        return f"{self.body} – {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"


class MeetingBooking(SlotBooking):
    """One person's seat (or place in the queue) for one meeting slot."""

    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="bookings")
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_bookings"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta(SlotBooking.Meta):
        app_label = "jobs"
        verbose_name = _("réservation de rencontre")
        verbose_name_plural = _("réservations de rencontres")
        ordering = ["created_at", "id"]
        constraints = [
            *SlotBooking.Meta.constraints,
            models.UniqueConstraint(fields=["slot", "job_seeker"], name="meeting_booking_unique"),
        ]
        indexes = [
            models.Index(fields=["slot", "status"], name="meeting_booking_status_idx"),
            models.Index(
                fields=["offer_expires_at"],
                condition=models.Q(status="offered"),
                name="meeting_offer_expiry_idx",
            ),
        ]

    def __str__(self):
        return f"{self.job_seeker} – {self.slot}"
