"""The meetings pages: the person's (book, wait, confirm an offer, cancel) and the training body's
(the slot with its waiting list, move or change the seats, cancel with a reason)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from declics.notifications.models import OutboxMessage
from jobs.trainings import services
from jobs.trainings.models import BookingStatus, MeetingBooking, MeetingSlot
from tests.jobs.factories import EnrolmentFactory, MeetingSlotFactory, MembershipFactory, TrainingBodyFactory

pytestmark = pytest.mark.django_db


def book(slot):
    return services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session))


def meetings_url(enrolment):
    return reverse("jobs:meetings", args=[enrolment.session.slug])


# --- the person's page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 3])
def test_meetings_page_query_count_is_constant(seeker_client, enrolment, django_assert_num_queries, rows):
    for n in range(rows):
        slot = MeetingSlotFactory(
            session=enrolment.session, seats=1, starts_at=timezone.now() + timedelta(days=n + 1)
        )
        book(slot)  # full: the person waits
        services.book_meeting_slot(slot=slot, enrolment=enrolment)
        MeetingSlotFactory(session=enrolment.session)

    # The session middleware's save (3), the enrolment with its session, the person's bookings,
    # the open slots, the messages.
    with django_assert_num_queries(8):
        response = seeker_client.get(meetings_url(enrolment))

    assert len(response.context["slots"]) == 2 * rows
    assert [b.status for b in response.context["bookings"]] == [BookingStatus.WAITING] * rows


def test_a_full_slot_offers_the_waiting_list_then_the_offer_is_confirmed_from_the_page(
    seeker_client, enrolment
):
    slot = MeetingSlotFactory(session=enrolment.session, seats=1, body__name="Simplon Occitanie")
    holder = book(slot)
    page = seeker_client.get(meetings_url(enrolment)).content.decode()
    assert "M'inscrire sur la liste d'attente avec Simplon Occitanie" in page

    response = seeker_client.post(
        reverse("jobs:book_meeting", args=[enrolment.session.slug, slot.pk]), follow=True
    )

    [mine] = response.context["bookings"]
    assert mine.status == BookingStatus.WAITING
    assert "Ce créneau est complet : vous êtes sur la liste d&#x27;attente." in response.content.decode()
    services.cancel_meeting_booking(booking=holder, job_seeker=holder.job_seeker)
    page = seeker_client.get(meetings_url(enrolment)).content.decode()
    assert "Confirmer ma place avec Simplon Occitanie" in page

    confirm = reverse("jobs:confirm_meeting_offer", args=[enrolment.session.slug, mine.public_id])
    response = seeker_client.post(confirm, follow=True)

    mine.refresh_from_db()
    assert mine.status == BookingStatus.CONFIRMED
    assert "Votre place est confirmée" in response.content.decode()
    # Confirming twice: refused with the reason, a 409, nothing sent twice.
    response = seeker_client.post(confirm)
    assert response.status_code == 409
    assert "Votre place est déjà confirmée." in response.content.decode()
    assert (
        OutboxMessage.objects.filter(
            dedup_key__startswith="meeting-confirmed:booking:" + str(mine.pk)
        ).count()
        == 1
    )


def test_cancelling_too_late_answers_409_with_the_reason(seeker_client, enrolment):
    slot = MeetingSlotFactory(session=enrolment.session, starts_at=timezone.now() + timedelta(minutes=90))
    booking = services.book_meeting_slot(slot=slot, enrolment=enrolment)

    response = seeker_client.post(
        reverse("jobs:cancel_meeting", args=[enrolment.session.slug, booking.public_id])
    )

    assert response.status_code == 409
    assert "Il est trop tard pour annuler en ligne" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_the_video_link_shows_from_thirty_minutes_before(seeker_client, enrolment):
    slot = MeetingSlotFactory(session=enrolment.session, video_url="https://visio.example.org/ma-salle")
    services.book_meeting_slot(slot=slot, enrolment=enrolment)
    assert (
        "https://visio.example.org/ma-salle"
        not in seeker_client.get(meetings_url(enrolment)).content.decode()
    )

    MeetingSlot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() + timedelta(minutes=20))

    assert "https://visio.example.org/ma-salle" in seeker_client.get(meetings_url(enrolment)).content.decode()


# --- the training body's pages --------------------------------------------------------------------------


def body_client(client, slot):
    member = MembershipFactory(partner=slot.body).user
    client.force_login(member)
    return member


def slot_url(name, slot):
    return reverse(name, args=[slot.body_id, slot.pk])


@pytest.mark.parametrize("rows", [1, 3])
def test_slot_page_lists_seats_and_the_waiting_list_in_constant_queries(
    client, django_assert_num_queries, rows
):
    slot = MeetingSlotFactory(seats=rows)
    booked = [book(slot) for _ in range(rows)]
    waiting = [book(slot) for _ in range(rows)]
    body_client(client, slot)

    # The session middleware's save (3), the partner, the slot, the seats, the waiting list…
    with django_assert_num_queries(9):
        response = client.get(slot_url("jobs:partner_slot", slot))

    assert {b.pk for b in response.context["bookings"]} == {b.pk for b in booked}
    assert [b.pk for b in response.context["waiting"]] == [b.pk for b in waiting]
    page = response.content.decode()
    assert slot_url("jobs:partner_slot_edit", slot) in page
    assert slot_url("jobs:partner_slot_cancel", slot) in page


def test_the_body_moves_its_slot_from_the_form_and_everyone_is_told(client):
    slot = MeetingSlotFactory(seats=1)
    holder = book(slot)
    waiting = book(slot)
    body_client(client, slot)
    new_start = timezone.localtime(slot.starts_at + timedelta(days=1)).replace(second=0, microsecond=0)
    form = {"starts_at": new_start.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "30", "seats": "1"}

    response = client.post(slot_url("jobs:partner_slot_edit", slot), form)

    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.starts_at, slot.duration_minutes, slot.sequence) == (new_start, 30, 1)
    moved = OutboxMessage.objects.filter(dedup_key__startswith="meeting-moved:")
    assert sorted(moved.values_list("to_email", flat=True)) == sorted(
        [holder.job_seeker.email, waiting.job_seeker.email]
    )
    # The same values again: nothing to change, said on the form.
    response = client.post(slot_url("jobs:partner_slot_edit", slot), form)
    assert response.status_code == 400
    assert "rien à changer" in response.content.decode()
    assert moved.count() == 2


def test_the_body_cancels_its_slot_with_a_reason_after_a_confirmation(client):
    slot = MeetingSlotFactory(seats=1)
    holder = book(slot)
    book(slot)
    body_client(client, slot)
    url = slot_url("jobs:partner_slot_cancel", slot)
    page = client.get(url).content.decode()
    assert "Les réservations (1) et la liste d'attente (1) seront annulées" in page

    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "reason": ["Dites en quelques mots pourquoi la rencontre est annulée."]
    }
    response = client.post(url, {"reason": "La formatrice est malade."}, follow=True)

    slot.refresh_from_db()
    holder.refresh_from_db()
    assert (slot.status, holder.status) == ("cancelled", BookingStatus.CANCELLED)
    assert "2 personnes sont prévenues" in response.content.decode()
    assert (
        "La formatrice est malade."
        in OutboxMessage.objects.get(
            dedup_key__startswith=f"meeting-cancelled:booking:{holder.pk}:"
        ).body_text
    )


def test_another_bodys_slot_is_not_found_and_left_alone(client):
    slot = MeetingSlotFactory()
    booking = book(slot)
    other = MembershipFactory(partner=TrainingBodyFactory()).user
    client.force_login(other)

    for name in ("jobs:partner_slot", "jobs:partner_slot_edit", "jobs:partner_slot_cancel"):
        assert (
            client.get(reverse(name, args=[other.partner_membership.partner_id, slot.pk])).status_code == 404
        )
        assert client.get(slot_url(name, slot)).status_code == 404
    response = client.post(slot_url("jobs:partner_slot_cancel", slot), {"reason": "Non"})

    assert response.status_code == 404
    slot.refresh_from_db()
    assert (slot.status, MeetingBooking.objects.get(pk=booking.pk).status) == (
        "scheduled",
        BookingStatus.CONFIRMED,
    )
