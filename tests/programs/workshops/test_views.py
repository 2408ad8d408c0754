from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from declics.notifications.models import OutboxMessage
from programs.workshops import selectors, services
from programs.workshops.models import Workshop, WorkshopBooking, WorkshopBookingStatus
from tests.factories import AdviserFactory, MentorFactory, StaffFactory, UserFactory
from tests.programs.factories import OpenSessionFactory

from .factories import WorkshopFactory, participant

pytestmark = pytest.mark.django_db
Status = WorkshopBookingStatus


def state():
    return (
        sorted(Workshop.objects.values_list("pk", "seats_taken", "sequence", "status", "starts_at")),
        sorted(WorkshopBooking.objects.values_list("pk", "status", "round", "attended")),
        OutboxMessage.objects.count(),
    )


def book(workshop, person=None):
    person = person or participant(workshop.session)
    return services.book_workshop(workshop=workshop, job_seeker=person)


# --- the job seeker's pages ----------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 3])
def test_workshop_list_query_count_is_constant(client, django_assert_num_queries, rows):
    session = OpenSessionFactory()
    person = participant(session)
    facilitator = MentorFactory()
    workshops = WorkshopFactory.create_batch(rows, session=session, facilitators=[facilitator])
    book(workshops[0], person)
    client.force_login(person)

    # 8: the enrolment comes with its session in one query (`@step_page`); then the person's
    # bookings and one page of workshops (one row more tells whether a next page exists).
    with django_assert_num_queries(8):
        response = client.get(reverse("programs:workshop_list", args=[session.slug]))

    assert [w.pk for w in response.context["workshops"]] == [w.pk for w in workshops]
    assert response.context["workshops"][0].my_booking.status == Status.CONFIRMED
    assert response.content.decode().count('action="/sessions/ateliers/atelier/') == rows - 1


def test_workshop_list_shows_seats_and_the_right_action(client):
    session = OpenSessionFactory()
    person = participant(session)
    free = WorkshopFactory(session=session, seats=3, title="Mon CV")
    full = WorkshopFactory(session=session, seats=1, title="Mon LinkedIn")
    book(full)
    client.force_login(person)

    html = client.get(reverse("programs:workshop_list", args=[session.slug])).content.decode()

    assert "3 places libres" in html
    assert "Complet" in html
    assert f'action="{reverse("programs:workshop_book", args=[free.pk])}"' in html
    assert "M'inscrire sur la liste d'attente" in html


def test_workshop_list_pages_the_workshops_and_keeps_my_bookings_at_the_top(client):
    session = OpenSessionFactory()
    person = participant(session)
    soon = timezone.now() + timedelta(days=1)
    workshops = [
        WorkshopFactory(session=session, starts_at=soon + timedelta(hours=n), title=f"Atelier {n:02}")
        for n in range(selectors.PAGE_SIZE + 2)
    ]
    last = workshops[-1]
    book(last, person)
    client.force_login(person)
    url = reverse("programs:workshop_list", args=[session.slug])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert [w.pk for w in first.context["workshops"]] == [w.pk for w in workshops[: selectors.PAGE_SIZE]]
    assert [w.pk for w in second.context["workshops"]] == [w.pk for w in workshops[selectors.PAGE_SIZE :]]
    for response in (first, second):
        assert [b.workshop_id for b in response.context["mine"]] == [last.pk]
    html = first.content.decode()
    assert html.index('id="my-bookings"') < html.index('id="workshops"')
    assert f'id="booking-{last.pk}"' in html and f'id="workshop-{last.pk}"' not in html
    assert 'aria-label="Pages des ateliers"' in html and 'aria-current="page"' in html
    assert "Page 1" in html and 'href="?page=2#next"' in html and "?page=0" not in html
    second_html = second.content.decode()
    assert 'href="?page=1#next"' in second_html and "?page=3" not in second_html
    assert f'action="{reverse("programs:workshop_book", args=[last.pk])}"' not in second_html
    for wrong in ("zzz", "0", "-1", "99999999999"):
        assert client.get(url, {"page": wrong}).context["page"].number == 1
    assert list(client.get(url, {"page": 50}).context["workshops"]) == []


def test_workshop_list_leaves_out_workshops_over_and_keeps_one_under_way(client):
    session = OpenSessionFactory()
    person = participant(session)
    now = timezone.now()
    over = WorkshopFactory(session=session, starts_at=now - timedelta(hours=2), duration_minutes=90)
    under_way = WorkshopFactory(session=session, starts_at=now - timedelta(minutes=30), duration_minutes=90)
    client.force_login(person)

    response = client.get(reverse("programs:workshop_list", args=[session.slug]))

    assert [w.pk for w in response.context["workshops"]] == [under_way.pk]
    assert over.pk not in [w.pk for w in response.context["workshops"]]


def test_workshop_list_for_someone_not_enrolled_redirects_to_the_session(client):
    session = OpenSessionFactory()
    client.force_login(UserFactory())

    response = client.get(reverse("programs:workshop_list", args=[session.slug]))

    assert response.status_code == 302
    assert response.url == reverse("programs:landing", args=[session.slug])


def test_book_view_confirms_then_refuses_a_second_time_with_409(client, workshop):
    person = participant(workshop.session)
    client.force_login(person)
    url = reverse("programs:workshop_book", args=[workshop.pk])

    response = client.post(url)
    assert response.status_code == 302
    assert WorkshopBooking.objects.get(job_seeker=person).status == Status.CONFIRMED
    before = state()

    response = client.post(url)

    assert response.status_code == 409
    assert response.context["error"] == "Vous avez déjà une place pour cet atelier."
    assert "Vous avez déjà une place pour cet atelier." in response.content.decode()
    assert state() == before


def test_book_view_of_another_sessions_workshop_is_404(client, workshop):
    client.force_login(participant(OpenSessionFactory()))
    before = state()

    response = client.post(reverse("programs:workshop_book", args=[workshop.pk]))

    assert response.status_code == 404
    assert state() == before


@pytest.mark.parametrize(("user_factory", "status"), [(AdviserFactory, 403), (MentorFactory, 403)])
def test_book_view_other_roles_are_refused(client, workshop, user_factory, status):
    client.force_login(user_factory())

    response = client.post(reverse("programs:workshop_book", args=[workshop.pk]))

    assert response.status_code == status
    assert WorkshopBooking.objects.count() == 0


def test_book_view_anonymous_goes_to_login(client, workshop):
    url = reverse("programs:workshop_book", args=[workshop.pk])

    response = client.post(url)

    assert (response.status_code, response.url) == (302, f"{reverse('account_login')}?next={url}")


def test_cancel_view_after_the_deadline_is_409_and_changes_nothing(client):
    workshop = WorkshopFactory(starts_at=timezone.now() + timedelta(minutes=90))
    booking = book(workshop)
    client.force_login(booking.job_seeker)
    before = state()

    response = client.post(reverse("programs:workshop_cancel", args=[booking.public_id]))

    assert response.status_code == 409
    assert response.context["error"].startswith("Il est trop tard pour annuler en ligne")
    assert state() == before


def test_cancel_view_of_someone_elses_booking_is_404(client, workshop):
    booking = book(workshop)
    client.force_login(participant(workshop.session))
    before = state()

    response = client.post(reverse("programs:workshop_cancel", args=[booking.public_id]))

    assert response.status_code == 404
    assert state() == before


def test_cancel_view_offers_the_seat_to_the_next_person(client):
    workshop = WorkshopFactory(seats=1)
    booking = book(workshop)
    waiting = book(workshop)
    client.force_login(booking.job_seeker)

    response = client.post(reverse("programs:workshop_cancel", args=[booking.public_id]))

    assert (response.status_code, response.url) == (
        302,
        reverse("programs:workshop_list", args=[workshop.session.slug]),
    )
    waiting.refresh_from_db()
    assert waiting.status == Status.OFFERED


def test_confirm_offer_view_expired_is_409(client):
    workshop = WorkshopFactory(seats=1, starts_at=timezone.now() + timedelta(hours=5))
    holder = book(workshop)
    waiting = book(workshop)
    services.cancel_booking(
        booking=holder, job_seeker=holder.job_seeker, now=timezone.now() - timedelta(hours=1)
    )
    WorkshopBooking.objects.filter(pk=waiting.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(waiting.job_seeker)
    before = state()

    response = client.post(reverse("programs:workshop_confirm_offer", args=[waiting.public_id]))

    assert response.status_code == 409
    assert "Cette proposition de place n&#x27;est plus valable" in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(
    ("starts_in", "booked_as", "shown"),
    [
        (timedelta(minutes=20), "confirmed", True),
        (timedelta(minutes=40), "confirmed", False),
        (timedelta(minutes=20), "waiting", False),
        (timedelta(minutes=-30), "confirmed", True),  # started, not over (90 minutes)
        (timedelta(minutes=-100), "confirmed", False),  # over
    ],
)
def test_video_link_only_from_30_minutes_before_for_booked_people(client, starts_in, booked_as, shown):
    workshop = WorkshopFactory(seats=1, starts_at=timezone.now() + timedelta(days=1))
    holder = book(workshop)
    waiting = book(workshop)
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() + starts_in)
    client.force_login((holder if booked_as == "confirmed" else waiting).job_seeker)

    html = client.get(reverse("programs:workshop_detail", args=[workshop.pk])).content.decode()

    assert ('id="video-link"' in html) is shown
    assert (workshop.video_url in html) is shown


def test_booking_ics_download_is_for_the_owner_only(client, workshop):
    booking = book(workshop)
    url = reverse("programs:workshop_booking_ics", args=[booking.public_id])
    client.force_login(participant(workshop.session))
    assert client.get(url).status_code == 404

    client.force_login(booking.job_seeker)
    response = client.get(url)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(event["location"]) == workshop.video_url


def test_feedback_view_records_the_answer(client, workshop):
    booking = book(workshop)
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    services.mark_attendance(workshop=workshop, present=[booking.pk], by=StaffFactory())
    client.force_login(booking.job_seeker)
    url = reverse("programs:workshop_feedback", args=[booking.public_id])

    assert client.post(url, {"answer": "peut-etre"}).status_code == 400
    response = client.post(url, {"answer": "very"})

    booking.refresh_from_db()
    assert (response.status_code, booking.feedback) == (302, "very")


# --- facilitators and staff ------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 3])
def test_attendance_page_query_count_is_constant(client, django_assert_num_queries, rows):
    facilitator = MentorFactory()
    workshop = WorkshopFactory(seats=5, facilitators=[facilitator])
    bookings = [book(workshop) for _ in range(rows)]
    client.force_login(facilitator)

    with django_assert_num_queries(9):
        response = client.get(reverse("programs:workshop_attendance", args=[workshop.pk]))

    assert [b.pk for b in response.context["bookings"]] == [
        b.pk for b in sorted(bookings, key=lambda b: (b.job_seeker.last_name, b.job_seeker.first_name, b.pk))
    ]


@pytest.mark.parametrize("rows", [1, 3])
def test_facilitated_workshops_query_count_is_constant(client, django_assert_num_queries, rows):
    facilitator = MentorFactory()
    workshops = WorkshopFactory.create_batch(rows, facilitators=[facilitator])
    for w in workshops:
        book(w)
    WorkshopFactory()  # someone else's
    client.force_login(facilitator)

    with django_assert_num_queries(6):
        response = client.get(reverse("programs:workshop_facilitated"))

    assert [(w.pk, w.confirmed_count) for w in response.context["workshops"]] == [
        (w.pk, 1) for w in workshops
    ]


@pytest.mark.parametrize("rows", [1, 3])
def test_staff_workshop_list_query_count_is_constant(client, django_assert_num_queries, rows):
    session = OpenSessionFactory()
    workshops = WorkshopFactory.create_batch(rows, session=session, facilitators=[MentorFactory()])
    client.force_login(StaffFactory())

    with django_assert_num_queries(8):
        response = client.get(reverse("programs:workshop_staff_list", args=[session.slug]))

    assert [w.pk for w in response.context["workshops"]] == [w.pk for w in workshops]


def test_attendance_view_marks_and_rejects_a_tampered_id(client):
    facilitator = MentorFactory()
    workshop = WorkshopFactory(facilitators=[facilitator])
    came, missed = book(workshop), book(workshop)
    stranger = book(WorkshopFactory(session=workshop.session))
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(minutes=30))
    client.force_login(facilitator)
    url = reverse("programs:workshop_attendance", args=[workshop.pk])
    before = state()

    response = client.post(url, {"present": [str(came.pk), str(stranger.pk)]})
    assert response.status_code == 400
    assert "Cette liste contient une personne inconnue pour cet atelier." in response.content.decode()
    assert state() == before

    response = client.post(url, {"present": [str(came.pk)]})

    assert response.status_code == 302
    assert sorted(WorkshopBooking.objects.filter(workshop=workshop).values_list("pk", "attended")) == sorted(
        [(came.pk, True), (missed.pk, False)]
    )


def test_attendance_view_is_hidden_from_other_facilitators(client, workshop):
    client.force_login(MentorFactory())

    assert client.get(reverse("programs:workshop_attendance", args=[workshop.pk])).status_code == 404


def test_staff_create_move_and_cancel_through_the_pages(client, session):
    staff = StaffFactory()
    client.force_login(staff)
    starts = (timezone.localtime() + timedelta(days=5)).replace(hour=14, minute=0, second=0, microsecond=0)
    response = client.post(
        reverse("programs:workshop_create", args=[session.slug]),
        {
            "title": "Découvrir le métier de développeur·se web",
            "topic": "job_discovery",
            "description": "Une développeuse raconte son métier.",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "seats": "12",
            "video_url": "https://visio.example.org/dev",
        },
    )
    workshop = Workshop.objects.get(session=session)
    assert (response.status_code, response.url) == (
        302,
        reverse("programs:workshop_detail", args=[workshop.pk]),
    )
    assert (workshop.starts_at, workshop.seats, workshop.created_by) == (starts, 12, staff)
    booking = book(workshop)

    moved = starts + timedelta(days=1)
    response = client.post(
        reverse("programs:workshop_move", args=[workshop.pk]),
        {"starts_at": moved.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "60"},
    )
    workshop.refresh_from_db()
    assert (response.status_code, workshop.starts_at, workshop.sequence) == (302, moved, 1)

    response = client.post(reverse("programs:workshop_cancel_workshop", args=[workshop.pk]))
    booking.refresh_from_db()
    assert (response.status_code, booking.status) == (302, Status.CANCELLED)


def test_staff_create_with_bad_input_is_400_with_field_errors(client, session):
    client.force_login(StaffFactory())

    response = client.post(
        reverse("programs:workshop_create", args=[session.slug]),
        {"title": "", "topic": "cuisine", "seats": "0", "video_url": "pas une adresse"},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {
        "title",
        "topic",
        "description",
        "starts_at",
        "duration_minutes",
        "seats",
        "video_url",
    }
    assert Workshop.objects.count() == 0


def test_staff_pages_are_refused_to_facilitators(client, workshop):
    client.force_login(MentorFactory())

    assert client.get(reverse("programs:workshop_create", args=[workshop.session.slug])).status_code == 403
    assert client.post(reverse("programs:workshop_cancel_workshop", args=[workshop.pk])).status_code == 403
    workshop.refresh_from_db()
    assert workshop.status == "scheduled"
