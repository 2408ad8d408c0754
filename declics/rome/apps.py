from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RomeConfig(AppConfig):
    """France Travail's ROME job sheets: reference data read by several steps (foundation)."""

    name = "declics.rome"
    label = "rome"
    verbose_name = _("Métiers (ROME)")

    def ready(self):
        from declics import personal_data

        from .privacy import PERSONAL_DATA

        personal_data.register(PERSONAL_DATA)
