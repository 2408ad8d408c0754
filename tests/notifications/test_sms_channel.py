"""SMS as a channel of the outbox: the same guarantees as e-mail (one row per key, never after a
cancellation, retried with back-off, an outage loses nothing), each channel over its own transport."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from declics.notifications import services, sms
from declics.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


class FlakyBackend(sms.BaseSmsBackend):
    """Refuses, or is away, as the test says; records what it sent."""

    sent: list = []
    refuse: Exception | None = None
    unreachable = False

    def open(self):
        if FlakyBackend.unreachable:
            raise sms.SmsUnreachable("provider down")

    def send(self, message):
        if FlakyBackend.refuse is not None:
            raise FlakyBackend.refuse
        FlakyBackend.sent.append(message)
        return "id-1"


@pytest.fixture
def flaky(settings):
    settings.SMS_BACKEND = "tests.notifications.test_sms_channel.FlakyBackend"
    FlakyBackend.sent, FlakyBackend.refuse, FlakyBackend.unreachable = [], None, False
    return FlakyBackend


def _due_again():
    OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).update(
        send_after=timezone.now() - timedelta(seconds=1)
    )


def test_queue_sms_once_per_key_and_sent_to_the_number_with_the_sender(settings):
    settings.SMS_SENDER = "DeClics"
    first, created = services.queue_sms(key="k:sms", to="+33612345678", text="  Bonjour  ")
    again, created_again = services.queue_sms(key="k:sms", to="+33699999999", text="Autre")

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    first.refresh_from_db()
    assert (first.channel, first.to_phone, first.to_email, first.body_text) == (
        "sms",
        "+33612345678",
        "",
        "Bonjour",
    )
    assert services.send_due_messages() == 1
    first.refresh_from_db()
    assert first.status == OutboxMessage.Status.SENT
    assert [(s.to, s.text, s.sender, s.key) for s in sms.outbox] == [
        ("+33612345678", "Bonjour", "DeClics", "k:sms")
    ]
    assert mail.outbox == []


def test_a_row_needs_the_recipient_of_its_channel():
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(
            dedup_key="x", channel="sms", to_email="a@example.org", subject="", body_text="t"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(
            dedup_key="y", channel="email", to_phone="+33612345678", subject="s", body_text="t"
        )


def test_a_cancelled_sms_is_never_sent(settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    services.queue_email(
        key="r:1", to="a@example.org", template="accounts/emails/welcome", context={"user": None}
    )
    services.queue_sms(key="r:1:sms", to="+33612345678", text="Rappel")

    assert services.cancel_messages(key_prefix="r:1") == 2
    assert services.send_due_messages() == 0
    assert sms.outbox == [] and mail.outbox == []


def test_an_sms_refused_for_now_is_retried_and_then_sent(flaky, settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    message, _ = services.queue_sms(key="t:sms", to="+33612345678", text="Rappel")
    flaky.refuse = sms.SmsRefused("busy", temporary=True)

    assert services.send_due_messages() == 0
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "SmsRefused: busy")
    assert message.send_after > timezone.now()

    flaky.refuse = None
    _due_again()
    assert services.send_due_messages() == 1
    message.refresh_from_db()
    assert message.status == "sent" and len(flaky.sent) == 1


def test_an_sms_refused_for_good_fails_after_the_max_attempts(flaky, settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 2
    message, _ = services.queue_sms(key="p:sms", to="+33612345678", text="Rappel")
    flaky.refuse = sms.SmsRefused("invalid number", temporary=False)

    services.send_due_messages()
    _due_again()
    services.send_due_messages()

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("failed", 2)


def test_a_provider_outage_holds_the_sms_back_without_counting_an_attempt_and_emails_still_leave(
    flaky, settings
):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    message, _ = services.queue_sms(key="o:sms", to="+33612345678", text="Rappel")
    services.queue_message(key="o:mail", to="a@example.org", subject="Objet", text="Texte")
    flaky.unreachable = True

    assert services.send_due_messages() == 1  # the e-mail
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 0)
    assert "provider down" in message.last_error
    assert len(mail.outbox) == 1

    flaky.unreachable = False
    _due_again()
    assert services.send_due_messages() == 1
    assert [s.key for s in flaky.sent] == ["o:sms"]


def test_the_file_backend_writes_one_json_line_per_sms(settings, tmp_path):
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = tmp_path
    services.queue_sms(key="f:1:sms", to="+33612345678", text="Votre code : 123456")
    services.queue_sms(key="f:2:sms", to="+262692123456", text="Rappel")
    services.send_due_messages()

    lines = sms.read_file(tmp_path)
    assert [(line["to"], line["text"], line["key"]) for line in lines] == [
        ("+33612345678", "Votre code : 123456", "f:1:sms"),
        ("+262692123456", "Rappel", "f:2:sms"),
    ]
