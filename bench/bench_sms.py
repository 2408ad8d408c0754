#!/usr/bin/env python
"""10,000 SMS reminders through the outbox, sent by two workers at once with the Brevo backend to a
local fake of Brevo's API: throughput, duplicates (none), queries.

    .venv/bin/python bench/bench_sms.py              # PostgreSQL declics_bench_sms unless DATABASE_URL
    .venv/bin/python bench/bench_sms.py --count 2000 --senders 1 --batch-size 500 --delay 0.005

What it does:
1. starts the fake provider (tests/notifications/fake_brevo.py) in its own process on 127.0.0.1:
   it answers 201 to each POST like Brevo, after `--delay` seconds (a provider's latency), and
   counts the SMS each number received; the backend is pointed at it (SMS_BACKEND=brevo,
   SMS_API_URL, a dummy BREVO_API_KEY);
2. migrates the database (PostgreSQL by default, created if missing), removes the previous run's
   rows and queues `--count` reminders with `queue_sms` under reminder keys
   (`workshop-reminder:24h:booking:<n>:sms`, kind "workshop-reminder", one number each), as the
   reminders' routing does for a person who chose SMS;
3. starts `--senders` worker processes and, once all are ready, lets them go at once, each
   running `send_due_messages` (what the Celery task `send_due_notifications` runs: batches
   claimed with SKIP LOCKED, one HTTP session per batch), counting its SQL queries;
4. reports SMS/s (from the first sender's start to the last one's end), the queries, and from the
   fake provider: received, distinct numbers, numbers that got more than one SMS.

Exit status 1 when an SMS was lost or sent twice.
"""

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declics.settings")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/declics_bench_sms"
KEY = "workshop-reminder:24h:booking:{n}:sms"


def serve_provider(pipe, delay: float) -> None:
    """The fake provider's own process, so that it never competes with a sender for the GIL."""
    from tests.notifications.fake_brevo import FakeBrevo

    provider = FakeBrevo(delay=delay, record=False)
    pipe.send(provider.url)
    provider.serve_forever()


def start_provider(delay: float) -> tuple[multiprocessing.Process, str]:
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve_provider, args=(child, delay), daemon=True)
    process.start()
    return process, parent.recv()


def provider_stats(url: str) -> dict:
    stats_url = url.split("/v3/")[0] + "/stats"
    with urllib.request.urlopen(stats_url, timeout=10) as response:  # noqa: S310 - our own 127.0.0.1 server
        return json.load(response)


def ensure_database(url: str) -> None:
    if not url.startswith(("postgres://", "postgresql://")):
        return
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def queue_reminders(count: int) -> None:
    from django.db import transaction

    from declics.notifications.models import OutboxMessage, SmsOptOut
    from declics.notifications.services import queue_sms

    OutboxMessage.objects.all().delete()
    SmsOptOut.objects.all().delete()
    text = (
        "DeClics : votre atelier « Réussir son entretien d'embauche » est demain à 14h30. "
        "Le lien est dans votre espace."
    )
    for start in range(0, count, 1000):
        with transaction.atomic():
            for n in range(start, min(start + 1000, count)):
                queue_sms(
                    key=KEY.format(n=n),
                    to=f"+336{10_000_000 + n}",
                    text=text,
                    kind="workshop-reminder",
                )


def run_sender(batch_size: int, folder: Path) -> None:
    """One worker (a child process): once every sender is ready, send what is due, and write what
    it did as JSON in `folder` (its output goes nowhere: a pipe nobody reads would block it)."""
    import django

    django.setup()
    from django.db import connection

    from declics.notifications.services import send_due_messages

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    connection.ensure_connection()
    (folder / f"ready-{os.getpid()}").touch()
    while not (folder / "go").exists():  # every sender starts at once, after Django's start-up
        time.sleep(0.01)
    started = time.time()
    with connection.execute_wrapper(count):
        sent = send_due_messages(batch_size=batch_size)
    result = {"sent": sent, "queries": queries, "started": started, "ended": time.time()}
    (folder / f"result-{os.getpid()}.json").write_text(json.dumps(result))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument(
        "--delay", type=float, default=0.0, help="the fake provider's latency, seconds per SMS"
    )
    parser.add_argument("--sender", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.sender:  # a child process: the settings come from the inherited environment
        run_sender(args.batch_size, args.sender)
        return 0

    provider_process, url = start_provider(args.delay)
    os.environ.update(
        SMS_BACKEND="brevo",
        SMS_API_URL=url,
        BREVO_API_KEY="bench-key",
        NOTIFICATIONS_KICK_ON_QUEUE="false",
    )
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from declics.notifications.models import OutboxMessage

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; fake provider at {url}")
    started = time.perf_counter()
    queue_reminders(args.count)
    due = OutboxMessage.objects.due().count()
    print(
        f"set-up: {args.count} SMS reminders queued in {time.perf_counter() - started:.1f} s; {due} due now"
    )
    connection.close()

    folder = Path(tempfile.mkdtemp(prefix="bench-sms-"))
    command = [sys.executable, __file__, "--sender", str(folder), "--batch-size", str(args.batch_size)]
    senders = [subprocess.Popen(command, stdout=subprocess.DEVNULL) for _ in range(args.senders)]
    while len(list(folder.glob("ready-*"))) < args.senders:
        time.sleep(0.05)
    (folder / "go").touch()
    for sender in senders:
        sender.wait()
    results = [json.loads(path.read_text()) for path in sorted(folder.glob("result-*.json"))]
    shutil.rmtree(folder)
    elapsed = max(r["ended"] for r in results) - min(r["started"] for r in results)
    time.sleep(0.2)  # the provider's last handler

    stats = provider_stats(url)
    sent = sum(r["sent"] for r in results)
    queries = sum(r["queries"] for r in results)
    rows_sent = OutboxMessage.objects.filter(status="sent").count()
    still_pending = OutboxMessage.objects.filter(status="pending").count()
    print(
        f"sent: {sent} SMS by {args.senders} senders ({', '.join(str(r['sent']) for r in results)}) "
        f"in {elapsed:.2f} s: {sent / elapsed:.0f} SMS/s; batch size {args.batch_size}, "
        f"provider latency {args.delay * 1000:.0f} ms"
    )
    first = min(r["started"] for r in results)
    print(
        "senders: "
        + "; ".join(
            f"{r['sent']} sent from {r['started'] - first:.2f} s to {r['ended'] - first:.2f} s"
            for r in results
        )
    )
    print(
        f"queries: {queries} in all ({queries / max(sent, 1):.2f} per SMS); "
        f"HTTP connections to the provider: {stats['connections']}"
    )
    print(
        f"provider: received {stats['received']}, distinct numbers {stats['distinct']}, "
        f"numbers that got more than one SMS {stats['twice_or_more']}"
    )
    print(f"database: marked sent {rows_sent}; still pending {still_pending}")
    status = 0
    if stats["twice_or_more"] or stats["received"] != stats["distinct"]:
        print("DUPLICATES")
        status = 1
    if stats["distinct"] != due or rows_sent != due or still_pending:
        print(f"LOST: {due - stats['distinct']} SMS never reached the provider")
        status = 1
    provider_process.terminate()
    return status


if __name__ == "__main__":
    sys.exit(main())
