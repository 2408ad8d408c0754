"""On a 360 px phone, the pathway links each open step to its page and the next action leads there."""

import pytest
from playwright.sync_api import expect

from programs.models import Step
from tests.factories import PASSWORD
from tests.programs.factories import EnrolmentFactory, OpenSessionFactory, lock_step
from tests.programs.role_models.factories import TalkFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
MOBILE = {"width": 360, "height": 740}


def test_job_seeker_follows_the_next_action_from_the_pathway_on_a_phone(page, axe, screenshot):
    session = OpenSessionFactory(title="DéClics Hérault", slug="declics-herault")
    lock_step(session, Step.JOBS)
    enrolment = EnrolmentFactory(session=session, job_seeker__first_name="Samira")
    TalkFactory(session=session, title="De la vente au support informatique")
    page.goto("/comptes/login/")
    page.locator("input[name=login]").fill(enrolment.job_seeker.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    page.set_viewport_size(MOBILE)

    page.goto(f"/sessions/{session.slug}/parcours/")

    expect(page.locator("#step-4-links").get_by_role("link")).to_have_text(["Réserver un atelier"])
    expect(page.locator("#step-6-links")).to_have_count(0)
    # Nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    axe(page)
    screenshot(page, "pathway-links")

    page.locator("#next-action-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rencontrer des modèles")
    expect(page.get_by_role("link", name="De la vente au support informatique")).to_be_visible()
