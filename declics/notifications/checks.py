"""Start-up checks of the SMS settings (`manage.py check` fails on them, so does a deploy)."""

import re

from django.conf import settings
from django.core import checks

# Operators show an alphanumeric sender of at most 11 characters, letters A-Z and digits only,
# with at least one letter (a sender of digits only is a phone number, a different rule).
SENDER = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9]{1,11}")


def sender_is_valid(sender: str) -> bool:
    return bool(SENDER.fullmatch(sender))


def check_sms_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    found = []
    if not sender_is_valid(settings.SMS_SENDER):
        found.append(
            checks.Error(
                f"SMS_SENDER={settings.SMS_SENDER!r}: at most 11 letters (A-Z, no accent) or digits, "
                "at least one letter, no space.",
                hint="Phone companies refuse or rewrite any other sender name.",
                id="notifications.E001",
            )
        )
    if settings.SMS_BACKEND == "brevo" and not settings.BREVO_API_KEY:
        found.append(
            checks.Warning(
                "SMS_BACKEND=brevo without BREVO_API_KEY: every SMS waits in the outbox.",
                id="notifications.W001",
            )
        )
    return found
