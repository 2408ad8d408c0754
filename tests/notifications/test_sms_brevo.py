"""The Brevo backend against a local fake of its API (tests/notifications/fake_brevo.py): what a
request carries, and how each answer (or no answer) becomes sent, retried, held back or failed."""

import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from declics.notifications import services, sms
from declics.notifications.models import OutboxMessage

from .fake_brevo import FakeBrevo

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    settings.SMS_BACKEND = "brevo"
    settings.BREVO_API_KEY = "test-key-123"
    settings.SMS_SENDER = "DeClics"
    settings.SMS_TIMEOUT = 2.0
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    with FakeBrevo() as fake:
        settings.SMS_API_URL = fake.url
        yield fake


def _due_again():
    OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).update(
        send_after=timezone.now() - timedelta(seconds=1)
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_sms_is_posted_with_the_key_the_sender_the_number_and_the_text(provider):
    message, _ = services.queue_sms(
        key="w:1:sms", to="+33612345678", text="Rappel : atelier demain à 10h", kind="workshop-reminder"
    )

    assert services.send_due_messages() == 1

    [request] = provider.received
    assert request["path"] == "/v3/transactionalSMS/sms"
    assert request["headers"]["api-key"] == "test-key-123"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["json"] == {
        "sender": "DeClics",
        "recipient": "33612345678",
        "content": "Rappel : atelier demain à 10h",
        "type": "transactional",
        "tag": "workshop-reminder",
    }
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("sent", 1, "")


def test_a_text_outside_gsm7_asks_for_unicode(provider):
    services.queue_sms(key="u:sms", to="+33612345678", text="Bravo 🎉")
    services.send_due_messages()

    assert provider.received[0]["json"]["unicodeEnabled"] is True
    assert provider.received[0]["json"]["content"] == "Bravo 🎉"


def test_a_batch_goes_over_one_http_session_and_each_sms_once(provider):
    for n in range(5):
        services.queue_sms(key=f"b:{n}:sms", to=f"+3361234567{n}", text=f"Message {n}")

    assert services.send_due_messages() == 5
    assert sorted(provider.recipients.items()) == [(f"3361234567{n}", 1) for n in range(5)]
    assert provider.connections == 1  # the batch's HTTP session kept its connection alive


def test_429_is_retried_later_and_then_sent(provider):
    message, _ = services.queue_sms(key="r:sms", to="+33612345678", text="Rappel")
    provider.answers = [(429, {"code": "too_many_requests", "message": "Rate limit exceeded"})]

    assert services.send_due_messages() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error == "SmsRefused: HTTP 429: too_many_requests Rate limit exceeded"
    assert message.send_after > timezone.now()

    _due_again()
    assert services.send_due_messages() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 2)
    assert len(provider.received) == 2


def test_400_is_refused_with_the_providers_message_and_fails_after_the_max_attempts(provider, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    message, _ = services.queue_sms(key="bad:sms", to="+33612345678", text="Rappel")
    refusal = (400, {"code": "invalid_parameter", "message": "Invalid phone number"})
    provider.answers = [refusal, refusal]

    services.send_due_messages()
    message.refresh_from_db()
    assert (message.status, message.last_error) == (
        "pending",
        "SmsRefused: HTTP 400: invalid_parameter Invalid phone number",
    )
    _due_again()
    services.send_due_messages()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 2)


@pytest.mark.parametrize("status", [500, 503, 401])
def test_a_provider_error_or_a_refused_key_holds_the_batch_back_without_counting_an_attempt(provider, status):
    first, _ = services.queue_sms(key="o:1:sms", to="+33612345678", text="Un")
    second, _ = services.queue_sms(key="o:2:sms", to="+33612345679", text="Deux")
    provider.answers = [(status, {"code": "error", "message": "Internal error"})]

    assert services.send_due_messages() == 0

    for message in (first, second):
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("pending", 0)
        assert message.last_error == f"SmsUnreachable: HTTP {status}: error Internal error"
    assert len(provider.received) == 1  # the batch stopped at the first error

    _due_again()
    assert services.send_due_messages() == 2


def test_a_provider_that_cannot_be_reached_holds_the_sms_back(provider, settings):
    settings.SMS_API_URL = f"http://127.0.0.1:{_free_port()}/v3/transactionalSMS/sms"
    message, _ = services.queue_sms(key="down:sms", to="+33612345678", text="Rappel")

    assert services.send_due_messages() == 0

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
    assert message.last_error.startswith("SmsUnreachable: ConnectError")


def test_a_provider_slower_than_the_timeout_holds_the_sms_back(provider, settings):
    settings.SMS_TIMEOUT = 0.2
    provider.delay = 1.0
    message, _ = services.queue_sms(key="slow:sms", to="+33612345678", text="Rappel")

    assert services.send_due_messages() == 0

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
    assert message.last_error.startswith("SmsUnreachable: ReadTimeout")


def test_without_a_key_nothing_is_posted_and_the_sms_waits(provider, settings):
    settings.BREVO_API_KEY = ""
    message, _ = services.queue_sms(key="nokey:sms", to="+33612345678", text="Rappel")

    assert services.send_due_messages() == 0

    message.refresh_from_db()
    assert (message.status, message.attempts, provider.received) == ("pending", 0, [])
    assert "BREVO_API_KEY" in message.last_error


def test_the_backend_returns_the_providers_message_id(provider):
    backend = sms.BrevoBackend()
    backend.open()
    try:
        first = backend.send(sms.Sms(to="+33612345678", text="a", sender="DeClics", key="k1"))
        second = backend.send(sms.Sms(to="+33612345679", text="b", sender="DeClics", key="k2"))
    finally:
        backend.close()

    assert (first, second) == ("1", "2")
    assert "tag" not in provider.received[0]["json"]  # no kind, no tag
