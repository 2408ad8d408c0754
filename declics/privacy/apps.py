from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """A person's data: export, erasure and retention, over what every app declares in
    `declics.personal_data` (it imports no domain app)."""

    name = "declics.privacy"
    label = "privacy"
    verbose_name = _("Données personnelles")
