"""A participant books the last seat of a workshop, gets the confirmation with its calendar file,
cancels, and the first person on the waiting list is offered the seat."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from programs.workshops import services
from programs.workshops.models import WorkshopBooking, WorkshopBookingStatus
from tests.factories import PASSWORD
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory
from tests.programs.workshops.factories import WorkshopFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, email):
    page.goto("/comptes/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def test_workshops_book_get_the_invitation_cancel_and_the_next_person_is_offered_the_seat(
    page, mailbox, axe, screenshot, browser_log
):
    session = OpenSessionFactory(title="DéClics Hérault", slug="declics-herault")
    starts_at = (timezone.now() + timedelta(days=3)).replace(second=0, microsecond=0)
    workshop = WorkshopFactory(session=session, title="Mon CV en une page", seats=1, starts_at=starts_at)
    samira = EnrolmentFactory(
        session=session, job_seeker__first_name="Samira", job_seeker__email="samira@example.org"
    ).job_seeker
    karim = EnrolmentFactory(
        session=session, job_seeker__first_name="Karim", job_seeker__email="karim@example.org"
    ).job_seeker

    _log_in(page, samira.email)
    page.goto(f"/sessions/{session.slug}/ateliers/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les ateliers en ligne")
    expect(page.locator(f"#workshop-{workshop.pk} .seats")).to_have_text("1 place libre")
    axe(page)
    screenshot(page, "workshops-list")
    page.get_by_role("button", name="Réserver l'atelier Mon CV en une page").click()

    expect(page.get_by_text("C'est réservé !")).to_be_visible()
    expect(page.locator("#video-link-later")).to_contain_text("Le lien de la visioconférence s'affichera ici")
    axe(page)
    screenshot(page, "workshops-booked")

    # Back on the list, her booking comes first, above the page of workshops.
    page.goto(f"/sessions/{session.slug}/ateliers/")
    expect(page.locator(f"#booking-{workshop.pk}")).to_contain_text("Réservé")
    expect(page.locator(f"#workshop-{workshop.pk}")).to_contain_text("Voir mes réservations")
    axe(page)
    page.go_back()

    confirmation = mailbox.wait_for(to=samira.email, subject="Votre place est réservée : Mon CV en une page")
    [(filename, content, mimetype)] = confirmation.attachments
    assert (filename, mimetype) == ("atelier.ics", "text/calendar")
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert (event.decoded("dtstart"), str(event["location"])) == (starts_at, workshop.video_url)

    # Karim comes second: the workshop is full, he waits.
    waiting = services.book_workshop(workshop=workshop, job_seeker=karim)
    assert waiting.status == WorkshopBookingStatus.WAITING

    page.get_by_role("link", name="Annuler ma réservation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annuler ma réservation")
    axe(page)
    page.get_by_role("button", name="Oui, j'annule").click()
    expect(page.get_by_text("Votre réservation est annulée.")).to_be_visible()

    offer = mailbox.wait_for(to=karim.email, subject="Une place s'est libérée pour vous : Mon CV en une page")
    # E-mails carry SITE_URL; the live server listens elsewhere: follow the link's path.
    link = urlsplit(next(link for link in mailbox.links(offer) if "/confirmer/" in link)).path
    cancelled = mailbox.wait_for(to=samira.email, subject="Annulation enregistrée : Mon CV en une page")
    [(_name, cancel_content, _type)] = cancelled.attachments
    assert str(Calendar.from_ical(cancel_content)["method"]) == "CANCEL"
    waiting.refresh_from_db()
    assert waiting.status == WorkshopBookingStatus.OFFERED
    assert WorkshopBooking.objects.get(job_seeker=samira).status == WorkshopBookingStatus.CANCELLED

    # Karim follows the link in his e-mail and confirms.
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()  # signed out
    _log_in(page, karim.email)
    page.goto(link)
    axe(page)
    page.get_by_role("button", name="Je confirme ma place").click()
    expect(page.get_by_text("Votre place est confirmée !")).to_be_visible()
    mailbox.wait_for(to=karim.email, subject="Votre place est réservée : Mon CV en une page")
    assert browser_log.page_errors == []
