"""The secret address of a person's calendar feed: every booking of every slot type, read through
the registry of steps (`programs.registry.calendar_events`)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a person's calendar feed URL; a new one revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workshop_calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "programs"
        verbose_name = _("adresse d'agenda personnel")
        verbose_name_plural = _("adresses d'agenda personnel")

    def __str__(self):
        return str(self.user)
