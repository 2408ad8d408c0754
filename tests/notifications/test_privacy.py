"""What notifications keep about a person's choices: exported to them, erased with them."""

from datetime import time

import pytest

from declics.notifications import preferences, privacy
from declics.notifications.models import DailyBudget, DigestItem, NotificationPreference, OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_export_has_the_choices_and_the_held_messages_and_erasure_removes_them():
    user = UserFactory(language="en")
    preferences.save_preferences(
        user=user, channels={"news": "sms"}, muted=["surveys"], quiet_from=time(22), quiet_until=time(7)
    )
    DigestItem.objects.create(user=user, key="k", kind="nudge", subject="Étape 2", body_text="Texte")
    DailyBudget.objects.create(user=user, day="2026-12-04", used=2)
    OutboxMessage.objects.create(
        dedup_key="news", user=user, to_email=user.email, subject="S", body_text="T",
        headers={"List-Unsubscribe": "<https://example.org/x/>"},
    )  # fmt: skip

    data = privacy.export(user)

    assert data["message_preferences"] == {
        "language": "en",
        "channels": {"news": "sms"},
        "turned_off": ["surveys"],
        "quiet_hours": ["22:00:00", "07:00:00"],
    }
    assert data["messages_held_for_a_digest"][0]["subject"] == "Étape 2"

    privacy.erase(user=user, now=None)

    assert not NotificationPreference.objects.filter(user=user).exists()
    assert not DigestItem.objects.filter(user=user).exists()
    assert not DailyBudget.objects.filter(user=user).exists()
    assert OutboxMessage.objects.get(dedup_key="news").headers == {}
