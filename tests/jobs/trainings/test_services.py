from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from declics.notifications.models import OutboxMessage
from jobs.trainings import services
from jobs.trainings.models import BookingStatus, MeetingBooking, TrainingInterest
from tests.jobs.factories import (
    EnrolmentFactory,
    MeetingSlotFactory,
    MembershipFactory,
    TrainingBodyFactory,
    TrainingFactory,
)
from tests.jobs.helpers import queued, step_done

pytestmark = pytest.mark.django_db


# --- trainings --------------------------------------------------------------------------------------
def test_save_training_refuses_another_partners_body():
    membership = MembershipFactory(partner=TrainingBodyFactory())
    other_body = TrainingBodyFactory()
    training = TrainingFactory(body=other_body, title="Avant")
    training.title = "Après"
    with pytest.raises(services.TrainingError, match="un autre partenaire"):
        services.save_training(
            training=training, body=other_body, by=membership.user, rome_jobs=[], communes=[], start_dates=[]
        )
    training.refresh_from_db()
    assert training.title == "Avant"


def test_express_interest_needs_consent_completes_step_5_and_tells_the_body_once():
    membership = MembershipFactory(partner=TrainingBodyFactory(), user__email="of@example.org")
    training = TrainingFactory(body=membership.partner, title="Développeur web")
    enrolment = EnrolmentFactory(job_seeker__first_name="Samira", job_seeker__last_name="Benali")

    with pytest.raises(services.TrainingError, match="acceptez de lui transmettre"):
        services.express_interest(training=training, enrolment=enrolment, message="", consent=False)
    assert not TrainingInterest.objects.exists()

    services.express_interest(training=training, enrolment=enrolment, message="Bonjour", consent=True)
    assert step_done(enrolment, 5)
    assert [(m.to_email, m.subject) for m in queued()] == [
        ("of@example.org", "[DéClics] Une personne est intéressée par « Développeur web »")
    ]
    assert f"Samira Benali ({enrolment.job_seeker.email})" in queued()[0].body_text

    with pytest.raises(services.TrainingError, match="déjà signalé"):
        services.express_interest(training=training, enrolment=enrolment, message="", consent=True)
    assert len(queued()) == 1


# --- meetings ---------------------------------------------------------------------------------------
def test_book_meeting_slot_sends_ics_and_schedules_two_reminders(settings):
    settings.SITE_URL = "https://declics.example"
    slot = MeetingSlotFactory(seats=1, starts_at=timezone.now() + timedelta(days=3))
    enrolment = EnrolmentFactory(session=slot.session)

    booking = services.book_meeting_slot(slot=slot, enrolment=enrolment)

    keys = sorted(OutboxMessage.objects.values_list("dedup_key", "status"))
    assert keys == [
        (f"meeting:{booking.pk}:1:confirmation", OutboxMessage.Status.PENDING),
        (f"meeting:{booking.pk}:1:reminder:1h", OutboxMessage.Status.PENDING),
        (f"meeting:{booking.pk}:1:reminder:24h", OutboxMessage.Status.PENDING),
    ]
    reminder = OutboxMessage.objects.get(dedup_key=f"meeting:{booking.pk}:1:reminder:24h")
    assert reminder.send_after == slot.starts_at - timedelta(hours=24)
    attachment = OutboxMessage.objects.get(dedup_key=f"meeting:{booking.pk}:1:confirmation").attachments[0]
    assert (attachment["filename"], attachment["mimetype"]) == ("rencontre.ics", "text/calendar")
    content = attachment["content"]
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == slot.starts_at.replace(microsecond=0)
    assert str(event["location"]) == "https://visio.example.org/rencontre"
    assert event.walk("VALARM")[0].decoded("trigger") == timedelta(minutes=-15)
    # The .ics to download is on the meetings page of the booking's session.
    confirmation = OutboxMessage.objects.get(dedup_key=f"meeting:{booking.pk}:1:confirmation")
    ics_url = f"/sessions/{slot.session.slug}/rencontres/reservations/{booking.public_id}/invitation.ics"
    assert f"https://declics.example{ics_url}" in confirmation.body_text


def test_book_meeting_slot_refuses_a_full_slot_another_session_and_twice():
    slot = MeetingSlotFactory(seats=1)
    first = EnrolmentFactory(session=slot.session)
    services.book_meeting_slot(slot=slot, enrolment=first)
    with pytest.raises(services.MeetingError, match="déjà réservé"):
        services.book_meeting_slot(slot=slot, enrolment=first)
    with pytest.raises(services.MeetingError, match="complet"):
        services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session))
    with pytest.raises(services.MeetingError, match="autre session"):
        services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory())
    assert MeetingBooking.objects.count() == 1


def test_cancel_then_rebook_cancels_old_reminders_and_queues_new_ones():
    slot = MeetingSlotFactory(seats=1)
    enrolment = EnrolmentFactory(session=slot.session)
    booking = services.book_meeting_slot(slot=slot, enrolment=enrolment)
    services.cancel_meeting_booking(booking=booking, job_seeker=enrolment.job_seeker)
    assert set(
        OutboxMessage.objects.filter(dedup_key__contains=":1:reminder").values_list("status", flat=True)
    ) == {OutboxMessage.Status.CANCELLED}

    # The seat is free again; booking anew is a second round with its own reminders.
    booking = services.book_meeting_slot(slot=slot, enrolment=enrolment)
    assert (booking.status, booking.round) == (BookingStatus.BOOKED, 2)
    assert (
        OutboxMessage.objects.filter(
            dedup_key__startswith=f"meeting:{booking.pk}:2:reminder", status=OutboxMessage.Status.PENDING
        ).count()
        == 2
    )


def test_cancel_meeting_booking_sends_the_cancel_file_once():
    slot = MeetingSlotFactory(seats=1, body__name="Simplon Occitanie")
    enrolment = EnrolmentFactory(session=slot.session)
    booking = services.book_meeting_slot(slot=slot, enrolment=enrolment)
    invitation = OutboxMessage.objects.get(dedup_key=f"meeting:{booking.pk}:1:confirmation")

    services.cancel_meeting_booking(booking=booking, job_seeker=enrolment.job_seeker)

    notice = OutboxMessage.objects.get(dedup_key=f"meeting:{booking.pk}:1:cancelled")
    assert (notice.to_email, notice.subject) == (
        enrolment.job_seeker.email,
        "[DéClics] Rendez-vous annulé avec Simplon Occitanie",
    )
    [attachment] = notice.attachments
    calendar = Calendar.from_ical(attachment["content"])
    [event] = calendar.walk("VEVENT")
    [invited] = Calendar.from_ical(invitation.attachments[0]["content"]).walk("VEVENT")
    assert (str(calendar["method"]), str(event["status"])) == ("CANCEL", "CANCELLED")
    assert (str(event["uid"]), event["sequence"]) == (str(invited["uid"]), invited["sequence"] + 1)


def test_mark_meeting_attendance_completes_step_5_only_for_the_body():
    slot = MeetingSlotFactory(seats=1)
    enrolment = EnrolmentFactory(session=slot.session)
    booking = services.book_meeting_slot(slot=slot, enrolment=enrolment)
    member = MembershipFactory(partner=slot.body).user
    stranger = MembershipFactory(partner=TrainingBodyFactory()).user

    with pytest.raises(services.MeetingError, match="une fois la rencontre commencée"):
        services.mark_meeting_attendance(booking=booking, attended=True, by=member)
    slot.starts_at = timezone.now() - timedelta(minutes=5)
    slot.save()
    with pytest.raises(services.MeetingError, match="un autre partenaire"):
        services.mark_meeting_attendance(booking=booking, attended=True, by=stranger)
    assert not step_done(enrolment, 5)
    services.mark_meeting_attendance(booking=booking, attended=True, by=member)
    assert step_done(enrolment, 5)
