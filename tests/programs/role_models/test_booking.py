"""Talks on the booking engine: seats and the waiting list, the person's own cancellation, staff's
move and cancel, reminders, the no-show follow-up, and the calendar files parsed back field by field."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from declics.notifications.models import OutboxMessage
from programs.bookings.models import BookingStatus, SlotStatus
from programs.bookings.services import expire_offers, send_due_reminders
from programs.models import Step, StepProgress
from programs.role_models import ics, services
from programs.role_models.models import Talk, TalkRegistration
from tests.factories import MentorFactory, StaffFactory
from tests.programs.factories import EnrolmentFactory

from .factories import TalkFactory

pytestmark = pytest.mark.django_db
ROOM = "https://visio.example.org/salle-secrete-123"
SITE = "https://declics.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def register(talk, **user_fields):
    enrolment = EnrolmentFactory(session=talk.session, **user_fields)
    return services.register_for_talk(talk=talk, enrolment=enrolment)


def outbox(prefix):
    return {m.dedup_key: m for m in OutboxMessage.objects.filter(dedup_key__startswith=prefix)}


def parse(content):
    calendar = Calendar.from_ical(content)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def talk_at(hours, **fields):
    return TalkFactory(
        starts_at=(timezone.now() + timedelta(hours=hours)).replace(second=0, microsecond=0), **fields
    )


def seats(talk):
    talk.refresh_from_db()
    return talk.seats_taken


# --- Seats and the waiting list ----------------------------------------------------------------


def test_the_last_seat_is_taken_then_the_next_person_waits():
    talk = TalkFactory(seats=2)
    first, last = register(talk), register(talk)

    third = register(talk)

    assert [r.status for r in (first, last, third)] == ["confirmed", "confirmed", "waiting"]
    assert seats(talk) == 2
    assert sorted(outbox("talk-")) == sorted(
        [
            f"talk-confirmed:booking:{first.pk}:r1",
            f"talk-confirmed:booking:{last.pk}:r1",
            f"talk-waiting:booking:{third.pk}:r1",
        ]
    )
    waiting = outbox("talk-waiting:")[f"talk-waiting:booking:{third.pk}:r1"]
    assert "Vous êtes sur la liste d'attente : le témoignage « " in waiting.subject
    assert waiting.attachments == []


def test_a_talk_without_a_number_of_seats_never_fills():
    talk = TalkFactory(seats=None)

    registrations = [register(talk) for _ in range(5)]

    assert {r.status for r in registrations} == {"confirmed"}
    assert seats(talk) == 5


def test_a_freed_seat_is_offered_to_the_first_person_waiting_who_confirms_it(client):
    talk = TalkFactory(seats=1)
    holder = register(talk)
    first, second = register(talk), register(talk)

    services.cancel_registration(registration=holder, job_seeker=holder.job_seeker)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, seats(talk)) == ("offered", "waiting", 1)
    offer = outbox("talk-offer:")[f"talk-offer:booking:{first.pk}:r1"]
    confirm_url = reverse("programs:talk_confirm_offer", args=[first.public_id])
    assert SITE + confirm_url in offer.body_text

    client.force_login(first.job_seeker)
    page = client.get(confirm_url)
    response = client.post(confirm_url)

    assert (page.status_code, response.status_code) == (200, 302)
    first.refresh_from_db()
    assert (first.status, seats(talk)) == ("confirmed", 1)
    invitation = outbox("talk-confirmed:")[f"talk-confirmed:booking:{first.pk}:r1"]
    _, event = parse(invitation.attachments[0]["content"])
    assert str(event["location"]) == SITE + reverse("programs:talk_join", args=[talk.pk])


def test_an_offer_not_confirmed_in_time_passes_to_the_next_person(client):
    talk = talk_at(48, seats=1)
    holder = register(talk)
    first, second = register(talk), register(talk)
    services.cancel_registration(registration=holder, job_seeker=holder.job_seeker)
    first.refresh_from_db()

    assert expire_offers(now=first.offer_expires_at) == 1

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status, seats(talk)) == ("expired", "offered", 1)
    client.force_login(first.job_seeker)
    late = client.post(reverse("programs:talk_confirm_offer", args=[first.public_id]))
    assert late.status_code == 409
    assert late.context["error"].startswith("Cette proposition de place n'est plus valable")


# --- The person's own cancellation -------------------------------------------------------------


def test_the_person_cancels_from_the_page_gets_a_cancel_file_and_the_seat_is_offered(client):
    talk = TalkFactory(seats=1, title="Du commerce au code")
    registration = register(talk)
    waiting = register(talk)
    url = reverse("programs:talk_cancel", args=[registration.public_id])
    client.force_login(registration.job_seeker)

    page = client.get(url)
    response = client.post(url)

    assert page.status_code == 200
    assert "Oui, j'annule" in page.content.decode()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("programs:talk_detail", args=[talk.pk]),
    )
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status, seats(talk)) == ("cancelled", "offered", 1)
    notice = outbox("talk-booking-cancelled:")[f"talk-booking-cancelled:booking:{registration.pk}:r1"]
    assert notice.subject.endswith("Réservation annulée : le témoignage « Du commerce au code »")
    calendar, event = parse(notice.attachments[0]["content"])
    assert str(calendar["method"]) == "CANCEL"
    assert str(event["uid"]) == f"talk-registration-{registration.pk}@declics.example"
    # One above the talk's own sequence: it outranks the invitation the person holds.
    assert (event["sequence"], str(event["status"])) == (1, "CANCELLED")
    assert ROOM not in notice.body_text + notice.attachments[0]["content"]


def test_the_person_may_cancel_until_the_start_not_after():
    talk = talk_at(1)
    registration = register(talk)
    late = registration.talk.starts_at + timedelta(minutes=1)

    with pytest.raises(services.TalkError, match="a déjà commencé"):
        services.cancel_registration(registration=registration, job_seeker=registration.job_seeker, now=late)
    services.cancel_registration(
        registration=registration,
        job_seeker=registration.job_seeker,
        now=talk.starts_at - timedelta(minutes=1),
    )

    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_another_persons_registration_answers_404_and_stays(client):
    talk = TalkFactory()
    registration = register(talk)
    other = EnrolmentFactory(session=talk.session).job_seeker
    client.force_login(other)

    for name in ("talk_cancel", "talk_confirm_offer"):
        url = reverse(f"programs:{name}", args=[registration.public_id])
        assert (client.get(url).status_code, client.post(url).status_code) == (404, 404)

    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_registering_again_after_cancelling_starts_a_new_round_with_a_new_uid(client):
    talk = TalkFactory()
    registration = register(talk)
    person = registration.job_seeker
    services.cancel_registration(registration=registration, job_seeker=person)
    client.force_login(person)

    response = client.post(reverse("programs:talk_register", args=[talk.pk]))

    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.status, registration.round) == ("confirmed", 2)
    assert f"talk-confirmed:booking:{registration.pk}:r2" in outbox("talk-confirmed:")
    _, event = parse(ics.registration_ics(registration))
    assert str(event["uid"]) == f"talk-registration-{registration.pk}-2@declics.example"


# --- Staff: move and cancel --------------------------------------------------------------------


def test_staff_move_tells_everyone_once_with_sequence_up_and_reminders_follow(client):
    talk = talk_at(72, seats=1)
    confirmed, waiting = register(talk), register(talk)
    new_start = talk.starts_at + timedelta(days=2)
    client.force_login(StaffFactory())
    data = {"starts_at": timezone.localtime(new_start).strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 90}

    response = client.post(reverse("programs:talk_move", args=[talk.pk]), data)
    again = client.post(reverse("programs:talk_move", args=[talk.pk]), data)

    assert (response.status_code, again.status_code) == (302, 400)
    assert "rien à changer" in again.content.decode()
    talk.refresh_from_db()
    assert (talk.starts_at, talk.duration_minutes, talk.sequence) == (new_start, 90, 1)
    moved = outbox("talk-moved:")
    assert sorted(moved) == sorted(
        [f"talk-moved:booking:{confirmed.pk}:r1:s1", f"talk-moved:booking:{waiting.pk}:r1:s1"]
    )
    assert moved[f"talk-moved:booking:{waiting.pk}:r1:s1"].attachments == []
    calendar, event = parse(moved[f"talk-moved:booking:{confirmed.pk}:r1:s1"].attachments[0]["content"])
    assert str(calendar["method"]) == "REQUEST"
    assert str(event["uid"]) == f"talk-registration-{confirmed.pk}@declics.example"
    assert (event["sequence"], event.decoded("dtstart"), event.decoded("dtend")) == (
        1,
        new_start,
        new_start + timedelta(minutes=90),
    )
    # No reminder at the old time; the new time's reminders come when due.
    assert send_due_reminders(now=new_start - timedelta(days=3, hours=23)) == 0
    assert send_due_reminders(now=new_start - timedelta(hours=23)) == 1
    stamp = timezone.localtime(new_start).strftime("%Y%m%dT%H%M")
    assert list(outbox("talk-reminder:")) == [f"talk-reminder:booking:{confirmed.pk}:r1:24h:{stamp}"]


def test_staff_cancel_sends_a_cancel_to_everyone_and_no_reminder_after(client):
    talk = talk_at(30, seats=1, title="Reprendre après une pause")
    confirmed, waiting = register(talk), register(talk)
    client.force_login(StaffFactory())

    page = client.get(reverse("programs:talk_cancel_talk", args=[talk.pk]))
    response = client.post(
        reverse("programs:talk_cancel_talk", args=[talk.pk]), {"reason": "L'intervenante est malade."}
    )

    assert (page.status_code, response.status_code) == (200, 302)
    talk.refresh_from_db()
    assert (talk.status, talk.seats_taken, talk.sequence) == (SlotStatus.CANCELLED, 0, 1)
    assert set(TalkRegistration.objects.values_list("status", flat=True)) == {BookingStatus.CANCELLED}
    told = outbox("talk-cancelled:")
    assert sorted(told) == sorted(
        [f"talk-cancelled:booking:{confirmed.pk}:r1", f"talk-cancelled:booking:{waiting.pk}:r1"]
    )
    assert (
        "La raison : L'intervenante est malade."
        in told[f"talk-cancelled:booking:{confirmed.pk}:r1"].body_text
    )
    calendar, event = parse(told[f"talk-cancelled:booking:{confirmed.pk}:r1"].attachments[0]["content"])
    assert (str(calendar["method"]), event["sequence"], str(event["status"])) == ("CANCEL", 1, "CANCELLED")
    assert told[f"talk-cancelled:booking:{waiting.pk}:r1"].attachments == []
    assert send_due_reminders(now=talk.starts_at - timedelta(hours=23)) == 0
    assert send_due_reminders(now=talk.starts_at - timedelta(minutes=50)) == 0
    assert outbox("talk-reminder:") == {}


@pytest.mark.parametrize("name", ["talk_move", "talk_cancel_talk"])
def test_move_and_cancel_are_staff_only_and_refusals_change_nothing(client, name):
    talk = TalkFactory()
    register(talk)
    host = MentorFactory()
    Talk.objects.filter(pk=talk.pk).update(host=host)
    client.force_login(host)

    assert client.get(reverse(f"programs:{name}", args=[talk.pk])).status_code == 403
    with pytest.raises(services.TalkError, match="Seule l'équipe"):
        services.move_talk(talk=talk, starts_at=talk.starts_at + timedelta(days=1), by=host)
    with pytest.raises(services.TalkError, match="Seule l'équipe"):
        services.cancel_talk(talk=talk, by=host)
    talk.refresh_from_db()
    assert (talk.status, talk.sequence) == (SlotStatus.SCHEDULED, 0)


# --- Reminders ---------------------------------------------------------------------------------


def test_reminders_are_the_engines_once_each_with_the_platforms_join_link():
    talk = talk_at(30)
    registration = register(talk)

    counts = [
        send_due_reminders(now=talk.starts_at - timedelta(hours=23)),
        send_due_reminders(now=talk.starts_at - timedelta(hours=23)),
        send_due_reminders(now=talk.starts_at - timedelta(minutes=50)),
        send_due_reminders(now=talk.starts_at - timedelta(minutes=50)),
    ]

    assert counts == [1, 0, 1, 0]
    stamp = timezone.localtime(talk.starts_at).strftime("%Y%m%dT%H%M")
    reminders = outbox("talk-reminder:")
    assert sorted(reminders) == [
        f"talk-reminder:booking:{registration.pk}:r1:1h:{stamp}",
        f"talk-reminder:booking:{registration.pk}:r1:24h:{stamp}",
    ]
    hour = reminders[f"talk-reminder:booking:{registration.pk}:r1:1h:{stamp}"]
    assert "Dans une heure : le témoignage" in hour.subject
    assert SITE + reverse("programs:talk_join", args=[talk.pk]) in hour.body_text
    assert ROOM not in hour.body_text


# --- Attendance and the no-show follow-up ------------------------------------------------------


def _started(talk):
    Talk.objects.filter(pk=talk.pk).update(starts_at=timezone.now() - timedelta(minutes=70))
    talk.refresh_from_db()
    return talk


def test_a_no_show_is_offered_the_replay_when_there_is_one():
    talk = TalkFactory(replay_url="https://replay.example.org/v/1")
    present, absent = register(talk), register(talk)
    talk = _started(talk)

    counts = services.mark_talk_attendance(talk=talk, present_ids=[present.pk], by=StaffFactory())

    assert counts == {"present": 1, "absent": 1}
    done = set(
        StepProgress.objects.done().filter(step=Step.ROLE_MODELS).values_list("enrolment_id", flat=True)
    )
    assert done == {present.enrolment_id}
    missed = outbox("talk-missed:")[f"talk-missed:booking:{absent.pk}:r1"]
    # The tracked replay link (watching it completes step 1), not the raw one.
    assert SITE + reverse("programs:talk_replay", args=[talk.pk]) in missed.body_text
    assert "replay.example.org" not in missed.body_text
    assert f"talk-attended:booking:{present.pk}:r1" in outbox("talk-attended:")


def test_a_no_show_is_offered_the_next_talk_with_a_seat_when_there_is_no_replay():
    talk = TalkFactory(replay_url="")
    absent = register(talk)
    talk = _started(talk)
    full = TalkFactory(session=talk.session, starts_at=timezone.now() + timedelta(days=1), seats=1)
    register(full)
    later = TalkFactory(session=talk.session, starts_at=timezone.now() + timedelta(days=3))
    TalkFactory(starts_at=timezone.now() + timedelta(hours=12))  # another session's

    services.mark_talk_attendance(talk=talk, present_ids=[], by=StaffFactory())

    missed = outbox("talk-missed:")[f"talk-missed:booking:{absent.pk}:r1"]
    assert SITE + reverse("programs:talk_detail", args=[later.pk]) in missed.body_text
    assert reverse("programs:talk_detail", args=[full.pk]) not in missed.body_text


def test_the_host_marks_attendance_of_confirmed_people_only():
    host = MentorFactory()
    talk = TalkFactory(seats=1, host=host)
    confirmed, waiting = register(talk), register(talk)
    talk = _started(talk)

    with pytest.raises(services.TalkError, match="n'a pas de place"):
        services.mark_talk_attendance(talk=talk, present_ids=[waiting.pk], by=host)
    services.mark_talk_attendance(talk=talk, present_ids=[confirmed.pk], by=host)

    confirmed.refresh_from_db()
    assert (confirmed.attended, confirmed.attendance_marked_by) == (True, host)


# --- Calendar files, parsed back field by field ------------------------------------------------


def test_invitation_and_feed_parse_back_field_by_field(client):
    talk = talk_at(50, title="Devenir technicienne support", description="Nadia raconte.")
    registration = register(
        talk,
        job_seeker__email="amina@example.org",
        job_seeker__first_name="Amina",
        job_seeker__last_name="Diallo",
    )
    join = SITE + reverse("programs:talk_join", args=[talk.pk])
    client.force_login(registration.job_seeker)

    calendar, event = parse(client.get(reverse("programs:talk_ics", args=[talk.pk])).content)

    assert (str(calendar["method"]), str(calendar["version"])) == ("REQUEST", "2.0")
    assert str(event["uid"]) == f"talk-registration-{registration.pk}@declics.example"
    assert event["sequence"] == 0
    assert (event.decoded("dtstart"), event.decoded("dtend")) == (talk.starts_at, talk.ends_at)
    assert str(event["summary"]) == "Témoignage DéClics : Devenir technicienne support"
    assert (str(event["location"]), str(event["url"])) == (join, join)
    assert str(event["description"]) == (
        "Nadia raconte.\n\n"
        f"Le lien pour rejoindre la visioconférence (actif 30 minutes avant le début) : {join}"
    )
    assert str(event["status"]) == "CONFIRMED"
    attendee = event["attendee"]
    assert (str(attendee), attendee.params["partstat"], attendee.params["cn"]) == (
        "mailto:amina@example.org",
        "ACCEPTED",
        "Amina Diallo",
    )
    [alarm] = event.walk("VALARM")
    assert (str(alarm["action"]), alarm.decoded("trigger")) == ("DISPLAY", timedelta(minutes=-30))

    feed = ics.calendar_events(registration.job_seeker)
    assert [(e.uid, e.sequence, e.location) for e in feed] == [(str(event["uid"]), 0, join)]
    services.cancel_talk(talk=talk, by=StaffFactory())
    assert ics.calendar_events(registration.job_seeker) == []
    assert client.get(reverse("programs:talk_ics", args=[talk.pk])).status_code == 403


# --- Pages: the detail shows each state; query counts -------------------------------------------


def test_the_detail_page_shows_each_state_and_its_action(client):
    talk = TalkFactory(seats=1)
    holder, waiting = register(talk), register(talk)

    client.force_login(holder.job_seeker)
    mine = client.get(reverse("programs:talk_detail", args=[talk.pk])).content.decode()
    client.force_login(waiting.job_seeker)
    queued = client.get(reverse("programs:talk_detail", args=[talk.pk])).content.decode()
    client.force_login(EnrolmentFactory(session=talk.session).job_seeker)
    other = client.get(reverse("programs:talk_detail", args=[talk.pk])).content.decode()

    assert reverse("programs:talk_cancel", args=[holder.public_id]) in mine
    assert 'id="waiting"' in queued and reverse("programs:talk_cancel", args=[waiting.public_id]) in queued
    assert "M'inscrire sur la liste d'attente" in other
    assert ROOM not in mine + queued + other


def _queries_of(client, django_assert_num_queries, url, expected):
    client.get(url)  # the first request after signing in also saves the session
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 4])
def test_person_pages_query_count_is_constant(client, django_assert_num_queries, rows):
    talk = TalkFactory(seats=rows)
    registrations = [register(talk) for _ in range(rows)]
    mine = registrations[0]
    client.force_login(mine.job_seeker)

    # The session, the user, the registration with its talk and session (one join).
    for name in ("talk_cancel", "talk_confirm_offer"):
        _queries_of(client, django_assert_num_queries, reverse(f"programs:{name}", args=[mine.public_id]), 3)


@pytest.mark.parametrize("rows", [1, 4])
def test_staff_pages_query_count_is_constant(client, django_assert_num_queries, rows):
    talk = TalkFactory()
    for _ in range(rows):
        register(talk)
    client.force_login(StaffFactory())

    # The session, the user, the talk with its session (one join).
    for name in ("talk_move", "talk_cancel_talk"):
        _queries_of(client, django_assert_num_queries, reverse(f"programs:{name}", args=[talk.pk]), 3)
