"""The outbox under real concurrency: threads against a real PostgreSQL (row locks, SKIP LOCKED)."""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from declics.notifications import services
from declics.notifications.models import OutboxMessage

from .backends import SlowSMTPServer

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and SKIP LOCKED need PostgreSQL (set DATABASE_URL)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _run_in_threads(count, target):
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def run(index):
        try:
            barrier.wait()
            results[index] = target()
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_queue_message_same_key_from_two_threads_yields_one_row():
    def queue():
        message, created = services.queue_message(
            key="race:welcome:1", to="ana@example.org", subject="Objet", text="Texte", send_after=None
        )
        return message.pk, created

    results, errors = _run_in_threads(2, queue)

    assert errors == []
    assert {pk for pk, _ in results} == {OutboxMessage.objects.get().pk}
    assert sorted(created for _, created in results) == [False, True]


def test_two_concurrent_senders_never_send_a_row_twice(smtp, settings):
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    smtp.reset(delay=0.002)
    for n in range(60):
        services.queue_message(key=f"bulk:{n}", to=f"p{n}@example.org", subject="Objet", text="Texte")

    results, errors = _run_in_threads(2, lambda: services.send_due_messages(batch_size=10))

    assert errors == []
    assert sum(results) == 60
    assert all(count > 0 for count in results), results  # both workers took a share
    keys = [key for key, _ in smtp.sent]
    assert sorted(keys) == sorted(f"bulk:{n}" for n in range(60))
    assert len(set(keys)) == len(keys)
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_claim_due_messages_locks_with_skip_locked():
    services.queue_message(key="sql:1", to="ana@example.org", subject="Objet", text="Texte")

    with CaptureQueriesContext(connection) as queries:
        services.claim_due_messages(batch_size=5)

    assert any(q["sql"].endswith("FOR UPDATE SKIP LOCKED") for q in queries.captured_queries)


def test_reminders_cancelled_while_a_slow_server_takes_the_batch_never_go_out(settings):
    """The sender holds a claimed batch; the bookings are cancelled while it is on the 1st or 2nd."""
    settings.NOTIFICATIONS_KICK_ON_QUEUE = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    # p1 is greylisted: its failure mark (back to pending) must not undo a cancellation either.
    with SlowSMTPServer(delay=0.2, refuse={"p1@example.org"}, refuse_code=451) as server:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        for n in range(10):
            services.queue_message(
                key=f"workshop-reminder:booking:{n}:24h", to=f"p{n}@example.org", subject="Rappel", text="J-1"
            )
        results, errors = [], []

        def send():
            try:
                results.append(services.send_due_messages(batch_size=10))
            except Exception as error:  # surfaced by the assertion below
                errors.append(error)
            finally:
                connections.close_all()

        sender = threading.Thread(target=send)
        sender.start()
        assert server.first_received.wait(timeout=30)
        cancelled = services.cancel_messages(key_prefix="workshop-reminder:booking:")
        cancelled_keys = set(
            OutboxMessage.objects.filter(status="cancelled").values_list("dedup_key", flat=True)
        )
        sender.join(timeout=60)

    assert errors == []
    received = [key for key, _ in server.received]
    statuses = dict(OutboxMessage.objects.values_list("dedup_key", "status"))
    assert len(cancelled_keys) == cancelled >= 7  # the cancellation did come mid-batch
    assert set(received) & cancelled_keys == set()  # not one cancelled reminder went out
    assert {statuses[key] for key in cancelled_keys} == {"cancelled"}  # and no mark undid one
    assert sorted(received) == sorted(key for key, status in statuses.items() if status == "sent")
    assert results == [len(received)]
