"""The embedded setup for real: `.delay()` writes to kombu's filesystem broker, a `celery worker`
process takes the task from there and the outbox row is sent. No server, no mock."""

import os
import re
import sqlite3
import subprocess
import sys
import time

from tests.test_settings import BASE_DIR, CONFIG_VARIABLES, run_django

PUBLISH = r"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", "notifications", verbosity=0)  # and what it depends on
from declics.notifications.services import queue_message
# Committed at once (autocommit), so the sender is kicked with send_due_notifications.delay().
queue_message(key="embedded:1", to="ana@example.org", subject="Par le broker embarqué", text="Texte")
"""


def test_filesystem_broker_worker_consumes_what_delay_publishes(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_DIR": str(tmp_path / "broker"),
        "EMAIL_URL": f"filemail://{tmp_path / 'mail'}",
    }
    # The worker starts while the publisher migrates and queues: both take a few seconds.
    worker = _start_worker(env)
    try:
        published = run_django(PUBLISH, env)
        assert published.returncode == 0, published.stderr
        status = _wait_for_status(tmp_path / "db.sqlite3", "embedded:1", "sent", timeout=60)
    finally:
        worker.terminate()
        output = worker.communicate(timeout=20)[0]

    assert status == "sent", output
    assert list((tmp_path / "broker" / "queue").iterdir()) == []
    assert re.search(r"Task declics\.notifications\.tasks\.send_due_notifications\[[\w-]+\] received", output)
    [mail_file] = (tmp_path / "mail").iterdir()
    written = mail_file.read_text()
    assert "\nTo: ana@example.org\n" in written
    assert "\nX-DeClics-Key: embedded:1\n" in written
    assert not (BASE_DIR / "control").exists()  # kombu's fan-out tables stay in the broker folder
    assert list((tmp_path / "broker" / "control").glob("*.exchange"))


def _start_worker(env):
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    clean.update({"DJANGO_SETTINGS_MODULE": "declics.settings", **env})
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "declics", "worker", "--pool=solo", "--loglevel=INFO"],
        cwd=BASE_DIR,
        env=clean,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_for_status(database, key, wanted, *, timeout):
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as db:
            row = db.execute(
                "SELECT status FROM notifications_outboxmessage WHERE dedup_key = ?", [key]
            ).fetchone()
        status = row[0] if row else None
        if status == wanted:
            break
        time.sleep(0.2)
    return status
