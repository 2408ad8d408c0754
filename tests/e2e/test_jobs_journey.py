"""Steps 5 and 6 in a real browser: a training and a meeting, an application with a CV, the
company moves it to interview, the candidate sees the new status."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from jobs.offers.models import Application, ApplicationStatus
from jobs.trainings.models import MeetingBooking
from programs.models import StepProgress
from tests.jobs.factories import (
    PDF_BYTES,
    EnrolmentFactory,
    JobOfferFactory,
    MeetingSlotFactory,
    MembershipFactory,
    RomeJobFactory,
    TrainingBodyFactory,
    TrainingFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
          "url": live_server.url}]
    )  # fmt: skip


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_jobs_journey_training_meeting_application_and_interview(
    page, live_server, axe, screenshot, media, tmp_path
):
    RomeJobFactory(code="M1810", label="Technicien / Technicienne d'exploitation informatique")
    web = RomeJobFactory()  # M1805
    enrolment = EnrolmentFactory(job_seeker__first_name="Samira", job_seeker__last_name="Benali")
    body = TrainingBodyFactory(name="Code Occitanie")
    TrainingFactory(body=body, title="Développeur·se web", rome_jobs=[web])
    TrainingFactory(title="Exploitation informatique", rome_jobs=[RomeJobFactory(code="M1810")])
    MeetingSlotFactory(body=body, session=enrolment.session, starts_at=timezone.now() + timedelta(days=2))
    company = MembershipFactory(partner__name="Agence du Lez")
    JobOfferFactory(company=company.partner, title="Développeur·se web junior", rome_job=web)

    # Step 5: the job seeker finds a training by job and books a meeting with its training body.
    log_in(page, live_server, enrolment.job_seeker)
    page.goto("/emplois/formations/")  # the old address: the page is now in the person's session
    expect(page).to_have_url(re.compile(rf"/sessions/{enrolment.session.slug}/formations/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Trouver une formation")
    page.get_by_label("Métier visé").select_option("M1805")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("heading", name="1 formation")).to_be_visible()
    axe(page)
    screenshot(page, "jobs-trainings")
    page.get_by_role("link", name="Développeur·se web").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Développeur·se web")
    page.get_by_role("button", name=re.compile("Réserver le créneau")).click()
    expect(page.get_by_text("C'est réservé !")).to_be_visible()
    expect(page.get_by_role("link", name="Ajouter à mon agenda (.ics)")).to_be_visible()
    axe(page)
    assert MeetingBooking.objects.get().job_seeker == enrolment.job_seeker

    # Step 6: finds the offer and applies with a CV.
    page.get_by_role("link", name="Offres d'emploi").first.click()
    page.get_by_role("link", name="Développeur·se web junior").click()
    expect(page).to_have_url(re.compile(r"/offres/\d+/$"))
    axe(page)
    page.get_by_label("Votre message à l'entreprise").fill("Bonjour, je sors de la formation DéClics.")
    cv = tmp_path / "mon-cv.pdf"
    cv.write_bytes(PDF_BYTES)
    page.get_by_label("Votre CV").set_input_files(str(cv))
    page.get_by_label(re.compile("J'accepte que l'entreprise reçoive")).check()
    page.get_by_role("button", name="Envoyer ma candidature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes candidatures")
    expect(page.locator(".application-status")).to_have_text("envoyée")
    screenshot(page, "jobs-my-applications")
    assert StepProgress.objects.filter(enrolment=enrolment, step=6).exists()

    # The company's user sees the application, downloads the CV and proposes an interview.
    log_in(page, live_server, company.user)
    page.goto("/emplois/partenaire/")
    page.get_by_role("link", name="1 candidature").click()
    expect(page.get_by_role("link", name="CV de Samira Benali")).to_be_visible()
    axe(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CV de Samira Benali").click()
    assert download.value.suggested_filename.startswith("cv-candidature-")
    page.get_by_role("link", name="Samira Benali", exact=True).click()
    expect(page.locator("#application-status")).to_have_text("lue par l'entreprise")
    page.get_by_label("Nouvelle étape").select_option("interview")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#application-status")).to_have_text("entretien proposé")
    axe(page)
    assert Application.objects.get().status == ApplicationStatus.INTERVIEW

    # The candidate sees the new status.
    log_in(page, live_server, enrolment.job_seeker)
    page.goto("/emplois/candidatures/")
    expect(page.locator(".application-status")).to_have_text("entretien proposé")
    expect(page.get_by_text("L'entreprise vous propose un entretien")).to_be_visible()
