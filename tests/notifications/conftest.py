import pytest

from .backends import recorder


@pytest.fixture
def smtp(settings):
    """Route the outbox to the recording fake server; returns its recorder."""
    settings.EMAIL_BACKEND = "tests.notifications.backends.RecordingBackend"
    recorder.reset()
    yield recorder
    recorder.reset()
