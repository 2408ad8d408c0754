"""STOP replies: the provider's signed callback, the opt-out it records (once, whatever the number
of callbacks), the SMS it cancels and holds back (but the essential ones), and START."""

import base64
import hashlib
import hmac
import json
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse

from declics.notifications import services, sms, sms_optout
from declics.notifications.models import OutboxMessage, SmsOptOut

pytestmark = pytest.mark.django_db

SECRET = "webhook-secret-for-tests"
NUMBER = "+33612345678"


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.SMS_WEBHOOK_SECRET = SECRET
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False


def _signed(body: bytes) -> dict:
    return {
        "HTTP_X_DECLICS_SIGNATURE": "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    }


def _post(client, payload, headers=None):
    body = json.dumps(payload).encode()
    return client.post(
        reverse("sms_inbound"),
        data=body,
        content_type="application/json",
        **(_signed(body) if headers is None else headers),
    )


# --- the keyword --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["STOP", "stop", " Stop ", "ARRET", "Arrêt", "ARRÊT !", "stop sms", "STOP SMS."]
)
def test_stop_keywords(text):
    assert sms_optout.keyword(text) == "stop"


@pytest.mark.parametrize("text", ["START", "start", "Start SMS"])
def test_start_keywords(text):
    assert sms_optout.keyword(text) == "start"


@pytest.mark.parametrize("text", ["", "Merci", "stop les rappels svp", "Arrêtez", "STOPPER", None])
def test_other_replies_are_no_keyword(text):
    assert sms_optout.keyword(text) is None


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("33612345678", NUMBER),
        ("+33 6 12 34 56 78", NUMBER),
        ("0612345678", NUMBER),
        ("262692123456", "+262692123456"),
    ],
)
def test_provider_numbers_are_read_as_e164(raw, number):
    assert sms_optout.normalise_number(raw) == number


# --- the endpoint -------------------------------------------------------------------------------


def test_a_signed_stop_in_the_simple_format_records_the_opt_out(client):
    response = _post(client, {"from": NUMBER, "text": "STOP"})

    assert (response.status_code, response.json()) == (200, {"stop": 1, "start": 0, "ignored": 0})
    assert list(SmsOptOut.objects.values_list("phone", "source")) == [(NUMBER, "reply")]
    assert services.sms_blocked(NUMBER) and not services.sms_blocked("+33699999999")


def test_brevos_replied_event_records_the_opt_out_and_other_events_are_ignored(client):
    events = [
        {
            "id": 1,
            "to": "33612345678",
            "msg_status": "replied",
            "reply": "Arrêt",
            "messageId": 17,
            "tag": "x",
        },
        {"id": 2, "to": "33612345679", "msg_status": "delivered", "messageId": 18},
    ]

    response = _post(client, events)

    assert response.json() == {"stop": 1, "start": 0, "ignored": 0}
    assert list(SmsOptOut.objects.values_list("phone", flat=True)) == [NUMBER]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_DECLICS_SIGNATURE": "sha256=" + "0" * 64},
        {"HTTP_AUTHORIZATION": "Bearer not-the-secret"},
        {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(b"brevo:not-the-secret").decode()},
        {"HTTP_AUTHORIZATION": "Basic ???"},
    ],
    ids=["unsigned", "bad-hmac", "bad-token", "bad-basic", "garbled-basic"],
)
def test_an_unsigned_or_wrongly_signed_callback_is_refused_and_changes_nothing(client, headers):
    response = _post(client, {"from": NUMBER, "text": "STOP"}, headers=headers)

    assert response.status_code == 403
    assert not SmsOptOut.objects.exists()


def test_a_signature_of_another_body_is_refused(client):
    signature = _signed(json.dumps({"from": "+33699999999", "text": "STOP"}).encode())

    response = _post(client, {"from": NUMBER, "text": "STOP"}, headers=signature)

    assert response.status_code == 403


@pytest.mark.parametrize(
    "authorization",
    ["Bearer " + SECRET, "Basic " + base64.b64encode(f"brevo:{SECRET}".encode()).decode()],
    ids=["bearer", "basic"],
)
def test_the_secret_as_a_token_is_accepted(client, authorization):
    response = _post(client, {"from": NUMBER, "text": "STOP"}, headers={"HTTP_AUTHORIZATION": authorization})

    assert response.status_code == 200 and services.sms_blocked(NUMBER)


def test_without_a_secret_configured_every_callback_is_refused(client, settings):
    settings.SMS_WEBHOOK_SECRET = ""

    assert _post(client, {"from": NUMBER, "text": "STOP"}).status_code == 403


def test_a_signed_body_that_is_not_json_is_a_bad_request(client):
    body = b"not json"
    response = client.post(
        reverse("sms_inbound"), data=body, content_type="application/json", **_signed(body)
    )

    assert response.status_code == 400


def test_the_endpoint_takes_only_post(client):
    assert client.get(reverse("sms_inbound")).status_code == 405


# --- what an opt-out does -----------------------------------------------------------------------


def test_two_identical_callbacks_record_one_opt_out(client):
    first = _post(client, {"from": NUMBER, "text": "STOP"})
    second = _post(client, {"from": NUMBER, "text": "STOP"})

    assert (first.status_code, second.status_code) == (200, 200)
    assert SmsOptOut.objects.count() == 1


def test_stop_cancels_the_sms_waiting_for_that_number_but_the_essential_ones_and_other_numbers(client):
    reminder, _ = services.queue_sms(key="rem:sms", to=NUMBER, text="Rappel", kind="workshop-reminder")
    code, _ = services.queue_sms(key="code:sms", to=NUMBER, text="Code : 123456", kind="security")
    other, _ = services.queue_sms(key="other:sms", to="+33699999999", text="Rappel", kind="workshop-reminder")
    email, _ = services.queue_message(key="rem:mail", to="a@example.org", subject="Rappel", text="Rappel")

    _post(client, {"from": NUMBER, "text": "STOP"})

    statuses = dict(OutboxMessage.objects.values_list("dedup_key", "status"))
    assert statuses == {
        "rem:sms": "cancelled",
        "code:sms": "pending",
        "other:sms": "pending",
        "rem:mail": "pending",
    }
    reminder.refresh_from_db()
    assert reminder.last_error == sms_optout.OPTED_OUT
    assert services.send_due_messages() == 3
    assert sorted(s.key for s in sms.outbox) == ["code:sms", "other:sms"]


def test_after_stop_queue_sms_writes_the_row_cancelled_and_the_key_still_deduplicates():
    sms_optout.record_opt_out(phone=NUMBER)

    message, created = services.queue_sms(key="late:sms", to=NUMBER, text="Rappel", kind="workshop-reminder")
    again, created_again = services.queue_sms(
        key="late:sms", to=NUMBER, text="Rappel", kind="workshop-reminder"
    )

    assert (created, created_again, again.pk) == (True, False, message.pk)
    assert (message.status, message.last_error, message.segments) == ("cancelled", sms_optout.OPTED_OUT, 1)
    assert services.send_due_messages() == 0 and sms.outbox == []


def test_after_stop_a_sign_in_code_still_goes():
    sms_optout.record_opt_out(phone=NUMBER)

    message, _ = services.queue_sms(key="login:sms", to=NUMBER, text="Code : 123456", kind="security")

    assert message.status == "pending"
    assert services.send_due_messages() == 1 and [s.key for s in sms.outbox] == ["login:sms"]


def test_start_lifts_the_opt_out_and_leaves_what_was_cancelled_cancelled(client):
    services.queue_sms(key="before:sms", to=NUMBER, text="Rappel", kind="workshop-reminder")
    _post(client, {"from": NUMBER, "text": "STOP"})

    response = _post(client, {"from": "33612345678", "text": "Start"})

    assert response.json() == {"stop": 0, "start": 1, "ignored": 0}
    assert not services.sms_blocked(NUMBER)
    after, _ = services.queue_sms(key="after:sms", to=NUMBER, text="Rappel", kind="workshop-reminder")
    assert after.status == "pending"
    assert OutboxMessage.objects.get(dedup_key="before:sms").status == "cancelled"


def test_an_ordinary_reply_changes_nothing(client):
    response = _post(client, {"from": NUMBER, "text": "Merci, à demain"})

    assert response.json() == {"stop": 0, "start": 0, "ignored": 1}
    assert not SmsOptOut.objects.exists()


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent inserts need PostgreSQL (set DATABASE_URL)"
)
@pytest.mark.django_db(transaction=True)
def test_two_stop_callbacks_at_once_record_one_opt_out():
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def stop():
        try:
            barrier.wait()
            outcomes.append(sms_optout.record_opt_out(phone=NUMBER)[1])
        except Exception as error:  # noqa: BLE001 - the test reports any
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=stop) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert (errors, sorted(outcomes), SmsOptOut.objects.count()) == ([], [False, True], 1)
