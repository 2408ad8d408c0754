"""The one calendar-file builder (`programs.calendar_files`) and the personal feed, over every slot
type: each file parsed back with `icalendar` and checked field by field."""

import ast
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from declics.accounts.models import User
from jobs.trainings import ics as meeting_ics
from jobs.trainings import services as meeting_services
from programs import calendar_files
from programs.models import CalendarFeedToken
from programs.role_models import ics as talk_ics
from programs.role_models import services as talk_services
from programs.workshops import ics as workshop_ics
from programs.workshops import services as workshop_services
from tests.factories import StaffFactory, UserFactory
from tests.jobs.factories import MeetingSlotFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory
from tests.programs.role_models.factories import TalkFactory
from tests.programs.workshops.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

SITE = "https://declics.example"
ROOM = "https://visio.example.org/salle-secrete-123"


def parse(content):
    calendar = Calendar.from_ical(content)
    return calendar, calendar.walk("VEVENT")


@dataclass
class Booked:
    """One booking of a slot type, and what its calendar file must say."""

    booking: object
    uid: str
    starts_at: object
    ends_at: object
    summary: str
    location: str
    url: str
    description: str
    alarm: timedelta


def book_workshop(enrolment, starts_at):
    workshop = WorkshopFactory(session=enrolment.session, title="Réussir son entretien", starts_at=starts_at)
    booking = workshop_services.book_workshop(workshop=workshop, job_seeker=enrolment.job_seeker)
    return Booked(
        booking=booking,
        uid=f"workshop-booking-{booking.pk}-1@declics.example",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=90),
        summary="Atelier DéClics : Réussir son entretien",
        location=workshop.video_url,  # as sent today: the room's link
        url=f"{SITE}/sessions/ateliers/atelier/{workshop.pk}/",
        description=f"Lien de la visioconférence : {workshop.video_url}",
        alarm=timedelta(minutes=-15),
    )


def book_talk(enrolment, starts_at):
    talk = TalkFactory(
        session=enrolment.session, title="Devenir technicienne support", starts_at=starts_at, video_url=ROOM
    )
    registration = talk_services.register_for_talk(talk=talk, enrolment=enrolment)
    join = SITE + reverse("programs:talk_join", args=[talk.pk])
    return Booked(
        booking=registration,
        uid=f"talk-registration-{registration.pk}@declics.example",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=60),
        summary="Témoignage DéClics : Devenir technicienne support",
        location=join,  # never the room's own link
        url=join,
        description=f"(actif 30 minutes avant le début) : {join}",
        alarm=timedelta(minutes=-30),
    )


def book_meeting(enrolment, starts_at):
    slot = MeetingSlotFactory(
        session=enrolment.session, starts_at=starts_at, body__name="Simplon Occitanie", duration_minutes=20
    )
    booking = meeting_services.book_meeting_slot(slot=slot, enrolment=enrolment)
    return Booked(
        booking=booking,
        uid=f"meeting-{booking.pk}-1@declics.example",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=20),
        summary="Rencontre avec Simplon Occitanie",
        location=slot.video_url,
        url=slot.video_url,
        description=f"Lien de la visioconférence : {slot.video_url}",
        alarm=timedelta(minutes=-15),
    )


def workshop_file(booking, method):
    booking.refresh_from_db()
    return workshop_ics.booking_ics(booking, method=method)


def talk_file(registration, method):
    registration.refresh_from_db()
    return talk_ics.registration_ics(registration, method=method)


def meeting_file(booking, method):
    booking.refresh_from_db()
    return meeting_ics.meeting_ics(booking, method=method).decode()


def cancel_workshop_booking(booking):
    workshop_services.cancel_booking(booking=booking, job_seeker=booking.job_seeker)


def cancel_talk_registration(registration):
    talk_services.cancel_registration(registration=registration, job_seeker=registration.job_seeker)


def cancel_meeting_booking(booking):
    meeting_services.cancel_meeting_booking(booking=booking, job_seeker=booking.job_seeker)


# (book, file of a booking, the person's own cancellation)
SLOT_TYPES = {
    "workshop": (book_workshop, workshop_file, cancel_workshop_booking),
    "talk": (book_talk, talk_file, cancel_talk_registration),
    "meeting": (book_meeting, meeting_file, cancel_meeting_booking),
}


@pytest.fixture
def enrolment(settings):
    settings.SITE_URL = SITE
    person = UserFactory(email="amina@example.org", first_name="Amina", last_name="Diallo")
    return EnrolmentFactory(session=OpenSessionFactory(), job_seeker=person)


def starts():
    return (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)


@pytest.mark.parametrize("slot_type", SLOT_TYPES)
def test_request_parses_back_field_by_field(enrolment, slot_type):
    book, file_of, _cancel = SLOT_TYPES[slot_type]
    booked = book(enrolment, starts())

    calendar, [event] = parse(file_of(booked.booking, calendar_files.REQUEST))

    assert (str(calendar["version"]), str(calendar["method"]), str(calendar["prodid"])) == (
        "2.0",
        "REQUEST",
        "-//DéClics Numériques//Agenda//FR",
    )
    assert (str(event["uid"]), event["sequence"], str(event["status"])) == (booked.uid, 0, "CONFIRMED")
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (booked.starts_at, booked.ends_at)
    assert str(event["summary"]) == booked.summary
    assert (str(event["location"]), str(event["url"])) == (booked.location, booked.url)
    assert booked.description in str(event["description"])
    assert str(event["organizer"]) == "mailto:ne-pas-repondre@declics.example"
    attendee = event["attendee"]
    assert (str(attendee), attendee.params["partstat"], attendee.params["cn"]) == (
        "mailto:amina@example.org",
        "ACCEPTED",
        "Amina Diallo",
    )
    [alarm] = event.walk("VALARM")
    assert (str(alarm["action"]), alarm.decoded("trigger")) == ("DISPLAY", booked.alarm)
    # The talk's room link never leaves the platform; the others' files carry their own.
    assert (ROOM in file_of(booked.booking, calendar_files.REQUEST)) is False


@pytest.mark.parametrize("slot_type", SLOT_TYPES)
def test_cancel_keeps_the_uid_and_outranks_the_invitation(enrolment, slot_type):
    book, file_of, cancel = SLOT_TYPES[slot_type]
    booked = book(enrolment, starts())
    _, [invitation] = parse(file_of(booked.booking, calendar_files.REQUEST))
    cancel(booked.booking)

    calendar, [event] = parse(file_of(booked.booking, calendar_files.CANCEL))

    assert str(calendar["method"]) == "CANCEL"
    assert str(event["uid"]) == str(invitation["uid"]) == booked.uid
    assert (str(event["status"]), event["attendee"].params["partstat"]) == ("CANCELLED", "DECLINED")
    assert event["sequence"] == 1
    assert event.walk("VALARM") == []


def test_workshop_update_then_cancel_same_uid_and_rising_sequence(enrolment):
    """The one slot type the organiser moves and cancels today: REQUEST, update, CANCEL."""
    booked = book_workshop(enrolment, starts())
    workshop = booked.booking.workshop
    staff = StaffFactory()
    _, [first] = parse(workshop_file(booked.booking, calendar_files.REQUEST))

    moved_to = booked.starts_at + timedelta(hours=2)
    workshop_services.move_workshop(workshop=workshop, starts_at=moved_to, by=staff)
    _, [update] = parse(workshop_file(booked.booking, calendar_files.REQUEST))
    workshop.refresh_from_db()
    workshop_services.cancel_workshop(workshop=workshop, by=staff)
    calendar, [cancel] = parse(workshop_file(booked.booking, calendar_files.CANCEL))

    assert {str(first["uid"]), str(update["uid"]), str(cancel["uid"])} == {booked.uid}
    assert (first["sequence"], update["sequence"], cancel["sequence"]) == (0, 1, 2)
    assert (update.decoded("dtstart"), update.decoded("dtend")) == (
        moved_to,
        moved_to + timedelta(minutes=90),
    )
    assert (str(calendar["method"]), str(cancel["status"])) == ("CANCEL", "CANCELLED")


# --- the personal feed ------------------------------------------------------------------------------


def feed_url(user):
    return reverse("programs:workshop_feed", args=[CalendarFeedToken.objects.create(user=user).token])


def test_feed_lists_one_live_booking_of_each_type_and_nothing_else(client, enrolment):
    mine = [
        SLOT_TYPES[kind][0](enrolment, starts() + timedelta(hours=n)) for n, kind in enumerate(SLOT_TYPES)
    ]
    # Cancelled bookings of the person's: a workshop seat and a meeting.
    cancel_workshop_booking(book_workshop(enrolment, starts()).booking)
    cancel_meeting_booking(book_meeting(enrolment, starts()).booking)
    # Another person's bookings in the same session.
    other = EnrolmentFactory(session=enrolment.session)
    for kind in SLOT_TYPES:
        SLOT_TYPES[kind][0](other, starts())

    response = client.get(feed_url(enrolment.job_seeker))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, events = parse(response.content)
    assert (str(calendar["method"]), str(calendar["x-wr-calname"])) == ("PUBLISH", "Mes rendez-vous DéClics")
    assert [(str(e["uid"]), str(e["summary"])) for e in events] == [(b.uid, b.summary) for b in mine]
    assert [e.decoded("dtstart") for e in events] == [b.starts_at for b in mine]
    assert all("attendee" not in e and "organizer" not in e for e in events)
    assert ROOM not in response.content.decode()


@pytest.mark.parametrize("per_type", [1, 3])
def test_feed_queries_constant_in_the_bookings(client, enrolment, django_assert_num_queries, per_type):
    for n in range(per_type):
        for kind in SLOT_TYPES:
            SLOT_TYPES[kind][0](enrolment, starts() + timedelta(hours=n))
    url = feed_url(enrolment.job_seeker)

    # The token with its user, then one query per step holding slots (talks, workshops, meetings).
    with django_assert_num_queries(4):
        response = client.get(url)

    assert len(parse(response.content)[1]) == 3 * per_type


def test_calendar_feed_with_the_secret_token_and_a_new_token_revokes_the_old(client, enrolment):
    booking = book_workshop(enrolment, starts()).booking
    workshop = booking.workshop
    client.force_login(booking.job_seeker)
    client.get(reverse("programs:workshop_feed_settings"))
    old = CalendarFeedToken.objects.get(user=booking.job_seeker).token
    client.logout()

    response = client.get(reverse("programs:workshop_feed", args=[old]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert [str(e["summary"]) for e in parse(response.content)[1]] == [f"Atelier DéClics : {workshop.title}"]
    assert client.get(reverse("programs:workshop_feed", args=["pas-le-bon-jeton"])).status_code == 404

    client.force_login(booking.job_seeker)
    client.post(reverse("programs:workshop_feed_settings"))
    client.logout()

    assert client.get(reverse("programs:workshop_feed", args=[old])).status_code == 404
    new = CalendarFeedToken.objects.get(user=booking.job_seeker).token
    assert new != old
    assert client.get(reverse("programs:workshop_feed", args=[new])).status_code == 200


# --- one builder ------------------------------------------------------------------------------------

SOURCE_ROOTS = ("declics", "programs", "mentoring", "jobs")
BUILDER = Path("programs/calendar_files.py")


def _imports_icalendar(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "icalendar":
            return True
        if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "icalendar" for a in node.names):
            return True
    return False


def test_no_module_but_the_builder_imports_icalendar():
    base = Path(django_settings.BASE_DIR)
    importers = {
        path.relative_to(base)
        for root in SOURCE_ROOTS
        for path in (base / root).rglob("*.py")
        if _imports_icalendar(path)
    }

    assert importers == {BUILDER}


def test_the_builder_refuses_an_unknown_method():
    with pytest.raises(ValueError, match="PUBLISHED"):
        calendar_files.calendar_file([], method="PUBLISHED")


@pytest.mark.parametrize("slot_type", SLOT_TYPES)
def test_a_person_without_address_gets_a_file_without_attendee(settings, slot_type):
    settings.SITE_URL = SITE
    person = User.objects.create_user(None, password="Un-mot-de-passe-solide-42", phone="+33612345678")
    enrolment = EnrolmentFactory(session=OpenSessionFactory(), job_seeker=person)
    book, file_of, _cancel = SLOT_TYPES[slot_type]
    booked = book(enrolment, starts())

    _calendar, [event] = parse(file_of(booked.booking, calendar_files.REQUEST))

    assert "attendee" not in event
    assert str(event["organizer"]) == "mailto:ne-pas-repondre@declics.example"
