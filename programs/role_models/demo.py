"""Demo role models and talks for the demo sessions; idempotent. Also loads the job descriptions."""

from datetime import timedelta

from django.db import transaction

from declics.rome.models import RomeJob
from declics.rome.services import load_rome_jobs
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
    sessions = list(Session.objects.filter(slug__startswith="declics-numeriques-"))
    created = 0
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
