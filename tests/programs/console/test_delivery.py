"""Delivery: the outbox as a staff page (figures, lag, messages without their bodies) and the
resend of a failed message, once however many clicks."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from declics.notifications import services
from declics.notifications.models import OutboxMessage
from programs.console.delivery import selectors
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


def _message(n=0, **fields):
    defaults = {
        "dedup_key": f"test:{n}:{fields.get('status', 'pending')}",
        "to_email": f"personne{n}@example.org",
        "subject": f"Objet {n}",
        "body_text": "Le corps secret du message",
        "send_after": timezone.now(),
    }
    return OutboxMessage.objects.create(**{**defaults, **fields})


def test_figures_count_each_status_and_the_lag_is_the_age_of_the_oldest_message_due():
    now = timezone.now()
    _message(1, send_after=now - timedelta(minutes=30))
    _message(2, send_after=now - timedelta(minutes=5))
    _message(3, send_after=now + timedelta(hours=1))  # not due yet: no lag
    _message(4, status=Status.SENT, sent_at=now)
    _message(5, status=Status.FAILED, last_error="550 inconnu")

    figures = selectors.figures(now=now)

    assert (figures.pending, figures.due, figures.sent, figures.failed, figures.cancelled) == (3, 2, 1, 1, 0)
    assert figures.lag == timedelta(minutes=30)


def test_no_message_due_means_no_lag():
    now = timezone.now()
    _message(1, send_after=now + timedelta(hours=1))

    assert selectors.figures(now=now).lag is None


def test_the_page_lists_failed_messages_with_their_reason_and_never_their_body(client):
    _message(1, status=Status.FAILED, last_error="SMTPRecipientsRefused: 550 boîte inconnue")
    _message(2, status=Status.SENT, sent_at=timezone.now())
    client.force_login(StaffFactory())

    response = client.get(reverse("programs:console_delivery"), {"statut": "failed"})
    page = response.content.decode()

    assert [m.subject for m in response.context["page"].object_list] == ["Objet 1"]
    assert "550 boîte inconnue" in page and "personne1@example.org" in page
    assert "Le corps secret du message" not in page
    assert "Renvoyer" in page


def test_resending_requeues_a_failed_message_from_zero():
    message = _message(1, status=Status.FAILED, attempts=8, last_error="550", first_failed_at=timezone.now())
    now = timezone.now()

    services.resend_failed_message(message_id=message.pk, now=now)

    message.refresh_from_db()
    assert (
        message.status,
        message.attempts,
        message.last_error,
        message.first_failed_at,
        message.send_after,
    ) == (
        Status.PENDING,
        0,
        "",
        None,
        now,
    )


@pytest.mark.parametrize("status", [Status.PENDING, Status.SENT, Status.CANCELLED])
def test_only_a_failed_message_is_resent(status):
    message = _message(
        1, status=status, sent_at=timezone.now() if status == Status.SENT else None, attempts=3
    )

    with pytest.raises(services.ResendError):
        services.resend_failed_message(message_id=message.pk)

    message.refresh_from_db()
    assert (message.status, message.attempts) == (status, 3)


def test_a_double_click_on_resend_requeues_once_and_the_log_records_who(client):
    staff = StaffFactory(first_name="Inès")
    message = _message(1, status=Status.FAILED, attempts=8, last_error="550")
    client.force_login(staff)
    url = reverse("programs:console_delivery_resend", args=[message.pk])

    first = client.post(url, {"query": "statut=failed"})
    second = client.post(url, {"query": "statut=failed"})

    assert first.url == reverse("programs:console_delivery") + "?statut=failed"
    assert second.status_code == 409
    entry = LogEntry.objects.get()
    assert (entry.actor, entry.changes, entry.object_repr) == (
        staff,
        {"status": [Status.FAILED, Status.PENDING]},
        "test:1:failed",  # the key, not the address
    )


def test_resend_is_refused_to_other_roles(client):
    message = _message(1, status=Status.FAILED)
    client.force_login(UserFactory())

    response = client.post(reverse("programs:console_delivery_resend", args=[message.pk]))

    message.refresh_from_db()
    assert (response.status_code, message.status) == (403, Status.FAILED)


def _sms(n=0, **fields):
    defaults = {
        "dedup_key": f"sms:{n}:{fields.get('status', 'pending')}",
        "channel": OutboxMessage.Channel.SMS,
        "kind": "workshop-reminder",
        "to_phone": f"+3361234567{n}",
        "subject": "",
        "body_text": "Le texte secret du SMS",
        "segments": 1,
        "send_after": timezone.now(),
    }
    return OutboxMessage.objects.create(**{**defaults, **fields})


def test_sms_figures_cover_the_last_30_days_with_the_segments_sent_and_their_cost(settings):
    settings.SMS_COST_PER_SEGMENT = 0.05
    now = timezone.now()
    _sms(1, status=Status.SENT, sent_at=now - timedelta(days=1), segments=2)
    _sms(2, status=Status.SENT, sent_at=now - timedelta(days=3), segments=1)
    old = _sms(3, status=Status.SENT, sent_at=now - timedelta(days=31), segments=5)
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=31))
    _sms(4)
    _sms(5, status=Status.FAILED, last_error="SmsRefused: HTTP 400")
    _sms(6, status=Status.CANCELLED)
    _message(7, status=Status.SENT, sent_at=now)  # an e-mail: not an SMS figure

    sms = selectors.figures(now=now).sms

    assert (sms.pending, sms.sent, sms.failed, sms.cancelled, sms.segments_sent) == (1, 2, 1, 1, 3)
    assert sms.cost == Decimal("0.15")


def test_the_page_shows_the_sms_apart_and_each_sms_with_its_segments_never_its_text(client, settings):
    settings.SMS_COST_PER_SEGMENT = 0.045
    _sms(1, status=Status.SENT, sent_at=timezone.now(), segments=3)
    client.force_login(StaffFactory())

    response = client.get(reverse("programs:console_delivery"), {"canal": "sms"})
    page = response.content.decode()

    assert [m.to_phone for m in response.context["page"].object_list] == ["+33612345671"]
    assert '<dd id="delivery-sms-segments">3</dd>' in page
    assert '<dd id="delivery-sms-cost">0,14 €</dd>' in page
    assert "SMS · workshop-reminder" in page and "3 SMS" in page
    assert "Le texte secret du SMS" not in page


def test_the_recipient_filter_finds_an_sms_by_the_number_as_staff_type_it():
    _sms(1)
    _sms(2)

    found = selectors.messages(filters={"destinataire": "06 12 34 56 71"})

    assert [m.to_phone for m in found] == ["+33612345671"]


@pytest.mark.parametrize("rows", [1, 3])
def test_delivery_page_query_count_is_constant(client, django_assert_num_queries, rows):
    for n in range(rows):
        _message(n, status=Status.FAILED, last_error="550")
        _sms(n, status=Status.SENT, sent_at=timezone.now(), segments=n + 1)
    client.force_login(StaffFactory())

    # login session and user, the figures, the count, the page; the login session's refresh
    # (savepoint, update, release)
    with django_assert_num_queries(8):
        response = client.get(reverse("programs:console_delivery"))

    assert len(response.context["page"].object_list) == 2 * rows


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)")
@pytest.mark.django_db(transaction=True)
def test_two_resends_at_once_requeue_the_message_once():
    message = _message(1, status=Status.FAILED, attempts=8)
    barrier = threading.Barrier(2)
    outcomes = []

    def resend():
        try:
            barrier.wait()
            services.resend_failed_message(message_id=message.pk)
            outcomes.append("resent")
        except services.ResendError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=resend) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "resent"]


def test_the_resend_outside_a_team_request_writes_no_audit_entry():
    message = _message(1, status=Status.FAILED)

    services.resend_failed_message(message_id=message.pk)  # a command, a task: no team author

    message.refresh_from_db()
    assert (message.status, LogEntry.objects.count()) == (Status.PENDING, 0)
