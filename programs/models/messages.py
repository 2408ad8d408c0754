"""Messages the team writes to a group of a session's people (the console, issue 14)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SUBJECT_MAX = 150
BODY_MAX = 5000


class CohortMessage(models.Model):
    """One message to one group ("segment") of a session, written by the team.

    `token` comes from the compose form: sending the same form twice (a double click, a reload)
    finds this row again instead of writing a second message. Who received it is frozen in
    `recipients` when it is delivered (`delivered_at`), each with its outbox row.
    """

    token = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(
        "programs.Session",
        on_delete=models.CASCADE,
        related_name="cohort_messages",
        verbose_name=_("session"),
    )
    segment_key = models.CharField(_("groupe"), max_length=100)
    segment_label = models.CharField(_("groupe"), max_length=300)
    subject = models.CharField(_("objet"), max_length=SUBJECT_MAX)
    body = models.TextField(_("message"), max_length=BODY_MAX)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the e-mails may leave (after the quiet hours), and when the rows were written.
    send_after = models.DateTimeField(_("envoi à partir de"))
    delivered_at = models.DateTimeField(_("mis en file le"), null=True, blank=True)
    recipients_count = models.PositiveIntegerField(_("destinataires"), default=0)
    skipped_count = models.PositiveIntegerField(_("non joignables"), default=0)

    class Meta:
        verbose_name = _("message à un groupe")
        verbose_name_plural = _("messages à un groupe")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["session", "-created_at"], name="cohort_message_session_idx"),
            models.Index(
                fields=["created_at"],
                condition=models.Q(delivered_at__isnull=True),
                name="cohort_message_todo_idx",
            ),
        ]

    def __str__(self):
        return f"{self.session} – {self.subject}"


class CohortMessageRecipient(models.Model):
    """One person a `CohortMessage` was queued for: at most once per message (the database says so)."""

    message = models.ForeignKey(CohortMessage, on_delete=models.CASCADE, related_name="recipients")
    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.CASCADE, related_name="cohort_messages_received"
    )
    outbox = models.ForeignKey(
        "notifications.OutboxMessage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("destinataire d'un message")
        verbose_name_plural = _("destinataires d'un message")
        constraints = [
            models.UniqueConstraint(fields=["message", "enrolment"], name="cohort_message_once_per_person"),
        ]

    def __str__(self):
        return f"{self.message_id} → {self.enrolment_id}"
