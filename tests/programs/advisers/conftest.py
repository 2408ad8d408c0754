from datetime import timedelta

import pytest
from django.utils import timezone

from programs.models import SessionStatus, Step, StepProgress
from tests.factories import UserFactory
from tests.programs.factories import CommuneFactory, DepartementFactory, EnrolmentFactory, SessionFactory

from .factories import AgencyFactory, agency_adviser


def progress(enrolment, *steps, when=None):
    when = when or timezone.now()
    StepProgress.objects.bulk_create(
        [StepProgress(enrolment=enrolment, step=step, completed_at=when) for step in steps]
    )


@pytest.fixture
def world(db):
    """A running Hérault session whose first three steps are open; two agencies; people of each.

    - adviser (agency A): Alice (consents, steps 1-2 done), Bruno (consents, nothing done, stuck),
      Chloé (does not consent, step 1 done);
    - colleague (agency A): Damien (consents);
    - head of agency A; other_adviser (agency B, Haute-Garonne): Élise (consents) in the same session.
    """
    now = timezone.now()
    herault = DepartementFactory(code="34", name="Hérault")
    garonne = DepartementFactory(code="31", name="Haute-Garonne")
    start = now - timedelta(days=20)
    session = SessionFactory(
        slug="declics-herault",
        status=SessionStatus.RUNNING,
        registration_opens_at=start - timedelta(days=20),
        registration_closes_at=start,
        starts_at=start,
        ends_at=now + timedelta(days=20),
        departements=[herault],
        steps=[start + timedelta(days=8 * i) for i in range(len(Step))],  # steps 1-3 open by now
    )
    agency = AgencyFactory(name="France Travail Montpellier", departement=herault)
    other_agency = AgencyFactory(name="Mission locale Toulouse", departement=garonne)
    adviser = agency_adviser(agency=agency, first_name="Ana", last_name="Conseil")
    colleague = agency_adviser(agency=agency)
    head = agency_adviser(agency=agency, is_head=True)
    other_adviser = agency_adviser(agency=other_agency)
    montpellier = CommuneFactory(code="34172", name="Montpellier")
    lodeve = CommuneFactory(code="34142", name="Lodève")

    def person(first, last, adviser, *, share=True, commune=montpellier, basis="qpv", active_days_ago=1):
        return EnrolmentFactory(
            session=session,
            job_seeker=UserFactory(first_name=first, last_name=last, email=f"{first.lower()}@example.org"),
            adviser=adviser,
            share_with_adviser=share,
            commune=commune,
            eligibility={"eligible": True, "basis": basis},
            last_activity_at=now - timedelta(days=active_days_ago),
        )

    alice = person("Alice", "Martin", adviser)
    progress(alice, 1, 2)
    bruno = person("Bruno", "Petit", adviser, commune=lodeve, basis="frr", active_days_ago=12)
    chloe = person("Chloe", "Durand", adviser, share=False)
    progress(chloe, 1)
    damien = person("Damien", "Roux", colleague)
    elise = person("Elise", "Blanc", other_adviser)
    return type(
        "World",
        (),
        {
            "session": session,
            "agency": agency,
            "adviser": adviser,
            "colleague": colleague,
            "head": head,
            "other_adviser": other_adviser,
            "alice": alice,
            "bruno": bruno,
            "chloe": chloe,
            "damien": damien,
            "elise": elise,
            "garonne": garonne,
        },
    )
