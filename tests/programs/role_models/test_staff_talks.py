"""The team creates and edits a session's talks from the browser (issue 14, item 4), through the
booking engine's rules; moving and cancelling stay `move_talk` / `cancel_talk`."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from programs.bookings.models import BookingStatus
from programs.role_models import services
from programs.role_models.models import Talk
from tests.factories import StaffFactory, UserFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory
from tests.programs.role_models.factories import RoleModelFactory, TalkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _speaker(session):
    role_model = RoleModelFactory()
    role_model.sessions.add(session)
    return role_model


def _talk(**kwargs):
    talk = TalkFactory(**kwargs)
    talk.session.role_models.add(*talk.role_models.all())
    return talk


def _edit(talk, **changes):
    values = {
        "title": talk.title,
        "description": talk.description,
        "role_models": list(talk.role_models.all()),
        "seats": talk.seats,
        "video_url": talk.video_url,
        "host": talk.host,
        "replay_url": talk.replay_url,
    }
    values.update(changes)
    return values


def test_staff_create_a_talk_without_a_seat_limit(staff):
    session = OpenSessionFactory()
    speaker = _speaker(session)
    starts_at = timezone.now() + timedelta(days=2)

    talk = services.create_talk(
        session=session,
        title="De la vente au code",
        role_models=[speaker],
        starts_at=starts_at,
        duration_minutes=60,
        seats=None,
        video_url="https://visio.example.org/salle",
        by=staff,
    )

    assert talk.seats is None
    assert list(talk.role_models.all()) == [speaker]


def test_a_talk_in_the_past_is_refused(staff):
    session = OpenSessionFactory()
    speaker = _speaker(session)

    with pytest.raises(services.TalkError):
        services.create_talk(
            session=session,
            title="Trop tard",
            role_models=[speaker],
            starts_at=timezone.now() - timedelta(hours=1),
            duration_minutes=60,
            seats=10,
            video_url="https://visio.example.org/salle",
            by=staff,
        )
    assert not Talk.objects.filter(title="Trop tard").exists()


def test_a_speaker_from_another_session_is_refused(staff):
    session = OpenSessionFactory()
    stranger = RoleModelFactory()

    with pytest.raises(services.TalkError, match="ceux de sa session"):
        services.create_talk(
            session=session,
            title="Témoignage",
            role_models=[stranger],
            starts_at=timezone.now() + timedelta(days=2),
            duration_minutes=60,
            seats=None,
            video_url="https://visio.example.org/salle",
            by=staff,
        )


def test_only_the_team_creates_or_edits_a_talk():
    talk = _talk()
    someone = UserFactory()

    with pytest.raises(services.TalkError, match="Seule l'équipe") as refused:
        services.update_talk(talk=talk, by=someone, **_edit(talk, title="Piraté"))
    assert refused.value.status == 403
    with pytest.raises(services.TalkError, match="Seule l'équipe"):
        services.create_talk(
            session=talk.session,
            title="Piraté",
            role_models=list(talk.role_models.all()),
            starts_at=talk.starts_at,
            duration_minutes=60,
            seats=None,
            video_url="https://visio.example.org/salle",
            by=someone,
        )
    talk.refresh_from_db()
    assert talk.title != "Piraté"


def test_seats_below_the_seats_held_are_refused(staff):
    talk = _talk(seats=3)
    for _ in range(2):
        services.register_for_talk(talk=talk, enrolment=EnrolmentFactory(session=talk.session))

    with pytest.raises(services.TalkError, match="2 places prises"):
        services.update_talk(talk=talk, by=staff, **_edit(talk, seats=1))
    talk.refresh_from_db()
    assert talk.seats == 3


def test_more_seats_are_offered_to_the_waiting_list(staff):
    talk = _talk(seats=1)
    services.register_for_talk(talk=talk, enrolment=EnrolmentFactory(session=talk.session))
    waiting = services.register_for_talk(talk=talk, enrolment=EnrolmentFactory(session=talk.session))
    assert waiting.status == BookingStatus.WAITING

    services.update_talk(talk=talk, by=staff, **_edit(talk, seats=None))

    waiting.refresh_from_db()
    assert waiting.status != BookingStatus.WAITING
    assert OutboxMessage.objects.filter(user=waiting.job_seeker).exists()


def test_the_date_is_not_changed_here(staff):
    talk = _talk()

    with pytest.raises(services.TalkError, match="Changer la date"):
        services.update_talk(talk=talk, by=staff, starts_at=talk.starts_at + timedelta(days=1), **_edit(talk))


def test_the_replay_link_is_added_after_the_talk(staff):
    talk = _talk()

    with pytest.raises(services.TalkError, match="replay"):
        services.update_talk(talk=talk, by=staff, **_edit(talk, replay_url="https://replay.example.org/1"))

    services.update_talk(
        talk=talk,
        by=staff,
        now=talk.ends_at + timedelta(hours=1),
        **_edit(talk, replay_url="https://replay.example.org/1"),
    )
    talk.refresh_from_db()
    assert talk.replay_url == "https://replay.example.org/1"


def test_staff_create_a_talk_from_the_page(staff_client):
    session = OpenSessionFactory()
    speaker = _speaker(session)
    starts_at = timezone.localtime(timezone.now() + timedelta(days=2))

    response = staff_client.post(
        reverse("programs:staff_talk_create", args=[session.slug]),
        {
            "title": "De la vente au code",
            "role_models": [speaker.pk],
            "starts_at": starts_at.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": 60,
            "seats": "",
            "video_url": "https://visio.example.org/salle",
        },
    )

    assert response.status_code == 302, response.content.decode()[-2000:]
    assert Talk.objects.get(title="De la vente au code").seats is None


def test_the_edit_page_refuses_fewer_seats_than_held_with_a_french_message(staff_client):
    talk = _talk(seats=2)
    services.register_for_talk(talk=talk, enrolment=EnrolmentFactory(session=talk.session))
    services.register_for_talk(talk=talk, enrolment=EnrolmentFactory(session=talk.session))

    response = staff_client.post(
        reverse("programs:staff_talk_edit", args=[talk.pk]),
        {
            "title": talk.title,
            "role_models": [r.pk for r in talk.role_models.all()],
            "seats": 1,
            "video_url": talk.video_url,
        },
    )

    assert response.status_code == 400
    assert "places prises" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 3])
def test_the_talks_list_takes_the_same_queries_whatever_its_length(
    staff_client, django_assert_num_queries, rows
):
    session = OpenSessionFactory()
    for _ in range(rows):
        talk = _talk(session=session, seats=5)
        services.register_for_talk(talk=talk, enrolment=EnrolmentFactory(session=session))
    url = reverse("programs:staff_talks", args=[session.slug])
    staff_client.get(url)

    with django_assert_num_queries(5):
        response = staff_client.get(url)

    page = response.content.decode()
    assert page.count('class="list-group-item staff-talk"') == rows
    assert page.count("1 inscrit·es sur 5 places") == rows
    assert "<table" not in page
