"""Demo workshops: in each demo session; booked and attended in the closed ones. Idempotent.

Called by `manage.py seed_demo` after `programs.demo` (the sessions and their participants). The
demo mentor and staff accounts facilitate; the closed editions' participants who finished step 4
have attended two workshops, some others one (or missed one). In the running session the first
round of workshops is half past: the demo candidate attended the first one and booked an upcoming
one; a later run moves the session's workshops with its calendar.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from declics.accounts.models import User
from programs import demo as programs_demo
from programs.bookings import services as engine
from programs.models import Session, Step, StepProgress

from . import services
from .kind import WORKSHOPS
from .models import Workshop, WorkshopBooking, WorkshopBookingStatus, WorkshopTopic

FACILITATORS = ["mentor@declics.example", "staff@declics.example"]
VIDEO = "https://visio.declics.example/atelier-{n}"
REPLAY = "https://replay.declics.example/atelier-{n}"

# (title, topic, description)
CATALOGUE = [
    (
        "Parler de soi avec confiance",
        WorkshopTopic.SOFT_SKILLS,
        "On apprend à présenter son parcours en deux minutes, sans stress. En petit groupe, sans jugement.",
    ),
    (
        "Mon CV et mon profil LinkedIn",
        WorkshopTopic.CV_LINKEDIN,
        "On relit son CV ensemble et on crée ou améliore son profil LinkedIn, pas à pas.",
    ),
    (
        "Réussir son entretien d'embauche",
        WorkshopTopic.INTERVIEW,
        "On s'entraîne aux questions les plus fréquentes et on prépare les siennes.",
    ),
    (
        "Découvrir le métier de technicien·ne support",
        WorkshopTopic.JOB_DISCOVERY,
        "Une technicienne raconte son quotidien et répond à vos questions.",
    ),
    (
        "Les outils numériques du quotidien au travail",
        WorkshopTopic.DIGITAL_TOOLS,
        "Messagerie, agenda partagé, visioconférence : on les essaie ensemble.",
    ),
]
ACCESSIBILITY = "Sous-titres en direct. Possible de suivre par téléphone : 01 00 00 00 00 (code 1234)."


def _create(
    session: Session, first_day: datetime, *, seats: int, rounds: int, facilitators
) -> list[Workshop]:
    workshops = []
    n = 0
    for round_number in range(rounds):
        for index, (title, topic, description) in enumerate(CATALOGUE):
            n += 1
            day = first_day + timedelta(days=2 * index + 7 * round_number)
            workshop = Workshop.objects.create(
                session=session,
                title=title,
                topic=topic,
                description=description,
                starts_at=day.replace(hour=10 if index % 2 else 14, minute=0, second=0, microsecond=0),
                duration_minutes=90,
                seats=seats,
                video_url=VIDEO.format(n=f"{session.pk}-{n}"),
                accessibility_notes=ACCESSIBILITY,
            )
            workshop.facilitators.set(facilitators)
            workshops.append(workshop)
    return workshops


def _book_the_closed_edition(session: Session, workshops: list[Workshop]) -> int:
    """Bookings as they were: two attended for whoever finished step 4, one for some others."""
    step_4_done = set(
        StepProgress.objects.done()
        .filter(enrolment__session=session, step=Step.WORKSHOPS)
        .values_list("enrolment_id", flat=True)
    )
    enrolments = list(session.enrolments.active().values_list("pk", "job_seeker_id").order_by("pk"))
    bookings = []
    slot = 0
    for enrolment_id, user_id in enrolments:
        if enrolment_id in step_4_done:
            plan = [True, True]
        elif enrolment_id % 3 == 0:
            plan = [enrolment_id % 2 == 0]  # one attended or one missed
        else:
            plan = []
        for attended in plan:
            workshop = workshops[slot % len(workshops)]
            slot += 1
            bookings.append(
                WorkshopBooking(
                    workshop=workshop,
                    enrolment_id=enrolment_id,
                    job_seeker_id=user_id,
                    status=WorkshopBookingStatus.CONFIRMED,
                    booked_at=workshop.starts_at - timedelta(days=3),
                    confirmed_at=workshop.starts_at - timedelta(days=3),
                    attended=attended,
                    attendance_marked_at=workshop.ends_at,
                    feedback="very" if attended and enrolment_id % 4 else "",
                    feedback_at=workshop.ends_at + timedelta(hours=2)
                    if attended and enrolment_id % 4
                    else None,
                )
            )
    WorkshopBooking.objects.bulk_create(bookings, batch_size=1000, ignore_conflicts=True)
    # The seat counters, from the rows (the database refuses a counter above the seats).
    engine.recount_seats(WORKSHOPS, Workshop.objects.filter(session=session))
    return len(bookings)


@transaction.atomic
def seed(stdout=None) -> list[Workshop]:
    facilitators = list(User.objects.filter(email__in=FACILITATORS))
    now = timezone.now()
    created = []
    for session in Session.objects.filter(slug__startswith="declics-numeriques-").order_by("starts_at"):
        if session.slug == programs_demo.RUNNING_SLUG:
            created.extend(_running_session_workshops(session, facilitators, stdout=stdout))
            continue
        if session.workshops.exists():
            continue
        closed = session.ends_at < now
        if closed:
            participants = session.enrolments.active().count()
            seats = max(30, (participants * 2) // (len(CATALOGUE) * 2) + 10)
            workshops = _create(
                session,
                session.starts_at + timedelta(days=7),
                seats=seats,
                rounds=2,
                facilitators=facilitators,
            )
            for n, workshop in enumerate(workshops, start=1):
                workshop.replay_url = REPLAY.format(n=f"{session.pk}-{n}")
                workshop.save(update_fields=["replay_url"])
            booked = _book_the_closed_edition(session, workshops)
        else:
            first_day = max(session.starts_at, now + timedelta(days=2))
            workshops = _create(session, first_day, seats=12, rounds=2, facilitators=facilitators)
            booked = 0
        created.extend(workshops)
        if stdout:
            stdout.write(f"programs: {len(workshops)} demo workshops in {session.slug} ({booked} bookings)")
    return created


RUNNING_FIRST_DAY = timedelta(days=3)  # the running session's first workshop, after its start


def _running_session_workshops(session: Session, facilitators, *, stdout=None) -> list[Workshop]:
    first = session.workshops.order_by("pk").first()
    if first is not None:
        days = programs_demo.days_behind(session, laid_out_at=first.starts_at, offset=RUNNING_FIRST_DAY)
        if days:
            session.workshops.update(starts_at=F("starts_at") + timedelta(days=days))
        return []
    workshops = _create(
        session, session.starts_at + RUNNING_FIRST_DAY, seats=12, rounds=2, facilitators=facilitators
    )
    booked = _candidate_workshops(workshops)
    if stdout:
        stdout.write(f"programs: {len(workshops)} demo workshops in {session.slug} ({booked} bookings)")
    return workshops


def _candidate_workshops(workshops: list[Workshop]) -> int:
    """The demo candidate booked the first workshop the morning it opened, attended it, and booked the
    next one still to come."""
    enrolment = programs_demo.candidate_enrolment()
    staff = User.objects.filter(email="staff@declics.example").first()
    if enrolment is None or staff is None:
        return 0
    candidate = enrolment.job_seeker
    past = workshops[0]
    booking = services.book_workshop(
        workshop=past, job_seeker=candidate, now=past.starts_at - timedelta(hours=2)
    )
    services.mark_attendance(
        workshop=past, present=[booking.pk], by=staff, now=past.starts_at + timedelta(minutes=95)
    )
    now = timezone.now()
    upcoming = next((w for w in workshops if w.starts_at > now + timedelta(days=1)), None)
    if upcoming is None:
        return 1
    services.book_workshop(workshop=upcoming, job_seeker=candidate)
    return 2
