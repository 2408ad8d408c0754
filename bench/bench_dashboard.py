#!/usr/bin/env python
"""Adviser dashboards and the impact page at scale: the data the scenarios of bench/scenarios.py need.

The pages are measured by `bench/run.py` like every other page:

    .venv/bin/python bench/run.py --only adviser-dashboard-600 adviser-dashboard-10k
    .venv/bin/python bench/run.py --only impact-100k --requests 100 --warmup 10 --rounds 2

(the impact page aggregates 100,000 enrolments per request: 2,000 requests would take minutes).
This module builds the data, idempotently and in bulk, into the benchmark database:

- `dashboard_setup(600)` / `dashboard_setup(10_000)`: a running session of that many people, all
  named the bench adviser and consenting to share, with step progress and last activity spread out;
  returns the adviser's session cookie;
- `impact_setup()`: 100,000 active enrolments over 10 closed sessions, with profiles, step progress
  and survey answers; returns a staff member's session cookie.

Run directly (`python bench/bench_dashboard.py`) it only builds the data and times each build.
Every build ends with ANALYZE, as autovacuum would after such a load.

What the runs measure: the dashboard's funnel, session figures and the order of its people are
cached a minute per adviser (or until the session's figures change) and the impact figures ten
minutes per scope, so after the first request these scenarios measure the cached path plus what
is always live (the dashboard's page of 25 rows, read by id). The cold
cost is what one request pays once per window: about 10 ms (600) and 90–100 ms (10,000) for the funnel,
about 0.5 s for the impact pass over 110,000 enrolments (2 cores, lightly loaded).
"""

import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "declics.settings")

BENCH_DOMAIN = "bench.declics.example"
ADVISER_EMAIL = "bench-adviser@declics.example"
STAFF_EMAIL = "bench-staff@declics.example"
IMPACT_SESSIONS = 10
IMPACT_PER_SESSION = 10_000
BATCH = 5000
BASIS = {"34172": "qpv", "31555": "qpv"}  # Montpellier and Toulouse people come from a QPV here
IMPACT_TERRITORIES = [("34", ["34172", "34142"]), ("31", ["31555"]), ("09", ["09122", "09182"])]


def _people(*, prefix: str, count: int, rng: random.Random) -> list[int]:
    """`count` job seekers `<prefix>-<n>@bench…` with profiles (bulk, idempotent); their ids."""
    from django.contrib.auth.hashers import make_password

    from declics.accounts.models import Role, User
    from programs.models import JobSeekerProfile

    password = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"{prefix}-{n:06d}@{BENCH_DOMAIN}",
                first_name=f"Personne {n}",
                last_name=prefix.title(),
                role=Role.JOB_SEEKER,
                password=password,
            )
            for n in range(count)
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    ids = list(
        User.objects.filter(email__startswith=f"{prefix}-", email__endswith=f"@{BENCH_DOMAIN}")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    genders = [JobSeekerProfile.Gender.WOMAN] * 7 + [JobSeekerProfile.Gender.MAN] * 3
    JobSeekerProfile.objects.bulk_create(
        [
            JobSeekerProfile(
                user_id=pk,
                birth_year=rng.randint(1965, 2004),
                gender=rng.choice(genders),
                rqth=rng.random() < 0.15,
            )
            for pk in ids
        ],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    return ids


def _session(*, slug: str, capacity: int, start, end, closed: bool, departement: str):
    from programs.models import Session, SessionStatus, SessionStep, Step

    session = Session.objects.create(
        slug=slug,
        title=f"Bench {slug}",
        region_id="76",
        capacity=capacity,
        registration_opens_at=start - timedelta(days=20),
        registration_closes_at=start,
        starts_at=start,
        ends_at=end,
        survey_at=end,
        status=SessionStatus.CLOSED if closed else SessionStatus.RUNNING,
        published_at=start - timedelta(days=21),
        registration_closed_at=start,
        survey_sent_at=end if closed else None,
    )
    session.departements.set([departement])
    span = (end - start) / 7
    SessionStep.objects.bulk_create(
        [
            SessionStep(
                session=session, step=step.value, opens_at=start + span * i, opened_at=start + span * i
            )
            for i, step in enumerate(Step)
        ]
    )
    return session


def _enrol(*, session, user_ids, communes, rng, adviser=None) -> list[int]:
    """Active enrolments with step progress (a realistic funnel) and spread-out last activity."""
    from programs.models import Enrolment, EnrolmentStatus, StepProgress

    start = session.starts_at
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                session=session,
                job_seeker_id=pk,
                status=EnrolmentStatus.ACTIVE,
                adviser=adviser,
                share_with_adviser=adviser is not None,
                commune=(commune := rng.choice(communes)),
                eligibility={
                    "eligible": True,
                    "basis": "qpv" if commune.code == "34172" else "frr",
                    "bench": True,
                },
                last_activity_at=start + timedelta(hours=rng.randint(0, 24 * 20)),
            )
            for pk in user_ids
        ],
        batch_size=BATCH,
    )
    enrolments = list(Enrolment.objects.filter(session=session).order_by("pk").values_list("pk", flat=True))
    progress = []
    for pk in enrolments:
        done = rng.choices(range(7), weights=[3, 5, 8, 12, 15, 22, 35])[0]
        progress.extend(
            StepProgress(enrolment_id=pk, step=n, completed_at=start + timedelta(days=3 * n))
            for n in range(1, done + 1)
        )
    StepProgress.objects.bulk_create(progress, batch_size=BATCH)
    return enrolments


def _communes():
    from programs import demo

    communes = demo._territories()
    return communes


def _adviser():
    from declics.accounts.models import Role, User
    from programs.models import AdviserMembership, Agency, AgencyKind

    adviser, created = User.objects.get_or_create(
        email=ADVISER_EMAIL, defaults={"first_name": "Claire", "last_name": "Banc", "role": Role.ADVISER}
    )
    agency, _created = Agency.objects.get_or_create(
        departement_id="34", name="France Travail Bench", defaults={"kind": AgencyKind.FRANCE_TRAVAIL}
    )
    AdviserMembership.objects.get_or_create(user=adviser, defaults={"agency": agency})
    return adviser


def dashboard_setup(size: int) -> dict[str, str]:
    """A running Hérault session of `size` people, all the bench adviser's (idempotent)."""
    from django.utils import timezone

    from bench.scenarios import login_headers
    from programs.models import Session

    communes = _communes()  # the territories first: the agency needs its département
    adviser = _adviser()
    slug = f"bench-adviser-{size}"
    if not Session.objects.filter(slug=slug).exists():
        rng = random.Random(slug)
        now = timezone.now()
        session = _session(
            slug=slug,
            capacity=size + 10,
            start=now - timedelta(days=20),
            end=now + timedelta(days=20),
            closed=False,
            departement="34",
        )
        people = _people(prefix=slug, count=size, rng=rng)
        _enrol(
            session=session,
            user_ids=people,
            communes=[communes["34172"], communes["34142"]],
            rng=rng,
            adviser=adviser,
        )
        analyze()
    return login_headers(adviser)


def impact_setup() -> dict[str, str]:
    """100,000 active enrolments over 10 closed sessions, with surveys (idempotent)."""
    from django.utils import timezone

    from bench.scenarios import login_headers
    from declics.accounts.models import Role, User
    from programs.models import ContractKind, Session, Situation, SurveyKind, SurveyResponse

    staff, created = User.objects.get_or_create(
        email=STAFF_EMAIL, defaults={"first_name": "Inès", "role": Role.STAFF, "is_staff": True}
    )
    communes = _communes()
    now = timezone.now()
    built = False
    for index in range(IMPACT_SESSIONS):
        slug = f"bench-impact-{index:02d}"
        if Session.objects.filter(slug=slug).exists():
            continue
        rng = random.Random(slug)
        departement, pool = [("34", ["34172", "34142"]), ("31", ["31555"]), ("09", ["09122", "09182"])][
            index % 3
        ]
        start = now - timedelta(days=400 + 30 * index)
        session = _session(
            slug=slug,
            capacity=IMPACT_PER_SESSION + 10,
            start=start,
            end=start + timedelta(days=14),
            closed=True,
            departement=departement,
        )
        people = _people(prefix=slug, count=IMPACT_PER_SESSION, rng=rng)
        enrolments = _enrol(session=session, user_ids=people, communes=[communes[c] for c in pool], rng=rng)
        surveys = []
        for pk in enrolments:
            if rng.random() < 0.7:
                surveys.append(
                    SurveyResponse(
                        enrolment_id=pk,
                        kind=SurveyKind.SATISFACTION,
                        sent_at=session.ends_at,
                        answered_at=session.ends_at + timedelta(days=2),
                        overall=rng.choices([5, 4, 3, 2, 1], weights=[46, 38, 10, 4, 2])[0],
                    )
                )
            for kind, days in ((SurveyKind.FOLLOW_UP_3, 91), (SurveyKind.FOLLOW_UP_6, 182)):
                if rng.random() < 0.5:
                    situation = rng.choice(Situation.values)
                    surveys.append(
                        SurveyResponse(
                            enrolment_id=pk,
                            kind=kind,
                            sent_at=session.ends_at + timedelta(days=days),
                            answered_at=session.ends_at + timedelta(days=days + 3),
                            situation=situation,
                            contract=ContractKind.CDI if situation == Situation.JOB else "",
                        )
                    )
        SurveyResponse.objects.bulk_create(surveys, batch_size=BATCH)
        built = True
    if built:
        analyze()
    return login_headers(staff)


def analyze() -> None:
    """Refresh the planner's statistics after the bulk loads, as autovacuum would in production:
    with stale ones PostgreSQL guesses 100 rows where there are 10,000 and picks nested loops."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    for label, build in (
        ("dashboard 600", lambda: dashboard_setup(600)),
        ("dashboard 10,000", lambda: dashboard_setup(10_000)),
        ("impact 100,000", impact_setup),
    ):
        started = time.perf_counter()
        build()
        print(f"{label:<20} {time.perf_counter() - started:8.2f} s")
    analyze()
    return 0


if __name__ == "__main__":
    sys.exit(main())
