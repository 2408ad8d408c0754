"""Demo trainings of the two demo training bodies, and their meeting slots for each open session. Idempotent.

Runs after jobs.demo (the partners); see there what makes the data clearly demo.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from declics.rome.models import RomeJob
from jobs.demo import communes, demo_partners
from programs.models import Session

from .models import MeetingSlot, Training, TrainingFormat, TrainingStart

PARIS = ZoneInfo("Europe/Paris")


# (title, body index, ROME codes, format, towns, hours, level, funding, GEN label, months to start)
TRAININGS = [
    ("Développeur·se web et web mobile", 0, ["M1855", "M1805"], TrainingFormat.MIXED, ["34172"], 800, "5",
     {"funding_region": True, "is_free": True}, True, 1),
    ("Technicien·ne d'assistance informatique", 0, ["M1874", "M1810"], TrainingFormat.ON_SITE, ["34172"], 600,
     "4", {"funding_aif": True, "funding_cpf": True}, True, 2),
    ("Community manager : les bases", 1, ["E1101", "E1124"], TrainingFormat.DISTANCE, [], 120, "none",
     {"funding_cpf": True}, False, 1),
    ("Designer UX/UI", 1, ["E1206", "E1210"], TrainingFormat.MIXED, ["31555"], 700, "6",
     {"funding_region": True}, True, 3),
]  # fmt: skip


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
    if stdout is not None:
        stdout.write(f"jobs.trainings: {len(TRAININGS)} trainings, {slots} new meeting slots")
