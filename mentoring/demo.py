"""Demo mentors (approved, realistic jobs and companies) and matched pairs in the closed sessions;
in the running session, the demo candidate asked the demo mentor, who accepted (a mentorship to follow).

Called by `manage.py seed_demo` after `programs.demo`; idempotent. Sessions the programs demo
has not created (yet) are skipped without error.
"""

import random
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from declics.accounts.models import Role, User
from declics.rome.models import RomeJob
from declics.territories.models import Region
from programs import demo as programs_demo
from programs.models import Enrolment, EnrolmentStatus, Session

from . import services
from .models import EndReason, MentorProfile, Mentorship, MentorshipStatus, MentorStatus, SessionLog

DEMO_DOMAIN = "demo.declics.example"
CLOSED_SESSIONS = ["declics-numeriques-herault-2020", "declics-numeriques-haute-garonne-2020"]
PAIRS_PER_CLOSED_SESSION = 40

# Real ROME 4.0 digital job sheets, created if the ROME file is not loaded yet.
ROME_JOBS = {
    "M1805": "Études et développement informatique",
    "M1806": "Conseil et maîtrise d'ouvrage en systèmes d'information",
    "M1810": "Production et exploitation de systèmes d'information",
    "M1802": "Expertise et support en systèmes d'information",
    "E1101": "Animation de site multimédia",
    "E1104": "Conception de contenus multimédias",
    "E1205": "Réalisation de contenus multimédias",
    "M1403": "Études et prospectives socio-économiques",
}

# (first name, last name, gender, job title, employer, ROME codes, capacity, availability, languages)
MENTORS = [
    (
        "Julien",
        "Marty",
        "man",
        "Développeur web",
        "EDF",
        ["M1805"],
        3,
        ["tue-evening", "thu-evening"],
        ["fr", "en"],
    ),
    (
        "Amina",
        "Khelifi",
        "woman",
        "Data analyste",
        "AXA",
        ["M1403", "M1805"],
        2,
        ["mon-evening"],
        ["fr", "ar"],
    ),
    (
        "Sophie",
        "Garcia",
        "woman",
        "Cheffe de projet web",
        "Pierre Fabre",
        ["M1806"],
        4,
        ["wed-afternoon"],
        ["fr", "es"],
    ),
    ("Thomas", "Roux", "man", "Administrateur systèmes", "Airbus", ["M1810"], 2, ["sat-morning"], ["fr"]),
    (
        "Nadia",
        "Benhamou",
        "woman",
        "UX designer",
        "Google",
        ["E1104", "E1205"],
        3,
        ["thu-evening"],
        ["fr", "ar", "en"],
    ),
    (
        "Lucas",
        "Fabre",
        "man",
        "Technicien support",
        "Capgemini",
        ["M1802"],
        5,
        ["mon-morning", "fri-afternoon"],
        ["fr"],
    ),
    (
        "Claire",
        "Vidal",
        "woman",
        "Community manager",
        "Indépendante",
        ["E1101"],
        2,
        ["tue-evening"],
        ["fr", "en"],
    ),
    (
        "Karim",
        "Ouali",
        "man",
        "Développeur mobile",
        "Sopra Steria",
        ["M1805"],
        3,
        ["wed-evening"],
        ["fr", "ar"],
    ),
    (
        "Élodie",
        "Martin",
        "woman",
        "Testeuse logiciel",
        "CGI",
        ["M1805", "M1806"],
        1,
        ["thu-afternoon"],
        ["fr"],
    ),
    (
        "Mehdi",
        "Saïdi",
        "man",
        "Technicien réseaux",
        "Orange",
        ["M1810", "M1802"],
        4,
        ["sat-morning"],
        ["fr", "ar"],
    ),
    (
        "Laura",
        "Pons",
        "woman",
        "Intégratrice web",
        "Indépendante",
        ["M1805", "E1205"],
        2,
        ["mon-evening"],
        ["fr", "es"],
    ),
    ("Antoine", "Blanc", "man", "Scrum master", "AXA", ["M1806"], 3, ["fri-evening"], ["fr", "en"]),
    (
        "Fatou",
        "Diallo",
        "woman",
        "Développeuse back-end",
        "Bénévole",
        ["M1805"],
        2,
        ["tue-evening"],
        ["fr", "wo"],
    ),
    ("Hugo", "Lefèvre", "man", "Motion designer", "Indépendant", ["E1104"], 1, ["wed-afternoon"], ["fr"]),
    (
        "Inès",
        "Haddad",
        "woman",
        "Cheffe de produit",
        "EDF",
        ["M1806", "M1403"],
        3,
        ["thu-evening"],
        ["fr", "ar", "en"],
    ),
    ("Pierre", "Combes", "man", "Ingénieur cloud", "Airbus", ["M1810"], 2, ["mon-evening"], ["fr", "en"]),
]


@transaction.atomic
def seed(stdout=None) -> list[MentorProfile]:
    region = Region.objects.filter(code="76").first()
    if region is None:  # territories not there: nothing to attach mentors to
        return []
    for code, label in ROME_JOBS.items():
        RomeJob.objects.get_or_create(code=code, defaults={"label": label, "is_digital": True})
    profiles = []
    for n, (first, last, gender, job, employer, codes, capacity, slots, languages) in enumerate(MENTORS):
        email = "mentor@declics.example" if n == 0 else f"mentor{n:02d}@{DEMO_DOMAIN}"
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "role": Role.MENTOR}
        )
        if created:
            user.password = make_password(None)  # demo people cannot log in (except the demo account)
            user.save(update_fields=["password"])
        profile, created = MentorProfile.objects.get_or_create(
            user=user,
            defaults={
                "job_title": job,
                "employer": employer,
                "region": region,
                "capacity": capacity,
                "availability": slots,
                "languages": languages,
                "gender": gender,
                "status": MentorStatus.APPROVED,
                "presentation": f"{job} chez {employer}. J'aime transmettre, j'ai changé de métier.",
            },
        )
        if created:
            profile.rome_jobs.set(codes)
        profiles.append(profile)
    pairs = _closed_session_pairs(profiles)
    paired = _candidate_mentorship(profiles[0])
    if stdout:
        stdout.write(
            f"mentoring: {len(profiles)} approved demo mentors, {pairs} past mentorships"
            + (", the demo candidate mentored by the demo mentor" if paired else "")
        )
    return profiles


def _candidate_mentorship(mentor: MentorProfile) -> bool:
    """The demo candidate asks the demo mentor, who accepts: the mentorship starts (step 3 under way)."""
    enrolment = programs_demo.candidate_enrolment()
    if enrolment is None or Mentorship.objects.filter(enrolment=enrolment).exists():
        return False
    request = services.ask_mentor(
        enrolment=enrolment,
        mentor=mentor,
        message="Bonjour, je découvre le développement web et j'aimerais des conseils "
        "pour choisir une formation.",
    )
    services.accept_request(request=request, mentor_user=mentor.user)
    return True


def _closed_session_pairs(profiles: list[MentorProfile]) -> int:
    """Ended mentorships (with one logged session each) in the closed demo sessions."""
    rng = random.Random(2020)
    created = 0
    for session in Session.objects.filter(slug__in=CLOSED_SESSIONS):
        if Mentorship.objects.filter(enrolment__session=session).exists():
            continue
        enrolments = list(
            Enrolment.objects.filter(session=session, status=EnrolmentStatus.ACTIVE)
            .filter(~Q(job_seeker__email__startswith="candidate@"))
            .order_by("id")[:PAIRS_PER_CLOSED_SESSION]
        )
        mentorships = []
        for index, enrolment in enumerate(enrolments):
            started = session.starts_at + timedelta(days=6)
            mentorships.append(
                Mentorship(
                    enrolment=enrolment,
                    mentor=profiles[index % len(profiles)],
                    status=MentorshipStatus.ENDED,
                    goals="Préparer un entretien et choisir une formation.",
                    started_at=started,
                    ended_at=session.ends_at,
                    end_reason=rng.choice(
                        [EndReason.GOALS_REACHED, EndReason.FOUND_JOB, EndReason.NO_CONTACT]
                    ),
                )
            )
        Mentorship.objects.bulk_create(mentorships)
        SessionLog.objects.bulk_create(
            SessionLog(
                mentorship=mentorship,
                held_on=(mentorship.started_at + timedelta(days=3)).date(),
                duration_minutes=rng.choice([30, 45, 60]),
                topic=rng.choice(["Découverte du métier", "CV et LinkedIn", "Préparer un entretien"]),
            )
            for mentorship in mentorships
        )
        created += len(mentorships)
    return created
