from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.trainings.models import Training, TrainingInterest
from tests.factories import MentorFactory, UserFactory
from tests.jobs.factories import (
    CommuneFactory,
    DepartementFactory,
    EnrolmentFactory,
    MeetingSlotFactory,
    MembershipFactory,
    RomeJobFactory,
    TrainingBodyFactory,
    TrainingFactory,
    meeting_booking,
)

pytestmark = pytest.mark.django_db


# --- who may use which page ---------------------------------------------------------------------------
SEEKER_PAGES = ["jobs:trainings", "jobs:meetings"]


@pytest.mark.parametrize("name", SEEKER_PAGES)
def test_seeker_pages_send_anonymous_to_login_and_refuse_mentors(client, name):
    url = reverse(name, args=[EnrolmentFactory().session.slug])
    response = client.get(url)
    assert (response.status_code, response.url) == (302, f"{reverse('account_login')}?next={url}")
    client.force_login(MentorFactory())
    assert client.get(url).status_code == 403


# --- training search ------------------------------------------------------------------------------------
# Each count includes the session middleware's save (savepoint, update, release: 3 queries).
@pytest.mark.parametrize("rows", [1, 3])
def test_training_search_query_count_is_constant(seeker_client, enrolment, django_assert_num_queries, rows):
    commune = CommuneFactory()
    for _ in range(rows):
        TrainingFactory(communes=[commune])
    # 13: one more since the search reads the assessment's suggested jobs (the latest result).
    with django_assert_num_queries(13):
        response = seeker_client.get(
            reverse("jobs:trainings", args=[enrolment.session.slug]), {"job": "M1805", "where": "departement"}
        )
    assert len(response.context["trainings"]) == rows


def test_training_search_filters_by_place_cost_and_start(seeker_client, enrolment):
    other = CommuneFactory(
        code="31555", name="Toulouse", departement=DepartementFactory(code="31", name="HG")
    )
    TrainingFactory(title="À distance, CPF", funding_cpf=True)
    TrainingFactory(title="Toulouse sur place", format="on_site", communes=[other], funding_cpf=False)
    montpellier = TrainingFactory(
        title="Montpellier gratuite", format="on_site", communes=[enrolment.commune]
    )
    montpellier.is_free = True
    montpellier.save()
    montpellier.start_dates.create(starts_on=timezone.localdate() + timedelta(days=20))

    def titles(**params):
        response = seeker_client.get(reverse("jobs:trainings", args=[enrolment.session.slug]), params)
        return sorted(training.title for training in response.context["trainings"])

    assert titles() == ["Montpellier gratuite", "Toulouse sur place", "À distance, CPF"]
    assert titles(where="commune") == ["Montpellier gratuite", "À distance, CPF"]
    assert titles(where="distance") == ["À distance, CPF"]
    assert titles(cost="free") == ["Montpellier gratuite"]
    assert titles(cost="funded") == ["Montpellier gratuite", "À distance, CPF"]
    assert titles(start="1") == ["Montpellier gratuite"]
    response = seeker_client.get(
        reverse("jobs:trainings", args=[enrolment.session.slug]), {"job": "Z9999"}
    )  # a tampered choice
    assert list(response.context["form"].errors) == ["job"]


def test_interest_form_needs_consent_then_shows_it_was_sent(seeker_client, enrolment):
    training = TrainingFactory()
    url = reverse("jobs:training_detail", args=[enrolment.session.slug, training.pk])
    response = seeker_client.post(url, {"message": "Bonjour"})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "consent": ["Cochez cette case pour que l'organisme puisse vous contacter."]
    }
    response = seeker_client.post(url, {"message": "Bonjour", "consent": "on"}, follow=True)
    assert "Vous avez signalé votre intérêt" in response.content.decode()


# --- meetings ---------------------------------------------------------------------------------------------
def test_meeting_booking_page_books_and_serves_the_ics(seeker_client, enrolment):
    slot = MeetingSlotFactory(session=enrolment.session, body__name="Simplon Occitanie")
    other_session_slot = MeetingSlotFactory()
    response = seeker_client.get(reverse("jobs:meetings", args=[enrolment.session.slug]))
    assert [s.pk for s in response.context["slots"]] == [slot.pk]
    assert (
        seeker_client.post(
            reverse("jobs:book_meeting", args=[enrolment.session.slug, other_session_slot.pk])
        ).status_code
        == 404
    )
    response = seeker_client.post(
        reverse("jobs:book_meeting", args=[enrolment.session.slug, slot.pk]), follow=True
    )
    booking = response.context["bookings"][0]
    assert booking.slot == slot
    ics = seeker_client.get(reverse("jobs:meeting_ics", args=[enrolment.session.slug, booking.public_id]))
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"SUMMARY:Rencontre avec Simplon Occitanie" in ics.content


def test_partner_creates_a_training_with_towns_and_dates(client):
    RomeJobFactory()
    CommuneFactory()
    membership = MembershipFactory(partner=TrainingBodyFactory())
    client.force_login(membership.user)
    response = client.post(
        reverse("jobs:partner_training_create", args=[membership.partner.pk]),
        {
            "title": "Développeur web et mobile",
            "rome_jobs": ["M1805"],
            "level": "5",
            "duration_hours": "800",
            "format": "mixed",
            "communes": "34172",
            "start_dates": "01/03/2031, 01/09/2031",
            "funding_region": "on",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    training = Training.objects.get()
    assert [c.code for c in training.communes.all()] == ["34172"]
    assert [str(s.starts_on) for s in training.start_dates.all()] == ["2031-03-01", "2031-09-01"]


# --- the partner dashboards -------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [1, 3])
def test_training_body_dashboard_lists_its_trainings_interests_and_slots(
    client, django_assert_num_queries, rows
):
    membership = MembershipFactory(partner=TrainingBodyFactory())
    body = membership.partner
    for n in range(rows):
        training = TrainingFactory(body=body, title=f"Formation {n}")
        TrainingInterest.objects.create(
            training=training, job_seeker=UserFactory(), consent_at=timezone.now()
        )
        slot = MeetingSlotFactory(body=body, starts_at=timezone.now() + timedelta(days=n + 1))
        meeting_booking(slot, EnrolmentFactory(session=slot.session))
    TrainingFactory(title="Formation d'un autre organisme")
    client.force_login(membership.user)

    with django_assert_num_queries(8):
        response = client.get(reverse("jobs:partner_dashboard", args=[body.pk]))

    assert [(t.title, t.interest_count) for t in response.context["trainings"]] == [
        (f"Formation {n}", 1) for n in range(rows)
    ]
    assert [(s.seats_taken, s.seats) for s in response.context["slots"]] == [(1, 2)] * rows
    assert "offers" not in response.context
    page = response.content.decode()
    assert reverse("jobs:partner_slot_create", args=[body.pk]) in page
    assert reverse("jobs:partner_offer_create", args=[body.pk]) not in page


# --- refusals (declics.errors) ----------------------------------------------------------------------------


def test_attendance_noted_before_the_meeting_answers_409_with_the_reason(client, enrolment):
    membership = MembershipFactory(partner=TrainingBodyFactory())
    slot = MeetingSlotFactory(body=membership.partner, session=enrolment.session)  # in three days
    booking = meeting_booking(slot, enrolment)
    client.force_login(membership.user)

    response = client.post(
        reverse("jobs:partner_mark_attendance", args=[membership.partner.pk, booking.public_id]),
        {"attended": "yes"},
    )

    assert response.status_code == 409
    assert "La présence se note une fois la rencontre commencée." in response.content.decode()
    booking.refresh_from_db()
    assert booking.attended is None
