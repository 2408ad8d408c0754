from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxQuerySet(models.QuerySet):
    def due(self, now=None):
        """Pending rows whose time has come and that no worker holds right now."""
        now = now or timezone.now()
        return self.filter(status=OutboxMessage.Status.PENDING, send_after__lte=now).filter(
            models.Q(locked_until__isnull=True) | models.Q(locked_until__lte=now)
        )


class OutboxMessage(models.Model):
    """One e-mail or SMS to send. Business code writes it inside its own transaction; a worker sends it.

    `dedup_key` is unique: queueing the same key twice yields one message, so a retried task or a
    double click never sends the same notice twice. Only a pending row can be cancelled, and only
    a pending row can be marked sent or failed: the two never overwrite each other.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        SENT = "sent", _("envoyé")
        FAILED = "failed", _("échec définitif")
        CANCELLED = "cancelled", _("annulé")

    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        SMS = "sms", _("SMS")

    dedup_key = models.CharField(_("clé de déduplication"), max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outbox_messages",
    )
    channel = models.CharField(_("canal"), max_length=5, choices=Channel.choices, default=Channel.EMAIL)
    # The kind of message (e.g. "workshop-reminder", "security"): preferences and figures group by it.
    kind = models.CharField(_("type de message"), max_length=40, blank=True)
    to_email = models.EmailField(_("destinataire"), blank=True)
    # An SMS's number, in E.164 (+33612345678).
    to_phone = models.CharField(_("numéro"), max_length=20, blank=True)
    # How many SMS an SMS row costs (GSM-7 or UCS-2 segments, sms_text.segments); 0 for an e-mail.
    segments = models.PositiveSmallIntegerField(_("segments SMS"), default=0)
    subject = models.CharField(_("objet"), max_length=255)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    # [{"filename": "atelier.ics", "content": "...", "mimetype": "text/calendar"}]
    attachments = models.JSONField(default=list, blank=True)
    # Extra e-mail headers, e.g. {"List-Unsubscribe": "<https://…>", "List-Unsubscribe-Post": "…"}.
    headers = models.JSONField(default=dict, blank=True)
    send_after = models.DateTimeField(_("envoyer après"), default=timezone.now, db_index=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    # When a server first refused it: a temporary refusal (4xx) is retried 48 hours from then.
    first_failed_at = models.DateTimeField(_("premier échec"), null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = OutboxQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail en file d'attente")
        verbose_name_plural = _("e-mails en file d'attente")
        ordering = ["send_after", "id"]
        indexes = [
            models.Index(
                fields=["send_after"],
                condition=models.Q(status="pending"),
                name="outbox_pending_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "failed", "cancelled"]),
                name="outbox_status_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
            # An e-mail has an address, an SMS a number.
            models.CheckConstraint(
                condition=(models.Q(channel="email") & ~models.Q(to_email=""))
                | (models.Q(channel="sms") & ~models.Q(to_phone="")),
                name="outbox_channel_has_recipient",
            ),
        ]

    def __str__(self):
        return f"{self.dedup_key} → {self.recipient} ({self.get_status_display()})"

    @property
    def recipient(self) -> str:
        return self.to_phone if self.channel == self.Channel.SMS else self.to_email


class SmsOptOut(models.Model):
    """A number that answered STOP to our SMS: it gets no SMS from then on but the essential ones
    (a sign-in code the person asks for). One row per number (unique: two STOP callbacks at once
    record one); a START reply deletes it."""

    class Source(models.TextChoices):
        REPLY = "reply", _("réponse STOP à un SMS")
        STAFF = "staff", _("demande faite à l'équipe")

    phone = models.CharField(_("numéro"), max_length=20, unique=True)  # E.164
    source = models.CharField(_("origine"), max_length=10, choices=Source.choices, default=Source.REPLY)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("refus des SMS")
        verbose_name_plural = _("refus des SMS")

    def __str__(self):
        return f"{self.phone} ({self.get_source_display()})"


class Channels(models.TextChoices):
    """What a person chooses for a group of messages."""

    EMAIL = "email", _("Par e-mail")
    SMS = "sms", _("Par SMS")
    BOTH = "both", _("Par e-mail et par SMS")


class NotificationPreference(models.Model):
    """One person's choices: a channel per group of messages, optional groups turned off, quiet hours.

    No row means the defaults (see `preferences.defaults`). `channels` maps a group name (see
    `kinds.GROUPS`) to a `Channels` value; `muted` lists the optional groups turned off.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    channels = models.JSONField(_("canal par groupe de messages"), default=dict, blank=True)
    muted = models.JSONField(_("messages facultatifs désactivés"), default=list, blank=True)
    quiet_from = models.TimeField(_("heures calmes : à partir de"), null=True, blank=True)
    quiet_until = models.TimeField(_("heures calmes : jusqu'à"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("préférences de messages")
        verbose_name_plural = _("préférences de messages")

    def __str__(self):
        return f"preferences of user {self.user_id}"


class DailyBudget(models.Model):
    """How many optional messages a person was sent on a day (Paris time): one row per person and day.

    The count is raised under the row's lock, so two messages queued at once cannot both take the
    last place of the day.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="daily_budget_one_per_person_day")
        ]

    def __str__(self):
        return f"{self.user_id} {self.day}: {self.used}"


class DigestItemQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(digest_key="")


class DigestItem(models.Model):
    """An optional message held back by the daily budget: it goes into the person's next digest.

    `key` is the message's own outbox key (unique: a message is held once); `digest_key` is the
    key of the digest that carried it, set in the same transaction as the digest is queued, so an
    item is never lost and never sent twice.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_items")
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40)
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    held_at = models.DateTimeField(default=timezone.now)
    digest_key = models.CharField(max_length=200, blank=True, db_index=True)

    objects = DigestItemQuerySet.as_manager()

    class Meta:
        ordering = ["held_at", "id"]
        indexes = [
            models.Index(
                fields=["user", "held_at"], condition=models.Q(digest_key=""), name="digest_item_waiting_idx"
            )
        ]

    def __str__(self):
        return self.key
