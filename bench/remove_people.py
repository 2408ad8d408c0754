#!/usr/bin/env python
"""Staff remove 500 people from a 10,000-person session in one action: time and queries per person.

    .venv/bin/python bench/remove_people.py     # PostgreSQL declics_bench_lifecycle unless DATABASE_URL
    .venv/bin/python bench/remove_people.py --people 10000 --remove 500 --waiting 500

What it does:
1. migrates the database (PostgreSQL by default, created if missing; any DATABASE_URL works) and
   replaces the previous run's data with one running session of `--people` active enrolments (its
   capacity) and `--waiting` more on its waiting list; every active person holds a confirmed seat
   in one of the session's upcoming workshops (100 seats each), with its two reminders queued in
   the outbox as the application queues them;
2. times `programs.services.remove_enrolments` — what the staff's "remove these people" action
   runs — on the first `--remove` people: each goes through `remove_enrolment` in its own
   transaction (session and enrolment locked, every step's holdings released: the seat cancelled
   and its reminders cancelled, the person told once with the reason, the figures made stale, the
   next person waiting promoted and told);
3. counts every SQL query of the action (a `connection.execute_wrapper` counter) and reports
   the wall time, the time and queries per person, and checks the result: `--remove` people removed, as many
   promoted, the session never over capacity, one removal notice and one promotion notice each.

Exit status 1 when the result is wrong.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declics.settings")
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/declics_bench_lifecycle"
DOMAIN = "bench-lifecycle.declics.example"
SLUG = "bench-lifecycle"
SEATS_PER_WORKSHOP = 100


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


def make_data(*, people: int, waiting: int):
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from declics.accounts.models import Role, User
    from declics.notifications.models import OutboxMessage
    from declics.territories.models import Commune, Departement, Region
    from programs.bookings import notifications as booking_notifications
    from programs.bookings.services import recount_seats
    from programs.models import Enrolment, EnrolmentStatus, Session, SessionStatus
    from programs.workshops.kind import WORKSHOPS as KIND
    from programs.workshops.models import Workshop, WorkshopBooking, WorkshopBookingStatus

    OutboxMessage.objects.all().delete()
    Session.objects.filter(slug=SLUG).delete()
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
        title="Bench lifecycle",
        slug=SLUG,
        region=region,
        status=SessionStatus.RUNNING,
        capacity=people,
        registration_opens_at=now - timedelta(days=30),
        registration_closes_at=now + timedelta(days=1),
        starts_at=now - timedelta(days=10),
        ends_at=now + timedelta(days=20),
        survey_at=now + timedelta(days=20),
        published_at=now - timedelta(days=31),
    )
    session.departements.set([departement])
    starts_at = now + timedelta(days=3)
    count = -(-people // SEATS_PER_WORKSHOP)
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                session=session,
                title=f"Réussir son entretien {n}",
                topic="interview",
                description="On s'entraîne en petit groupe.",
                starts_at=starts_at + timedelta(minutes=n),
                seats=SEATS_PER_WORKSHOP,
                video_url=f"https://visio.example.org/bench-{n}",
            )
            for n in range(count)
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
            for n in range(people + waiting)
        ],
        batch_size=2000,
    )
    users = list(User.objects.filter(email__endswith=f"@{DOMAIN}").order_by("email"))
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                session=session,
                job_seeker=user,
                commune=commune,
                eligibility={"bench": True},
                status=EnrolmentStatus.ACTIVE if n < people else EnrolmentStatus.WAITING,
            )
            for n, user in enumerate(users)
        ],
        batch_size=2000,
    )
    # `created_at` is the waiting list's order: the order of the e-mails.
    enrolments = list(session.enrolments.active().select_related("job_seeker").order_by("job_seeker__email"))
    bookings = WorkshopBooking.objects.bulk_create(
        [
            WorkshopBooking(
                workshop=workshops[n // SEATS_PER_WORKSHOP],
                enrolment=enrolment,
                job_seeker_id=enrolment.job_seeker_id,
                status=WorkshopBookingStatus.CONFIRMED,
                booked_at=now - timedelta(days=1),
                confirmed_at=now - timedelta(days=1),
            )
            for n, enrolment in enumerate(enrolments)
        ],
        batch_size=2000,
    )
    recount_seats(KIND, Workshop.objects.filter(pk__in=[workshop.pk for workshop in workshops]))
    # Each seat's two reminders queued and not sent yet (as while the outbox waits for the morning),
    # under the keys the booking engine uses: the first one rendered by the engine itself, the others
    # copied from it (rendering 20,000 e-mails would take minutes).
    by_workshop = {workshop.pk: workshop for workshop in workshops}
    with transaction.atomic():
        first = bookings[0]
        first.workshop = by_workshop[first.workshop_id]
        first.job_seeker = enrolments[0].job_seeker
        for name in ("24h", "1h"):
            booking_notifications.reminder(KIND, first, name=name, now=now)
    models = list(
        OutboxMessage.objects.filter(dedup_key__startswith=f"workshop-reminder:booking:{first.pk}:")
    )
    rows = []
    for booking, enrolment in zip(bookings[1:], enrolments[1:], strict=True):
        for model in models:
            rows.append(
                OutboxMessage(
                    dedup_key=model.dedup_key.replace(f":booking:{first.pk}:", f":booking:{booking.pk}:"),
                    user_id=enrolment.job_seeker_id,
                    to_email=enrolment.job_seeker.email,
                    subject=model.subject,
                    body_text=model.body_text,
                    body_html=model.body_html,
                    send_after=model.send_after,
                )
            )
    OutboxMessage.objects.bulk_create(rows, batch_size=2000)
    return session, enrolments


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="active people of the session (10,000)")
    parser.add_argument("--waiting", type=int, default=500, help="people on its waiting list (500)")
    parser.add_argument("--remove", type=int, default=500, help="people removed in one action (500)")
    args = parser.parse_args()
    os.environ["NOTIFICATIONS_KICK_ON_QUEUE"] = "false"
    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from declics.accounts.models import Role, User
    from declics.notifications.models import OutboxMessage
    from programs import services
    from programs.models import Enrolment, EnrolmentStatus

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    started = time.perf_counter()
    session, enrolments = make_data(people=args.people, waiting=args.waiting)
    seconds = time.perf_counter() - started
    print(f"data: {args.people:,} active + {args.waiting:,} waiting, one seat each ({seconds:.1f} s)")
    staff, _ = User.objects.get_or_create(
        email=f"staff@{DOMAIN}", defaults={"role": Role.STAFF, "first_name": "Équipe"}
    )
    chosen = enrolments[: args.remove]

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    # What the bulk removal's task runs (`run_bulk_removal` → `remove_enrolments`), timed in-process.
    with connection.execute_wrapper(count):
        started = time.perf_counter()
        removed = services.remove_enrolments(
            session=session, enrolments=chosen, by=staff, reason="Aucune activité depuis la rentrée."
        )
        seconds = time.perf_counter() - started

    per_person = seconds / max(removed, 1)
    load = os.getloadavg()[0]
    print(
        f"removed {removed} people in {seconds:.2f} s: {per_person * 1000:.1f} ms and "
        f"{queries / max(removed, 1):.1f} queries per person ({queries:,} queries; load average {load:.1f})"
    )
    removed_rows = Enrolment.objects.filter(session=session, status=EnrolmentStatus.REMOVED).count()
    active = session.enrolments.active().count()
    promoted = Enrolment.objects.filter(session=session, promoted_at__isnull=False).count()
    removal_notices = OutboxMessage.objects.filter(dedup_key__startswith="programs:removed:").count()
    promotion_notices = OutboxMessage.objects.filter(dedup_key__startswith="programs:promoted:").count()
    cancelled_reminders = OutboxMessage.objects.filter(
        dedup_key__startswith="workshop-reminder:", status=OutboxMessage.Status.CANCELLED
    ).count()
    print(
        f"check: {removed_rows} removed, {promoted} promoted, {active:,} active for {session.capacity:,} "
        f"places; notices: {removal_notices} removal, {promotion_notices} promotion; "
        f"{cancelled_reminders} reminders cancelled"
    )
    expected = min(args.remove, args.people)
    ok = (
        removed == removed_rows == removal_notices == expected
        and promoted == promotion_notices == min(expected, args.waiting)
        and active <= session.capacity
        and cancelled_reminders == 2 * expected
    )
    print("result: ok" if ok else "result: WRONG")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
