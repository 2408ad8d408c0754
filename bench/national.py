#!/usr/bin/env python
"""National scale: 100,000 job seekers in thirteen regional sessions running at once, measured.

    .venv/bin/python bench/national.py                 # database declics_bench_national unless DATABASE_URL
    .venv/bin/python bench/national.py --people 20000   # a smaller country (the size is in the report)
    .venv/bin/python bench/national.py --only pages mixed
    .venv/bin/python bench/national.py --reset           # drop the database and load again

1. `load` (idempotent: a second run with the same --people reuses the data; another size asks for
   --reset): thirteen regional sessions (one per metropolitan région), running, steps 1-3 open
   and step 4 due today; the people in bulk (accounts, profiles, enrolments, a funnel of steps done
   1-3, 80 % sharing with their région's adviser); one workshop seat each, in workshops of 100
   starting in 12 hours, booked 30 hours ago (so 24 h reminders are due); an assessment result for
   those who did step 2; a mentor (300 mentors of 5 places per région) for those who did step 3;
   30 published offers per région. Ends with ANALYZE.
2. `pages`: every job-seeker and adviser page, one gunicorn worker pinned to one core as in
   `bench/run.py` (same server, same client), each against the bare view of the same run.
3. `mixed`: the job-seeker pages of 200 different people in turn, at 1, 2, 4 and 8 connections:
   the requests/s one web core sustains with p95 under 100 ms.
4. `calendar`: the calendar task (`services.advance_due_sessions`: step 4 opens in the thirteen
   sessions, one notice per person) and the nudges (`services.send_nudges`: steps 1-3 opened more
   than 3 days ago), each timed in this one process (wall and CPU), with the outbox rows they queue.
5. `reminders`: the booking engine queues the due reminders (`send_due_reminders`), then one worker
   sends them (`send_due_messages`, what the Celery task runs) to a counting mail backend that
   keeps nothing; throughput, and keys received more than once (must be 0).

Every phase resets what it changes first (outbox emptied, step 4 closed again, nudges and reminder
stamps cleared), so phases and runs can be repeated. Exit status 1 on a wrong answer or a duplicate.
"""

import argparse
import os
import random
import secrets
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.client import LoadResult, run_load, run_mix  # noqa: E402
from bench.run import cpu_plan, pin_self  # noqa: E402
from bench.server import (  # noqa: E402
    BenchError,
    Gunicorn,
    ensure_database,
    manage,
    server_environment,
    static_files_are_current,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/declics_bench_national"
STATIC_ROOT = ROOT / "var" / "bench" / "staticfiles"
DOMAIN = "national.bench.declics.example"
PHASES = ("load", "pages", "mixed", "calendar", "reminders")
BATCH = 5000
SEATS = 100  # per workshop
MENTORS_PER_REGION = 300
MENTOR_CAPACITY = 5
OFFERS_PER_REGION = 30
# (région, its name, a département, its name, a commune, its name, postal code): the 13 of mainland France.
REGIONS = [
    ("11", "Île-de-France", "93", "Seine-Saint-Denis", "93066", "Saint-Denis", "93200"),
    ("24", "Centre-Val de Loire", "45", "Loiret", "45234", "Orléans", "45000"),
    ("27", "Bourgogne-Franche-Comté", "21", "Côte-d'Or", "21231", "Dijon", "21000"),
    ("28", "Normandie", "76", "Seine-Maritime", "76540", "Rouen", "76000"),
    ("32", "Hauts-de-France", "59", "Nord", "59350", "Lille", "59000"),
    ("44", "Grand Est", "67", "Bas-Rhin", "67482", "Strasbourg", "67000"),
    ("52", "Pays de la Loire", "44", "Loire-Atlantique", "44109", "Nantes", "44000"),
    ("53", "Bretagne", "35", "Ille-et-Vilaine", "35238", "Rennes", "35000"),
    ("75", "Nouvelle-Aquitaine", "33", "Gironde", "33063", "Bordeaux", "33000"),
    ("76", "Occitanie", "34", "Hérault", "34172", "Montpellier", "34000"),
    ("84", "Auvergne-Rhône-Alpes", "69", "Rhône", "69123", "Lyon", "69001"),
    ("93", "Provence-Alpes-Côte d'Azur", "13", "Bouches-du-Rhône", "13055", "Marseille", "13001"),
    ("94", "Corse", "2A", "Corse-du-Sud", "2A004", "Ajaccio", "20000"),
]
FIRST_NAMES = [
    "Inès",
    "Camille",
    "Nadia",
    "Sarah",
    "Léa",
    "Fatou",
    "Julie",
    "Amina",
    "Chloé",
    "Yasmine",
    "Karim",
    "Thomas",
    "Hugo",
    "Ali",
    "Lucas",
    "Mehdi",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Benali",
    "Diallo",
    "Nguyen",
    "Traoré",
    "Haddad",
    "Mendy",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
]


def slug_of(region: str) -> str:
    return f"national-{region.lower()}"


# --- 1. load ---------------------------------------------------------------------------------------


def loaded_people() -> int:
    from programs.models import Enrolment

    return Enrolment.objects.filter(session__slug__startswith="national-").count()


def load(people: int, rng: random.Random) -> None:
    from django.db import connection

    from programs.models import Session

    sessions = Session.objects.filter(slug__startswith="national-").count()
    if sessions == len(REGIONS) and loaded_people() == people:
        print(f"load: reusing {people} people in {sessions} sessions")
        return
    if sessions:
        raise BenchError(
            f"the database holds another national data set ({loaded_people()} people): run with --reset"
        )
    started = time.perf_counter()
    questionnaire, snapshot = _questionnaire()
    sizes = [people // len(REGIONS) + (1 if i < people % len(REGIONS) else 0) for i in range(len(REGIONS))]
    for region, size in zip(REGIONS, sizes, strict=True):
        region_started = time.perf_counter()
        _load_region(region, size, rng=rng, questionnaire=questionnaire, snapshot=snapshot)
        print(f"  {region[1]:<28} {size:>7} people in {time.perf_counter() - region_started:6.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"load: {people} people in {len(REGIONS)} sessions in {time.perf_counter() - started:.0f} s")


def _questionnaire():
    """The questionnaire in service (loaded from its data files) and one real scored result of it."""
    from django.core.management import call_command

    from programs.assessment import scoring
    from programs.assessment.models import Questionnaire
    from programs.assessment.selectors import rules_for

    with open(os.devnull, "w") as quiet:
        call_command("load_assessment", stdout=quiet)
    questionnaire = Questionnaire.objects.filter(is_active=True).get()
    rules, questions = rules_for(questionnaire)
    answers = {question.key: max(question.choices, key=question.choices.get) for question in questions}
    snapshot = scoring.score(rules=rules, questions=questions, answers=answers)
    snapshot["version"] = questionnaire.version
    return questionnaire, snapshot


def _load_region(region, size: int, *, rng: random.Random, questionnaire, snapshot: dict) -> None:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from declics.accounts.models import Role, User
    from declics.territories.models import Commune, Departement, Region
    from jobs.offers.models import JobOffer
    from mentoring.models import MentorProfile, Mentorship
    from programs.assessment.models import AssessmentAttempt, AssessmentResult
    from programs.bookings.services import recount_seats
    from programs.models import (
        AdviserMembership,
        Agency,
        AgencyKind,
        Enrolment,
        EnrolmentStatus,
        JobSeekerProfile,
        Session,
        SessionStatus,
        SessionStep,
        Step,
        StepProgress,
    )
    from programs.workshops.kind import WORKSHOPS
    from programs.workshops.models import Workshop, WorkshopBooking, WorkshopBookingStatus

    code, name, departement_code, departement_name, commune_code, commune_name, postal_code = region
    region_row, _created = Region.objects.get_or_create(code=code, defaults={"name": name})
    departement, _created = Departement.objects.get_or_create(
        code=departement_code, defaults={"name": departement_name, "region": region_row}
    )
    commune = Commune.objects.filter(code=commune_code, kind=Commune.Kind.CURRENT).first()
    if commune is None:
        commune = Commune.objects.create(
            code=commune_code,
            kind=Commune.Kind.CURRENT,
            name=commune_name,
            search_name=commune_name.lower(),
            postal_codes=postal_code,
            departement=departement,
        )
    now = timezone.now()
    start = now - timedelta(days=10)
    slug = slug_of(code)
    session = Session.objects.create(
        slug=slug,
        title=f"DéClics {name}",
        region=region_row,
        capacity=size + 100,
        registration_opens_at=start - timedelta(days=30),
        registration_closes_at=start + timedelta(days=5),
        starts_at=start,
        ends_at=start + timedelta(days=30),
        survey_at=start + timedelta(days=30),
        status=SessionStatus.RUNNING,
        published_at=start - timedelta(days=31),
        registration_closed_at=start + timedelta(days=5),
        nudge_after_days=3,
    )
    session.departements.set([departement])
    # Steps 1-3 opened (5 to 10 days ago), step 4 due now (the calendar task opens it), 5-6 to come.
    opens = [start, start + timedelta(days=1), start + timedelta(days=5), now - timedelta(hours=1)]
    opens += [now + timedelta(days=4), now + timedelta(days=8)]
    SessionStep.objects.bulk_create(
        [
            SessionStep(session=session, step=step.value, opens_at=when, opened_at=when if i < 3 else None)
            for i, (step, when) in enumerate(zip(Step, opens, strict=True))
        ]
    )
    adviser, _created = User.objects.get_or_create(
        email=f"adviser-{code}@{DOMAIN}",
        defaults={"first_name": "Claire", "last_name": f"Conseil {code}", "role": Role.ADVISER},
    )
    agency, _created = Agency.objects.get_or_create(
        departement=departement,
        name=f"France Travail {commune_name}",
        defaults={"kind": AgencyKind.FRANCE_TRAVAIL},
    )
    AdviserMembership.objects.get_or_create(user=adviser, defaults={"agency": agency})

    password = make_password(None)
    User.objects.bulk_create(
        [
            User(
                email=f"{slug}-{n:06d}@{DOMAIN}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=f"{rng.choice(LAST_NAMES)}-{n}",
                role=Role.JOB_SEEKER,
                password=password,
            )
            for n in range(size)
        ],
        batch_size=BATCH,
    )
    user_ids = list(
        User.objects.filter(email__startswith=f"{slug}-", email__endswith=f"@{DOMAIN}")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    JobSeekerProfile.objects.bulk_create(
        [
            JobSeekerProfile(
                user_id=pk,
                birth_year=rng.randint(1965, 2004),
                gender=JobSeekerProfile.Gender.WOMAN if rng.random() < 0.7 else JobSeekerProfile.Gender.MAN,
                rqth=rng.random() < 0.12,
            )
            for pk in user_ids
        ],
        batch_size=BATCH,
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                session=session,
                job_seeker_id=pk,
                status=EnrolmentStatus.ACTIVE,
                adviser=adviser,
                share_with_adviser=rng.random() < 0.8,
                commune=commune,
                eligibility={"eligible": True, "basis": rng.choice(["qpv", "frr"]), "bench": True},
                last_activity_at=start + timedelta(hours=rng.randint(0, 24 * 9)),
            )
            for pk in user_ids
        ],
        batch_size=BATCH,
    )
    Enrolment.objects.filter(session=session).update(created_at=start - timedelta(days=5))
    enrolments = list(
        Enrolment.objects.filter(session=session).order_by("pk").values_list("pk", "job_seeker_id")
    )
    done = {pk: rng.choices(range(4), weights=[25, 25, 25, 25])[0] for pk, _user in enrolments}
    StepProgress.objects.bulk_create(
        [
            StepProgress(
                enrolment_id=pk, step=n, completed_at=opens[n - 1] + timedelta(hours=rng.randint(2, 90))
            )
            for pk, _user in enrolments
            for n in range(1, done[pk] + 1)
        ],
        batch_size=BATCH,
    )
    # One seat each in a workshop starting in 12 hours, booked 30 hours ago: the 24 h reminder is due.
    starts_at = now + timedelta(hours=12)
    workshops = Workshop.objects.bulk_create(
        [
            Workshop(
                session=session,
                title=f"Réussir son entretien {n + 1}",
                topic="interview",
                description="On s'entraîne en petit groupe.",
                starts_at=starts_at + timedelta(minutes=n % 60),
                seats=SEATS,
                video_url=f"https://visio.example.org/{slug}-{n}",
            )
            for n in range(-(-size // SEATS))
        ]
    )
    booked_at = starts_at - timedelta(hours=30)
    WorkshopBooking.objects.bulk_create(
        [
            WorkshopBooking(
                workshop=workshops[i // SEATS],
                enrolment_id=pk,
                job_seeker_id=user_id,
                status=WorkshopBookingStatus.CONFIRMED,
                booked_at=booked_at,
                confirmed_at=booked_at,
            )
            for i, (pk, user_id) in enumerate(enrolments)
        ],
        batch_size=BATCH,
    )
    recount_seats(WORKSHOPS, Workshop.objects.filter(session=session))
    # Step 2 done: an assessment result; step 3 done: a mentor, while the région's mentors have room.
    assessed = [pk for pk, _user in enrolments if done[pk] >= 2]
    AssessmentAttempt.objects.bulk_create(
        [
            AssessmentAttempt(
                enrolment_id=pk, questionnaire=questionnaire, status="completed", completed_at=now
            )
            for pk in assessed
        ],
        batch_size=BATCH,
    )
    attempts = AssessmentAttempt.objects.filter(enrolment__session=session).values_list("pk", flat=True)
    AssessmentResult.objects.bulk_create(
        [
            AssessmentResult(attempt_id=pk, questionnaire_version=questionnaire.version, snapshot=snapshot)
            for pk in attempts
        ],
        batch_size=BATCH,
    )
    User.objects.bulk_create(
        [
            User(
                email=f"mentor-{code}-{n:04d}@{DOMAIN}",
                first_name="Mentor",
                last_name=str(n),
                role=Role.MENTOR,
            )
            for n in range(MENTORS_PER_REGION)
        ],
        batch_size=BATCH,
    )
    mentor_users = User.objects.filter(email__startswith=f"mentor-{code}-", email__endswith=f"@{DOMAIN}")
    mentees = [pk for pk, _user in enrolments if done[pk] >= 3][: MENTORS_PER_REGION * MENTOR_CAPACITY]
    load_per_mentor = Counter(i % MENTORS_PER_REGION for i in range(len(mentees)))
    MentorProfile.objects.bulk_create(
        [
            MentorProfile(
                user_id=pk,
                job_title="Développeuse web",
                region=region_row,
                capacity=MENTOR_CAPACITY,
                status="approved",
                active_mentees=load_per_mentor[i],
            )
            for i, pk in enumerate(mentor_users.order_by("pk").values_list("pk", flat=True))
        ],
        batch_size=BATCH,
    )
    mentors = list(
        MentorProfile.objects.filter(region=region_row).order_by("user_id").values_list("pk", flat=True)
    )
    Mentorship.objects.bulk_create(
        [
            Mentorship(enrolment_id=pk, mentor_id=mentors[i % MENTORS_PER_REGION])
            for i, pk in enumerate(mentees)
        ],
        batch_size=BATCH,
    )
    JobOffer.objects.bulk_create(
        [
            JobOffer(
                title=f"Technicien·ne support {n + 1}",
                company_name=f"Entreprise {n + 1}",
                contract="cdi",
                description="Accueillir et dépanner les utilisateurs.",
                departement=departement,
                commune=commune,
                expires_on=(now + timedelta(days=60)).date(),
                is_published=True,
            )
            for n in range(OFFERS_PER_REGION)
        ]
    )


# --- 2 and 3. pages and the mixed load ----------------------------------------------------------------


def page_plan() -> tuple[list[tuple[str, str, dict]], list[list[tuple[str, dict, None]]]]:
    """(name, path, headers) of every page to measure, and the mixed load's requests (200 people)."""
    from django.urls import reverse

    from bench.scenarios import login_headers
    from declics.accounts.models import User
    from mentoring.models import Mentorship
    from programs.assessment.models import AssessmentResult
    from programs.models import Enrolment

    region = REGIONS[0][0]
    slug = slug_of(region)
    adviser = User.objects.get(email=f"adviser-{region}@{DOMAIN}")
    # A person well on the way: steps 1-3 done, a result, a mentor, a workshop seat.
    mentorship = Mentorship.objects.filter(enrolment__session__slug=slug).select_related("enrolment").first()
    enrolment = mentorship.enrolment
    result = AssessmentResult.objects.filter(attempt__enrolment=enrolment).first()
    seeker = login_headers(enrolment.job_seeker)
    adviser_headers = login_headers(adviser)
    shared = Enrolment.objects.filter(session__slug=slug, share_with_adviser=True).first()
    pages = [
        ("pathway", reverse("programs:pathway", args=[slug]), seeker),
        ("workshop list", reverse("programs:workshop_list", args=[slug]), seeker),
        ("talks", reverse("programs:talk_list", args=[slug]), seeker),
        ("assessment result", reverse("programs:assessment_result", args=[result.public_id]), seeker),
        ("mentoring", reverse("mentoring:mentee_home", args=[slug]), seeker),
        ("mentorship", reverse("mentoring:mentorship", args=[mentorship.public_id]), seeker),
        ("trainings", reverse("jobs:trainings", args=[slug]), seeker),
        ("offers", reverse("jobs:offers", args=[slug]), seeker),
        ("applications", reverse("jobs:my_applications", args=[slug]), seeker),
        ("adviser sessions", reverse("programs:adviser_sessions"), adviser_headers),
        ("adviser dashboard", reverse("programs:adviser_dashboard", args=[slug]), adviser_headers),
        (
            "adviser dashboard p.100",
            reverse("programs:adviser_dashboard", args=[slug]) + "?page=100",
            adviser_headers,
        ),
        (
            "adviser person",
            reverse("programs:adviser_person", args=[slug, shared.public_id]),
            adviser_headers,
        ),
    ]
    people = []
    for enrolment in (
        Enrolment.objects.filter(session__slug__startswith="national-")
        .select_related("session", "job_seeker")
        .order_by("?")[:200]
    ):
        headers = login_headers(enrolment.job_seeker)
        session_slug = enrolment.session.slug
        people.append(
            [
                (reverse("programs:pathway", args=[session_slug]), headers, None),
                (reverse("programs:workshop_list", args=[session_slug]), headers, None),
                (reverse("mentoring:mentee_home", args=[session_slug]), headers, None),
                (reverse("jobs:offers", args=[session_slug]), headers, None),
            ]
        )
    return pages, people


def measure_pages(port: int, pages, *, requests: int, concurrency: int) -> list[dict]:
    rows = []
    hello = _measure(port, "/hello", {}, requests=requests, concurrency=concurrency)
    for name, path, headers in [("hello (bare view)", "/hello", {}), *pages]:
        result = (
            hello
            if path == "/hello"
            else _measure(port, path, headers, requests=requests, concurrency=concurrency)
        )
        if result.errors:
            raise BenchError(f"{name} {path}: {result.errors} bad answers ({result.first_error})")
        figures = result.as_dict()
        figures.update(
            name=name, path=path, share=100 * result.requests_per_second / hello.requests_per_second
        )
        rows.append(figures)
        print(
            f"  {name:<24} {figures['requests_per_second']:>7.1f} req/s  p50 {figures['p50_ms']:>7.1f} ms  "
            f"p95 {figures['p95_ms']:>7.1f} ms  {figures['share']:5.1f} % of the bare view"
        )
    return rows


def _measure(port: int, path: str, headers: dict, *, requests: int, concurrency: int) -> LoadResult:
    run_load(port=port, path=path, headers=headers, total=max(20, requests // 10), concurrency=concurrency)
    return run_load(port=port, path=path, headers=headers, total=requests, concurrency=concurrency)


def measure_mixed(port: int, people, *, requests: int) -> list[dict]:
    mix = [request for person in people for request in person]
    random.Random(16).shuffle(mix)
    rows = []
    run_mix(port=port, requests=mix, total=max(50, requests // 10), concurrency=4)  # warm-up
    for concurrency in (1, 2, 4, 8):
        result = run_mix(port=port, requests=mix, total=requests, concurrency=concurrency)
        if result.errors:
            raise BenchError(f"mixed load: {result.errors} bad answers ({result.first_error})")
        figures = {"concurrency": concurrency, **result.as_dict()}
        rows.append(figures)
        print(
            f"  {concurrency} connection(s): {figures['requests_per_second']:>7.1f} req/s  "
            f"p50 {figures['p50_ms']:>7.1f} ms  p95 {figures['p95_ms']:>7.1f} ms"
        )
    within = [row for row in rows if row["p95_ms"] < 100]
    best = max(within, key=lambda row: row["requests_per_second"]) if within else None
    if best:
        print(
            f"mixed: one web core sustains {best['requests_per_second']:.0f} req/s with p95 "
            f"{best['p95_ms']:.0f} ms < 100 ms ({best['concurrency']} connections)"
        )
    else:
        print("mixed: p95 over 100 ms even at one connection")
    return rows


# --- 4. the calendar task and the nudges ------------------------------------------------------------


def _empty_outbox() -> None:
    from django.db import connection

    from declics.notifications.models import OutboxMessage

    with connection.cursor() as cursor:
        cursor.execute(f'TRUNCATE "{OutboxMessage._meta.db_table}" CASCADE')


def _timed(label: str, func):
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    verdict = "ok" if wall < 60 else "OVER 60 s"
    print(f"  {label:<34} {wall:7.1f} s wall, {cpu:6.1f} s CPU of this process ({verdict})")
    return result, wall, cpu


def calendar_and_nudges() -> dict:
    from django.utils import timezone

    from declics.notifications.models import OutboxMessage
    from programs import services
    from programs.models import SessionStep, Step, StepProgress

    _empty_outbox()
    national = {"session__slug__startswith": "national-"}
    SessionStep.objects.filter(step=Step.WORKSHOPS, **national).update(opened_at=None)
    StepProgress.objects.filter(
        completed_at__isnull=True, **{f"enrolment__{k}": v for k, v in national.items()}
    ).delete()
    StepProgress.objects.filter(nudged_at__isnull=False).update(nudged_at=None)
    now = timezone.now()
    figures = {}
    advanced, figures["calendar_wall_s"], figures["calendar_cpu_s"] = _timed(
        "calendar task (step 4 opens)", lambda: services.advance_due_sessions(now=now)
    )
    figures["calendar_rows"] = OutboxMessage.objects.count()
    opened = sum(1 for transitions in advanced.values() if "step_4_opened" in transitions)
    print(f"    {opened} sessions opened step 4; {figures['calendar_rows']} notices queued")
    _, figures["calendar_again_wall_s"], _cpu = _timed(
        "calendar task again (nothing due)", lambda: services.advance_due_sessions(now=now)
    )
    before = OutboxMessage.objects.count()
    nudged, figures["nudges_wall_s"], figures["nudges_cpu_s"] = _timed(
        "nudges (steps 1-3)", lambda: services.send_nudges(now=now)
    )
    figures["nudges"] = nudged
    print(f"    {nudged} nudges queued ({OutboxMessage.objects.count() - before} outbox rows)")
    again, figures["nudges_again_wall_s"], _cpu = _timed(
        "nudges again (none)", lambda: services.send_nudges(now=now)
    )
    figures["nudges_again"] = again
    return figures


# --- 5. reminders through the outbox ----------------------------------------------------------------


class CountingBackend:
    """A mail backend that keeps nothing: it counts each message's outbox key (X-DeClics-Key)."""

    keys: Counter = Counter()

    def __init__(self, fail_silently=False, **kwargs):
        self.fail_silently = fail_silently

    def open(self):
        return True

    def close(self):
        return None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def send_messages(self, messages):
        for message in messages:
            CountingBackend.keys[message.extra_headers.get("X-DeClics-Key", "")] += 1
        return len(messages)


def reminders(batch_size: int, limit: int | None) -> dict:
    from django.conf import settings
    from django.db.models import OuterRef, Subquery

    from declics.notifications.models import OutboxMessage
    from declics.notifications.services import send_due_messages
    from programs.bookings.services import send_due_reminders
    from programs.workshops.models import Workshop, WorkshopBooking

    _empty_outbox()
    bookings = WorkshopBooking.objects.filter(workshop__session__slug__startswith="national-")
    bookings.update(reminded_24h_for=None, reminded_1h_for=None)
    if limit is not None:  # the others stamped as reminded already: only `limit` are due
        last = bookings.order_by("pk").values_list("pk", flat=True)[limit - 1 : limit].first()
        starts_at = Workshop.objects.filter(pk=OuterRef("workshop_id")).values("starts_at")[:1]
        bookings.filter(pk__gt=last).update(reminded_24h_for=Subquery(starts_at))
    settings.EMAIL_BACKEND = f"{__name__}.CountingBackend"
    CountingBackend.keys.clear()
    figures = {}
    queued, figures["queue_wall_s"], figures["queue_cpu_s"] = _timed(
        "reminders queued (booking engine)", send_due_reminders
    )
    figures["queued"] = queued
    sent, figures["send_wall_s"], figures["send_cpu_s"] = _timed(
        "reminders sent (one worker)", lambda: send_due_messages(batch_size=batch_size)
    )
    figures["sent"] = sent
    figures["received"] = sum(CountingBackend.keys.values())
    figures["duplicates"] = sum(1 for n in CountingBackend.keys.values() if n > 1)
    figures["still_due"] = OutboxMessage.objects.due().count()
    figures["per_second"] = sent / figures["send_wall_s"] if figures["send_wall_s"] else 0
    print(
        f"    {queued} queued, {sent} sent ({figures['per_second']:.0f}/s), {figures['received']} received, "
        f"{len(CountingBackend.keys)} distinct keys, {figures['duplicates']} received twice, "
        f"{figures['still_due']} still due"
    )
    return figures


# --- main ------------------------------------------------------------------------------------------------


def drop_database(database_url: str) -> None:
    import environ
    import psycopg
    from psycopg import sql

    config = environ.Env.db_url_config(database_url)
    with psycopg.connect(
        host=config["HOST"] or None, port=config["PORT"] or None, user=config["USER"] or None,
        dbname="postgres", autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(config["NAME"]))
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--people", type=int, default=100_000, help="job seekers over the 13 sessions (100000)"
    )
    parser.add_argument(
        "--only", nargs="+", choices=PHASES, help="run only these phases (load always checks)"
    )
    parser.add_argument("--reset", action="store_true", help="drop the benchmark database first")
    parser.add_argument("--requests", type=int, default=400, help="measured requests per page (400)")
    parser.add_argument("--mixed-requests", type=int, default=1000, help="measured requests per mixed level")
    parser.add_argument("--concurrency", type=int, default=8, help="connections for the pages (8)")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads in its one worker (4)")
    parser.add_argument("--batch-size", type=int, default=200, help="outbox batch size of the worker (200)")
    parser.add_argument(
        "--reminders", type=int, default=None, help="make only this many reminders due (default: everyone's)"
    )
    args = parser.parse_args(argv)
    phases = set(args.only or PHASES) | {"load"}

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if args.reset:
        drop_database(database_url)
    env = server_environment(
        database_url=database_url,
        redis_url=os.environ.get("REDIS_URL", ""),
        static_root=STATIC_ROOT,
        secret_key=secrets.token_urlsafe(50),
    )
    env["NOTIFICATIONS_KICK_ON_QUEUE"] = "false"  # measure the queueing, not a broker round-trip
    load_average = os.getloadavg()[0]
    print(
        f"database {database_url}; {args.people} people; "
        f"load average {load_average:.2f} on {os.cpu_count()} CPUs"
    )
    ensure_database(database_url)
    manage("migrate", "--noinput", "-v", "0", env=env)
    if {"pages", "mixed"} & phases and not static_files_are_current(STATIC_ROOT):
        manage("collectstatic", "--noinput", "--clear", "-v", "0", env=env)
    os.environ.clear()
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connections

    load(args.people, random.Random(2026))
    status = 0
    if {"pages", "mixed"} & phases:
        pages, people = page_plan()
        connections.close_all()
        server_cpu, client_cpu = (
            cpu_plan()
        )  # as bench/run.py: the server on one core, this client on the other
        with Gunicorn(env=env, threads=args.threads, cpu=server_cpu) as server:
            pin_self(client_cpu)
            if "pages" in phases:
                print(f"pages (one worker x {args.threads} threads, {args.concurrency} connections):")
                measure_pages(server.port, pages, requests=args.requests, concurrency=args.concurrency)
            if "mixed" in phases:
                print(f"mixed job-seeker load ({len(people)} people x {len(people[0])} pages):")
                measure_mixed(server.port, people, requests=args.mixed_requests)
    if "calendar" in phases:
        print("calendar task and nudges over the 13 sessions:")
        calendar_and_nudges()
    if "reminders" in phases:
        print("reminders through the outbox:")
        figures = reminders(args.batch_size, args.reminders)
        if figures["duplicates"] or figures["still_due"] or figures["received"] != figures["queued"]:
            status = 1
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")
    return status


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"national: {error}", file=sys.stderr)
        sys.exit(2)
