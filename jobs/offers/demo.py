"""Demo offers of the two demo companies, and applications in every state from the demo participants of
the Hérault session (if seeded). Idempotent.

Runs after jobs.demo (the partners); see there what makes the data clearly demo.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from declics.rome.models import RomeJob
from jobs.demo import communes, demo_partners
from programs.models import Enrolment

from .models import Application, ApplicationStatus, ContractType, JobOffer, RejectionReason

DEMO_PDF = b"%PDF-1.4\n% CV de demonstration DeClics\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


# (title, company index, ROME code, contract, town or None for remote, days to expiry)
# Companies: 2 Agence Web du Lez, 3 Support Garonne Services, 6 Données du Gard, 7 Pyrénées Cloud.
OFFERS = [
    ("Développeur·se web junior", 2, "M1855", ContractType.CDI, "34172", 30),
    ("Alternance : intégrateur·rice web", 2, "M1855", ContractType.WORK_STUDY, "34172", 45),
    ("Technicien·ne support utilisateurs", 3, "M1874", ContractType.CDD, "31555", 20),
    ("Stage : community manager", 3, "E1101", ContractType.INTERNSHIP, None, 25),
    ("Webdesigner", 2, "E1210", ContractType.CDD, "34032", 35),
    ("Technicien·ne de proximité", 3, "M1874", ContractType.CDI, "31069", 40),
    ("Alternance : technicien·ne réseaux", 3, "M1810", ContractType.WORK_STUDY, "09122", 50),
    ("Assistant·e data", 6, "M1805", ContractType.CDD, "30189", 30),
    ("Stage : analyse de données", 6, "M1805", ContractType.INTERNSHIP, "30007", 28),
    ("Technicien·ne d'exploitation cloud", 7, "M1810", ContractType.CDI, "65440", 45),
    ("Alternance : administrateur·rice systèmes", 7, "M1801", ContractType.WORK_STUDY, "66136", 60),
    ("Support informatique en télétravail", 7, "M1874", ContractType.CDD, None, 30),
    ("Gestionnaire de boutique en ligne", 2, "E1113", ContractType.CDI, "11069", 40),
    ("Technicien·ne helpdesk", 3, "M1874", ContractType.CDD, "81004", 35),
    ("Alternance : développeur·se web", 6, "M1855", ContractType.WORK_STUDY, "82121", 55),
    ("Animateur·rice numérique", 7, "E1101", ContractType.CDD, "12202", 30),
]

APPLICATION_STATES = [
    ApplicationStatus.NEW,
    ApplicationStatus.SEEN,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.HIRED,
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.WITHDRAWN,
]


@transaction.atomic
def seed(stdout=None) -> None:
    today = timezone.localdate()
    partners = demo_partners()
    offers = []
    for title, company, code, contract, town, days in OFFERS:
        commune = communes([town])[0] if town and communes([town]) else None
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
        if offer.expires_on < today + timedelta(days=7):  # seeded long ago: open again from today
            offer.starts_on, offer.expires_on = (
                today + timedelta(days=days + 15),
                today + timedelta(days=days),
            )
            offer.save(update_fields=["starts_on", "expires_on"])
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

    if stdout is not None:
        stdout.write(f"jobs.offers: {len(offers)} offers, {created_applications} new applications")
