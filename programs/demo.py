"""Demo sessions: the two real 2020 editions (closed) and one open now. Idempotent and fast.

Called by `manage.py seed_demo` after the territories, before the demos of the step rooms and of
the advisers' pages, which build on these sessions. The demo participants have clearly fake
addresses (@demo.declics.example) and no usable password; the demo candidate account is not
enrolled anywhere, so it can sign up for the open session at once.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from declics.accounts.models import Role, User
from declics.territories.models import QPV, Commune, CommunePostalCode, Departement, Region, RuralZone
from declics.territories.text import normalize_name

from .models import (
    Enrolment,
    EnrolmentStatus,
    JobSeekerProfile,
    Session,
    SessionStatus,
    SessionStep,
    Step,
    StepProgress,
)

PARIS = ZoneInfo("Europe/Paris")
DEMO_DOMAIN = "demo.declics.example"
PARTICIPANTS = 600
SAMPLE_SOURCE = "Exemple de démonstration DéClics : pas la liste officielle"

# (code, name, postal codes, département) — real INSEE codes, used when the COG is not loaded.
COMMUNES = {
    "34172": ("Montpellier", "34000 34070 34080 34090", "34"),
    "34142": ("Lodève", "34700", "34"),
    "31555": ("Toulouse", "31000 31100 31200 31300 31400 31500", "31"),
    "09122": ("Foix", "09000", "09"),
    "09182": ("Massat", "09320", "09"),
}
DEPARTEMENTS = {"34": "Hérault", "31": "Haute-Garonne", "09": "Ariège"}


def _aware(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def _territories() -> dict[str, Commune]:
    region, _ = Region.objects.get_or_create(code="76", defaults={"name": "Occitanie"})
    for code, name in DEPARTEMENTS.items():
        Departement.objects.get_or_create(code=code, defaults={"name": name, "region": region})
    communes = {}
    for code, (name, postal_codes, departement) in COMMUNES.items():
        communes[code], _ = Commune.objects.get_or_create(
            code=code,
            kind=Commune.Kind.CURRENT,
            defaults={
                "name": name,
                "search_name": normalize_name(name),
                "postal_codes": postal_codes,
                "departement_id": departement,
            },
        )
    # The postal-code rows the commune search reads (the COG loader writes them for loaded communes).
    CommunePostalCode.objects.bulk_create(
        [
            CommunePostalCode(commune=commune, code=code)
            for commune in communes.values()
            for code in commune.postal_code_list
        ],
        ignore_conflicts=True,
    )
    # Sample QPV and FRR rows only where the loaded lists give none (never real-looking codes).
    today = timezone.localdate()
    for code in ("34172", "31555", "09122"):
        if not QPV.objects.filter(communes=communes[code]).exists():
            qpv, _ = QPV.objects.get_or_create(
                code=f"EXEMPLE-{code}",
                valid_from=date(2015, 1, 1),
                defaults={
                    "name": f"Quartier exemple de {communes[code].name}",
                    "source": SAMPLE_SOURCE,
                    "is_sample": True,
                },
            )
            qpv.communes.add(communes[code])
    for code in ("34142", "09182"):
        if not RuralZone.objects.valid_on(today).filter(commune=communes[code]).exists():
            RuralZone.objects.get_or_create(
                commune=communes[code],
                classification=RuralZone.Classification.FRR,
                valid_from=date(2015, 1, 1),
                defaults={"source": SAMPLE_SOURCE, "is_sample": True},
            )
    return communes


def _session(*, slug, title, departements, dates, capacity, description, closed) -> tuple[Session, bool]:
    existing = Session.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    opens, closes, starts, ends = dates
    step_dates = [starts + (ends - starts) * i / 7 for i in range(len(Step))]
    session = Session.objects.create(
        slug=slug,
        title=title,
        region_id="76",
        capacity=capacity,
        description=description,
        registration_opens_at=opens,
        registration_closes_at=closes,
        starts_at=starts,
        ends_at=ends,
        survey_at=ends,
        status=SessionStatus.CLOSED if closed else SessionStatus.REGISTRATION_OPEN,
        published_at=opens - timedelta(days=7),
        # The past editions' calendar is done: the periodic task has nothing to send for them.
        registration_closed_at=closes if closed else None,
        survey_sent_at=ends if closed else None,
    )
    session.departements.set(departements)
    SessionStep.objects.bulk_create(
        [
            SessionStep(session=session, step=step.value, opens_at=when, opened_at=when if closed else None)
            for step, when in zip(Step, step_dates, strict=True)
        ]
    )
    return session, True


def _participants(*, session: Session, communes: list[Commune], qpvs: dict[int, QPV]) -> int:
    """~600 fake participants with their profiles and progress, in a handful of bulk inserts."""
    rng = random.Random(2020)
    password = make_password(None)  # unusable: demo participants never log in
    users = [
        User(
            email=f"participant{n:04d}@{DEMO_DOMAIN}",
            first_name=f"Participant·e {n}",
            last_name="Démo",
            role=Role.JOB_SEEKER,
            password=password,
        )
        for n in range(1, PARTICIPANTS + 1)
    ]
    User.objects.bulk_create(users, ignore_conflicts=True, batch_size=500)
    users = list(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").order_by("email"))
    profiles, enrolments = [], []
    for user in users:
        commune = rng.choice(communes)
        qpv = qpvs.get(commune.pk)
        profiles.append(
            JobSeekerProfile(
                user=user,
                commune=commune,
                birth_year=rng.randint(1965, 2003),
                # 77% women in the real Hérault edition.
                gender=JobSeekerProfile.Gender.WOMAN if rng.random() < 0.77 else JobSeekerProfile.Gender.MAN,
                education_level=rng.choice(["none", "cap_bep", "bac", "bac2", "bac3plus"]),
                situation="job_seeker",
                heard_from=rng.choice(["france_travail", "mission_locale", "social_media", "association"]),
                privacy_consent_at=session.registration_opens_at,
            )
        )
        basis = "qpv" if qpv else "frr"
        enrolments.append(
            Enrolment(
                session=session,
                job_seeker=user,
                status=EnrolmentStatus.ACTIVE,
                commune=commune,
                qpv=qpv,
                share_with_adviser=rng.random() < 0.6,
                eligibility={
                    "eligible": True,
                    "basis": basis,
                    "demo": True,
                    "commune": {"code": commune.code},
                },
                last_activity_at=session.ends_at,
            )
        )
    JobSeekerProfile.objects.bulk_create(profiles, ignore_conflicts=True, batch_size=500)
    Enrolment.objects.bulk_create(enrolments, ignore_conflicts=True, batch_size=500)
    steps = {s.step: s.opens_at for s in session.steps.all()}
    progress = []
    for enrolment in Enrolment.objects.filter(session=session).only("pk"):
        done = rng.choices(range(7), weights=[3, 5, 8, 12, 15, 22, 35])[0]
        for number in range(1, done + 1):
            progress.append(
                StepProgress(enrolment=enrolment, step=number, completed_at=steps[number] + timedelta(days=1))
            )
    StepProgress.objects.bulk_create(progress, ignore_conflicts=True, batch_size=1000)
    return len(users)


@transaction.atomic
def seed(stdout=None) -> list[Session]:
    communes = _territories()
    herault, created = _session(
        slug="declics-numeriques-herault-2020",
        title="DéClics Numériques Hérault – été 2020",
        departements=["34"],
        dates=(
            _aware(2020, 5, 18, 9),
            _aware(2020, 6, 22, 9),
            _aware(2020, 6, 22, 9),
            _aware(2020, 7, 10, 18),
        ),
        capacity=650,
        description="La première édition, à Montpellier et dans tout l'Hérault : 600 participant·es, "
        "77 % de femmes, 84 % de satisfaction.",
        closed=True,
    )
    if created:
        herault_communes = [communes["34172"], communes["34142"]]
        qpvs = {
            communes["34172"].pk: QPV.objects.filter(communes=communes["34172"]).order_by("pk").first(),
        }
        count = _participants(session=herault, communes=herault_communes, qpvs=qpvs)
        if stdout:
            stdout.write(f"programs: {count} demo participants in {herault.slug}")
    toulouse, _ = _session(
        slug="declics-numeriques-haute-garonne-2020",
        title="DéClics Numériques Haute-Garonne – automne 2020",
        departements=["31"],
        dates=(
            _aware(2020, 9, 1, 9),
            _aware(2020, 9, 28, 9),
            _aware(2020, 9, 28, 9),
            _aware(2020, 10, 9, 18),
        ),
        capacity=700,
        description="À Toulouse et en Haute-Garonne, du 28 septembre au 9 octobre 2020, 100 % en ligne.",
        closed=True,
    )
    now = datetime.combine(timezone.localdate(), time(9, 0), tzinfo=PARIS)
    ariege, _ = _session(
        slug="declics-numeriques-ariege",
        title="DéClics Numériques Ariège",
        departements=["09"],
        dates=(
            now - timedelta(days=3),
            now + timedelta(days=25),
            now + timedelta(days=28),
            now + timedelta(days=56),
        ),
        capacity=300,
        description="Une session pour les habitant·es de l'Ariège : communes rurales FRR et quartiers "
        "prioritaires.",
        closed=False,
    )
    if stdout:
        stdout.write(f"programs: sessions {herault.slug}, {toulouse.slug}, {ariege.slug} (open)")
    return [herault, toulouse, ariege]
