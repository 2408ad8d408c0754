"""One scheduler, enforced: two real `celery beat` processes, one Redis lock (celery-redbeat).

Both beats run the project's settings (the scheduler, its lock in REDIS_LOCKS_URL) with a test-only
schedule of two real tasks every 1 and 2 seconds (tests/beat_probe.py), which also logs every
message a beat publishes. While the first beat runs, the second queues nothing; each task is queued
once per tick. Killed without warning (SIGKILL, as a crashed container), the first beat leaves its
lock to expire (BEAT_LOCK_TIMEOUT, 3 s here) and the second takes over where it stopped: no tick
twice, across the handover too.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LOCK_TIMEOUT = 3
# Two of the real periodic tasks, at short test intervals (seconds).
SCHEDULE = {"send-due-notifications": 1.0, "bookings-send-reminders": 2.0}

pytestmark = pytest.mark.skipif(
    not settings.REDIS_LOCKS_URL, reason="the beat lock lives in Redis: set REDIS_URL"
)


def start_beat(name: str, env: dict, tmp_path: Path) -> tuple[subprocess.Popen, Path]:
    log = tmp_path / f"{name}.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "tests.beat_probe", "beat", "--loglevel=INFO"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return process, log


def wait_for(condition, what: str, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"waited {timeout:.0f} s for {what}")


def test_a_second_beat_queues_nothing_then_takes_over_when_the_first_dies(tmp_path):
    prefix = f"test-beat-lock:{uuid.uuid4().hex[:8]}:"
    locks = redis.Redis.from_url(settings.REDIS_LOCKS_URL)
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "declics.settings",
        "PYTHONPATH": str(ROOT),
        "BEAT_PROBE_PREFIX": prefix,
        "BEAT_PROBE_SCHEDULE": json.dumps(SCHEDULE),
        "BEAT_LOCK_TIMEOUT": str(LOCK_TIMEOUT),
    }

    def published():
        return [json.loads(item) for item in locks.lrange(prefix + "published", 0, -1)]

    first = second = None
    try:
        first, first_log = start_beat("first", env, tmp_path)
        wait_for(lambda: published(), "the first beat to queue a task")
        second, second_log = start_beat("second", env, tmp_path)
        wait_for(lambda: "beat: Starting..." in second_log.read_text(), "the second beat to start")
        time.sleep(6)  # both beats running: the second must queue nothing
        killed_at = time.time()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=30)
        taken_over = wait_for(
            lambda: [p for p in published() if p["beat"] == second.pid], "the second beat to take over", 60
        )
        takeover_seconds = taken_over[0]["at"] - killed_at
        time.sleep(4)  # the second beat alone
    finally:
        for process in (first, second):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        log = published()
        locks.delete(*locks.keys(prefix + "*") or ["-"])
        broker.delete(*broker.keys(f"*{prefix}*") or ["-"])

    before = [p for p in log if p["at"] < killed_at]
    after = [p for p in log if p["at"] >= killed_at]
    assert {p["beat"] for p in before} == {first.pid}, "only the first beat queued while it ran"
    assert {p["beat"] for p in after} == {second.pid}, "only the second beat queued once the first died"
    assert takeover_seconds < LOCK_TIMEOUT + 15, takeover_seconds
    for name, every in SCHEDULE.items():
        task = settings.CELERY_BEAT_SCHEDULE[name]["task"]
        times = sorted(p["at"] for p in log if p["task"] == task)
        gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
        assert len(times) >= 4, (task, times)
        # Once per tick: never two messages of a task closer than most of its interval, handover included.
        assert min(gaps) > 0.6 * every, (task, gaps)
    print(f"beat handover: {takeover_seconds:.1f} s after the SIGKILL (lock timeout {LOCK_TIMEOUT} s)")
