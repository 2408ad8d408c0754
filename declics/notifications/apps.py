from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "declics.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.core import checks

        from declics import personal_data

        from .checks import check_sms_settings
        from .privacy import PERSONAL_DATA

        personal_data.register(PERSONAL_DATA)
        checks.register(check_sms_settings)
