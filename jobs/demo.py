"""Demo partners, trainings, meeting slots, job offers and applications. Idempotent.

Called by `manage.py seed_demo` after programs and mentoring. Everything is clearly demo: names
end with "(démo)", SIRET numbers are made up (they pass the checksum), addresses use
@demo.declics.example. Missing sessions or communes are tolerated (the rows are then skipped).
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from declics.accounts.models import User
from declics.rome.models import RomeJob
from declics.rome.services import load_rome_jobs
from declics.territories.models import Commune, Region
from programs.models import Enrolment, Session

from .models import Partner, PartnerKind, PartnerMembership
from .offers.models import Application, ApplicationStatus, ContractType, JobOffer, RejectionReason
from .trainings.models import MeetingSlot, Training, TrainingFormat, TrainingStart

PARIS = ZoneInfo("Europe/Paris")
DEMO_PDF = b"%PDF-1.4\n% CV de demonstration DeClics\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# (name, SIRET, kind, INSEE codes of its towns)
PARTNERS = [
    ("Code Occitanie (démo)", "90000000100017", PartnerKind.TRAINING_BODY, ["34172"]),
    ("Numérique Pour Toutes Toulouse (démo)", "90000000200015", PartnerKind.TRAINING_BODY, ["31555"]),
    ("Agence Web du Lez (démo)", "90000000300013", PartnerKind.COMPANY, ["34172"]),
    ("Support Garonne Services (démo)", "90000000400011", PartnerKind.COMPANY, ["31555"]),
]

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

# (title, company index, ROME code, contract, town or None for remote, days to expiry)
OFFERS = [
    ("Développeur·se web junior", 2, "M1855", ContractType.CDI, "34172", 30),
    ("Alternance : intégrateur·rice web", 2, "M1855", ContractType.WORK_STUDY, "34172", 45),
    ("Technicien·ne support utilisateurs", 3, "M1874", ContractType.CDD, "31555", 20),
    ("Stage : community manager", 3, "E1101", ContractType.INTERNSHIP, None, 25),
]

APPLICATION_STATES = [
    ApplicationStatus.NEW,
    ApplicationStatus.SEEN,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.HIRED,
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.WITHDRAWN,
]


def _communes(codes) -> list[Commune]:
    return list(Commune.objects.current().filter(code__in=codes))


@transaction.atomic
def seed(stdout=None) -> None:
    if not RomeJob.objects.exists():
        load_rome_jobs()
    today = timezone.localdate()
    partners = []
    occitanie = Region.objects.filter(code="76").first()
    for name, siret, kind, towns in PARTNERS:
        partner, created = Partner.objects.get_or_create(
            siret=siret,
            defaults={
                "name": name,
                "kind": kind,
                "sector": "Formation" if kind == PartnerKind.TRAINING_BODY else "Services numériques",
                "qualiopi": kind == PartnerKind.TRAINING_BODY,
                "website": "https://declics.example/demo",
                "contact_email": f"contact+{siret[-5:]}@demo.declics.example",
            },
        )
        if created:
            partner.communes.set(_communes(towns))
            if occitanie:
                partner.regions.set([occitanie])
        partners.append(partner)

    # The demo partner account works for the web agency.
    partner_user = User.objects.filter(email="partner@declics.example").first()
    if partner_user and not hasattr(partner_user, "partner_membership"):
        PartnerMembership.objects.create(user=partner_user, partner=partners[2])

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
            training.communes.set(_communes(towns))
        for offset in (months * 30, months * 30 + 120):
            TrainingStart.objects.get_or_create(training=training, starts_on=today + timedelta(days=offset))

    offers = []
    for title, company, code, contract, town, days in OFFERS:
        commune = _communes([town])[0] if town and _communes([town]) else None
        if town and commune is None:
            continue
        offer, _ = JobOffer.objects.get_or_create(
            title=f"{title} (démo)",
            company=partners[company],
            defaults={
                "rome_job": RomeJob.objects.filter(code=code).first(),
                "contract": contract,
                "commune": commune,
                "departement_id": commune.departement_id if commune else None,
                "is_remote": commune is None,
                "hours": "35 h par semaine",
                "salary_min": 24000,
                "salary_max": 30000,
                "description": "Offre de démonstration : l'entreprise et le poste ne sont pas réels.",
                "requirements": "Curiosité, envie d'apprendre, premières bases acquises pendant DéClics.",
                "starts_on": today + timedelta(days=days + 15),
                "expires_on": today + timedelta(days=days),
                "positions": 2,
            },
        )
        offers.append(offer)

    # Applications in every state, from demo participants of the Hérault session (if seeded).
    enrolments = list(
        Enrolment.objects.filter(session__slug="declics-numeriques-herault-2020")
        .select_related("job_seeker")
        .order_by("id")[: len(APPLICATION_STATES)]
    )
    herault_offers = [offer for offer in offers if offer.departement_id == "34" or offer.is_remote]
    created_applications = 0
    for index, (enrolment, status) in enumerate(zip(enrolments, APPLICATION_STATES, strict=False)):
        if not herault_offers:
            break
        offer = herault_offers[index % len(herault_offers)]
        if Application.objects.filter(offer=offer, job_seeker=enrolment.job_seeker).exists():
            continue
        application = Application(
            offer=offer,
            job_seeker=enrolment.job_seeker,
            enrolment=enrolment,
            message="Bonjour, j'ai suivi DéClics Numériques et ce poste m'intéresse. (démo)",
            cv_name="cv-demo.pdf",
            cv_content_type="application/pdf",
            status=status,
            rejection_reason=RejectionReason.PROFILE if status == ApplicationStatus.NOT_SELECTED else "",
            hired_at=timezone.now() if status == ApplicationStatus.HIRED else None,
        )
        application.cv.save("cv", ContentFile(DEMO_PDF), save=False)
        application.save()
        created_applications += 1

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
        stdout.write(
            f"jobs: {len(partners)} demo partners, {len(TRAININGS)} trainings, {len(offers)} offers, "
            f"{created_applications} new applications, {slots} new meeting slots"
        )
