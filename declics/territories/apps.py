from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "declics.territories"
    label = "territories"
    verbose_name = _("Territoires")

    def ready(self):
        from declics import personal_data

        from .privacy import PERSONAL_DATA

        personal_data.register(PERSONAL_DATA)
