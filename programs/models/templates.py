"""Launch-a-region templates: a session saved as a calendar of offsets, settings and a text skeleton."""

from django.conf import settings as django_settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionTemplate(models.Model):
    """What a new région's session reuses of a past one (issue 14, item 2).

    `calendar` holds each date as seconds from the start: {"registration_opens_at": -2419200,
    "registration_closes_at": …, "ends_at": …, "survey_at": …, "steps": {"1": 0, "2": 604800, …}}.
    `settings` holds the per-session rules that launching copies (workshops_required…). The texts
    are skeletons where {region}, {departements}, {start}, {end} and {places} are filled in at
    launch. The workshops, talks and other per-step content are read from `source` at launch.
    """

    name = models.CharField(_("nom"), max_length=120, unique=True)
    source = models.ForeignKey(
        "programs.Session",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="templates",
        verbose_name=_("session d'origine"),
    )
    calendar = models.JSONField(_("calendrier (décalages depuis le début)"))
    capacity = models.PositiveIntegerField(_("nombre de places proposé"))
    settings = models.JSONField(_("règles de la session"), default=dict)
    description = models.TextField(_("présentation (modèle)"), blank=True)
    faq = models.TextField(_("questions fréquentes (modèle)"), blank=True)
    created_by = models.ForeignKey(
        django_settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("modèle de session")
        verbose_name_plural = _("modèles de session")
        ordering = ["name"]

    def __str__(self):
        return self.name
