from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from declics.notifications.models import OutboxMessage
from programs.bookings.models import BookingStatus
from programs.models import Step, StepProgress
from programs.role_models import services
from programs.role_models.models import TalkRegistration
from tests.factories import StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory

from .factories import TalkFactory, TalkRegistrationFactory

pytestmark = pytest.mark.django_db
VIDEO = "https://visio.example.org/salle-secrete-123"


def _done(enrolment):
    return StepProgress.objects.done().filter(enrolment=enrolment, step=Step.ROLE_MODELS).exists()


def test_register_for_talk_creates_registration_and_queues_confirmation_with_ics(client):
    talk = TalkFactory(title="Du commerce au code")
    enrolment = EnrolmentFactory(session=talk.session)
    client.force_login(enrolment.job_seeker)

    response = client.post(reverse("programs:talk_register", args=[talk.pk]))

    assert response.status_code == 302
    registration = TalkRegistration.objects.get()
    assert (registration.talk, registration.enrolment) == (talk, enrolment)
    message = OutboxMessage.objects.get(dedup_key=f"talk-confirmed:booking:{registration.pk}:r1")
    assert message.subject.endswith("Inscription confirmée : témoignage « Du commerce au code »")
    assert message.attachments[0]["filename"] == "temoignage.ics"
    assert VIDEO not in message.body_text


def test_register_twice_is_refused_with_a_message(client):
    registration = TalkRegistrationFactory()
    client.force_login(registration.enrolment.job_seeker)

    response = client.post(reverse("programs:talk_register", args=[registration.talk.pk]))

    assert response.status_code == 409
    assert "Vous avez déjà une place pour ce rendez-vous." in response.content.decode()
    assert TalkRegistration.objects.count() == 1


def test_register_when_full_puts_the_person_on_the_waiting_list():
    talk = TalkFactory(seats=1)
    services.register_for_talk(talk=talk, enrolment=EnrolmentFactory(session=talk.session))

    second = services.register_for_talk(talk=talk, enrolment=EnrolmentFactory(session=talk.session))

    talk.refresh_from_db()
    assert (second.status, talk.seats_taken) == (BookingStatus.WAITING, 1)


def test_register_from_another_session_is_refused():
    talk = TalkFactory()
    with pytest.raises(services.TalkError, match="réservé"):
        services.register_for_talk(talk=talk, enrolment=EnrolmentFactory())


def test_talk_ics_parses_back_with_join_link_and_alarm(client):
    registration = TalkRegistrationFactory(talk__title="Devenir technicienne support")
    talk = registration.talk
    client.force_login(registration.enrolment.job_seeker)

    response = client.get(reverse("programs:talk_ics", args=[talk.pk]))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    [event] = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Témoignage DéClics : Devenir technicienne support"
    starts_at = talk.starts_at.replace(microsecond=0)
    assert event.decoded("dtstart") == starts_at
    assert event.decoded("dtend") == starts_at + timedelta(minutes=60)
    assert str(event["location"]).endswith(reverse("programs:talk_join", args=[talk.pk]))
    assert VIDEO not in response.content.decode()
    [alarm] = event.walk("VALARM")
    assert alarm.decoded("trigger") == -timedelta(minutes=30)
    assert str(alarm["action"]) == "DISPLAY"


def test_talk_ics_and_join_are_403_for_someone_not_registered(client):
    talk = TalkFactory(starts_at=timezone.now() + timedelta(minutes=10))
    client.force_login(EnrolmentFactory(session=talk.session).job_seeker)

    for name in ("talk_ics", "talk_join"):
        response = client.get(reverse(f"programs:{name}", args=[talk.pk]))
        assert response.status_code == 403
        assert VIDEO not in response.content.decode()


def test_talk_join_link_opens_only_from_30_minutes_before(client):
    registration = TalkRegistrationFactory(talk__starts_at=timezone.now() + timedelta(minutes=31))
    talk = registration.talk
    client.force_login(registration.enrolment.job_seeker)

    early = client.get(reverse("programs:talk_join", args=[talk.pk]))
    detail = client.get(reverse("programs:talk_detail", args=[talk.pk]))

    assert early.status_code == 403
    assert "30 minutes avant le début" in early.content.decode()
    assert 'id="join-link"' not in detail.content.decode()
    assert 'id="join-later"' in detail.content.decode()

    talk.starts_at = timezone.now() + timedelta(minutes=29)
    talk.save()
    detail = client.get(reverse("programs:talk_detail", args=[talk.pk]))
    joined = client.get(reverse("programs:talk_join", args=[talk.pk]))

    assert 'id="join-link"' in detail.content.decode()
    assert VIDEO not in detail.content.decode()
    assert (joined.status_code, joined["Location"]) == (302, VIDEO)
    registration.refresh_from_db()
    assert registration.joined_at is not None


def test_attendance_marked_by_host_completes_step_one_for_those_present(client):
    host = UserFactory(role="mentor")
    talk = TalkFactory(starts_at=timezone.now() - timedelta(minutes=70), host=host)
    present = TalkRegistrationFactory(talk=talk)
    absent = TalkRegistrationFactory(talk=talk)
    client.force_login(host)

    response = client.post(
        reverse("programs:talk_attendance", args=[talk.pk]), {"present": [str(present.pk)]}
    )

    assert response.status_code == 302
    present.refresh_from_db()
    absent.refresh_from_db()
    assert (present.attended, absent.attended) == (True, False)
    assert (_done(present.enrolment), _done(absent.enrolment)) == (True, False)


def test_attendance_page_is_403_for_a_participant(client):
    registration = TalkRegistrationFactory(talk__starts_at=timezone.now() - timedelta(hours=2))
    client.force_login(registration.enrolment.job_seeker)

    response = client.get(reverse("programs:talk_attendance", args=[registration.talk.pk]))

    assert response.status_code == 403


def test_attendance_by_staff_before_the_start_is_refused():
    talk = TalkFactory()
    with pytest.raises(services.TalkError, match="une fois le rendez-vous commencé"):
        services.mark_talk_attendance(talk=talk, present_ids=[], by=StaffFactory())


def test_replay_click_is_tracked_and_completes_step_one(client):
    talk = TalkFactory(
        starts_at=timezone.now() - timedelta(days=1), replay_url="https://replay.example.org/v/1"
    )
    enrolment = EnrolmentFactory(session=talk.session)
    client.force_login(enrolment.job_seeker)

    first = client.get(reverse("programs:talk_replay", args=[talk.pk]))
    client.get(reverse("programs:talk_replay", args=[talk.pk]))

    assert (first.status_code, first["Location"]) == (302, "https://replay.example.org/v/1")
    assert talk.replay_views.get().views == 2
    assert _done(enrolment)


def test_replay_is_403_for_someone_not_enrolled(client):
    talk = TalkFactory(
        starts_at=timezone.now() - timedelta(days=1), replay_url="https://replay.example.org/v/1"
    )
    client.force_login(EnrolmentFactory().job_seeker)

    response = client.get(reverse("programs:talk_replay", args=[talk.pk]))

    assert response.status_code == 403
    assert "replay.example.org" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_talk_list_query_count_is_constant(client, django_assert_num_queries, rows):
    talk = TalkFactory()
    for _ in range(rows - 1):
        TalkFactory(session=talk.session)
    enrolment = EnrolmentFactory(session=talk.session)
    client.force_login(enrolment.job_seeker)

    # One query fewer than before: the person's registrations are a subquery of the talks' query.
    with django_assert_num_queries(10):
        response = client.get(reverse("programs:talk_list", args=[talk.session.slug]))

    assert len(response.context["upcoming"]) == rows
