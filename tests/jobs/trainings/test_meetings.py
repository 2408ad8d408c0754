"""Meetings with training bodies on the booking engine: seats, the waiting list and its offers, the
person's cancellation, the training body's moves and cancellations, reminders, attendance and the
no-show follow-up — each notice once, each calendar file parsed back field by field."""

from datetime import timedelta

import pytest
from django.utils import formats, timezone, translation
from icalendar import Calendar

from declics.notifications.models import OutboxMessage
from jobs.trainings import services
from jobs.trainings.kind import MAX_UPCOMING_MEETINGS
from jobs.trainings.models import BookingStatus, MeetingSlot
from programs.bookings import services as engine
from programs.services import withdraw
from tests.jobs.factories import EnrolmentFactory, MeetingSlotFactory, MembershipFactory, TrainingBodyFactory
from tests.jobs.helpers import queued, step_done

pytestmark = pytest.mark.django_db

SITE = "https://declics.example"
VIDEO = "https://visio.example.org/rencontre"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def book(slot, **person):
    return services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session, **person))


def message(key) -> OutboxMessage:
    return OutboxMessage.objects.get(dedup_key=key)


def keyed(prefix) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(dedup_key__startswith=prefix).order_by("id"))


def calendar_of(notice) -> tuple[Calendar, object]:
    [attachment] = notice.attachments
    assert (attachment["filename"], attachment["mimetype"]) == ("rencontre.ics", "text/calendar")
    calendar = Calendar.from_ical(attachment["content"])
    [event] = calendar.walk("VEVENT")
    return calendar, event


def meetings_page(slot) -> str:
    return f"{SITE}/sessions/{slot.session.slug}/rencontres/"


def body_member(slot, email="of@example.org"):
    return MembershipFactory(partner=slot.body, user__email=email).user


# --- a person: book, wait, confirm, cancel ----------------------------------------------------------


def test_a_seat_comes_with_the_invitation_parsed_back_field_by_field():
    starts = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    slot = MeetingSlotFactory(starts_at=starts, duration_minutes=20, body__name="Simplon Occitanie")
    enrolment = EnrolmentFactory(
        session=slot.session, job_seeker__first_name="Awa", job_seeker__last_name="Diallo"
    )
    email = enrolment.job_seeker.email

    booking = services.book_meeting_slot(slot=slot, enrolment=enrolment)

    slot.refresh_from_db()
    assert (booking.status, booking.round, slot.seats_taken) == (BookingStatus.CONFIRMED, 1, 1)
    [notice] = queued()
    assert notice.dedup_key == f"meeting-confirmed:booking:{booking.pk}:r1"
    assert (notice.to_email, notice.subject) == (email, "[DéClics] Votre rendez-vous avec Simplon Occitanie")
    ics_url = (
        f"{SITE}/sessions/{slot.session.slug}/rencontres/reservations/{booking.public_id}/invitation.ics"
    )
    assert ics_url in notice.body_text
    assert "Bonjour Awa," in notice.body_text
    calendar, event = calendar_of(notice)
    assert (str(calendar["method"]), str(calendar["version"])) == ("REQUEST", "2.0")
    assert str(event["uid"]) == f"meeting-{booking.pk}-1@declics.example"
    assert event["sequence"] == 0
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (starts, starts + timedelta(minutes=20))
    assert str(event["summary"]) == "Rencontre avec Simplon Occitanie"
    assert (str(event["location"]), str(event["url"])) == (VIDEO, VIDEO)
    assert str(event["description"]) == f"Lien de la visioconférence : {VIDEO}"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["attendee"]) == f"mailto:{email}"
    assert (event["attendee"].params["CN"], event["attendee"].params["PARTSTAT"]) == (
        "Awa Diallo",
        "ACCEPTED",
    )
    assert str(event["organizer"]).startswith("mailto:")
    [alarm] = event.walk("VALARM")
    assert (str(alarm["action"]), alarm.decoded("trigger")) == ("DISPLAY", timedelta(minutes=-15))


def test_reminders_are_queued_when_due_once_each_and_follow_the_send_time():
    starts = timezone.localtime().replace(hour=10, minute=0, second=0, microsecond=0) + timedelta(days=3)
    slot = MeetingSlotFactory(starts_at=starts, body__name="Simplon Occitanie")
    booking = book(slot)

    assert engine.send_due_reminders(now=starts - timedelta(hours=30)) == 0
    assert engine.send_due_reminders(now=starts - timedelta(hours=23)) == 1
    assert engine.send_due_reminders(now=starts - timedelta(hours=22)) == 0  # once
    assert engine.send_due_reminders(now=starts - timedelta(minutes=50)) == 1

    day_before, hour_before = keyed(f"meeting-reminder:booking:{booking.pk}:r1:")
    assert day_before.dedup_key.endswith(":24h:" + timezone.localtime(starts).strftime("%Y%m%dT%H%M"))
    assert day_before.subject == "[DéClics] Rappel : la rencontre avec Simplon Occitanie demain à 10:00"
    assert hour_before.subject == "[DéClics] Dans une heure : la rencontre avec Simplon Occitanie à 10:00"
    assert VIDEO in hour_before.body_text  # the link, an hour before


def test_the_last_seat_goes_to_the_first_person_and_the_next_one_waits():
    slot = MeetingSlotFactory(seats=1, body__name="Simplon Occitanie")
    first = book(slot)
    second = book(slot)

    slot.refresh_from_db()
    assert (first.status, second.status, slot.seats_taken) == (
        BookingStatus.CONFIRMED,
        BookingStatus.WAITING,
        1,
    )
    notice = message(f"meeting-waiting:booking:{second.pk}:r1")
    assert (
        notice.subject == "[DéClics] Vous êtes sur la liste d'attente : la rencontre avec Simplon Occitanie"
    )
    assert notice.attachments == []
    with pytest.raises(services.MeetingError, match="déjà sur la liste d'attente de ce créneau"):
        services.book_meeting_slot(slot=slot, enrolment=second.enrolment)
    with pytest.raises(services.MeetingError, match="déjà une place pour ce créneau"):
        services.book_meeting_slot(slot=slot, enrolment=first.enrolment)


def test_booking_is_refused_in_another_session_a_past_or_cancelled_slot_and_past_the_limit():
    enrolment = EnrolmentFactory()
    with pytest.raises(services.MeetingError, match="autre session"):
        services.book_meeting_slot(slot=MeetingSlotFactory(), enrolment=enrolment)
    past = MeetingSlotFactory(session=enrolment.session)
    MeetingSlot.objects.filter(pk=past.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(services.MeetingError, match="Ce créneau a déjà commencé"):
        services.book_meeting_slot(slot=past, enrolment=enrolment)
    cancelled = MeetingSlotFactory(session=enrolment.session)
    services.cancel_meeting_slot(slot=cancelled, by=body_member(cancelled))
    with pytest.raises(services.MeetingError, match="annulé"):
        services.book_meeting_slot(slot=cancelled, enrolment=enrolment)

    slots = MeetingSlotFactory.create_batch(MAX_UPCOMING_MEETINGS + 1, session=enrolment.session)
    bookings = [services.book_meeting_slot(slot=slot, enrolment=enrolment) for slot in slots[:-1]]
    with pytest.raises(services.MeetingError, match=f"déjà {MAX_UPCOMING_MEETINGS} rencontres à venir"):
        services.book_meeting_slot(slot=slots[-1], enrolment=enrolment)
    # One cancelled, the person may book another.
    services.cancel_meeting_booking(booking=bookings[0], job_seeker=enrolment.job_seeker)
    assert services.book_meeting_slot(slot=slots[-1], enrolment=enrolment).status == BookingStatus.CONFIRMED


def test_the_person_cancels_a_cancel_file_the_body_told_once_and_the_seat_offered():
    slot = MeetingSlotFactory(seats=1, body__name="Simplon Occitanie")
    body_member(slot, "of1@example.org")
    body_member(slot, "of2@example.org")
    holder = book(slot)
    waiting = book(slot)
    invitation = message(f"meeting-confirmed:booking:{holder.pk}:r1")
    assert engine.send_due_reminders(now=slot.starts_at - timedelta(hours=23)) == 1

    services.cancel_meeting_booking(booking=holder, job_seeker=holder.job_seeker)
    with pytest.raises(services.MeetingError, match="déjà annulée"):
        services.cancel_meeting_booking(booking=holder, job_seeker=holder.job_seeker)

    notice = message(f"meeting-booking-cancelled:booking:{holder.pk}:r1")
    assert (notice.to_email, notice.subject) == (
        holder.job_seeker.email,
        "[DéClics] Réservation annulée : la rencontre avec Simplon Occitanie",
    )
    calendar, event = calendar_of(notice)
    _, invited = calendar_of(invitation)
    assert (str(calendar["method"]), str(event["status"])) == ("CANCEL", "CANCELLED")
    assert (str(event["uid"]), event["sequence"]) == (str(invited["uid"]), invited["sequence"] + 1)
    assert event.decoded("dtstart") == invited.decoded("dtstart")
    assert event["attendee"].params["PARTSTAT"] == "DECLINED"
    assert event.walk("VALARM") == []
    # Its reminder is called off.
    assert {m.status for m in keyed(f"meeting-reminder:booking:{holder.pk}:")} == {
        OutboxMessage.Status.CANCELLED
    }
    # Each user of the training body is told once, with a link to the slot's page.
    told = keyed("meeting-organiser-cancelled:")
    assert sorted(m.to_email for m in told) == ["of1@example.org", "of2@example.org"]
    assert told[0].subject.startswith("[DéClics] Une personne ne viendra pas à votre rencontre du ")
    assert f"{SITE}/emplois/partenaire/{slot.body_id}/creneaux/{slot.pk}/" in told[0].body_text
    assert "elle a annulé sa réservation" in told[0].body_text
    # The seat goes to the person waiting, held for them, with the page to confirm it.
    waiting.refresh_from_db()
    slot.refresh_from_db()
    assert (waiting.status, slot.seats_taken) == (BookingStatus.OFFERED, 1)
    offer = message(f"meeting-offer:booking:{waiting.pk}:r1")
    assert meetings_page(slot) in offer.body_text


def test_a_seat_is_not_cancelled_online_within_two_hours_a_place_in_the_queue_is():
    slot = MeetingSlotFactory(seats=1, starts_at=timezone.now() + timedelta(minutes=90))
    holder = book(slot)
    waiting = book(slot)

    with pytest.raises(services.MeetingError, match="trop tard pour annuler en ligne"):
        services.cancel_meeting_booking(booking=holder, job_seeker=holder.job_seeker)
    with pytest.raises(services.MeetingError, match="pas la vôtre"):
        services.cancel_meeting_booking(booking=waiting, job_seeker=holder.job_seeker)
    services.cancel_meeting_booking(booking=waiting, job_seeker=waiting.job_seeker)

    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert (holder.status, waiting.status) == (BookingStatus.CONFIRMED, BookingStatus.CANCELLED)
    assert keyed("meeting-organiser-cancelled:") == []  # nobody with a seat left


def test_an_offer_is_confirmed_in_time_or_passes_to_the_next_person():
    slot = MeetingSlotFactory(seats=1, starts_at=timezone.now() + timedelta(days=3))
    holder = book(slot)
    first = book(slot)
    second = book(slot)
    services.cancel_meeting_booking(booking=holder, job_seeker=holder.job_seeker)
    first.refresh_from_db()
    assert first.status == BookingStatus.OFFERED

    with pytest.raises(services.MeetingError, match="pas la vôtre"):
        services.confirm_meeting_offer(booking=first, job_seeker=second.job_seeker)
    assert engine.expire_offers(now=first.offer_expires_at + timedelta(minutes=1)) == 1
    with pytest.raises(services.MeetingError, match="plus valable"):
        services.confirm_meeting_offer(booking=first, job_seeker=first.job_seeker)
    assert message(f"meeting-offer-expired:booking:{first.pk}:r1").to_email == first.job_seeker.email

    second.refresh_from_db()
    assert second.status == BookingStatus.OFFERED
    services.confirm_meeting_offer(booking=second, job_seeker=second.job_seeker)
    second.refresh_from_db()
    slot.refresh_from_db()
    assert (second.status, slot.seats_taken) == (BookingStatus.CONFIRMED, 1)
    _calendar, event = calendar_of(message(f"meeting-confirmed:booking:{second.pk}:r1"))
    assert str(event["uid"]) == f"meeting-{second.pk}-1@declics.example"


def test_booking_again_after_cancelling_is_a_new_round():
    slot = MeetingSlotFactory(seats=1)
    booking = book(slot)
    services.cancel_meeting_booking(booking=booking, job_seeker=booking.job_seeker)

    again = services.book_meeting_slot(slot=slot, enrolment=booking.enrolment)

    assert (again.pk, again.status, again.round) == (booking.pk, BookingStatus.CONFIRMED, 2)
    _calendar, event = calendar_of(message(f"meeting-confirmed:booking:{booking.pk}:r2"))
    assert str(event["uid"]) == f"meeting-{booking.pk}-2@declics.example"


# --- the training body: move, cancel, seats ---------------------------------------------------------


def test_the_body_moves_a_slot_everyone_is_told_once_with_sequence_plus_one():
    old_start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    slot = MeetingSlotFactory(seats=1, starts_at=old_start, body__name="Simplon Occitanie")
    member = body_member(slot)
    holder = book(slot)
    waiting = book(slot)
    _, invited = calendar_of(message(f"meeting-confirmed:booking:{holder.pk}:r1"))
    new_start = old_start + timedelta(days=1, hours=2)
    stranger = MembershipFactory(partner=TrainingBodyFactory()).user

    with pytest.raises(services.MeetingError, match="un autre partenaire") as refused:
        services.move_meeting_slot(slot=slot, starts_at=new_start, by=stranger)
    assert refused.value.status == 403
    services.move_meeting_slot(slot=slot, starts_at=new_start, duration_minutes=30, by=member)

    slot.refresh_from_db()
    assert (slot.starts_at, slot.duration_minutes, slot.sequence) == (new_start, 30, 1)
    moved = keyed("meeting-moved:")
    assert [m.dedup_key for m in moved] == [
        f"meeting-moved:booking:{holder.pk}:r1:s1",
        f"meeting-moved:booking:{waiting.pk}:r1:s1",
    ]
    assert moved[0].subject == "[DéClics] Changement de date : la rencontre avec Simplon Occitanie"
    calendar, event = calendar_of(moved[0])
    assert str(calendar["method"]) == "REQUEST"
    assert (str(event["uid"]), event["sequence"]) == (str(invited["uid"]), invited["sequence"] + 1)
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (
        new_start,
        new_start + timedelta(minutes=30),
    )
    assert moved[1].attachments == []  # waiting: no invitation yet
    # The reminders follow the new time.
    assert engine.send_due_reminders(now=old_start - timedelta(hours=23)) == 0
    assert engine.send_due_reminders(now=new_start - timedelta(hours=23)) == 1
    # Moving again is a new version: told again, once.
    services.move_meeting_slot(slot=slot, starts_at=new_start + timedelta(hours=1), by=member)
    assert len(keyed("meeting-moved:")) == 4


def test_the_body_cancels_a_slot_everyone_gets_a_cancel_and_no_reminder_follows():
    slot = MeetingSlotFactory(seats=1, body__name="Simplon Occitanie")
    member = body_member(slot)
    holder = book(slot)
    waiting = book(slot)
    _, invited = calendar_of(message(f"meeting-confirmed:booking:{holder.pk}:r1"))

    told = services.cancel_meeting_slot(slot=slot, by=member, reason="La formatrice est malade.")

    assert told == 2
    slot.refresh_from_db()
    assert (slot.status, slot.seats_taken, slot.sequence) == ("cancelled", 0, 1)
    notice = message(f"meeting-cancelled:booking:{holder.pk}:r1")
    assert notice.subject == "[DéClics] Annulation : la rencontre avec Simplon Occitanie"
    assert "La formatrice est malade." in notice.body_text
    calendar, event = calendar_of(notice)
    assert (str(calendar["method"]), str(event["status"])) == ("CANCEL", "CANCELLED")
    assert (str(event["uid"]), event["sequence"]) == (str(invited["uid"]), invited["sequence"] + 1)
    assert message(f"meeting-cancelled:booking:{waiting.pk}:r1").attachments == []
    assert len(keyed("meeting-cancelled:")) == 2
    # Nobody is told the body "a person cancelled": the body cancelled.
    assert keyed("meeting-organiser-cancelled:") == []
    assert engine.send_due_reminders(now=slot.starts_at - timedelta(hours=23)) == 0
    assert engine.send_due_reminders(now=slot.starts_at - timedelta(minutes=50)) == 0
    assert keyed("meeting-reminder:") == []
    with pytest.raises(services.MeetingError, match="Ce créneau est déjà annulé"):
        services.cancel_meeting_slot(slot=slot, by=member)


def test_more_seats_are_offered_at_once_never_fewer_than_the_seats_held():
    slot = MeetingSlotFactory(seats=2)
    member = body_member(slot)
    book(slot)
    book(slot)
    waiting = book(slot)

    with pytest.raises(services.MeetingError, match="déjà 2 places prises"):
        services.change_meeting_seats(slot=slot, seats=1, by=member)
    services.update_meeting_slot(
        slot=slot, starts_at=slot.starts_at, duration_minutes=slot.duration_minutes, seats=3, by=member
    )

    waiting.refresh_from_db()
    slot.refresh_from_db()
    assert (slot.seats, slot.seats_taken, waiting.status) == (3, 3, BookingStatus.OFFERED)
    assert keyed("meeting-moved:") == []  # the date did not change: nobody told of a move


# --- attendance, an ended enrolment ------------------------------------------------------------------


def test_attending_completes_step_5_and_a_no_show_is_offered_the_bodys_next_slot():
    slot = MeetingSlotFactory(seats=2, body__name="Simplon Occitanie")
    member = body_member(slot)
    later = MeetingSlotFactory(
        body=slot.body, session=slot.session, starts_at=slot.starts_at + timedelta(days=4)
    )
    MeetingSlotFactory(session=slot.session, starts_at=slot.starts_at + timedelta(days=2))  # another body's
    came = book(slot)
    missed = book(slot)
    stranger = MembershipFactory(partner=TrainingBodyFactory()).user

    with pytest.raises(services.MeetingError, match="La présence se note une fois la rencontre commencée"):
        services.mark_meeting_attendance(booking=came, attended=True, by=member)
    MeetingSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(services.MeetingError, match="un autre partenaire"):
        services.mark_meeting_attendance(booking=came, attended=True, by=stranger)
    services.mark_meeting_attendance(booking=came, attended=True, by=member)
    services.mark_meeting_attendance(booking=missed, attended=False, by=member)

    came.refresh_from_db()
    missed.refresh_from_db()
    assert (came.attended, came.attendance_marked_by, missed.attended) == (True, member, False)
    assert (step_done(came.enrolment, 5), step_done(missed.enrolment, 5)) == (True, False)
    assert message(f"meeting-attended:booking:{came.pk}:r1").to_email == came.job_seeker.email
    follow_up = message(f"meeting-missed:booking:{missed.pk}:r1")
    with translation.override("fr"):
        day = formats.date_format(timezone.localtime(later.starts_at), "l j F")
    assert f"Une autre date vous attend le {day} à {timezone.localtime(later.starts_at):%H:%M}" in (
        follow_up.body_text
    )


def test_an_ended_enrolment_gives_the_seat_to_the_next_person_and_the_body_is_told():
    slot = MeetingSlotFactory(seats=1)
    body_member(slot)
    holder = book(slot)
    waiting = book(slot)

    withdraw(enrolment=holder.enrolment)

    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert (holder.status, holder.end_reason, waiting.status) == (
        BookingStatus.CANCELLED,
        "withdrawn",
        BookingStatus.OFFERED,
    )
    [told] = keyed("meeting-organiser-cancelled:")
    assert "elle ne participe plus à la session DéClics" in told.body_text
    calendar, _event = calendar_of(message(f"meeting-booking-cancelled:booking:{holder.pk}:r1"))
    assert str(calendar["method"]) == "CANCEL"
