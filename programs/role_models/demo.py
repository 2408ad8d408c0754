"""Demo role models and talks for the demo sessions; idempotent. Also loads the job descriptions.

In the running session (`programs.demo.RUNNING_SLUG`) the first talk is past, with its replay, and
the demo candidate attended it (step 1 done); two more are coming, open to registration. A later
run moves the session's talks with its calendar.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import F

from declics.accounts.models import User
from declics.rome.models import RomeJob
from declics.rome.services import load_rome_jobs
from programs import demo as programs_demo
from programs.models import Session

from . import services
from .models import RoleModel, Talk

PEOPLE = [
    (
        "Nadia",
        "Kaci",
        "Développeuse web",
        "M1855",
        "Une agence web de Montpellier",
        "Montpellier",
        "J'ai été vendeuse pendant huit ans. Une formation de dix mois m'a appris à coder, "
        "et je fais maintenant des sites pour des associations et des commerces.",
    ),
    (
        "Julien",
        "Marty",
        "Technicien support",
        "M1874",
        "Un éditeur de logiciels toulousain",
        "Toulouse",
        "J'étais magasinier. J'aimais aider les collègues avec leur ordinateur : j'en ai fait mon métier.",
    ),
    (
        "Awa",
        "Diallo",
        "Community manager",
        "E1101",
        "Une association de l'Ariège",
        "Foix",
        "Après un congé parental, j'ai repris par un atelier DéClics. J'anime aujourd'hui "
        "les réseaux sociaux d'une association.",
    ),
    (
        "Sofiane",
        "Benali",
        "Analyste en cybersécurité",
        "M1844",
        "Une banque régionale",
        "Montpellier",
        "Ancien agent de sécurité, je protège maintenant les ordinateurs d'une banque contre les pirates.",
    ),
]
DEMO_VIDEO = "https://visio.demo.declics.example/salle-"


@transaction.atomic
def seed(stdout=None) -> None:
    if not RomeJob.objects.digital().exists():
        load_rome_jobs()
    result = services.load_job_descriptions()
    people = []
    for first, last, title, code, employer, town, story in PEOPLE:
        person, _created = RoleModel.objects.get_or_create(
            first_name=first,
            last_name=last,
            defaults={
                "job_title": title,
                "rome_id": code,
                "employer": employer,
                "town": town,
                "story": story,
            },
        )
        people.append(person)
    sessions = list(
        Session.objects.filter(slug__startswith="declics-numeriques-").exclude(
            slug=programs_demo.RUNNING_SLUG
        )
    )
    created = _running_session_talks(people)
    for session in sessions:
        session.role_models.add(*people)
        if Talk.objects.filter(session=session).exists():
            continue
        past = session.status == "closed"
        for n, (title, speakers) in enumerate(
            [("Du commerce au code", people[:2]), ("Reprendre après une pause", people[2:])], start=1
        ):
            talk = Talk.objects.create(
                session=session,
                title=title,
                description="Un témoignage de 45 minutes, puis vos questions.",
                starts_at=session.starts_at + timedelta(days=n, hours=9),
                duration_minutes=60,
                video_url=f"{DEMO_VIDEO}{session.pk}-{n}",
                seats=100,
                replay_url=f"https://replay.demo.declics.example/{session.pk}-{n}" if past else "",
            )
            talk.role_models.set(speakers)
            created += 1
    if stdout:
        stdout.write(
            f"programs: {len(people)} role models, {created} talks created; "
            f"{result.updated} job descriptions updated"
        )


# The running session's talks: (title, speakers' indexes, days and hours after the session's start).
RUNNING_TALKS = [
    ("Du commerce au code", [0, 1], timedelta(days=1, hours=9)),
    ("Reprendre après une pause", [2], timedelta(days=12, hours=9)),
    ("Protéger les données : un métier qui recrute", [3], timedelta(days=15, hours=9)),
]


def _running_session_talks(people: list[RoleModel]) -> int:
    session = programs_demo.running_session()
    if session is None:
        return 0
    session.role_models.add(*people)
    first = Talk.objects.filter(session=session, title=RUNNING_TALKS[0][0]).order_by("pk").first()
    if first is not None:
        days = programs_demo.days_behind(session, laid_out_at=first.starts_at, offset=RUNNING_TALKS[0][2])
        if days:
            Talk.objects.filter(session=session).update(starts_at=F("starts_at") + timedelta(days=days))
        return 0
    talks = []
    for n, (title, speakers, offset) in enumerate(RUNNING_TALKS, start=1):
        talk = Talk.objects.create(
            session=session,
            title=title,
            description="Un témoignage de 45 minutes, puis vos questions.",
            starts_at=session.starts_at + offset,
            duration_minutes=60,
            video_url=f"{DEMO_VIDEO}{session.pk}-{n}",
            seats=100,
            replay_url=f"https://replay.demo.declics.example/{session.pk}-{n}" if n == 1 else "",
        )
        talk.role_models.set([people[i] for i in speakers])
        talks.append(talk)
    _candidate_attended(talks[0])
    return len(talks)


def _candidate_attended(talk: Talk) -> None:
    """The demo candidate registered for the first talk the day before and attended it (step 1 done)."""
    enrolment = programs_demo.candidate_enrolment()
    staff = User.objects.filter(email="staff@declics.example").first()
    if enrolment is None or staff is None:
        return
    registration = services.register_for_talk(
        talk=talk, enrolment=enrolment, now=talk.starts_at - timedelta(days=1)
    )
    services.mark_talk_attendance(
        talk=talk, present_ids=[registration.pk], by=staff, now=talk.ends_at + timedelta(minutes=5)
    )
