"""Meetings with a training body in a real browser: a full slot, the waiting list, the offer
confirmed from the page; the training body moves its slot, then cancels it with a reason. Each
page passes axe and has no sideways scroll at 360 px."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from jobs.trainings import services
from jobs.trainings.models import BookingStatus, MeetingBooking, MeetingSlot
from tests.e2e.conftest import MOBILE
from tests.jobs.factories import EnrolmentFactory, MeetingSlotFactory, MembershipFactory, TrainingBodyFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip


def fits_360(page):
    page.set_viewport_size(MOBILE)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    page.set_viewport_size({"width": 1280, "height": 800})


def test_waiting_list_offer_then_the_body_moves_and_cancels(page, live_server, axe, screenshot):
    body = TrainingBodyFactory(name="Code Occitanie")
    member = MembershipFactory(partner=body, user__first_name="Olga").user
    slot = MeetingSlotFactory(body=body, seats=1, starts_at=timezone.now() + timedelta(days=3))
    holder = services.book_meeting_slot(slot=slot, enrolment=EnrolmentFactory(session=slot.session))
    enrolment = EnrolmentFactory(session=slot.session, job_seeker__first_name="Samira")

    # The slot is full: Samira joins its waiting list.
    log_in(page, live_server, enrolment.job_seeker)
    page.goto(f"/sessions/{slot.session.slug}/rencontres/")
    page.get_by_role(
        "button", name=re.compile("M'inscrire sur la liste d'attente avec Code Occitanie")
    ).click()
    expect(page.get_by_text("vous êtes sur la liste d'attente", exact=False).first).to_be_visible()
    axe(page)
    fits_360(page)

    # The seat is freed: it is offered to her, she confirms it from the page.
    services.cancel_meeting_booking(booking=holder, job_seeker=holder.job_seeker)
    page.reload()
    page.get_by_role("button", name="Confirmer ma place avec Code Occitanie").click()
    expect(page.get_by_text("Votre place est confirmée.")).to_be_visible()
    expect(page.get_by_role("link", name="Ajouter à mon agenda (.ics)")).to_be_visible()
    axe(page)
    screenshot(page, "meetings-confirmed")
    assert MeetingBooking.objects.get(job_seeker=enrolment.job_seeker).status == BookingStatus.CONFIRMED

    # The training body sees her, moves the slot by a day, then cancels it with a reason.
    log_in(page, live_server, member)
    page.goto(f"/emplois/partenaire/{body.pk}/creneaux/{slot.pk}/")
    expect(page.get_by_text(f"{enrolment.job_seeker.get_full_name()} — ")).to_be_visible()
    axe(page)
    fits_360(page)
    page.get_by_role("link", name="Changer la date ou les places").click()
    new_start = timezone.localtime(slot.starts_at + timedelta(days=1)).replace(second=0, microsecond=0)
    page.get_by_label("Date et heure de début").fill(new_start.strftime("%Y-%m-%dT%H:%M"))
    axe(page)
    fits_360(page)
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le créneau est modifié.")).to_be_visible()
    assert MeetingSlot.objects.get(pk=slot.pk).starts_at == new_start

    page.get_by_role("link", name="Annuler le créneau").click()
    expect(page.get_by_role("button", name="Oui, annuler le créneau")).to_be_visible()
    axe(page)
    fits_360(page)
    page.get_by_role("button", name="Oui, annuler le créneau").click()
    expect(page.get_by_text("Dites en quelques mots pourquoi la rencontre est annulée.")).to_be_visible()
    axe(page)
    page.get_by_label("La raison, pour les personnes inscrites").fill("La formatrice est malade.")
    page.get_by_role("button", name="Oui, annuler le créneau").click()
    expect(page.get_by_text("Le créneau est annulé. 1 personne est prévenue.")).to_be_visible()
    assert MeetingSlot.objects.get(pk=slot.pk).status == "cancelled"
