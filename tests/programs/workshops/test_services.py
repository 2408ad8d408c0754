from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from programs import registry
from programs.bookings import services as engine
from programs.models import EnrolmentStatus, Step, StepProgress
from programs.workshops import services
from programs.workshops.models import Workshop, WorkshopBooking, WorkshopBookingStatus, WorkshopStatus
from programs.workshops.services import OFFER_HOLD
from tests.factories import MentorFactory, StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory

from .factories import WorkshopFactory, participant

pytestmark = pytest.mark.django_db
Status = WorkshopBookingStatus


def outbox(prefix=""):
    """{dedup key: status} of the outbox rows whose key starts with `prefix`."""
    return dict(OutboxMessage.objects.filter(dedup_key__startswith=prefix).values_list("dedup_key", "status"))


def snapshot(workshop):
    """What must not change when a request is refused."""
    workshop.refresh_from_db()
    return (
        workshop.seats_taken,
        workshop.sequence,
        workshop.status,
        sorted(WorkshopBooking.objects.values_list("pk", "status", "round")),
        OutboxMessage.objects.count(),
    )


def fill(workshop, count):
    return [
        services.book_workshop(workshop=workshop, job_seeker=participant(workshop.session))
        for _ in range(count)
    ]


# --- booking -----------------------------------------------------------------------------------


def test_book_workshop_confirms_a_seat_with_invitation_and_two_reminders(workshop):
    person = participant(workshop.session)
    now = timezone.now()

    booking = services.book_workshop(workshop=workshop, job_seeker=person, now=now)

    workshop.refresh_from_db()
    assert (booking.status, booking.round, workshop.seats_taken) == (Status.CONFIRMED, 1, 1)
    confirmation = OutboxMessage.objects.get(dedup_key=f"workshop-confirmed:booking:{booking.pk}:r1")
    assert confirmation.to_email == person.email
    assert [a["filename"] for a in confirmation.attachments] == ["atelier.ics"]
    assert "METHOD:REQUEST" in confirmation.attachments[0]["content"]
    assert confirmation.attachments[0]["mimetype"] == "text/calendar"
    # Reminders are queued when due, worded then (tests/programs/bookings/test_reminders.py).
    assert outbox(f"workshop-reminder:booking:{booking.pk}:") == {}
    stamp = timezone.localtime(workshop.starts_at).strftime("%Y%m%dT%H%M")
    assert engine.send_due_reminders(now=workshop.starts_at - timedelta(hours=23)) == 1
    assert engine.send_due_reminders(now=workshop.starts_at - timedelta(minutes=59)) == 1
    assert sorted(outbox(f"workshop-reminder:booking:{booking.pk}:")) == [
        f"workshop-reminder:booking:{booking.pk}:r1:1h:{stamp}",
        f"workshop-reminder:booking:{booking.pk}:r1:24h:{stamp}",
    ]


def test_book_workshop_when_full_goes_on_the_waiting_list(workshop):
    fill(workshop, 5)
    person = participant(workshop.session)

    booking = services.book_workshop(workshop=workshop, job_seeker=person)

    workshop.refresh_from_db()
    assert (booking.status, workshop.seats_taken) == (Status.WAITING, 5)
    assert booking.waiting_since is not None
    assert list(outbox(f"workshop-waiting:booking:{booking.pk}")) == [
        f"workshop-waiting:booking:{booking.pk}:r1"
    ]
    assert outbox(f"workshop-reminder:booking:{booking.pk}:") == {}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("twice", "Vous avez déjà une place pour cet atelier."),
        ("waiting_twice", "Vous êtes déjà sur la liste d'attente de cet atelier."),
        ("past", "Cet atelier a déjà commencé : il n'est plus possible de le réserver."),
        ("cancelled", "Cet atelier est annulé : choisissez-en un autre."),
        ("other_session", "Cet atelier est réservé aux participant·es de la session"),
        ("session_waiting_list", "Cet atelier est réservé aux participant·es de la session"),
        ("full_and_soon", "Cet atelier est complet et commence bientôt : choisissez une autre date."),
    ],
)
def test_book_workshop_refusals_change_nothing(case, message):
    workshop = WorkshopFactory(seats=1)
    person = participant(workshop.session)
    if case == "twice":
        services.book_workshop(workshop=workshop, job_seeker=person)
    elif case == "waiting_twice":
        fill(workshop, 1)
        services.book_workshop(workshop=workshop, job_seeker=person)
    elif case == "past":
        Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    elif case == "cancelled":
        Workshop.objects.filter(pk=workshop.pk).update(status=WorkshopStatus.CANCELLED)
    elif case == "other_session":
        person = participant(OpenSessionFactory())
    elif case == "session_waiting_list":
        person = EnrolmentFactory(session=workshop.session, status=EnrolmentStatus.WAITING).job_seeker
    elif case == "full_and_soon":
        fill(workshop, 1)
        Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() + timedelta(minutes=50))
    before = snapshot(workshop)

    with pytest.raises(services.WorkshopError) as error:
        services.book_workshop(workshop=workshop, job_seeker=person)

    assert str(error.value).startswith(message)
    assert snapshot(workshop) == before


def test_book_workshop_per_person_limit_counts_upcoming_seats_and_waiting():
    session = OpenSessionFactory(max_simultaneous_bookings=2)
    person = participant(session)
    first, second, third = WorkshopFactory.create_batch(3, session=session, seats=1)
    services.book_workshop(workshop=first, job_seeker=person)
    fill(second, 1)
    services.book_workshop(workshop=second, job_seeker=person)  # waiting counts too

    with pytest.raises(services.WorkshopError) as error:
        services.book_workshop(workshop=third, job_seeker=person)

    assert str(error.value) == (
        "Vous avez déjà 2 ateliers à venir (réservés ou en liste d'attente), c'est le maximum. "
        "Annulez-en un pour en réserver un autre."
    )
    # A past workshop no longer counts.
    Workshop.objects.filter(pk=first.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    assert services.book_workshop(workshop=third, job_seeker=person).status == Status.CONFIRMED


def test_book_workshop_after_the_reminder_time_gets_only_the_reminders_still_ahead():
    soon = WorkshopFactory(starts_at=timezone.now() + timedelta(hours=5))
    very_soon = WorkshopFactory(starts_at=timezone.now() + timedelta(minutes=40), session=soon.session)
    person = participant(soon.session)

    first = services.book_workshop(workshop=soon, job_seeker=person)
    second = services.book_workshop(workshop=very_soon, job_seeker=person)
    engine.send_due_reminders(now=timezone.now() + timedelta(minutes=1))
    engine.send_due_reminders(now=soon.starts_at - timedelta(minutes=59))

    stamp = timezone.localtime(soon.starts_at).strftime("%Y%m%dT%H%M")
    assert list(outbox(f"workshop-reminder:booking:{first.pk}:")) == [
        f"workshop-reminder:booking:{first.pk}:r1:1h:{stamp}"
    ]
    assert outbox(f"workshop-reminder:booking:{second.pk}:") == {}
    # …and the confirmation instead.
    assert list(outbox(f"workshop-confirmed:booking:{second.pk}:")) == [
        f"workshop-confirmed:booking:{second.pk}:r1"
    ]


def test_seat_counter_is_guarded_by_the_database(workshop):
    with pytest.raises(IntegrityError), transaction.atomic():
        Workshop.objects.filter(pk=workshop.pk).update(seats_taken=F("seats") + 1)


# --- cancelling, waiting list, offers ------------------------------------------------------------


def test_cancel_booking_frees_the_seat_for_the_first_person_waiting():
    workshop = WorkshopFactory(seats=1, starts_at=timezone.now() + timedelta(days=2))
    holder = fill(workshop, 1)[0]
    first_waiting, second_waiting = fill(workshop, 2)
    now = timezone.now()

    services.cancel_booking(booking=holder, job_seeker=holder.job_seeker, now=now)

    holder.refresh_from_db()
    first_waiting.refresh_from_db()
    second_waiting.refresh_from_db()
    workshop.refresh_from_db()
    assert (holder.status, first_waiting.status, second_waiting.status) == (
        Status.CANCELLED,
        Status.OFFERED,
        Status.WAITING,
    )
    assert first_waiting.offer_expires_at == now + OFFER_HOLD
    assert workshop.seats_taken == 1
    assert engine.send_due_reminders(now=workshop.starts_at - timedelta(minutes=30)) == 0
    assert outbox(f"workshop-reminder:booking:{holder.pk}:") == {}
    cancelled = OutboxMessage.objects.get(dedup_key=f"workshop-booking-cancelled:booking:{holder.pk}:r1")
    assert "METHOD:CANCEL" in cancelled.attachments[0]["content"]
    assert list(outbox("workshop-offer:")) == [f"workshop-offer:booking:{first_waiting.pk}:r1"]


def test_offer_hold_ends_one_hour_before_the_start():
    workshop = WorkshopFactory(seats=1, starts_at=timezone.now() + timedelta(hours=5))
    holder = fill(workshop, 1)[0]
    waiting = fill(workshop, 1)[0]

    services.cancel_booking(booking=holder, job_seeker=holder.job_seeker)

    waiting.refresh_from_db()
    assert waiting.offer_expires_at == workshop.starts_at - timedelta(hours=1)


def test_cancel_booking_after_the_deadline_is_refused():
    workshop = WorkshopFactory(seats=2, starts_at=timezone.now() + timedelta(hours=3))
    booking = fill(workshop, 1)[0]
    before = snapshot(workshop)

    with pytest.raises(services.WorkshopError) as error:
        services.cancel_booking(
            booking=booking, job_seeker=booking.job_seeker, now=timezone.now() + timedelta(hours=1, minutes=5)
        )

    assert str(error.value) == (
        "Il est trop tard pour annuler en ligne : l'atelier commence dans moins de 2 heures. "
        "Si vous ne pouvez pas venir, prévenez l'équipe DéClics."
    )
    assert snapshot(workshop) == before


def test_cancel_booking_of_someone_else_or_twice_is_refused(workshop):
    booking = fill(workshop, 1)[0]
    with pytest.raises(services.WorkshopError, match="Cette réservation n'est pas la vôtre."):
        services.cancel_booking(booking=booking, job_seeker=UserFactory())
    services.cancel_booking(booking=booking, job_seeker=booking.job_seeker)
    with pytest.raises(services.WorkshopError, match="Cette réservation est déjà annulée."):
        services.cancel_booking(booking=booking, job_seeker=booking.job_seeker)


def test_confirm_offer_confirms_with_invitation_and_reminders():
    workshop = WorkshopFactory(seats=1)
    holder = fill(workshop, 1)[0]
    waiting = fill(workshop, 1)[0]
    services.cancel_booking(booking=holder, job_seeker=holder.job_seeker)

    booking = services.confirm_offer(booking=waiting, job_seeker=waiting.job_seeker)

    workshop.refresh_from_db()
    assert (booking.status, workshop.seats_taken) == (Status.CONFIRMED, 1)
    engine.send_due_reminders(now=workshop.starts_at - timedelta(minutes=30))
    assert list(outbox(f"workshop-reminder:booking:{waiting.pk}:")) == [
        f"workshop-reminder:booking:{waiting.pk}:r1:1h:"
        + timezone.localtime(workshop.starts_at).strftime("%Y%m%dT%H%M")
    ]
    assert f"workshop-confirmed:booking:{waiting.pk}:r1" in outbox("workshop-confirmed:")


def test_confirm_expired_offer_is_refused_and_changes_nothing():
    workshop = WorkshopFactory(seats=1)
    holder = fill(workshop, 1)[0]
    waiting = fill(workshop, 1)[0]
    services.cancel_booking(booking=holder, job_seeker=holder.job_seeker)
    before = snapshot(workshop)

    with pytest.raises(services.WorkshopError) as error:
        services.confirm_offer(
            booking=waiting, job_seeker=waiting.job_seeker, now=timezone.now() + OFFER_HOLD
        )

    assert str(error.value).startswith("Cette proposition de place n'est plus valable")
    assert snapshot(workshop) == before


def test_expire_offers_passes_the_seat_on_once():
    workshop = WorkshopFactory(seats=1)
    holder = fill(workshop, 1)[0]
    first, second = fill(workshop, 2)
    services.cancel_booking(booking=holder, job_seeker=holder.job_seeker)
    later = timezone.now() + OFFER_HOLD + timedelta(minutes=1)

    assert services.expire_offers(now=later) == 1
    assert services.expire_offers(now=later) == 0

    first.refresh_from_db()
    second.refresh_from_db()
    workshop.refresh_from_db()
    assert (first.status, second.status, workshop.seats_taken) == (Status.EXPIRED, Status.OFFERED, 1)
    assert list(outbox("workshop-offer-expired:")) == [f"workshop-offer-expired:booking:{first.pk}:r1"]
    assert second.offer_expires_at == later + OFFER_HOLD


def test_no_offer_in_the_last_hour_the_free_seat_goes_to_who_books_it():
    workshop = WorkshopFactory(seats=1, starts_at=timezone.now() + timedelta(hours=3))
    holder = fill(workshop, 1)[0]
    first, second = fill(workshop, 2)
    services.cancel_booking(booking=holder, job_seeker=holder.job_seeker)  # offered to `first`
    # `first` declines 50 minutes before the start: too late to offer it on.
    services.cancel_booking(
        booking=first, job_seeker=first.job_seeker, now=workshop.starts_at - timedelta(minutes=50)
    )
    second.refresh_from_db()
    workshop.refresh_from_db()
    assert (second.status, workshop.seats_taken) == (Status.WAITING, 0)

    booking = services.book_workshop(
        workshop=workshop, job_seeker=second.job_seeker, now=workshop.starts_at - timedelta(minutes=45)
    )

    workshop.refresh_from_db()
    assert (booking.pk, booking.status, workshop.seats_taken) == (second.pk, Status.CONFIRMED, 1)


def test_booking_again_after_cancelling_starts_a_new_round(workshop):
    booking = fill(workshop, 1)[0]
    services.cancel_booking(booking=booking, job_seeker=booking.job_seeker)

    again = services.book_workshop(workshop=workshop, job_seeker=booking.job_seeker)

    assert (again.pk, again.round, again.status) == (booking.pk, 2, Status.CONFIRMED)
    engine.send_due_reminders(now=workshop.starts_at - timedelta(minutes=30))
    assert list(outbox(f"workshop-reminder:booking:{booking.pk}:")) == [
        f"workshop-reminder:booking:{booking.pk}:r2:1h:"
        + timezone.localtime(workshop.starts_at).strftime("%Y%m%dT%H%M")
    ]


# --- staff: create, update, move, cancel, copy ---------------------------------------------------


def test_create_workshop_by_staff_only(session):
    values = {
        "session": session,
        "title": "Mon CV en une page",
        "topic": "cv_linkedin",
        "description": "On refait son CV ensemble.",
        "starts_at": timezone.now() + timedelta(days=4),
        "duration_minutes": 60,
        "seats": 10,
        "video_url": "https://visio.example.org/cv",
    }
    facilitator = MentorFactory()
    with pytest.raises(services.WorkshopError, match="Seule l'équipe DéClics peut modifier les ateliers."):
        services.create_workshop(**values, by=facilitator)

    workshop = services.create_workshop(**values, facilitators=[facilitator], by=StaffFactory())

    assert (workshop.title, workshop.seats_taken, list(workshop.facilitators.all())) == (
        "Mon CV en une page",
        0,
        [facilitator],
    )


def test_update_workshop_more_seats_are_offered_fewer_than_taken_refused():
    workshop = WorkshopFactory(seats=1)
    fill(workshop, 1)
    waiting = fill(workshop, 1)[0]
    staff = StaffFactory()

    with pytest.raises(services.WorkshopError, match="Il y a déjà 1 places prises"):
        services.update_workshop(workshop=workshop, by=staff, seats=0)
    services.update_workshop(workshop=workshop, by=staff, seats=2, replay_url="https://replay.example.org/1")

    waiting.refresh_from_db()
    workshop.refresh_from_db()
    assert (waiting.status, workshop.seats_taken, workshop.replay_url) == (
        Status.OFFERED,
        2,
        "https://replay.example.org/1",
    )


def test_move_workshop_tells_everyone_once_and_reschedules_reminders():
    workshop = WorkshopFactory(seats=1)
    confirmed = fill(workshop, 1)[0]
    waiting = fill(workshop, 1)[0]
    new_start = workshop.starts_at + timedelta(days=1)

    old_stamp = timezone.localtime(workshop.starts_at).strftime("%Y%m%dT%H%M")
    engine.send_due_reminders(now=workshop.starts_at - timedelta(hours=20))  # the 24 h one, sent

    services.move_workshop(workshop=workshop, starts_at=new_start, by=StaffFactory())

    workshop.refresh_from_db()
    assert (workshop.starts_at, workshop.sequence) == (new_start, 1)
    moved = {m.dedup_key: m for m in OutboxMessage.objects.filter(dedup_key__startswith="workshop-moved:")}
    assert sorted(moved) == sorted(
        [f"workshop-moved:booking:{confirmed.pk}:r1:s1", f"workshop-moved:booking:{waiting.pk}:r1:s1"]
    )
    invitation = moved[f"workshop-moved:booking:{confirmed.pk}:r1:s1"].attachments[0]["content"]
    assert "SEQUENCE:1" in invitation
    assert moved[f"workshop-moved:booking:{waiting.pk}:r1:s1"].attachments == []
    # The reminders follow the new time: both again, once each, and none for the old time.
    new_stamp = timezone.localtime(new_start).strftime("%Y%m%dT%H%M")
    for hours_before in (23, 22, 0.5, 0.2):
        engine.send_due_reminders(now=new_start - timedelta(hours=hours_before))
    assert sorted(outbox(f"workshop-reminder:booking:{confirmed.pk}:")) == sorted(
        [
            f"workshop-reminder:booking:{confirmed.pk}:r1:1h:{new_stamp}",
            f"workshop-reminder:booking:{confirmed.pk}:r1:24h:{new_stamp}",
            f"workshop-reminder:booking:{confirmed.pk}:r1:24h:{old_stamp}",
        ]
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"by": "mentor"}, "Seule l'équipe DéClics peut modifier les ateliers."),
        ({"starts_at": "past"}, "Un atelier doit commencer dans le futur."),
        ({"starts_at": "same"}, "La date et la durée sont les mêmes qu'avant : rien à changer."),
    ],
)
def test_move_workshop_refusals_change_nothing(workshop, change, message):
    fill(workshop, 1)
    by = MentorFactory() if change.get("by") == "mentor" else StaffFactory()
    starts_at = {
        "past": timezone.now() - timedelta(hours=1),
        "same": workshop.starts_at,
    }.get(change.get("starts_at"), workshop.starts_at + timedelta(days=1))
    before = snapshot(workshop)

    with pytest.raises(services.WorkshopError, match=message):
        services.move_workshop(workshop=workshop, starts_at=starts_at, by=by)

    assert snapshot(workshop) == before


def test_cancel_workshop_ends_every_booking_and_tells_each_person_once():
    workshop = WorkshopFactory(seats=1)
    confirmed = fill(workshop, 1)[0]
    waiting = fill(workshop, 1)[0]
    staff = StaffFactory()

    assert services.cancel_workshop(workshop=workshop, by=staff) == 2
    with pytest.raises(services.WorkshopError, match="Cet atelier est déjà annulé."):
        services.cancel_workshop(workshop=workshop, by=staff)

    workshop.refresh_from_db()
    assert (workshop.status, workshop.seats_taken, workshop.sequence) == (WorkshopStatus.CANCELLED, 0, 1)
    assert set(WorkshopBooking.objects.values_list("status", flat=True)) == {Status.CANCELLED}
    told = {m.dedup_key: m for m in OutboxMessage.objects.filter(dedup_key__startswith="workshop-cancelled:")}
    assert sorted(told) == sorted(
        [f"workshop-cancelled:booking:{confirmed.pk}:r1", f"workshop-cancelled:booking:{waiting.pk}:r1"]
    )
    assert "METHOD:CANCEL" in told[f"workshop-cancelled:booking:{confirmed.pk}:r1"].attachments[0]["content"]
    assert told[f"workshop-cancelled:booking:{waiting.pk}:r1"].attachments == []
    assert engine.send_due_reminders(now=workshop.starts_at - timedelta(minutes=30)) == 0
    assert outbox("workshop-reminder:") == {}


def test_copy_workshops_when_launching_from_another_session():
    source = OpenSessionFactory()
    facilitator = MentorFactory()
    original = WorkshopFactory(session=source, facilitators=[facilitator])
    fill(original, 2)
    WorkshopFactory(session=source, status=WorkshopStatus.CANCELLED)
    target = OpenSessionFactory()

    copies = services.copy_workshops(source=source, target=target, shift=timedelta(days=30))

    assert [(c.title, c.starts_at, c.seats_taken, c.copied_from_id) for c in copies] == [
        (original.title, original.starts_at + timedelta(days=30), 0, original.pk)
    ]
    assert list(copies[0].facilitators.all()) == [facilitator]
    assert registry.entry(Step.WORKSHOPS).copy_into is services.copy_workshops


# --- attendance, step 4, feedback ------------------------------------------------------------------


def _started(workshop):
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(minutes=10))
    workshop.refresh_from_db()
    return workshop


def test_mark_attendance_thanks_attendees_and_kindly_writes_to_no_shows():
    session = OpenSessionFactory(workshops_required=2)
    workshop = WorkshopFactory(session=session, seats=3, replay_url="https://replay.example.org/entretien")
    facilitator = MentorFactory()
    workshop.facilitators.set([facilitator])
    came, missed = fill(workshop, 2)
    another = WorkshopFactory(
        session=session, topic=workshop.topic, starts_at=timezone.now() + timedelta(days=6)
    )
    _started(workshop)

    counts = services.mark_attendance(workshop=workshop, present=[came.pk], by=facilitator)

    came.refresh_from_db()
    missed.refresh_from_db()
    assert counts == {"present": 1, "absent": 1}
    assert (came.attended, missed.attended, came.attendance_marked_by) == (True, False, facilitator)
    attended = OutboxMessage.objects.get(dedup_key=f"workshop-attended:booking:{came.pk}:r1")
    assert "https://replay.example.org/entretien" in attended.body_text
    assert f"/ateliers/reservation/{came.public_id}/avis/" in attended.body_text
    no_show = OutboxMessage.objects.get(dedup_key=f"workshop-missed:booking:{missed.pk}:r1")
    # The replay where there is one (issue 13), another date otherwise.
    assert "https://replay.example.org/entretien" in no_show.body_text
    assert f"/ateliers/atelier/{another.pk}/" not in no_show.body_text
    # One workshop attended out of two: step 4 is not done yet.
    assert not StepProgress.objects.filter(step=Step.WORKSHOPS).exists()


def test_a_no_show_without_a_replay_is_offered_another_date_of_the_same_topic():
    session = OpenSessionFactory()
    workshop = WorkshopFactory(session=session, seats=3, replay_url="")
    (missed,) = fill(workshop, 1)
    another = WorkshopFactory(
        session=session, topic=workshop.topic, starts_at=timezone.now() + timedelta(days=6)
    )
    _started(workshop)

    services.mark_attendance(workshop=workshop, present=[], by=StaffFactory())

    no_show = OutboxMessage.objects.get(dedup_key=f"workshop-missed:booking:{missed.pk}:r1")
    assert f"/ateliers/atelier/{another.pk}/" in no_show.body_text


def test_step_4_is_completed_after_the_required_number_of_workshops():
    session = OpenSessionFactory(workshops_required=2)
    person = participant(session)
    staff = StaffFactory()
    first, second = WorkshopFactory.create_batch(2, session=session)
    bookings = [services.book_workshop(workshop=w, job_seeker=person) for w in (first, second)]

    services.mark_attendance(workshop=_started(first), present=[bookings[0].pk], by=staff)
    assert not StepProgress.objects.done().filter(step=Step.WORKSHOPS).exists()
    services.mark_attendance(workshop=_started(second), present=[bookings[1].pk], by=staff)
    services.mark_attendance(workshop=second, present=[bookings[1].pk], by=staff)  # again: idempotent

    progress = StepProgress.objects.get(step=Step.WORKSHOPS)
    assert (progress.enrolment.job_seeker, progress.completed_at is not None) == (person, True)
    assert len(outbox(f"workshop-attended:booking:{bookings[1].pk}:")) == 1


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not_started", "Les présences se notent une fois l'atelier commencé."),
        ("stranger", "Seuls les animateur·ices de cet atelier et l'équipe notent les présences."),
        ("tampered", "Cette liste contient une personne qui n'a pas de place pour cet atelier."),
    ],
)
def test_mark_attendance_refusals_change_nothing(workshop, case, message):
    booking = fill(workshop, 1)[0]
    other = fill(WorkshopFactory(session=workshop.session), 1)[0]
    if case != "not_started":
        _started(workshop)
    by = MentorFactory() if case == "stranger" else StaffFactory()
    present = [booking.pk, other.pk] if case == "tampered" else [booking.pk]
    before = snapshot(workshop)

    with pytest.raises(services.WorkshopError, match=message):
        services.mark_attendance(workshop=workshop, present=present, by=by)

    assert snapshot(workshop) == before


def test_record_feedback_only_after_attending(workshop):
    booking = fill(workshop, 1)[0]
    with pytest.raises(services.WorkshopError, match="Vous pourrez donner votre avis après avoir participé"):
        services.record_feedback(booking=booking, job_seeker=booking.job_seeker, answer="very")
    services.mark_attendance(workshop=_started(workshop), present=[booking.pk], by=StaffFactory())

    services.record_feedback(booking=booking, job_seeker=booking.job_seeker, answer="somewhat")

    booking.refresh_from_db()
    assert booking.feedback == "somewhat"
    with pytest.raises(services.WorkshopError, match="Choisissez une des réponses proposées."):
        services.record_feedback(booking=booking, job_seeker=booking.job_seeker, answer="maybe")
