import json
import logging
import sys

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from declics import outages
from declics.celery import app as celery_app
from declics.logging import JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker(settings):
    """Point the Celery app at another broker for one test, then restore it."""
    saved = celery_app.conf.broker_url, dict(celery_app.conf.broker_transport_options)

    def point(url, **transport_options):
        celery_app.conf.broker_url = url
        celery_app.conf.broker_transport_options = transport_options

    yield point
    celery_app.conf.broker_url, celery_app.conf.broker_transport_options = saved


def test_healthz_ok_when_database_cache_and_broker_answer(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_an_unreachable_redis_broker_as_degraded(client, broker, caplog):
    broker("redis://127.0.0.1:1/0", socket_connect_timeout=1)

    with caplog.at_level(logging.WARNING, logger="declics.views"):
        response = client.get(reverse("healthz"))

    # The pages still work without the broker: the web process stays in service.
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "ok", "broker": "error"}
    [record] = [r for r in caplog.records if r.name == "declics.views"]
    assert (record.getMessage(), record.component) == ("health check failed", "broker")


def test_healthz_reports_a_missing_filesystem_broker_folder_as_degraded(client, broker, tmp_path):
    missing = str(tmp_path / "nowhere")
    broker("filesystem://", data_folder_in=missing, data_folder_out=missing)

    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "ok", "broker": "error"}


def test_healthz_reports_an_unreachable_redis_cache_as_degraded(client, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "declics.cache.ResilientRedisCache", "LOCATION": "redis://127.0.0.1:1/0"},
    }

    with caplog.at_level(logging.WARNING, logger="declics.views"):
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "error", "broker": "ok"}
    [record] = [r for r in caplog.records if r.name == "declics.views"]
    assert (record.getMessage(), record.component) == ("health check failed", "cache")
    outages.forget_all()


def test_healthz_503_when_the_database_does_not_answer(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    # The database's network edge: every new cursor fails, as when PostgreSQL is down.
    monkeypatch.setattr(connection, "cursor", refuse)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "cache": "ok", "broker": "ok"}


def test_healthz_refuses_other_methods(client):
    response = client.post(reverse("healthz"))

    assert response.status_code == 405


def test_hello_is_the_bare_view(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("hello"))

    assert (response.status_code, response.content, response["Content-Type"]) == (200, b"hello", "text/plain")


def test_json_formatter_writes_one_object_per_line_with_extras():
    formatter = JsonFormatter()
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("declics.x", logging.ERROR, __file__, 1, "sent %s\nmails", (3,), exc_info)
    record.dedup_key = "welcome:user:1"
    record.attempts = 2
    record.request = object()

    line = formatter.format(record)

    assert "\n" not in line
    payload = json.loads(line)
    assert payload["time"].endswith("+00:00")
    assert {k: payload[k] for k in ("level", "logger", "message", "dedup_key", "attempts")} == {
        "level": "ERROR",
        "logger": "declics.x",
        "message": "sent 3\nmails",
        "dedup_key": "welcome:user:1",
        "attempts": 2,
    }
    assert payload["request"].startswith("<object object at ")
    assert payload["exc_info"].splitlines()[-1] == "ValueError: boom"


def test_json_formatter_keeps_stack_info_and_plain_records():
    record = logging.LogRecord(
        "declics.y", logging.INFO, __file__, 1, "plain", (), None, sinfo="Stack (most recent)"
    )

    payload = json.loads(JsonFormatter().format(record))

    assert payload["stack_info"] == "Stack (most recent)"
    assert set(payload) == {"time", "level", "logger", "message", "stack_info"}
