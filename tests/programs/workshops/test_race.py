"""Thirty people ask for five seats at the same moment: five get one, twenty-five wait."""

from programs.workshops import services
from programs.workshops.models import Workshop, WorkshopBooking, WorkshopBookingStatus
from tests.races import POSTGRES_RACE, run_together

from .factories import WorkshopFactory, participant

pytestmark = POSTGRES_RACE


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


def test_an_offer_expiring_while_it_is_accepted_ends_one_way_only():
    """The confirmation and the expiry both lock the workshop first: one of them wins, whole."""
    from datetime import timedelta

    from django.utils import timezone

    from declics.notifications.models import OutboxMessage

    for _round in range(4):
        workshop = WorkshopFactory(seats=1, starts_at=timezone.now() + timedelta(days=2))
        holder = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
        waiting = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
        nobody_else = services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
        services.cancel_booking(booking=holder, job_seeker=holder.job_seeker)
        waiting.refresh_from_db()
        deadline = waiting.offer_expires_at

        errors = run_together(
            [
                lambda waiting=waiting, deadline=deadline: services.confirm_offer(
                    booking=waiting, job_seeker=waiting.job_seeker, now=deadline - timedelta(seconds=1)
                ),
                lambda deadline=deadline: services.expire_offers(now=deadline),
            ]
        )

        waiting.refresh_from_db()
        nobody_else.refresh_from_db()
        workshop.refresh_from_db()
        keys = set(OutboxMessage.objects.values_list("dedup_key", flat=True))
        confirmed = f"workshop-confirmed:booking:{waiting.pk}:r1" in keys
        expired = f"workshop-offer-expired:booking:{waiting.pk}:r1" in keys
        if waiting.status == WorkshopBookingStatus.CONFIRMED:
            # The confirmation came first: the expiry found nothing to expire.
            assert (errors, confirmed, expired, nobody_else.status) == ([], True, False, "waiting")
        else:
            # The expiry came first: the late confirmation was refused, the seat went on.
            assert waiting.status == WorkshopBookingStatus.EXPIRED
            assert len(errors) == 1 and isinstance(errors[0], services.WorkshopError)
            assert (confirmed, expired, nobody_else.status) == (False, True, "offered")
        assert workshop.seats_taken == 1
