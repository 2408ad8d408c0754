"""/readyz, the readiness probe: database, cache, broker, disk and outbox lag (declics.operations.health)."""

import datetime
import shutil
from collections import namedtuple

import pytest
from asgiref.sync import SyncToAsync
from django.core.management import call_command
from django.db import OperationalError, connection, connections
from django.urls import reverse
from django.utils import timezone

from declics import outages
from declics.celery import app as celery_app
from declics.notifications.models import OutboxMessage
from declics.operations import health

pytestmark = pytest.mark.django_db

CHECKS = ["Database()", "Cache()", "Broker()", "OutboxLag(max_lag=600)"]
Usage = namedtuple("Usage", "total used free")


def _message(key, *, due_minutes_ago, status=OutboxMessage.Status.PENDING):
    send_after = timezone.now() - datetime.timedelta(minutes=due_minutes_ago)
    return OutboxMessage.objects.create(
        dedup_key=key,
        to_email="personne@example.org",
        subject="Objet",
        body_text="Texte",
        send_after=send_after,
        status=status,
        sent_at=send_after if status == OutboxMessage.Status.SENT else None,
    )


def _waited(result: str) -> int:
    """The seconds in "Unavailable: The oldest due message has waited N s"."""
    prefix = "Unavailable: The oldest due message has waited "
    assert result.startswith(prefix) and result.endswith(" s"), result
    return int(result.removeprefix(prefix).removesuffix(" s"))


def _report(response) -> dict:
    """{check: result} without the disk check's path, which depends on the machine."""
    return {name.split("(path=")[0]: result for name, result in response.json().items()}


@pytest.fixture
def broker():
    saved = celery_app.conf.broker_url, dict(celery_app.conf.broker_transport_options)

    def point(url, **transport_options):
        celery_app.conf.broker_url = url
        celery_app.conf.broker_transport_options = transport_options

    yield point
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved


def test_readyz_passes_when_every_service_answers_and_no_message_is_late(client):
    _message("late-but-within", due_minutes_ago=9)
    _message("future", due_minutes_ago=-60 * 24)

    response = client.get(reverse("readyz"))

    assert response.status_code == 200
    assert _report(response) == dict.fromkeys([*CHECKS[:3], "Disk", CHECKS[3]], "OK")
    assert "no-cache" in response["Cache-Control"]


def test_readyz_fails_when_a_due_message_waits_longer_than_the_allowed_lag(client):
    _message("late", due_minutes_ago=11)

    response = client.get(reverse("readyz"))

    assert response.status_code == 500
    assert 660 <= _waited(_report(response)["OutboxLag(max_lag=600)"]) < 670
    assert _report(response)["Database()"] == "OK"


def test_readyz_ignores_old_messages_already_sent_failed_or_cancelled(client):
    for status in ("sent", "failed", "cancelled"):
        _message(f"old-{status}", due_minutes_ago=60, status=status)

    response = client.get(reverse("readyz"))

    assert (response.status_code, _report(response)["OutboxLag(max_lag=600)"]) == (200, "OK")


def test_readyz_lag_follows_the_setting(client, settings):
    settings.HEALTH_OUTBOX_MAX_LAG = 60
    _message("two-minutes", due_minutes_ago=2)

    response = client.get(reverse("readyz"))

    assert response.status_code == 500
    assert 120 <= _waited(_report(response)["OutboxLag(max_lag=60)"]) < 130


def test_readyz_fails_when_the_redis_broker_does_not_answer(client, broker):
    broker("redis://127.0.0.1:1/0", socket_connect_timeout=1)

    response = client.get(reverse("readyz"))

    assert response.status_code == 500
    assert _report(response)["Broker()"] == "Unavailable: The Celery broker does not answer"
    assert _report(response)["Database()"] == "OK"


def test_readyz_fails_when_the_filesystem_broker_folder_is_missing(client, broker, tmp_path):
    missing = str(tmp_path / "nowhere")
    broker("filesystem://", data_folder_in=missing, data_folder_out=missing)

    response = client.get(reverse("readyz"))

    assert (response.status_code, _report(response)["Broker()"]) == (
        500,
        "Unavailable: The Celery broker does not answer",
    )


def test_readyz_fails_when_redis_the_cache_does_not_answer(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "declics.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }

    response = client.get(reverse("readyz"))

    assert response.status_code == 500
    assert _report(response)["Cache()"] == "Unavailable: Redis (cache) does not answer"
    outages.forget_all()


def test_readyz_fails_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get(reverse("readyz"))

    assert response.status_code == 500
    report = _report(response)
    assert report["Database()"] == "Unavailable: The database does not answer"
    assert report["OutboxLag(max_lag=600)"] == "Unavailable: The outbox cannot be read"


def test_readyz_warns_when_the_media_disk_is_nearly_full(client, settings, monkeypatch, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media" / "not-yet-created"
    seen = []

    def usage(path):  # the operating system's edge
        seen.append(path)
        return Usage(total=1000, used=950, free=50)

    monkeypatch.setattr(shutil, "disk_usage", usage)

    response = client.get(reverse("readyz"))

    assert response.status_code == 500
    assert response.json()[f"Disk(path='{settings.MEDIA_ROOT}')"] == "Warning: 95 % of the disk used"
    # The media folder appears with the first upload: the disk it will be on is measured.
    assert seen == [tmp_path]


def test_readyz_disk_below_the_threshold_passes(settings, monkeypatch, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(total=1000, used=899, free=101))

    health.Disk().run()  # no exception: 89.9 % < 90 %

    settings.HEALTH_DISK_MAX_PERCENT = 80
    with pytest.raises(health.ServiceWarning):
        health.Disk().run()


def test_readyz_answers_json_unless_asked_for_text(client):
    text = client.get(reverse("readyz"), HTTP_ACCEPT="text/plain")
    html = client.get(reverse("readyz"), HTTP_ACCEPT="text/html")

    assert text["Content-Type"] == "text/plain; charset=utf-8"
    assert "Database(): OK\n" in text.content.decode()
    assert html["Content-Type"] == "application/json"


def test_readyz_refuses_post(client):
    assert client.post(reverse("readyz")).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_health_check_command_without_http_exits_1_on_a_late_message_then_0(capsys):
    """What the worker and beat containers run (docker-compose.yml)."""
    _message("late-for-the-command", due_minutes_ago=30)

    with pytest.raises(SystemExit) as failed:
        call_command("health_check", "readyz", "--no-http")
    failing = capsys.readouterr().out
    OutboxMessage.objects.all().delete()
    with pytest.raises(SystemExit) as passed:
        call_command("health_check", "readyz", "--no-http")

    # The command ran the checks on asgiref's one thread for sync code: close its connection, which
    # would keep the test database from being dropped (the container's process just exits).
    SyncToAsync.single_thread_executor.submit(connections.close_all).result()

    assert failed.value.code == 1
    [line] = [line for line in failing.splitlines() if line.startswith("OutboxLag")]
    assert 1800 <= _waited(line.removeprefix("OutboxLag(max_lag=600): ")) < 1810
    assert passed.value.code == 0
    assert "Database(): OK" in capsys.readouterr().out
