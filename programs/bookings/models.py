"""The columns every slot and every booking share (abstract models; each slot type has its tables).

Seats are counted twice on purpose: `seats_taken` is a counter kept by `programs.bookings.services`
under a lock on the slot row, and a check constraint keeps it within `seats` — the database's last
guard against overbooking, whatever code path writes. `seats` empty means no limit (talks).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from declics.public_ids import public_id_field


class SlotStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("programmé")
    CANCELLED = "cancelled", _("annulé")


class BookingStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("réservé")
    WAITING = "waiting", _("liste d'attente")
    OFFERED = "offered", _("place proposée")
    CANCELLED = "cancelled", _("annulé")
    EXPIRED = "expired", _("proposition expirée")


# Statuses that hold one of the slot's seats (counted in `seats_taken`).
SEAT_HOLDING = (BookingStatus.CONFIRMED, BookingStatus.OFFERED)
# Statuses that count towards a person's limit of simultaneous bookings.
LIVE_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.OFFERED, BookingStatus.WAITING)


class SlotQuerySet(models.QuerySet):
    def scheduled(self):
        return self.filter(status=SlotStatus.SCHEDULED)

    def upcoming(self, now=None):
        return self.scheduled().filter(starts_at__gt=now or timezone.now())


class BookableSlot(models.Model):
    """A dated slot with seats (abstract)."""

    starts_at = models.DateTimeField(_("début"))
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), default=60)
    seats = models.PositiveIntegerField(_("places"), null=True, blank=True)
    seats_taken = models.PositiveIntegerField(
        _("places prises"), default=0, help_text=_("Réservations confirmées et places proposées en attente.")
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=SlotStatus.choices, default=SlotStatus.SCHEDULED
    )
    # iCalendar SEQUENCE: raised at each move or cancellation, so calendars apply the update.
    sequence = models.PositiveIntegerField(default=0)
    rescheduled_at = models.DateTimeField(_("déplacé le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)

    objects = SlotQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats__isnull=True) | models.Q(seats__gt=0),
                name="%(class)s_seats_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(seats__isnull=True) | models.Q(seats_taken__lte=models.F("seats")),
                name="%(class)s_never_overbooked",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gt=0), name="%(class)s_duration_positive"
            ),
        ]

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)

    @property
    def seats_left(self) -> int | None:
        return None if self.seats is None else max(self.seats - self.seats_taken, 0)

    @property
    def has_free_seat(self) -> bool:
        return self.seats is None or self.seats_taken < self.seats

    @property
    def is_cancelled(self) -> bool:
        return self.status == SlotStatus.CANCELLED


class BookingQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def confirmed(self):
        return self.filter(status=BookingStatus.CONFIRMED)

    def waiting_queue(self):
        """The waiting list in its order: first come, first offered."""
        return self.filter(status=BookingStatus.WAITING).order_by("waiting_since", "id")


class SlotBooking(models.Model):
    """One person's seat (or place in the queue) for one slot (abstract; the concrete model adds the
    foreign key to its slot, named by its `SlotKind.slot_field`, and one row per person and slot).

    Booking again after a cancellation revives the row with the next `round`, so outbox keys, the
    calendar UID and the reminders of each round stay distinct.
    """

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    enrolment = models.ForeignKey("programs.Enrolment", on_delete=models.CASCADE, related_name="+")
    job_seeker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("statut"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.CONFIRMED
    )
    round = models.PositiveSmallIntegerField(default=1)
    booked_at = models.DateTimeField(_("réservé le"), default=timezone.now)
    waiting_since = models.DateTimeField(_("en attente depuis"), null=True, blank=True)
    offered_at = models.DateTimeField(_("place proposée le"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("à confirmer avant"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    # Why the booking ended when the person did not end it themselves ("withdrawn", "removed"…).
    end_reason = models.CharField(max_length=30, blank=True)
    # None: not marked yet.
    attended = models.BooleanField(_("présent·e"), null=True, blank=True)
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The start time each reminder was sent for: a moved slot gets its reminders again.
    reminded_24h_for = models.DateTimeField(null=True, blank=True)
    reminded_1h_for = models.DateTimeField(null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="offered") | models.Q(offer_expires_at__isnull=False),
                name="%(class)s_offer_has_deadline",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="waiting") | models.Q(waiting_since__isnull=False),
                name="%(class)s_waiting_has_time",
            ),
        ]

    @property
    def holds_seat(self) -> bool:
        return self.status in SEAT_HOLDING

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES
