"""Workshop bookings in the calendar files (built by `programs.calendar_files`), parsed back with
`icalendar` and checked field by field; every slot type together: tests/programs/test_calendar_files.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from programs.workshops import ics, services
from tests.factories import StaffFactory

from .factories import WorkshopFactory, participant

pytestmark = pytest.mark.django_db


def parse(text):
    calendar = Calendar.from_ical(text)
    events = calendar.walk("VEVENT")
    return calendar, events


def booked(workshop, **user_fields):
    person = participant(workshop.session, **user_fields)
    return services.book_workshop(workshop=workshop, job_seeker=person)


def test_booking_ics_request_field_by_field(settings):
    settings.SITE_URL = "https://declics.example"
    workshop = WorkshopFactory(title="Réussir son entretien", duration_minutes=90)
    booking = booked(workshop, email="amina@example.org", first_name="Amina", last_name="Diallo")

    calendar, [event] = parse(ics.booking_ics(booking))

    assert (str(calendar["version"]), str(calendar["method"]), str(calendar["prodid"])) == (
        "2.0",
        "REQUEST",
        "-//DéClics Numériques//Agenda//FR",
    )
    assert str(event["uid"]) == f"workshop-booking-{booking.pk}-1@declics.example"
    assert event["sequence"] == 0
    assert event.decoded("dtstart") == workshop.starts_at
    assert event.decoded("dtend") == workshop.starts_at + timedelta(minutes=90)
    assert str(event["summary"]) == "Atelier DéClics : Réussir son entretien"
    assert str(event["location"]) == "https://visio.example.org/atelier-entretien"
    assert str(event["url"]) == f"https://declics.example/sessions/ateliers/atelier/{workshop.pk}/"
    description = str(event["description"])
    assert "Lien de la visioconférence : https://visio.example.org/atelier-entretien" in description
    assert "Accessibilité : Sous-titres en direct" in description
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["organizer"]) == "mailto:ne-pas-repondre@declics.example"
    attendee = event["attendee"]
    assert (str(attendee), attendee.params["partstat"], attendee.params["cn"]) == (
        "mailto:amina@example.org",
        "ACCEPTED",
        "Amina Diallo",
    )
    [alarm] = event.walk("VALARM")
    assert (str(alarm["action"]), alarm.decoded("trigger")) == ("DISPLAY", timedelta(minutes=-15))


def test_booking_ics_after_a_move_keeps_the_uid_and_raises_the_sequence(workshop):
    booking = booked(workshop)
    _, [before] = parse(ics.booking_ics(booking))
    new_start = workshop.starts_at + timedelta(hours=2)
    services.move_workshop(workshop=workshop, starts_at=new_start, by=StaffFactory())

    booking.refresh_from_db()
    _, [after] = parse(ics.booking_ics(booking))

    assert str(after["uid"]) == str(before["uid"])
    assert (before["sequence"], after["sequence"]) == (0, 1)
    assert after.decoded("dtstart") == new_start


def test_cancel_ics_when_the_workshop_is_cancelled(workshop):
    booking = booked(workshop)
    services.cancel_workshop(workshop=workshop, by=StaffFactory())
    booking.refresh_from_db()

    calendar, [event] = parse(ics.booking_ics(booking, method=ics.CANCEL))

    assert (str(calendar["method"]), str(event["status"]), event["sequence"]) == ("CANCEL", "CANCELLED", 1)
    assert str(event["uid"]) == ics.booking_uid(booking)
    assert event.walk("VALARM") == []
    assert event["attendee"].params["partstat"] == "DECLINED"


def test_cancel_ics_of_a_personal_cancellation_outranks_the_last_invitation(workshop):
    booking = booked(workshop)
    services.cancel_booking(booking=booking, job_seeker=booking.job_seeker)
    booking.refresh_from_db()

    _, [event] = parse(ics.booking_ics(booking, method=ics.CANCEL))

    assert (event["sequence"], str(event["status"])) == (1, "CANCELLED")


def test_calendar_events_lists_confirmed_seats_in_scheduled_workshops_only(workshop):
    person = participant(workshop.session)
    confirmed = services.book_workshop(workshop=workshop, job_seeker=person)
    cancelled = services.book_workshop(
        workshop=WorkshopFactory(session=workshop.session, starts_at=timezone.now() + timedelta(days=5)),
        job_seeker=person,
    )
    services.cancel_booking(booking=cancelled, job_seeker=person)
    called_off = services.book_workshop(
        workshop=WorkshopFactory(session=workshop.session, starts_at=timezone.now() + timedelta(days=6)),
        job_seeker=person,
    )
    services.cancel_workshop(workshop=called_off.workshop, by=StaffFactory())

    assert [event.uid for event in ics.calendar_events(person)] == [ics.booking_uid(confirmed)]
