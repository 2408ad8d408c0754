"""Step 1: regional role models, their live talks (with replay) and the digital-job pages viewed.

A talk is a slot of the booking engine (`programs.bookings`) and a registration one of its
bookings: the seats, the waiting list, cancellations, moves, reminders and attendance are its rules.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.bookings.models import (
    BookableSlot,
    BookingQuerySet,
    BookingStatus,
    SlotBooking,
    SlotQuerySet,
)

# The video room's link is shown to registered people from this long before the start.
JOIN_OPENS_BEFORE = timedelta(minutes=30)


class RoleModelQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class RoleModel(models.Model):
    """Someone from the region who works in a digital job and tells how they got there."""

    first_name = models.CharField(_("prénom"), max_length=100)
    last_name = models.CharField(_("nom"), max_length=100, blank=True)
    job_title = models.CharField(_("métier"), max_length=200)
    rome = models.ForeignKey(
        "rome.RomeJob",
        on_delete=models.PROTECT,
        related_name="role_models",
        verbose_name=_("code ROME"),
        limit_choices_to={"is_digital": True},
    )
    employer = models.CharField(_("employeur"), max_length=200, blank=True)
    town = models.CharField(_("ville"), max_length=100, blank=True)
    story = models.TextField(
        _("son parcours"),
        help_text=_("En français simple : ce que la personne faisait avant, comment elle est arrivée là."),
    )
    photo = models.FileField(
        _("photo"),
        upload_to="role_models/",
        blank=True,
        validators=[FileExtensionValidator(["jpg", "jpeg", "png", "webp"])],
    )
    photo_consent_at = models.DateTimeField(
        _("accord pour la photo"),
        null=True,
        blank=True,
        help_text=_("Sans accord, la photo n'est pas montrée."),
    )
    sessions = models.ManyToManyField(
        "programs.Session", related_name="role_models", blank=True, verbose_name=_("sessions")
    )
    is_active = models.BooleanField(_("actif·ve"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoleModelQuerySet.as_manager()

    class Meta:
        app_label = "programs"
        verbose_name = _("modèle")
        verbose_name_plural = _("modèles")
        ordering = ["first_name", "last_name", "pk"]

    def __str__(self):
        return f"{self.display_name} – {self.job_title}"

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name[:1]}.".strip() if self.last_name else self.first_name

    @property
    def shows_photo(self) -> bool:
        return bool(self.photo) and self.photo_consent_at is not None


class TalkQuerySet(SlotQuerySet):
    def with_registered_count(self):
        """`registered_count`: the confirmed registrations (the people expected)."""
        return self.annotate(
            registered_count=models.Count(
                "registrations", filter=models.Q(registrations__status=BookingStatus.CONFIRMED), distinct=True
            )
        )


class Talk(BookableSlot):
    """A live video talk of one or more role models for a session; a replay link is added afterwards.

    A slot of the booking engine (`programs.bookings`, kind `kind.TALKS`): `seats` empty means no
    limit; when set and full, people join a waiting list.
    """

    session = models.ForeignKey("programs.Session", on_delete=models.CASCADE, related_name="talks")
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("présentation"), blank=True)
    role_models = models.ManyToManyField(RoleModel, related_name="talks", verbose_name=_("modèles"))
    video_url = models.URLField(_("lien de la visioconférence"), max_length=500)
    seats = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Vide : sans limite.")
    )
    replay_url = models.URLField(_("lien du replay"), max_length=500, blank=True)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_talks",
        verbose_name=_("animateur·rice"),
        help_text=_("Peut noter les présences, comme l'équipe."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TalkQuerySet.as_manager()

    class Meta(BookableSlot.Meta):
        app_label = "programs"
        verbose_name = _("témoignage en direct")
        verbose_name_plural = _("témoignages en direct")

    def __str__(self):
        return self.title

    @property
    def join_opens_at(self):
        return self.starts_at - JOIN_OPENS_BEFORE

    def join_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return not self.is_cancelled and self.join_opens_at <= now < self.ends_at

    def is_past(self, now=None) -> bool:
        return self.ends_at <= (now or timezone.now())


class TalkRegistration(SlotBooking):
    """One person's seat (or place in the queue) for a live talk; `joined_at` stamps the first time
    they opened the room through the platform's link."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="registrations")
    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.CASCADE, related_name="talk_registrations"
    )
    job_seeker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="talk_registrations"
    )
    joined_at = models.DateTimeField(_("lien ouvert le"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta(SlotBooking.Meta):
        app_label = "programs"
        verbose_name = _("inscription à un témoignage")
        verbose_name_plural = _("inscriptions aux témoignages")
        ordering = ["talk", "booked_at", "pk"]
        constraints = [
            *SlotBooking.Meta.constraints,
            models.UniqueConstraint(fields=["talk", "job_seeker"], name="talk_registration_one_per_person"),
        ]
        indexes = [
            models.Index(fields=["talk", "status"], name="talk_registration_status_idx"),
            models.Index(
                fields=["offer_expires_at"],
                condition=models.Q(status="offered"),
                name="talk_offer_expiry_idx",
            ),
        ]

    def __str__(self):
        return f"{self.job_seeker} – {self.talk} ({self.get_status_display()})"


class TalkReplayView(models.Model):
    """A click through the tracked replay link: it counts for step 1 like attending."""

    talk = models.ForeignKey(Talk, on_delete=models.CASCADE, related_name="replay_views")
    enrolment = models.ForeignKey("programs.Enrolment", on_delete=models.CASCADE, related_name="talk_replays")
    first_viewed_at = models.DateTimeField(default=timezone.now)
    views = models.PositiveIntegerField(default=1)

    class Meta:
        app_label = "programs"
        verbose_name = _("replay regardé")
        verbose_name_plural = _("replays regardés")
        constraints = [
            models.UniqueConstraint(fields=["talk", "enrolment"], name="talk_replay_view_unique"),
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.talk}"


class JobPageView(models.Model):
    """A digital-job page an enrolled person opened (once per job and enrolment)."""

    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.CASCADE, related_name="job_page_views"
    )
    rome = models.ForeignKey("rome.RomeJob", on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "programs"
        verbose_name = _("fiche métier consultée")
        verbose_name_plural = _("fiches métiers consultées")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "rome"], name="job_page_view_unique"),
        ]

    def __str__(self):
        return f"{self.enrolment} – {self.rome_id}"
