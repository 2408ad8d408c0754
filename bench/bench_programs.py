#!/usr/bin/env python
"""Programs at scale: the calendar task and the nudges over a 10,000-person session.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/declics_prog_bench \
        .venv/bin/python bench/bench_programs.py [--enrolments 10000]

Measures, on a fresh session (created in bulk, then removed):
- `advance (first run)`: the session starts and its first two steps open → one notice per person
  and event, rendered once and inserted in bulk into the outbox (3 × N rows);
- `advance (second run)`: the same run again, which must queue nothing (idempotence);
- `nudges`: N days later, one nudge per person and open step (2 × N rows), then again (0 rows).
The pathway page itself is measured by `bench/run.py --only pathway` (scenario in bench/scenarios.py,
whose setup is `pathway_setup` below: the bench user in a session of 10,000 people).
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declics.settings")

BENCH_DOMAIN = "bench.declics.example"
PATHWAY_SLUG = "bench-programs"


def _session(*, slug: str, enrolments: int, start_days_ago: float):
    """A running-ready session of `enrolments` active people, built with bulk inserts."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from declics.accounts.models import Role, User
    from programs import demo
    from programs.models import Enrolment, EnrolmentStatus, Session, SessionStatus, SessionStep, Step

    communes = demo._territories()
    commune = communes["09182"]
    now = timezone.now()
    start = now - timedelta(days=start_days_ago)
    session = Session.objects.create(
        slug=slug,
        title=f"Bench {slug}",
        region_id="76",
        capacity=enrolments + 10,
        registration_opens_at=start - timedelta(days=20),
        registration_closes_at=start + timedelta(days=10),
        starts_at=start,
        ends_at=start + timedelta(days=30),
        survey_at=start + timedelta(days=30),
        status=SessionStatus.REGISTRATION_OPEN,
        published_at=start - timedelta(days=21),
        nudge_after_days=3,
    )
    session.departements.set(["09"])
    SessionStep.objects.bulk_create(
        [
            SessionStep(
                session=session, step=step.value, opens_at=start + timedelta(days=[0, 1, 10, 12, 14, 16][i])
            )
            for i, step in enumerate(Step)
        ]
    )
    password = make_password(None)
    User.objects.bulk_create(
        [
            User(email=f"{slug}-{n:05d}@{BENCH_DOMAIN}", role=Role.JOB_SEEKER, password=password)
            for n in range(enrolments)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    users = User.objects.filter(email__startswith=f"{slug}-", email__endswith=f"@{BENCH_DOMAIN}")
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                session=session,
                job_seeker_id=user_id,
                status=EnrolmentStatus.ACTIVE,
                commune=commune,
                eligibility={"eligible": True, "basis": "frr", "bench": True},
            )
            for user_id in users.values_list("pk", flat=True)
        ],
        batch_size=2000,
    )
    Enrolment.objects.filter(session=session).update(created_at=start - timedelta(days=5))
    return session


def pathway_setup() -> dict[str, str]:
    """The bench job seeker in a running session of 10,000 people, two steps done (idempotent)."""
    from django.utils import timezone

    from bench.scenarios import login_headers
    from declics.accounts.models import Role, User
    from programs import services
    from programs.models import Enrolment, Session, Step

    user, _ = User.objects.get_or_create(
        email="bench-pathway@declics.example", defaults={"first_name": "Camille", "role": Role.JOB_SEEKER}
    )
    session = Session.objects.filter(slug=PATHWAY_SLUG).first()
    if session is None:
        session = _session(slug=PATHWAY_SLUG, enrolments=10_000, start_days_ago=3)
        services.advance_session(session=session, now=timezone.now())
    enrolment = Enrolment.objects.filter(session=session, job_seeker=user).first()
    if enrolment is None:
        enrolment = Enrolment.objects.create(
            session=session,
            job_seeker=user,
            commune=Enrolment.objects.filter(session=session).first().commune,
            eligibility={"eligible": True, "basis": "frr", "bench": True},
        )
        for step in (Step.ROLE_MODELS, Step.ASSESSMENT):
            services.complete_step(enrolment=enrolment, step=step)
    return login_headers(user)


WORKSHOP_COUNT = 77  # as many as a national session of 7,693 people lists (bench/national.py)


def workshop_list_setup() -> dict[str, str]:
    """The pathway's bench job seeker with 77 upcoming workshops of 100 seats, one booked (idempotent)."""
    from datetime import timedelta

    from django.utils import timezone

    from programs.bookings.services import recount_seats
    from programs.models import Enrolment, Session
    from programs.workshops.kind import WORKSHOPS
    from programs.workshops.models import Workshop, WorkshopBooking, WorkshopBookingStatus

    headers = pathway_setup()
    session = Session.objects.get(slug=PATHWAY_SLUG)
    starts_at = timezone.now() + timedelta(days=1)
    missing = WORKSHOP_COUNT - Workshop.objects.upcoming().filter(session=session).count()
    Workshop.objects.bulk_create(
        Workshop(
            session=session,
            title=f"Réussir son entretien {n + 1}",
            topic="interview",
            description="On s'entraîne en petit groupe.",
            starts_at=starts_at + timedelta(hours=n),
            seats=100,
            video_url=f"https://visio.example.org/bench-{n}",
        )
        for n in range(max(missing, 0))
    )
    enrolment = Enrolment.objects.get(session=session, job_seeker__email="bench-pathway@declics.example")
    if not enrolment.job_seeker.workshop_bookings.filter(workshop__starts_at__gt=timezone.now()).exists():
        # Written directly, as bench/national.py does: step 4 of this session opens later.
        workshop = Workshop.objects.upcoming().filter(session=session).order_by("starts_at").first()
        WorkshopBooking.objects.create(
            workshop=workshop,
            enrolment=enrolment,
            job_seeker=enrolment.job_seeker,
            status=WorkshopBookingStatus.CONFIRMED,
            confirmed_at=timezone.now(),
        )
        recount_seats(WORKSHOPS, Workshop.objects.filter(pk=workshop.pk))
    return headers


def _timed(label, func):
    started = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - started
    print(f"{label:<28} {elapsed:8.2f} s   {result}")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--enrolments", type=int, default=10_000)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from declics.accounts.models import User
    from declics.notifications.models import OutboxMessage
    from programs import services
    from programs.models import Session

    settings.NOTIFICATIONS_KICK_ON_QUEUE = False  # measure the queueing, not a broker round-trip
    call_command("migrate", verbosity=0)
    print(
        f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}, {args.enrolments} enrolments"
    )
    slug = "bench-calendar"
    Session.objects.filter(slug=slug).delete()
    OutboxMessage.objects.filter(dedup_key__startswith="programs:").delete()
    User.objects.filter(email__startswith=f"{slug}-").delete()

    session = _timed(
        "create (bulk, set-up)",
        lambda: _session(slug=slug, enrolments=args.enrolments, start_days_ago=1.5).pk,
    )
    now = timezone.now()
    _timed("advance (first run)", lambda: services.advance_due_sessions(now=now))
    rows = OutboxMessage.objects.filter(dedup_key__startswith="programs:").count()
    print(f"{'outbox rows queued':<28} {rows:>8}")
    _timed("advance (second run)", lambda: services.advance_due_sessions(now=now))
    assert OutboxMessage.objects.filter(dedup_key__startswith="programs:").count() == rows, "not idempotent"
    later = now + timedelta(days=3)
    _timed("nudges (first run)", lambda: services.send_nudges(now=later))
    _timed("nudges (second run)", lambda: services.send_nudges(now=later))
    with open(os.devnull, "w") as devnull:
        _timed("show_calendar", lambda: call_command("show_calendar", "--session", slug, stdout=devnull))

    Session.objects.filter(pk=session).delete()
    OutboxMessage.objects.filter(dedup_key__startswith="programs:").delete()
    User.objects.filter(email__startswith=f"{slug}-").delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
