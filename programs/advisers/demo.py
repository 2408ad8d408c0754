"""Demo agencies, the demo adviser's people, and survey answers for the closed editions.

Called by `manage.py seed_demo` after `programs.demo` and the steps' demos; idempotent
(get-or-create, and surveys only where a session has none yet) and fast (bulk inserts, a few
queries whatever the number of people).
"""

import random
from datetime import timedelta

from django.db import transaction

from declics.accounts.models import Role, User
from declics.territories.models import Departement

from ..models import (
    AdviserMembership,
    Agency,
    AgencyKind,
    ContractKind,
    Enrolment,
    EnrolmentStatus,
    Session,
    SessionStatus,
    Situation,
    Step,
    SurveyKind,
    SurveyResponse,
)

DEMO_ADVISER = "adviser@declics.example"
HERAULT_SLUG = "declics-numeriques-herault-2020"
ADVISER_PEOPLE = 40

AGENCIES = [
    # (name, kind, département)
    ("France Travail Montpellier Ouest", AgencyKind.FRANCE_TRAVAIL, "34"),
    ("Mission locale Montpellier Méditerranée Métropole", AgencyKind.MISSION_LOCALE, "34"),
    ("France Travail Toulouse Matabiau", AgencyKind.FRANCE_TRAVAIL, "31"),
    ("Cap emploi Haute-Garonne", AgencyKind.CAP_EMPLOI, "31"),
]
# (survey, days after the end, share in a job among those who answer)
FOLLOW_UPS = ((SurveyKind.FOLLOW_UP_3, 91, 0.28), (SurveyKind.FOLLOW_UP_6, 182, 0.41))
DIGITAL_ROME = ["M1805", "M1810", "E1205", "M1801", "E1101"]


def _agencies() -> list[Agency]:
    agencies = []
    present = set(
        Departement.objects.filter(code__in={a[2] for a in AGENCIES}).values_list("code", flat=True)
    )
    for name, kind, departement in AGENCIES:
        if departement not in present:
            continue
        agency, _created = Agency.objects.get_or_create(
            departement_id=departement, name=name, defaults={"kind": kind}
        )
        agencies.append(agency)
    return agencies


def _adviser_people(agency: Agency, stdout=None) -> int:
    """The demo adviser joins the Montpellier agency and is named, with consent, on ~40 people."""
    adviser = User.objects.filter(email=DEMO_ADVISER, role=Role.ADVISER).first()
    if adviser is None:
        return 0
    AdviserMembership.objects.get_or_create(user=adviser, defaults={"agency": agency})
    if Enrolment.objects.filter(adviser=adviser).exists():
        return 0
    ids = list(
        Enrolment.objects.filter(session__slug=HERAULT_SLUG, adviser__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:ADVISER_PEOPLE]
    )
    # Most of them agreed to share their progress; a few did not (they only count in figures).
    sharing = ids[: ADVISER_PEOPLE - 4]
    Enrolment.objects.filter(pk__in=sharing).update(adviser=adviser, share_with_adviser=True)
    Enrolment.objects.filter(pk__in=ids[len(sharing) :]).update(adviser=adviser, share_with_adviser=False)
    return len(ids)


def _surveys(session: Session) -> int:
    """Satisfaction (84% give 4 or 5, as in the real Hérault edition) and 3- and 6-month outcomes."""
    if SurveyResponse.objects.filter(enrolment__session=session).exists():
        return 0
    rng = random.Random(f"surveys-{session.slug}")
    rows = []
    satisfaction_at = session.survey_at
    enrolments = list(
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in enrolments:
        answered = rng.random() < 0.7
        overall = rng.choices([5, 4, 3, 2, 1], weights=[46, 38, 10, 4, 2])[0] if answered else None
        rows.append(
            SurveyResponse(
                enrolment_id=pk,
                kind=SurveyKind.SATISFACTION,
                sent_at=satisfaction_at,
                reminded_at=None if answered else satisfaction_at + timedelta(days=7),
                answered_at=satisfaction_at + timedelta(days=rng.randint(0, 10)) if answered else None,
                overall=overall,
                step_usefulness={str(step.value): rng.randint(3, 5) for step in Step} if answered else {},
                would_recommend=(overall >= 4) if answered else None,
            )
        )
        for kind, days, job_share in (
            (SurveyKind.FOLLOW_UP_3, 91, 0.28),
            (SurveyKind.FOLLOW_UP_6, 182, 0.41),
        ):
            sent_at = session.ends_at + timedelta(days=days)
            answered = rng.random() < 0.5
            situation = ""
            if answered:
                draw = rng.random()
                situation = (
                    Situation.JOB
                    if draw < job_share
                    else Situation.TRAINING
                    if draw < job_share + 0.25
                    else Situation.SEARCHING
                    if draw < 0.95
                    else Situation.OTHER
                )
            job = situation == Situation.JOB
            rows.append(
                SurveyResponse(
                    enrolment_id=pk,
                    kind=kind,
                    sent_at=sent_at,
                    answered_at=sent_at + timedelta(days=rng.randint(0, 12)) if answered else None,
                    situation=situation,
                    contract=rng.choice(ContractKind.values) if job else "",
                    rome_code=rng.choice(DIGITAL_ROME) if job else "",
                )
            )
    SurveyResponse.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return len(enrolments)


@transaction.atomic
def seed(stdout=None) -> list[Agency]:
    agencies = _agencies()
    montpellier = next((a for a in agencies if a.departement_id == "34"), None)
    people = _adviser_people(montpellier) if montpellier else 0
    surveyed = {
        session.slug: _surveys(session)
        for session in Session.objects.filter(status=SessionStatus.CLOSED).order_by("starts_at")
    }
    if stdout:
        stdout.write(
            f"programs: {len(agencies)} demo agencies; {people} people named the demo adviser; "
            f"surveys for {sum(surveyed.values())} people of the closed sessions"
        )
    return agencies
