"""Talks under concurrent requests (threads against PostgreSQL, each with its own connection): the
last seat, a cancellation racing a booking, an offer expiring while it is being accepted."""

from datetime import timedelta

from django.utils import timezone

from declics.errors import DomainError
from programs.bookings.services import expire_offers
from programs.role_models import services
from programs.role_models.models import Talk, TalkRegistration
from tests.programs.factories import EnrolmentFactory
from tests.races import POSTGRES_RACE, run_together

from .factories import TalkFactory

pytestmark = POSTGRES_RACE


def enrolled(talk):
    return EnrolmentFactory(session=talk.session)


def held(talk):
    """(the counter, the registrations actually holding a seat)"""
    talk = Talk.objects.get(pk=talk.pk)
    return talk.seats_taken, TalkRegistration.objects.filter(
        talk=talk, status__in=["confirmed", "offered"]
    ).count()


def test_twenty_people_for_the_last_seat_one_gets_it_the_others_wait():
    talk = TalkFactory(seats=3)
    for _ in range(2):
        services.register_for_talk(talk=talk, enrolment=enrolled(talk))
    people = [enrolled(talk) for _ in range(20)]

    errors = run_together([lambda e=e: services.register_for_talk(talk=talk, enrolment=e) for e in people])

    assert errors == []
    statuses = list(TalkRegistration.objects.filter(talk=talk).values_list("status", flat=True))
    assert (statuses.count("confirmed"), statuses.count("waiting")) == (3, 19)
    assert held(talk) == (3, 3)


def test_the_same_person_twice_at_once_gets_one_registration():
    talk = TalkFactory(seats=5)
    enrolment = enrolled(talk)

    errors = run_together([lambda: services.register_for_talk(talk=talk, enrolment=enrolment)] * 3)

    assert [type(error) for error in errors] == [services.TalkError] * 2
    assert TalkRegistration.objects.filter(talk=talk).count() == 1
    assert held(talk) == (1, 1)


def test_a_cancellation_racing_bookings_never_overbooks_and_offers_the_first_waiting():
    talk = TalkFactory(seats=1)
    holder = services.register_for_talk(talk=talk, enrolment=enrolled(talk))
    waiting = services.register_for_talk(talk=talk, enrolment=enrolled(talk))
    newcomers = [enrolled(talk) for _ in range(5)]

    errors = run_together(
        [lambda: services.cancel_registration(registration=holder, job_seeker=holder.job_seeker)]
        + [lambda e=e: services.register_for_talk(talk=talk, enrolment=e) for e in newcomers]
    )

    assert errors == []
    waiting.refresh_from_db()
    assert held(talk) == (1, 1)
    # Whatever the order, the freed seat goes to the person who was waiting first.
    assert waiting.status == "offered"
    assert TalkRegistration.objects.filter(talk=talk, status="waiting").count() == 5


def test_an_offer_expiring_while_it_is_accepted_ends_one_way_only():
    for _ in range(4):
        talk = TalkFactory(seats=1, starts_at=timezone.now() + timedelta(days=2))
        holder = services.register_for_talk(talk=talk, enrolment=enrolled(talk))
        offered = services.register_for_talk(talk=talk, enrolment=enrolled(talk))
        after = services.register_for_talk(talk=talk, enrolment=enrolled(talk))
        services.cancel_registration(registration=holder, job_seeker=holder.job_seeker)
        offered.refresh_from_db()
        # Both act a second before the deadline's end: the expiry sees it due, the person in time.
        TalkRegistration.objects.filter(pk=offered.pk).update(
            offer_expires_at=timezone.now() + timedelta(seconds=1)
        )
        offered.refresh_from_db()
        deadline = offered.offer_expires_at

        errors = run_together(
            [
                lambda d=deadline: expire_offers(now=d),
                lambda o=offered, d=deadline: services.confirm_offer(
                    registration=o, job_seeker=o.job_seeker, now=d - timedelta(milliseconds=500)
                ),
            ]
        )

        assert [e for e in errors if not isinstance(e, DomainError)] == []
        offered.refresh_from_db()
        after.refresh_from_db()
        assert held(talk) == (1, 1)
        # Either the person confirmed first (the expiry finds nothing offered), or the offer
        # expired first (the confirmation is refused and the seat goes to the next person).
        assert (offered.status, after.status) in {("confirmed", "waiting"), ("expired", "offered")}
        assert len(errors) == (1 if offered.status == "expired" else 0)
