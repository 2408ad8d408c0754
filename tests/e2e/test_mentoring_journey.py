"""A mentee asks a recommended mentor; the mentor logs in and accepts; both see the mentorship page."""

import re

import pytest
from playwright.sync_api import expect

from mentoring.models import Mentorship, RequestStatus
from tests.factories import PASSWORD
from tests.mentoring.factories import MenteePreferencesFactory, MentorProfileFactory
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _log_in(page, email):
    page.goto("/comptes/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()


def _log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()


def test_mentee_asks_a_recommended_mentor_who_accepts_and_both_see_the_mentorship(
    page, axe, screenshot, browser_log
):
    session = OpenSessionFactory(title="DéClics Hérault", slug="declics-herault")
    enrolment = EnrolmentFactory(
        session=session, job_seeker__first_name="Samira", job_seeker__last_name="Benali"
    )
    MenteePreferencesFactory(enrolment=enrolment, rome=["M1805"])
    mentor = MentorProfileFactory(
        rome=["M1805"], job_title="Développeuse web", user__first_name="Léa", user__last_name="Martin"
    )
    MentorProfileFactory(rome=["E1101"], job_title="Community manager", user__first_name="Hugo")
    mentee_user = enrolment.job_seeker

    # The mentee sees her recommendations, the best first, with the reasons in plain words.
    _log_in(page, mentee_user.email)
    page.get_by_role("link", name="Mon mentor·e", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon mentor·e")
    first = page.locator("article").first
    expect(first.get_by_role("heading")).to_have_text("Léa M.")
    expect(first).to_contain_text("Travaille comme Développeuse web, comme le métier que vous avez choisi")
    expect(page.get_by_text(mentor.user.email)).to_have_count(0)
    axe(page)
    screenshot(page, "mentoring-recommendations")

    first.get_by_role("link", name=re.compile("Demander cette personne")).click()
    page.get_by_label("Un petit mot pour vous présenter (facultatif)").fill(
        "Bonjour, le développement web m'attire."
    )
    axe(page)
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_text("Votre demande est envoyée.")).to_be_visible()
    request = enrolment.mentoring_requests.get()
    assert (request.mentor, request.status) == (mentor, RequestStatus.PENDING)
    _log_out(page)

    # The mentor logs in, finds the request and accepts it.
    _log_in(page, mentor.user.email)
    page.get_by_role("link", name="Mon espace mentor·e").click()
    page.get_by_role("link", name=re.compile("Voir et répondre")).click()
    expect(page.get_by_text("Bonjour, le développement web m'attire.")).to_be_visible()
    expect(page.get_by_text(mentee_user.email)).to_have_count(0)
    axe(page)
    screenshot(page, "mentoring-request")
    page.get_by_role("button", name="J'accepte d'accompagner cette personne").click()
    expect(page).to_have_url(re.compile(r"/mentorat/mentorats/[0-9a-f-]+/$"))  # accepted

    mentorship = Mentorship.objects.get()
    expect(page).to_have_url(re.compile(rf"/mentorat/mentorats/{mentorship.public_id}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentorat de Samira Benali avec Léa Martin")
    expect(page.get_by_role("link", name=mentee_user.email)).to_be_visible()
    axe(page)
    screenshot(page, "mentoring-mentorship")
    _log_out(page)

    # The mentee now sees the shared page too, with the mentor's contact details.
    _log_in(page, mentee_user.email)
    page.get_by_role("link", name="Mon mentor·e", exact=True).click()
    page.get_by_role("link", name="Ouvrir notre espace commun").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mentorat de Samira Benali avec Léa Martin")
    expect(page.get_by_role("link", name=mentor.user.email)).to_be_visible()
    assert browser_log.page_errors == []
