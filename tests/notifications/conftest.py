from datetime import timedelta

import pytest
from django.utils import timezone

from .backends import recorder


@pytest.fixture
def smtp(settings):
    """Route the outbox to the recording fake server; returns its recorder."""
    settings.EMAIL_BACKEND = "tests.notifications.backends.RecordingBackend"
    recorder.reset()
    yield recorder
    recorder.reset()


class Clock:
    """A fake clock for `timezone.now()`: still until moved."""

    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta

    def move_to(self, when) -> None:
        self.now = when


@pytest.fixture
def clock(monkeypatch):
    """Freeze `django.utils.timezone.now()`; the test moves it (days of retries in a moment)."""
    fake = Clock(timezone.now())
    monkeypatch.setattr(timezone, "now", fake)
    return fake
