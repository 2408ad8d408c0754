"""Demo sessions: the two real 2020 editions (closed), one running now, one open for sign-ups.

Called by `manage.py seed_demo` after the territories, before the demos of the step rooms and of
the advisers' pages, which build on these sessions. Idempotent and fast.

- The running session (`RUNNING_SLUG`, all of Occitanie) started `RUNNING_STARTED_DAYS_AGO` days
  ago and every step is open. Its dates are relative to today: a run on a later day moves the whole
  calendar so that it is running again (`running_session_start`), and each step room moves what it
  holds in it the same way. The demo candidate is enrolled in it; each room gives her some progress.
- The Ariège session is open for sign-ups, its steps open in a few weeks: the newcomer's path.

The demo participants have clearly fake addresses (@demo.declics.example) and no usable password.
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from declics.accounts.models import Role, User
from declics.territories import demo as territories_demo
from declics.territories.models import QPV, Commune, CommunePostalCode, Departement, Region, RuralZone
from declics.territories.text import normalize_name

from . import services
from .enrolments import find_enrolment
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

RUNNING_SLUG = "declics-numeriques-occitanie"
RUNNING_STARTED_DAYS_AGO = 10
DEMO_CANDIDATE = "candidate@declics.example"
CANDIDATE_COMMUNE = "09182"  # Massat, a rural commune (FRR): the candidate is eligible

# (code, name, postal codes, département) — real INSEE codes, used when the COG is not loaded.
COMMUNES = {
    "34172": ("Montpellier", "34000 34070 34080 34090", "34"),
    "34142": ("Lodève", "34700", "34"),
    "34032": ("Béziers", "34500", "34"),
    "34301": ("Sète", "34200", "34"),
    "31555": ("Toulouse", "31000 31100 31200 31300 31400 31500", "31"),
    "31069": ("Blagnac", "31700", "31"),
    "31395": ("Muret", "31600", "31"),
    "09122": ("Foix", "09000", "09"),
    "09182": ("Massat", "09320", "09"),
    "11069": ("Carcassonne", "11000", "11"),
    "11262": ("Narbonne", "11100", "11"),
    "12202": ("Rodez", "12000", "12"),
    "12145": ("Millau", "12100", "12"),
    "30189": ("Nîmes", "30000 30900", "30"),
    "30007": ("Alès", "30100", "30"),
    "32013": ("Auch", "32000", "32"),
    "46042": ("Cahors", "46000", "46"),
    "48095": ("Mende", "48000", "48"),
    "65440": ("Tarbes", "65000", "65"),
    "66136": ("Perpignan", "66000 66100", "66"),
    "81004": ("Albi", "81000", "81"),
    "81065": ("Castres", "81100", "81"),
    "82121": ("Montauban", "82000", "82"),
}
DEPARTEMENTS = {
    "09": "Ariège",
    "11": "Aude",
    "12": "Aveyron",
    "30": "Gard",
    "31": "Haute-Garonne",
    "32": "Gers",
    "34": "Hérault",
    "46": "Lot",
    "48": "Lozère",
    "65": "Hautes-Pyrénées",
    "66": "Pyrénées-Orientales",
    "81": "Tarn",
    "82": "Tarn-et-Garonne",
}
# The candidate's profile, as she gave it when she signed up.
CANDIDATE_PROFILE = {
    "birth_year": 1988,
    "gender": "woman",
    "education_level": "bac",
    "situation": "job_seeker",
    "france_travail_id": "",
    "heard_from": "france_travail",
    "rqth": None,
    "rqth_consent": False,
    "privacy_consent": True,
}


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
    # Without the COG the sample lists found none of these communes (territories' demo ran first):
    # import them again now that they exist, so that a second run finds nothing new to import.
    territories_demo.seed()
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


def _participants(
    *,
    session: Session,
    communes: list[Commune],
    qpvs: dict[int, QPV],
    numbers: range = range(1, PARTICIPANTS + 1),
    seed: int | str = 2020,
    # How many steps each has done: 0 to 6 (a finished edition: most went far).
    weights: tuple[int, ...] = (3, 5, 8, 12, 15, 22, 35),
) -> int:
    """Fake participants with their profiles and progress, in a handful of bulk inserts."""
    rng = random.Random(seed)
    password = make_password(None)  # unusable: demo participants never log in
    users = [
        User(
            email=f"participant{n:04d}@{DEMO_DOMAIN}",
            first_name=f"Participant·e {n}",
            last_name="Démo",
            role=Role.JOB_SEEKER,
            password=password,
        )
        for n in numbers
    ]
    User.objects.bulk_create(users, ignore_conflicts=True, batch_size=500)
    users = list(User.objects.filter(email__in=[user.email for user in users]).order_by("email"))
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
                last_activity_at=min(session.ends_at, timezone.now()),
            )
        )
    JobSeekerProfile.objects.bulk_create(profiles, ignore_conflicts=True, batch_size=500)
    Enrolment.objects.bulk_create(enrolments, ignore_conflicts=True, batch_size=500)
    steps = {s.step: s.opens_at for s in session.steps.all()}
    progress = []
    for enrolment in session.enrolments.filter(job_seeker__in=users).only("pk"):  # the participants, in bulk
        done = rng.choices(range(7), weights=weights)[0]
        for number in range(1, done + 1):
            progress.append(
                StepProgress(enrolment=enrolment, step=number, completed_at=steps[number] + timedelta(days=1))
            )
    StepProgress.objects.bulk_create(progress, ignore_conflicts=True, batch_size=1000)
    return len(users)


def running_session_start(today: date | None = None) -> datetime:
    """When the running demo session starts, seeded on `today`: RUNNING_STARTED_DAYS_AGO days before, 9:00."""
    today = today or timezone.localdate()
    return datetime.combine(today - timedelta(days=RUNNING_STARTED_DAYS_AGO), time(9, 0), tzinfo=PARIS)


def running_session() -> Session | None:
    return Session.objects.filter(slug=RUNNING_SLUG).first()


def days_behind(session: Session, *, laid_out_at: datetime, offset: timedelta) -> int:
    """By how many days a row of a room, laid out at `session.starts_at + offset`, lags behind the
    session's calendar (moved by a later run). The room moves its rows in the session by that much."""
    wanted = timezone.localdate(session.starts_at + offset)
    return (wanted - timezone.localdate(laid_out_at)).days


RUNNING_PARTICIPANTS = range(PARTICIPANTS + 1, PARTICIPANTS + 61)  # 60 people besides the candidate
# Where they live: a quarter of Montpellier, Toulouse or Foix (QPV), or Lodève or Massat (FRR).
RUNNING_COMMUNES = ["34172", "31555", "09122", "34142", "09182"]


def _running_session(communes: dict[str, Commune]) -> Session:
    """The session running now: created, or its whole calendar moved so that it runs today again."""
    start = running_session_start()
    session = running_session()
    if session is None:
        session = Session.objects.create(
            slug=RUNNING_SLUG,
            title="DéClics Numériques Occitanie",
            region_id="76",
            capacity=500,
            description="La session en cours, dans toute l'Occitanie : six semaines, 100 % en ligne, "
            "pour découvrir les métiers du numérique, être accompagné·e et trouver une formation "
            "ou un emploi.",
            registration_opens_at=start - timedelta(days=21),
            registration_closes_at=start + timedelta(days=24),
            starts_at=start,
            ends_at=start + timedelta(days=42, hours=9),
            survey_at=start + timedelta(days=42, hours=9),
            status=SessionStatus.RUNNING,
            published_at=start - timedelta(days=28),
        )
        session.departements.set(Departement.objects.filter(region_id="76"))
        # Every step open (one a day from the start), already told: the calendar task has nothing to send.
        SessionStep.objects.bulk_create(
            [
                SessionStep(session=session, step=step.value, opens_at=when, opened_at=when)
                for step in Step
                for when in [start + timedelta(days=step.value - 1)]
            ]
        )
        towns = [communes[code] for code in RUNNING_COMMUNES]
        _participants(
            session=session,
            communes=towns,
            qpvs={town.pk: QPV.objects.filter(communes=town).order_by("pk").first() for town in towns},
            numbers=RUNNING_PARTICIPANTS,
            seed=RUNNING_SLUG,
            weights=(10, 20, 25, 20, 12, 8, 5),  # ten days in: most are on steps 1 to 3
        )
        return session
    days = (timezone.localdate(start) - timezone.localdate(session.starts_at)).days
    if days:
        shift = timedelta(days=days)
        for name in ("registration_opens_at", "registration_closes_at", "starts_at", "ends_at", "survey_at"):
            setattr(session, name, getattr(session, name) + shift)
        session.published_at = session.registration_opens_at - timedelta(days=7)
        session.status = SessionStatus.RUNNING
        session.registration_closed_at = session.survey_sent_at = None
        session.save()
        SessionStep.objects.filter(session=session).update(
            opens_at=F("opens_at") + shift, opened_at=F("opens_at") + shift
        )
        # The progress moves along (what was done on the day the demo was seeded stays "today").
        progress = StepProgress.objects.filter(enrolment__session=session)
        progress.update(completed_at=F("completed_at") + shift)
        now = timezone.now()
        progress.filter(completed_at__gt=now).update(completed_at=now)
    return session


def _enrol_candidate(session: Session, communes: dict[str, Commune]) -> Enrolment | None:
    """The demo candidate signs up for the running session, as anyone would (once)."""
    candidate = User.objects.filter(email=DEMO_CANDIDATE, role=Role.JOB_SEEKER).first()
    if candidate is None or find_enrolment(candidate, session=session, statuses=EnrolmentStatus.values):
        return None
    return services.enrol_job_seeker(
        session=session,
        job_seeker=candidate,
        commune=communes[CANDIDATE_COMMUNE],
        profile=CANDIDATE_PROFILE,
        now=session.starts_at + timedelta(hours=2),
    )


def candidate_enrolment() -> Enrolment | None:
    """The demo candidate's enrolment in the running session (the step rooms give her some progress)."""
    candidate = User.objects.filter(email=DEMO_CANDIDATE, role=Role.JOB_SEEKER).first()
    if candidate is None:
        return None
    return find_enrolment(
        candidate,
        session_slug=RUNNING_SLUG,
        statuses=EnrolmentStatus.values,
        related=("session", "job_seeker"),
    )


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
    running = _running_session(communes)
    enrolled = _enrol_candidate(running, communes)
    if stdout:
        stdout.write(
            f"programs: sessions {herault.slug}, {toulouse.slug} (2020), {running.slug} (running, every "
            f"step open{', the demo candidate enrolled' if enrolled else ''}), "
            f"{ariege.slug} (open for sign-ups)"
        )
    return [herault, toulouse, running, ariege]
