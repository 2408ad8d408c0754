import re
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from declics.notifications import services
from declics.notifications.models import OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _queue(key, *, to="ana@example.org", send_after=None):
    message, _ = services.queue_message(
        key=key, to=to, subject="Objet", text="Texte", html="<p>Texte</p>", send_after=send_after
    )
    return message


def _make_due_again():
    OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).update(
        send_after=timezone.now() - timedelta(seconds=1)
    )


def test_queue_email_renders_french_text_and_html():
    user = UserFactory(first_name="Aïcha", email="aicha@example.org")

    message, created = services.queue_email(
        key="welcome:test",
        to=user.email,
        template="accounts/emails/welcome",
        context={"user": user},
        user=user,
    )

    message.refresh_from_db()
    assert created is True
    assert message.subject == "[DéClics] Bienvenue sur DéClics Numériques"
    assert message.body_text.startswith("Bonjour Aïcha,\n")
    assert "Votre compte DéClics Numériques est prêt." in message.body_text
    assert "http://127.0.0.1:8000/comptes/login/" in message.body_text
    assert "<p>Bonjour Aïcha,</p>" in message.body_html
    assert '<html lang="fr">' in message.body_html
    assert (message.to_email, message.user, message.status, message.attempts) == (
        "aicha@example.org",
        user,
        OutboxMessage.Status.PENDING,
        0,
    )


def test_queue_email_same_key_twice_yields_one_message(django_assert_num_queries):
    user = UserFactory()
    first, created_first = services.queue_email(
        key="welcome:same", to=user.email, template="accounts/emails/welcome", context={"user": user}
    )

    # The second call finds the key and neither renders nor writes anything.
    with django_assert_num_queries(2):
        second, created_second = services.queue_email(
            key="welcome:same",
            to="other@example.org",
            template="accounts/emails/welcome",
            context={"user": user},
        )

    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert list(OutboxMessage.objects.values_list("dedup_key", "to_email")) == [("welcome:same", user.email)]


def test_queue_message_kicks_the_sender_once_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _queue("kick:1")

    assert len(callbacks) == 1
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.SENT
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


def test_queue_message_for_later_does_not_kick_the_sender(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _queue("later:1", send_after=timezone.now() + timedelta(hours=1))

    assert callbacks == []
    assert OutboxMessage.objects.get().status == OutboxMessage.Status.PENDING


def test_send_due_messages_sends_due_rows_only(smtp):
    _queue("due:1", to="a@example.org")
    _queue("due:2", to="b@example.org")
    _queue("future:1", send_after=timezone.now() + timedelta(minutes=5))

    sent = services.send_due_messages()

    assert sent == 2
    assert smtp.sent == [("due:1", "a@example.org"), ("due:2", "b@example.org")]
    rows = {m.dedup_key: m for m in OutboxMessage.objects.all()}
    assert [(rows[k].status, rows[k].attempts) for k in ("due:1", "due:2", "future:1")] == [
        ("sent", 1),
        ("sent", 1),
        ("pending", 0),
    ]
    assert rows["due:1"].sent_at is not None
    assert rows["due:1"].locked_until is None


def test_send_due_messages_builds_text_html_and_attachments():
    services.queue_message(
        key="full:1",
        to="ana@example.org",
        subject="Atelier",
        text="Texte",
        html="<p>HTML</p>",
        attachments=[{"filename": "atelier.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}],
    )

    services.send_due_messages()

    [email] = mail.outbox
    assert (email.subject, email.body, email.to, email.from_email) == (
        "Atelier",
        "Texte",
        ["ana@example.org"],
        "DéClics Numériques <ne-pas-repondre@declics.example>",
    )
    assert email.alternatives[0][0] == "<p>HTML</p>"
    assert email.alternatives[0][1] == "text/html"
    assert email.attachments == [("atelier.ics", "BEGIN:VCALENDAR", "text/calendar")]
    assert email.extra_headers == {"X-DeClics-Key": "full:1", "Message-ID": services.message_id("full:1")}


def test_send_due_messages_reuses_one_connection_per_batch(smtp):
    for n in range(5):
        _queue(f"batch:{n}")

    sent = services.send_due_messages(batch_size=2)

    assert sent == 5
    assert (smtp.opened, smtp.closed) == (3, 3)  # batches of 2, 2 and 1
    assert [key for key, _ in smtp.sent] == [f"batch:{n}" for n in range(5)]


@pytest.mark.parametrize("rows", [1, 3])
def test_send_due_messages_query_count_is_one_update_per_message(smtp, django_assert_num_queries, rows):
    for n in range(rows):
        _queue(f"count:{n}")

    # The claim (its transaction, select ids, lease update, reload) is 5 queries, and the empty
    # claim that ends the loop 3. On PostgreSQL each message is one update that marks it sent under
    # a row lock, in its own transaction (savepoint, update, release in a test), and the sender
    # sets then resets `synchronous_commit` once; elsewhere a re-read, then the update.
    if connection.vendor == "postgresql":
        per_message, per_call = 3, 2
    else:
        per_message, per_call = 2, 0
    with django_assert_num_queries(per_call + 5 + rows * per_message + 3):
        sent = services.send_due_messages()

    assert sent == rows


def test_send_due_messages_retries_with_backoff_then_fails(smtp, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    smtp.reset(refuse={"nobody@example.org"})
    _queue("refused:1", to="nobody@example.org")
    _queue("fine:1", to="ana@example.org")

    before = timezone.now()
    assert services.send_due_messages() == 1
    refused = OutboxMessage.objects.get(dedup_key="refused:1")
    assert (refused.status, refused.attempts, refused.locked_until) == ("pending", 1, None)
    assert refused.last_error.startswith("SMTPRecipientsRefused: ")
    assert before + timedelta(minutes=1) <= refused.send_after <= timezone.now() + timedelta(minutes=1)
    assert services.send_due_messages() == 0  # not due yet

    _make_due_again()
    services.send_due_messages()
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == ("pending", 2)
    assert refused.send_after >= timezone.now() + timedelta(minutes=1, seconds=59)  # 2 minutes

    _make_due_again()
    services.send_due_messages()
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == ("failed", 3)

    _make_due_again()
    assert services.send_due_messages() == 0
    assert smtp.sent == [("fine:1", "ana@example.org")]


def test_retry_delay_doubles_up_to_an_hour():
    assert [services.retry_delay(n).total_seconds() / 60 for n in (1, 2, 3, 4, 6, 7, 10, 60, 30000)] == [
        1,
        2,
        4,
        8,
        32,
        60,
        60,
        60,
        60,
    ]


def test_send_due_messages_server_unreachable_reschedules_batch_without_counting_attempts(smtp):
    smtp.reset(unreachable=True)
    _queue("outage:1")
    _queue("outage:2")

    assert services.send_due_messages() == 0

    rows = list(OutboxMessage.objects.values_list("status", "attempts", "locked_until"))
    assert rows == [("pending", 0, None), ("pending", 0, None)]
    message = OutboxMessage.objects.first()
    assert message.last_error == "ConnectionRefusedError: [Errno 111] Connection refused"
    assert message.send_after > timezone.now() + timedelta(seconds=50)

    # The server is back: nothing was lost.
    smtp.reset()
    _make_due_again()
    assert services.send_due_messages() == 2
    assert [key for key, _ in smtp.sent] == ["outage:1", "outage:2"]
    assert list(OutboxMessage.objects.values_list("attempts", flat=True)) == [1, 1]


def test_send_due_messages_connection_lost_mid_batch_gives_the_rest_back(smtp):
    smtp.reset(disconnect_after=1)
    for n in range(3):
        _queue(f"drop:{n}")

    assert services.send_due_messages() == 1

    rows = dict(OutboxMessage.objects.values_list("dedup_key", "status"))
    assert rows == {"drop:0": "sent", "drop:1": "pending", "drop:2": "pending"}
    assert (
        list(
            OutboxMessage.objects.filter(status="pending").values_list(
                "attempts", "locked_until", "last_error"
            )
        )
        == [(0, None, "SMTPServerDisconnected: Connection unexpectedly closed")] * 2
    )


def test_send_due_messages_gives_the_batch_back_when_its_lease_runs_out(smtp, settings):
    settings.NOTIFICATIONS_CLAIM_LEASE = 1  # seconds; the worker stops at 90% of it
    smtp.reset(delay=1.0)
    for n in range(3):
        _queue(f"slow:{n}")

    assert services.send_due_messages(max_batches=1) == 1

    rows = list(OutboxMessage.objects.values_list("dedup_key", "status", "attempts", "locked_until"))
    assert rows == [
        ("slow:0", "sent", 1, None),
        ("slow:1", "pending", 0, None),
        ("slow:2", "pending", 0, None),
    ]


def test_claim_due_messages_skips_leased_rows_until_the_lease_ends():
    _queue("lease:1")

    first = services.claim_due_messages(batch_size=10)
    second = services.claim_due_messages(batch_size=10)
    after_lease = services.claim_due_messages(batch_size=10, now=timezone.now() + timedelta(minutes=6))

    assert [m.dedup_key for m in first] == ["lease:1"]
    assert second == []
    assert [(m.dedup_key, m.attempts) for m in after_lease] == [("lease:1", 2)]


def test_cancel_messages_cancels_pending_rows_with_the_prefix(smtp):
    _queue("reminder:booking:1:24h")
    _queue("reminder:booking:1:1h")
    _queue("reminder:booking:2:24h")

    assert services.cancel_messages(key_prefix="reminder:booking:1:") == 2
    services.send_due_messages()

    assert smtp.sent == [("reminder:booking:2:24h", "ana@example.org")]
    assert dict(OutboxMessage.objects.values_list("dedup_key", "status")) == {
        "reminder:booking:1:24h": "cancelled",
        "reminder:booking:1:1h": "cancelled",
        "reminder:booking:2:24h": "sent",
    }


# --- Cancelled after the claim -------------------------------------------------------------------


def test_a_message_cancelled_after_the_claim_is_never_sent(smtp):
    for key in ("cancel:a:1", "cancel:b:2", "cancel:b:3", "cancel:a:4"):
        _queue(key)
    cancelled = []

    def cancel_the_b_messages(key):
        # While the first message of the claimed batch is being sent, the b bookings are cancelled.
        if key == "cancel:a:1":
            cancelled.append(services.cancel_messages(key_prefix="cancel:b:"))

    smtp.reset(on_send=cancel_the_b_messages)

    assert services.send_due_messages() == 2

    assert cancelled == [2]
    assert [key for key, _ in smtp.sent] == ["cancel:a:1", "cancel:a:4"]
    assert dict(OutboxMessage.objects.values_list("dedup_key", "status")) == {
        "cancel:a:1": "sent",
        "cancel:b:2": "cancelled",
        "cancel:b:3": "cancelled",
        "cancel:a:4": "sent",
    }


@pytest.mark.parametrize("refused", [False, True])
def test_a_cancellation_that_succeeded_is_never_overwritten_by_a_mark(smtp, refused):
    _queue("inflight:1", to="greylisted@example.org")
    cancelled = []
    smtp.reset(
        refuse={"greylisted@example.org"} if refused else (),
        refuse_code=451,
        on_send=lambda key: cancelled.append(services.cancel_messages(key_prefix=key)),
    )

    services.send_due_messages()

    # The cancellation comes while the message is handed to the server. On PostgreSQL the row is
    # already marked sent under its lock: the cancellation finds nothing pending (and a refusal
    # rolls that mark back). Elsewhere the cancellation succeeds, and the mark after the send,
    # whatever the server said, leaves it cancelled.
    message = OutboxMessage.objects.get()
    if connection.vendor == "postgresql":
        assert (cancelled, message.status) == ([0], "pending" if refused else "sent")
    else:
        assert (cancelled, message.status) == ([1], "cancelled")


# --- Message-ID ----------------------------------------------------------------------------------

ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
DOT_ATOM = rf"{ATEXT}(?:\.{ATEXT})*"
MSG_ID = re.compile(rf"<{DOT_ATOM}@{DOT_ATOM}>")  # RFC 5322 §3.6.4 (without the obsolete forms)


def test_message_id_is_derived_from_the_key_so_a_resend_carries_the_same(smtp, settings):
    settings.SITE_URL = "https://declics.example.org"
    _queue("crash:1")
    _queue("crash:2")
    services.send_due_messages()
    # A worker killed after the send, before its mark: the message is claimed and sent again.
    OutboxMessage.objects.filter(dedup_key="crash:1").update(status="pending", sent_at=None)
    _make_due_again()
    services.send_due_messages()

    assert [key for key, _ in smtp.sent] == ["crash:1", "crash:2", "crash:1"]
    first, other, again = smtp.message_ids
    assert first == again != other
    assert MSG_ID.fullmatch(first), first
    assert first.endswith("@declics.example.org>")
    assert "crash" not in first  # opaque: no key, no internal id shows


def test_message_id_with_an_ip_address_site_is_a_valid_domain_literal(settings):
    settings.SITE_URL = "http://[::1]:8000"

    assert services.message_id("welcome:user:1").endswith("@[::1]>")


# --- Temporary and permanent refusals, on a fake clock --------------------------------------------


def _retry_until_failed(clock, *, limit=200):
    """Run the sender at each retry time until the message fails: [(attempt, time since first)]."""
    first = clock.now
    history = []
    for _ in range(limit):
        services.send_due_messages()
        message = OutboxMessage.objects.get()
        history.append((message.status, message.attempts, clock.now - first, message.send_after - clock.now))
        if message.status != "pending":
            return history
        clock.move_to(message.send_after)
    raise AssertionError("never failed")


def test_a_temporary_refusal_is_retried_for_48_hours_with_the_back_off_capped_at_an_hour(smtp, clock):
    smtp.reset(refuse={"full@example.org"}, refuse_code=452)
    _queue("greylisted:1", to="full@example.org")

    history = _retry_until_failed(clock)

    waits = [wait for _, _, _, wait in history[:-1]]
    assert waits[:8] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]
    assert max(waits) == timedelta(hours=1)
    # Past the 8 attempts that fail a permanent refusal, and for 48 hours: then failed.
    assert [status for status, *_ in history[:8]] == ["pending"] * 8
    assert history[-2][:3] == ("pending", 53, timedelta(minutes=2823))
    assert history[-1][:3] == ("failed", 54, timedelta(minutes=2883))
    message = OutboxMessage.objects.get()
    assert message.first_failed_at == clock.now - timedelta(minutes=2883)
    assert message.last_error == "SMTPRecipientsRefused: {'full@example.org': (452, b'Try again later')}"
    assert smtp.sent == []


def test_a_temporary_refusal_then_an_acceptance_sends_the_message(smtp, clock):
    smtp.reset(refuse={"full@example.org"}, refuse_code=421)
    _queue("greylisted:2", to="full@example.org")
    services.send_due_messages()
    clock.advance(timedelta(minutes=1))
    smtp.refuse.clear()

    assert services.send_due_messages() == 1

    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("sent", 2)
    assert smtp.sent == [("greylisted:2", "full@example.org")]


def test_a_permanent_refusal_still_fails_within_hours(smtp, clock, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 8
    smtp.reset(refuse={"nobody@example.org"}, refuse_code=550)
    _queue("unknown:1", to="nobody@example.org")

    history = _retry_until_failed(clock)

    assert history[-1][:3] == ("failed", 8, timedelta(minutes=1 + 2 + 4 + 8 + 16 + 32 + 60))
