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
