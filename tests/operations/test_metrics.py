"""/metrics: Prometheus' scrape, behind METRICS_TOKEN (declics.operations.metrics and views)."""

import datetime
import hmac
import time

import pytest
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from declics.celery import app as celery_app
from declics.notifications.models import OutboxMessage
from declics.notifications.tasks import send_due_notifications
from declics.operations import metrics, task_timing

pytestmark = pytest.mark.django_db

TOKEN = "jeton-de-test-4f7a9c2e"
BEARER = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN


@pytest.fixture
def broker_folder(tmp_path):
    """An empty filesystem broker of its own, so the queue depths are this test's."""
    saved = celery_app.conf.broker_url, dict(celery_app.conf.broker_transport_options)
    folder = tmp_path / "queue"
    folder.mkdir()
    celery_app.conf.broker_url = "filesystem://"
    celery_app.conf.broker_transport_options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        # kombu's default is a `control` folder in the working directory, which would outlive the test.
        "control_folder": str(tmp_path / "control"),
    }
    yield folder
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved


def _message(key, *, minutes_ago, status=OutboxMessage.Status.PENDING, channel="email"):
    send_after = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    sms = channel == OutboxMessage.Channel.SMS
    return OutboxMessage.objects.create(
        dedup_key=key,
        channel=channel,
        to_email="" if sms else "personne@example.org",
        to_phone="+33612345678" if sms else "",
        subject="Objet",
        body_text="Texte",
        send_after=send_after,
        status=status,
        sent_at=send_after if status == OutboxMessage.Status.SENT else None,
    )


def _samples(response) -> dict:
    """{(metric name, labels as a sorted tuple): value} from Prometheus' text format."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def test_metrics_is_not_found_while_no_token_is_configured(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer ").status_code == 404
    assert client.get(reverse("metrics"), **BEARER).status_code == 404


@pytest.mark.parametrize(
    "authorization",
    [None, "", f"Basic {TOKEN}", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer", f"{TOKEN}"],
)
def test_metrics_refuses_a_request_without_the_exact_bearer_token(client, token, authorization):
    headers = {} if authorization is None else {"HTTP_AUTHORIZATION": authorization}

    response = client.get(reverse("metrics"), **headers)

    assert (response.status_code, response.content) == (403, b"")


def test_metrics_compares_the_token_in_constant_time(client, token, monkeypatch):
    compared = []
    real = hmac.compare_digest

    def spy(a, b):
        compared.append((a, b))
        return real(a, b)

    monkeypatch.setattr("declics.operations.views.hmac.compare_digest", spy)

    client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer devine")

    assert compared == [(b"devine", TOKEN.encode())]


def test_metrics_reports_queues_outbox_and_delivery(client, token, broker_folder):
    _message("due-long-ago", minutes_ago=30)
    _message("due-now", minutes_ago=1)
    _message("tomorrow", minutes_ago=-60 * 24)
    _message("sent", minutes_ago=60, status="sent")
    _message("sent-too", minutes_ago=120, status="sent")
    _message("failed", minutes_ago=180, status="failed")
    _message("cancelled", minutes_ago=10, status="cancelled")
    _message("sent-two-days-ago", minutes_ago=60 * 48, status="sent")
    _message("sms-sent", minutes_ago=5, status="sent", channel="sms")
    with celery_app.connection_for_write() as conn:
        queue = conn.SimpleQueue("celery")
        queue.put({"one": 1})
        queue.put({"two": 2})
        queue.close()

    response = client.get(reverse("metrics"), **BEARER)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    samples = _samples(response)
    assert samples[("declics_celery_queue_messages", (("queue", "celery"),))] == 2
    assert samples[("declics_outbox_messages", (("state", "pending"),))] == 3
    assert samples[("declics_outbox_messages", (("state", "due"),))] == 2
    assert 30 * 60 <= samples[("declics_outbox_oldest_due_age_seconds", ())] < 30 * 60 + 10
    delivery = {
        (dict(labels)["channel"], dict(labels)["status"]): value
        for (name, labels), value in samples.items()
        if name == "declics_outbox_delivery_24h" and value
    }
    # Due in the last 24 hours, by channel and status now: the future one and the one two days old are out.
    assert delivery == {
        ("email", "pending"): 2,
        ("email", "sent"): 2,
        ("email", "failed"): 1,
        ("email", "cancelled"): 1,
        ("sms", "sent"): 1,
    }


def test_metrics_reports_zero_age_when_nothing_is_due(client, token, broker_folder):
    _message("tomorrow", minutes_ago=-60)

    samples = _samples(client.get(reverse("metrics"), **BEARER))

    assert samples[("declics_outbox_oldest_due_age_seconds", ())] == 0
    assert samples[("declics_outbox_messages", (("state", "due"),))] == 0
    assert samples[("declics_celery_queue_messages", (("queue", "celery"),))] == 0


def test_metrics_leave_queue_depths_out_when_the_broker_is_away(client, token, broker_folder):
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    celery_app.conf.broker_transport_options = {"socket_connect_timeout": 1}

    response = client.get(reverse("metrics"), **BEARER)

    assert response.status_code == 200
    names = {name for name, _labels in _samples(response)}
    assert "declics_celery_queue_messages" not in names
    assert "declics_outbox_messages" in names


def test_metrics_report_the_latest_wait_and_run_of_each_task(client, token, broker_folder):
    # A worker reads the publication time the producer stamped on the message (here: 5 s ago).
    send_due_notifications.apply(headers={task_timing.HEADER: time.time() - 5})

    samples = _samples(client.get(reverse("metrics"), **BEARER))

    task = (("task", "declics.notifications.tasks.send_due_notifications"),)
    assert 5 <= samples[("declics_celery_task_wait_seconds", task)] < 15
    assert 0 <= samples[("declics_celery_task_run_seconds", task)] < 10
    # Tasks that never ran here have no figure.
    assert ("declics_celery_task_run_seconds", (("task", "programs.tasks.advance_calendars"),)) not in samples


def test_publication_is_stamped_on_every_task_message():
    headers = {"id": "x"}

    task_timing.stamp_publication(headers=headers)

    assert time.time() - 1 < headers[task_timing.HEADER] <= time.time()


@pytest.mark.parametrize("rows", [1, 3])
def test_metrics_query_count_is_constant(client, token, broker_folder, django_assert_num_queries, rows):
    for index in range(rows):
        _message(f"pending-{index}", minutes_ago=index)
        _message(f"sent-{index}", minutes_ago=index + 1, status="sent")

    # The outbox's backlog (one aggregate) and the delivery of the last 24 hours (one GROUP BY).
    with django_assert_num_queries(2):
        response = client.get(reverse("metrics"), **BEARER)

    assert _samples(response)[("declics_outbox_messages", (("state", "pending"),))] == rows


def test_delivery_counts_is_one_grouped_query(django_assert_num_queries):
    now = timezone.now()
    _message("a", minutes_ago=5, status="sent")
    _message("b", minutes_ago=6, status="sent")
    _message("c", minutes_ago=7, status="failed")

    with django_assert_num_queries(1):
        rows = metrics.delivery_counts(now=now)

    assert rows == [
        {"channel": "email", "status": "failed", "count": 1},
        {"channel": "email", "status": "sent", "count": 2},
    ]
