"""Thirty people ask for five seats at the same moment: five get one, twenty-five wait."""

import threading

import pytest
from django.db import connection, connections

from programs.workshops import services
from programs.workshops.models import Workshop, WorkshopBooking, WorkshopBookingStatus

from .factories import WorkshopFactory, participant

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks (SELECT … FOR UPDATE) need PostgreSQL"
    ),
]


def run_together(actions):
    barrier = threading.Barrier(len(actions))
    errors = []

    def run(action):
        try:
            barrier.wait(timeout=20)
            action()
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_book_workshop_30_concurrent_requests_for_5_seats():
    workshop = WorkshopFactory(seats=5)
    people = [participant(workshop.session) for _ in range(30)]

    errors = run_together(
        [
            lambda person=person: services.book_workshop(workshop=workshop, job_seeker=person)
            for person in people
        ]
    )

    assert errors == []
    statuses = list(WorkshopBooking.objects.filter(workshop=workshop).values_list("status", flat=True))
    assert (
        statuses.count(WorkshopBookingStatus.CONFIRMED),
        statuses.count(WorkshopBookingStatus.WAITING),
    ) == (5, 25)
    assert Workshop.objects.get(pk=workshop.pk).seats_taken == 5
    # The waiting list is in the order the requests were served.
    waiting = list(
        WorkshopBooking.objects.filter(workshop=workshop)
        .waiting_queue()
        .values_list("waiting_since", flat=True)
    )
    assert waiting == sorted(waiting)


def test_cancel_and_book_race_never_overbook():
    workshop = WorkshopFactory(seats=1)
    holder = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
    waiting = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
    newcomers = [participant(workshop.session) for _ in range(5)]

    errors = run_together(
        [lambda: services.cancel_booking(booking=holder, job_seeker=holder.job_seeker)]
        + [
            lambda person=person: services.book_workshop(workshop=workshop, job_seeker=person)
            for person in newcomers
        ]
    )

    assert errors == []
    workshop.refresh_from_db()
    waiting.refresh_from_db()
    held = WorkshopBooking.objects.filter(workshop=workshop, status__in=["confirmed", "offered"]).count()
    assert (workshop.seats_taken, held) == (1, 1)
    # Whatever the order, the freed seat is offered to the person who was waiting first.
    assert waiting.status == WorkshopBookingStatus.OFFERED


def test_one_person_cannot_pass_the_limit_with_simultaneous_requests():
    workshop = WorkshopFactory(seats=5)
    session = workshop.session
    session.max_simultaneous_bookings = 2
    session.save(update_fields=["max_simultaneous_bookings"])
    others = WorkshopFactory.create_batch(4, session=session)
    person = participant(session)

    errors = run_together(
        [lambda w=w: services.book_workshop(workshop=w, job_seeker=person) for w in [workshop, *others]]
    )

    assert len(errors) == 3
    assert {str(error) for error in errors} == {
        "Vous avez déjà 2 ateliers à venir (réservés ou en liste d'attente), c'est le maximum. "
        "Annulez-en un pour en réserver un autre."
    }
    assert WorkshopBooking.objects.filter(job_seeker=person).count() == 2


def test_withdrawing_while_booking_never_deadlocks():
    """Withdrawing locks the enrolment, then (giving the seats back) the workshops; booking takes
    the same locks in the same order, so the two end in a refusal at worst, never a deadlock."""
    from declics.errors import DomainError
    from programs.models import Enrolment
    from programs.services.enrolments import withdraw

    workshop = WorkshopFactory(seats=50)
    other = WorkshopFactory(session=workshop.session, seats=50)
    unexpected = []
    for _ in range(8):
        person = participant(workshop.session)
        services.book_workshop(workshop=workshop, job_seeker=person)
        enrolment = Enrolment.objects.get(job_seeker=person)
        errors = run_together(
            [
                lambda enrolment=enrolment: withdraw(enrolment=enrolment),
                lambda person=person: services.book_workshop(workshop=other, job_seeker=person),
                lambda person=person: services.book_workshop(workshop=workshop, job_seeker=person),
            ]
        )
        unexpected += [error for error in errors if not isinstance(error, DomainError)]

    assert unexpected == []
