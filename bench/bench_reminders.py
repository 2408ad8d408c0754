#!/usr/bin/env python
"""10,000 due workshop reminders sent by one worker to a local SMTP sink: time, and none twice.

    .venv/bin/python bench/bench_reminders.py        # PostgreSQL declics_bench_reminders unless DATABASE_URL
    .venv/bin/python bench/bench_reminders.py --count 2000 --batch-size 500
    .venv/bin/python bench/bench_reminders.py --kill-after 3      # kill the worker mid-way, then a second one

What it does:
1. starts a minimal SMTP server on 127.0.0.1 (its own process; it accepts everything and
   counts messages by their `X-DeClics-Key` header) and points EMAIL_URL at it;
2. migrates the database (PostgreSQL by default, created if missing; any DATABASE_URL works), and
   replaces the previous run's data with one session, 100 workshops and `--count` confirmed bookings;
3. queues the reminders that are due exactly as the periodic task does
   (`programs.bookings.services.send_due_reminders`: worded now, rendered, unique keys, each
   booking stamped), the bookings having been made 30 hours before a start 12 hours away: the 24 h
   reminders are due now, the 1 h ones not yet (they are queued when due, not in advance);
4. times one worker, `declics.notifications.services.send_due_messages` (what the Celery task
   `send_due_notifications` runs): claims batches under a lease, one SMTP connection per batch;
5. reports messages/s, and from the sink: received, distinct keys, keys received more than once;
   from the database: reminders marked sent, still due, and the 1 h ones untouched.

With `--kill-after S`, the first worker runs in a child process killed (SIGKILL) after S seconds;
the claim lease is shortened to 5 s, and a second worker sends the rest. A killed worker may
re-send at most the message it was on when it died (sent, not yet marked): the report shows it.

Exit status 1 when a message was lost, or sent twice without a kill; 2 over the one-minute budget.
"""

import argparse
import json
import multiprocessing
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections import Counter
from email.parser import BytesHeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declics.settings")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/declics_bench_reminders"
BUDGET_SECONDS = 60.0
DOMAIN = "bench.declics.example"
WORKSHOPS = 100


# --- the SMTP sink -----------------------------------------------------------------------------


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), SinkHandler)
        self.keys: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.connections = 0

    def record(self, data: bytes) -> None:
        key = BytesHeaderParser().parsebytes(data).get("X-DeClics-Key", "")
        with self.lock:
            self.keys[key] += 1


class SinkHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    def reply(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        with self.server.lock:
            self.server.connections += 1
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            command = line[:4].upper()
            if command == b"EHLO":
                self.wfile.write(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif command == b"DATA":
                self.reply("354 go ahead")
                chunks = []
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    chunks.append(chunk)
                self.server.record(b"".join(chunks))
                self.reply("250 queued")
            elif command == b"XSTA":  # the bench's own command: the counts so far, as JSON
                with self.server.lock:
                    stats = {"keys": dict(self.server.keys), "connections": self.server.connections - 1}
                self.reply("250 " + json.dumps(stats))
            elif command == b"QUIT":
                self.reply("221 bye")
                return
            elif command in (b"HELO", b"MAIL", b"RCPT", b"RSET", b"NOOP"):
                self.reply("250 OK")
            else:
                self.reply("502 not implemented")


def serve_sink(pipe) -> None:
    """The sink's own process, so that it never competes with the worker for the GIL."""
    sink = Sink()
    pipe.send(sink.server_address[1])
    sink.serve_forever()


def start_sink() -> tuple[multiprocessing.Process, int]:
    parent, child = multiprocessing.Pipe()
    process = multiprocessing.Process(target=serve_sink, args=(child,), daemon=True)
    process.start()
    return process, parent.recv()


def sink_stats(port: int) -> tuple[Counter, int]:
    with socket.create_connection(("127.0.0.1", port)) as connection:
        stream = connection.makefile("rwb")
        stream.readline()
        stream.write(b"XSTA\r\n")
        stream.flush()
        stats = json.loads(stream.readline()[4:])
        stream.write(b"QUIT\r\n")
        stream.flush()
    return Counter(stats["keys"]), stats["connections"]


# --- set-up --------------------------------------------------------------------------------------


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


def make_data(count: int):
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from declics.accounts.models import Role, User
    from declics.notifications.models import OutboxMessage
    from declics.territories.models import Commune, Departement, Region
    from programs.models import Enrolment, Session, SessionStatus
    from programs.workshops.models import Workshop, WorkshopBooking, WorkshopBookingStatus

    OutboxMessage.objects.all().delete()
    Session.objects.filter(slug="bench-reminders").delete()
    User.objects.filter(email__endswith=f"@{DOMAIN}").delete()
    region, _ = Region.objects.get_or_create(code="76", defaults={"name": "Occitanie"})
    departement, _ = Departement.objects.get_or_create(
        code="34", defaults={"name": "Hérault", "region": region}
    )
    commune, _ = Commune.objects.get_or_create(
        code="34172",
        kind=Commune.Kind.CURRENT,
        defaults={
            "name": "Montpellier",
            "search_name": "montpellier",
            "postal_codes": "34000",
            "departement": departement,
        },
    )
    now = timezone.now()
    session = Session.objects.create(
        title="Bench reminders",
        slug="bench-reminders",
        region=region,
        status=SessionStatus.RUNNING,
        capacity=count,
        registration_opens_at=now - timedelta(days=30),
        registration_closes_at=now - timedelta(days=1),
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=20),
        survey_at=now + timedelta(days=20),
        published_at=now - timedelta(days=31),
    )
    starts_at = now + timedelta(hours=12)
    per_workshop = -(-count // WORKSHOPS)
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                session=session,
                title=f"Réussir son entretien {n}",
                topic="interview",
                description="On s'entraîne en petit groupe.",
                starts_at=starts_at + timedelta(minutes=n),
                seats=per_workshop,
                video_url=f"https://visio.example.org/bench-{n}",
            )
            for n in range(WORKSHOPS)
        ]
    )
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"p{n:05d}@{DOMAIN}",
                first_name="Bench",
                last_name=str(n),
                role=Role.JOB_SEEKER,
                password=password,
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    users = list(User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("email"))
    Enrolment.objects.bulk_create(
        [
            Enrolment(session=session, job_seeker=user, commune=commune, eligibility={"bench": True})
            for user in users
        ],
        batch_size=2000,
    )
    enrolments = list(Enrolment.objects.filter(session=session).order_by("job_seeker__email"))
    WorkshopBooking.objects.bulk_create(
        [
            WorkshopBooking(
                workshop=workshops[n % WORKSHOPS],
                enrolment=enrolment,
                job_seeker_id=enrolment.job_seeker_id,
                status=WorkshopBookingStatus.CONFIRMED,
                booked_at=starts_at - timedelta(hours=30),
                confirmed_at=starts_at - timedelta(hours=30),
            )
            for n, enrolment in enumerate(enrolments)
        ],
        batch_size=2000,
    )
    from programs.bookings.services import recount_seats
    from programs.workshops.kind import WORKSHOPS as KIND

    recount_seats(KIND, Workshop.objects.filter(session=session))


def queue_all_reminders() -> int:
    from programs.bookings.services import send_due_reminders

    return send_due_reminders()


def run_worker(batch_size: int) -> int:
    from declics.notifications.services import send_due_messages

    return send_due_messages(batch_size=batch_size)


# --- main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument(
        "--kill-after", type=float, default=None, help="kill the first worker after S seconds"
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:  # the child process of --kill-after: EMAIL_URL and DATABASE_URL are inherited
        import django

        django.setup()
        run_worker(args.batch_size)
        return 0

    sink_process, port = start_sink()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{port}"
    os.environ["NOTIFICATIONS_KICK_ON_QUEUE"] = "false"
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    if args.kill_after is not None:
        os.environ["NOTIFICATIONS_CLAIM_LEASE"] = "5"
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from declics.notifications.models import OutboxMessage

    call_command("migrate", verbosity=0)
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"SMTP sink on {os.environ['EMAIL_URL']}"
    )
    started = time.perf_counter()
    make_data(args.count)
    data_seconds = time.perf_counter() - started
    started = time.perf_counter()
    queued = queue_all_reminders()
    queue_seconds = time.perf_counter() - started
    due = OutboxMessage.objects.due().count()
    print(
        f"set-up: {args.count} bookings in {data_seconds:.1f} s; "
        f"{queued} reminders queued in {queue_seconds:.1f} s; {due} due now"
    )

    started = time.perf_counter()
    killed_at = None
    if args.kill_after is not None:
        child = subprocess.Popen([sys.executable, __file__, "--worker", "--batch-size", str(args.batch_size)])
        try:
            child.wait(timeout=args.kill_after)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            killed_at = time.perf_counter() - started
            so_far = sum(sink_stats(port)[0].values())
            print(f"worker 1 killed after {killed_at:.1f} s, {so_far} messages received so far")
            time.sleep(5.5)  # the claim lease of the rows it held
    run_worker(args.batch_size)
    elapsed = time.perf_counter() - started
    time.sleep(0.2)  # let the sink's last handler record

    keys, connections = sink_stats(port)
    received = sum(keys.values())
    distinct = len(keys)
    twice = {key: n for key, n in keys.items() if n > 1}
    sent_rows = OutboxMessage.objects.filter(status="sent", dedup_key__contains=":24h:").count()
    still_due = OutboxMessage.objects.due(timezone.now()).count()
    one_hour_pending = OutboxMessage.objects.filter(dedup_key__contains=":1h:").count()
    print(
        f"sent: {received} messages in {elapsed:.2f} s ({received / elapsed:.0f}/s) over {connections} "
        f"SMTP connections, batch size {args.batch_size}"
    )
    print(
        f"distinct keys received: {distinct}; keys received more than once: {len(twice)} {sorted(twice)[:5]}"
    )
    print(
        f"database: 24 h reminders marked sent {sent_rows}; still due {still_due}; "
        f"1 h reminders queued before their time {one_hour_pending}"
    )
    lost = due - distinct
    status = 0
    if one_hour_pending:
        print("1 h reminders were queued before they were due")
        status = 1
    if lost or still_due:
        print(f"LOST: {lost} due messages never reached the sink")
        status = 1
    if twice and killed_at is None:
        print("DUPLICATES without a crash")
        status = 1
    if elapsed > BUDGET_SECONDS:
        print(f"over budget: {elapsed:.1f} s > {BUDGET_SECONDS:.0f} s")
        status = status or 2
    else:
        print(f"within budget: {elapsed:.1f} s < {BUDGET_SECONDS:.0f} s")
    sink_process.terminate()
    return status


if __name__ == "__main__":
    sys.exit(main())
