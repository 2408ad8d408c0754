"""Demo trainings of the two demo training bodies, and their meeting slots for each open session. Idempotent.

Runs after jobs.demo (the partners); see there what makes the data clearly demo.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from declics.rome.models import RomeJob
from jobs.demo import communes, demo_partners
from programs import demo as programs_demo
from programs.models import Session

from . import services
from .models import MeetingSlot, Training, TrainingFormat, TrainingInterest, TrainingStart

PARIS = ZoneInfo("Europe/Paris")


# (title, body index, ROME codes, format, towns, hours, level, funding, GEN label, months to start)
# Bodies: 0 Code Occitanie (Montpellier), 1 Numérique Pour Toutes (Toulouse), 4 Numérique Sud
# Formation (Perpignan, Nîmes), 5 Campus Tarn et Aveyron Numérique (Albi, Rodez); see jobs.demo.
TRAININGS = [
    ("Développeur·se web et web mobile", 0, ["M1855", "M1805"], TrainingFormat.MIXED, ["34172"], 800, "5",
     {"funding_region": True, "is_free": True}, True, 1),
    ("Technicien·ne d'assistance informatique", 0, ["M1874", "M1810"], TrainingFormat.ON_SITE, ["34172"], 600,
     "4", {"funding_aif": True, "funding_cpf": True}, True, 2),
    ("Community manager : les bases", 1, ["E1101", "E1124"], TrainingFormat.DISTANCE, [], 120, "none",
     {"funding_cpf": True}, False, 1),
    ("Designer UX/UI", 1, ["E1206", "E1210"], TrainingFormat.MIXED, ["31555"], 700, "6",
     {"funding_region": True}, True, 3),
    ("Technicien·ne réseaux et télécoms", 0, ["M1810"], TrainingFormat.ON_SITE, ["34032"], 650, "4",
     {"funding_region": True, "is_free": True}, True, 2),
    ("Intégrateur·rice web", 0, ["M1855", "E1210"], TrainingFormat.ON_SITE, ["34301"], 500, "4",
     {"funding_cpf": True}, False, 1),
    ("Les outils numériques du bureau", 1, ["M1874"], TrainingFormat.ON_SITE, ["31395", "09122"], 140,
     "none", {"is_free": True}, False, 1),
    ("Développeur·se d'applications Python", 1, ["M1805"], TrainingFormat.MIXED, ["31069"], 900, "6",
     {"funding_region": True, "funding_aif": True}, True, 4),
    ("Assistant·e e-commerce", 4, ["E1113"], TrainingFormat.ON_SITE, ["66136"], 400, "4",
     {"funding_cpf": True, "funding_aif": True}, False, 2),
    ("Technicien·ne support et cybersécurité", 4, ["M1874", "M1844"], TrainingFormat.ON_SITE, ["30189"], 700,
     "5", {"funding_region": True}, True, 3),
    ("Graphiste et motion design", 4, ["E1205", "E1207"], TrainingFormat.MIXED, ["30007", "11262"], 550, "5",
     {"funding_cpf": True}, False, 2),
    ("Data analyste débutant·e", 5, ["M1805", "M1403"], TrainingFormat.MIXED, ["81004"], 600, "6",
     {"funding_region": True, "is_free": True}, True, 3),
    ("Technicien·ne informatique de proximité", 5, ["M1874"], TrainingFormat.ON_SITE, ["12202", "12145"], 450,
     "4", {"funding_aif": True}, True, 1),
    ("Découvrir le code en ligne", 5, ["M1805"], TrainingFormat.DISTANCE, [], 70, "none",
     {"is_free": True}, False, 1),
    ("Administrateur·rice systèmes et cloud", 4, ["M1810", "M1801"], TrainingFormat.MIXED,
     ["11069", "66136"], 850, "6", {"funding_region": True}, True, 4),
    ("Réaliser des vidéos pour les réseaux sociaux", 5, ["E1104", "E1124"], TrainingFormat.ON_SITE,
     ["82121", "46042", "32013"], 210, "3", {"funding_cpf": True}, False, 2),
    ("Technicien·ne de maintenance numérique", 1, ["M1874"], TrainingFormat.ON_SITE, ["65440", "48095"], 480,
     "4", {"funding_region": True, "is_free": True}, False, 2),
]  # fmt: skip
# The training the demo candidate told the body she is interested in (step 5 done).
CANDIDATE_INTEREST = "Développeur·se web et web mobile (démo)"
# The running session's meeting slots: the first one after its start (then every half hour).
RUNNING_FIRST_SLOT = timedelta(days=17, hours=1)


@transaction.atomic
def seed(stdout=None) -> None:
    today = timezone.localdate()
    partners = demo_partners()
    for title, body, codes, fmt, towns, hours, level, funding, gen, months in TRAININGS:
        training, created = Training.objects.get_or_create(
            title=f"{title} (démo)",
            body=partners[body],
            defaults={
                "summary": "Formation de démonstration : les informations ne sont pas réelles.",
                "duration_hours": hours,
                "format": fmt,
                "level": level,
                "gen_label": gen,
                "disability_accessible": True,
                "url": "https://declics.example/demo",
                **funding,
            },
        )
        if created:
            training.rome_jobs.set(RomeJob.objects.filter(code__in=codes))
            training.communes.set(communes(towns))
        for offset in (months * 30, months * 30 + 120):
            TrainingStart.objects.get_or_create(training=training, starts_on=today + timedelta(days=offset))

    # Meeting slots with the training bodies, for each session still open (if any).
    slots = 0
    for session in Session.objects.exclude(status__in=["closed", "archived", "draft"]):
        base = datetime.combine(today + timedelta(days=7), time(10, 0), tzinfo=PARIS)
        if session.slug == programs_demo.RUNNING_SLUG:
            base = _running_session_base(session)
        for body_index, body in enumerate(partners[:2]):
            for n in range(3):
                _, created = MeetingSlot.objects.get_or_create(
                    body=body,
                    session=session,
                    starts_at=base + timedelta(days=body_index, minutes=30 * n),
                    defaults={
                        "seats": 3,
                        "duration_minutes": 20,
                        "video_url": "https://visio.declics.example/demo",
                    },
                )
                slots += created
    interested = _candidate_interest()
    if stdout is not None:
        stdout.write(
            f"jobs.trainings: {len(TRAININGS)} trainings, {slots} new meeting slots"
            + (", the demo candidate interested in one" if interested else "")
        )


def _running_session_base(session: Session) -> datetime:
    """The first meeting slot of the running session, its slots moved first with the session's calendar."""
    first = MeetingSlot.objects.filter(session=session).order_by("pk").first()
    if first is not None:
        days = programs_demo.days_behind(session, laid_out_at=first.starts_at, offset=RUNNING_FIRST_SLOT)
        if days:
            MeetingSlot.objects.filter(session=session).update(
                starts_at=F("starts_at") + timedelta(days=days)
            )
        return MeetingSlot.objects.get(pk=first.pk).starts_at
    return session.starts_at + RUNNING_FIRST_SLOT


def _candidate_interest() -> bool:
    enrolment = programs_demo.candidate_enrolment()
    training = Training.objects.filter(title=CANDIDATE_INTEREST).first()
    if enrolment is None or training is None or TrainingInterest.objects.filter(enrolment=enrolment).exists():
        return False
    services.express_interest(
        training=training,
        enrolment=enrolment,
        message="Bonjour, cette formation m'intéresse : peut-on en parler lors d'une rencontre ?",
        consent=True,
    )
    return True
