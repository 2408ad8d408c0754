from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from declics.public_ids import public_id_field


class BulkRemovalStatus(models.TextChoices):
    QUEUED = "queued", _("en attente")
    RUNNING = "running", _("en cours")
    DONE = "done", _("terminé")
    FAILED = "failed", _("échec")


class BulkRemoval(models.Model):
    """Staff removing many people of a session in one action, run by a Celery task.

    The task removes each person through `services.lifecycle.remove_enrolment` (one transaction
    each) and writes its progress here, so the progress page reads it and a task run again after
    a crash goes on where it stopped (people already removed are skipped).
    """

    public_id = public_id_field()  # the id in URLs: never the sequential pk
    session = models.ForeignKey("programs.Session", on_delete=models.CASCADE, related_name="bulk_removals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("raison"), max_length=1000)
    enrolment_ids = models.JSONField(default=list)
    status = models.CharField(
        _("statut"), max_length=10, choices=BulkRemovalStatus.choices, default=BulkRemovalStatus.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    removed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("retrait groupé")
        verbose_name_plural = _("retraits groupés")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="bulk_removal_done_le_total"
            ),
        ]

    def __str__(self):
        return f"{self.session} – {self.total}"

    @property
    def is_working(self) -> bool:
        return self.status in (BulkRemovalStatus.QUEUED, BulkRemovalStatus.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total
