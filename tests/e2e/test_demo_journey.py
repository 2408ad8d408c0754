"""`make run`'s demo in a real browser: after `manage.py seed_demo`, the demo candidate signs in with
the documented password on a phone, finds her session running with every step open and her
progress, and books a workshop and a meeting with a training body at once."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from declics.accounts.demo import DEMO_PASSWORD
from programs.demo import DEMO_CANDIDATE, RUNNING_SLUG
from tests.e2e.conftest import MOBILE, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_demo_candidate_signs_in_and_acts_on_the_running_session(page, browser_log, axe, screenshot):
    call_command("seed_demo", stdout=StringIO())
    page.set_viewport_size(MOBILE)

    sign_in(page, DEMO_CANDIDATE, DEMO_PASSWORD)
    # A job seeker lands on "Mon parcours": the session running now.
    expect(page).to_have_url(re.compile(rf"/sessions/{RUNNING_SLUG}/parcours/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon parcours")
    expect(page.get_by_text("3 étapes terminées sur 6")).to_be_visible()
    # Every step open: each has its links, none waits for a date.
    for step in range(1, 7):
        expect(page.locator(f"#step-{step}-links").get_by_role("link")).not_to_have_count(0)
    expect(page.get_by_text("ouvre le")).to_have_count(0)
    axe(page)
    screenshot(page, "demo-pathway")

    page.locator("#step-4-links").get_by_role("link", name="Réserver un atelier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les ateliers en ligne")
    page.get_by_role("button", name=re.compile("^Réserver")).first.click()
    expect(page.get_by_text("C'est réservé !")).to_be_visible()

    page.goto(f"/sessions/{RUNNING_SLUG}/rencontres/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rencontrer les organismes de formation")
    page.get_by_role("button", name=re.compile("Réserver")).first.click()
    expect(page.get_by_text("C'est réservé !")).to_be_visible()
    axe(page)
    assert browser_log.page_errors == []
