"""Two people ask for the last place at the same moment: one gets it, the other waits."""

import threading

import pytest
from django.db import connection, connections

from programs import services
from programs.models import Enrolment, EnrolmentStatus
from tests.factories import UserFactory

from .factories import SessionFactory
from .test_services import PROFILE

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
    ),
]


def test_enrol_job_seeker_race_for_the_last_place(rural_commune):
    session = SessionFactory(capacity=1)
    people = UserFactory.create_batch(2)
    barrier = threading.Barrier(2)
    errors = []

    def sign_up(person):
        try:
            barrier.wait(timeout=10)
            services.enrol_job_seeker(
                session=session, job_seeker=person, commune=rural_commune, profile=PROFILE
            )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    statuses = sorted(Enrolment.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == [EnrolmentStatus.ACTIVE, EnrolmentStatus.WAITING]


def test_withdraw_and_sign_up_race_never_overbook(rural_commune):
    session = SessionFactory(capacity=1)
    holder = services.enrol_job_seeker(
        session=session, job_seeker=UserFactory(), commune=rural_commune, profile=PROFILE
    )
    waiting = services.enrol_job_seeker(
        session=session, job_seeker=UserFactory(), commune=rural_commune, profile=PROFILE
    )
    newcomer = UserFactory()
    barrier = threading.Barrier(2)
    errors = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(lambda: services.withdraw(enrolment=holder),)),
        threading.Thread(
            target=run,
            args=(
                lambda: services.enrol_job_seeker(
                    session=session, job_seeker=newcomer, commune=rural_commune, profile=PROFILE
                ),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert Enrolment.objects.filter(session=session, status=EnrolmentStatus.ACTIVE).count() == 1
    waiting.refresh_from_db()
    # The freed place goes to the person who was waiting first, whatever the order of the two requests.
    assert waiting.status == EnrolmentStatus.ACTIVE
