"""Meeting slots with training bodies.

Shaped like the workshop booking of issue 6 (a slot with seats, bookings locked on the slot row)
so that both can be merged into one booking module later: see `jobs.services.meetings`.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics.public_ids import public_id_field


class MeetingSlotQuerySet(models.QuerySet):
    def upcoming(self, now=None):
        return self.filter(starts_at__gt=now or timezone.now())

    def with_seats_taken(self):
        return self.annotate(
            seats_taken=models.Count("bookings", filter=models.Q(bookings__status=BookingStatus.BOOKED))
        ).annotate(seats_left=models.F("seats") - models.F("seats_taken"))


class MeetingSlot(models.Model):
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
    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=20)
    seats = models.PositiveSmallIntegerField(_("places"), default=1)
    video_url = models.URLField(_("lien de la visioconférence"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingSlotQuerySet.as_manager()

    class Meta:
        app_label = "jobs"
        verbose_name = _("créneau de rencontre")
        verbose_name_plural = _("créneaux de rencontre")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gt=0), name="meeting_slot_seats_positive"),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="meeting_slot_duration_positive"
            ),
        ]

    def __str__(self):
        return f"{self.body} – {timezone.localtime(self.starts_at):%d/%m/%Y %H:%M}"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("réservé")
    CANCELLED = "cancelled", _("annulé")


class MeetingBooking(models.Model):
    public_id = public_id_field()  # the id in URLs: never the sequential pk
    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="bookings")
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_bookings"
    )
    enrolment = models.ForeignKey("programs.Enrolment", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("statut"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    # Incremented when a cancelled booking is taken again: reminder keys stay unique per round.
    round = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "jobs"
        verbose_name = _("réservation de rencontre")
        verbose_name_plural = _("réservations de rencontres")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "job_seeker"], name="meeting_booking_unique"),
        ]

    def __str__(self):
        return f"{self.job_seeker} – {self.slot}"
