"""A visitor signs up, verifies their e-mail from the mailbox, and finds themselves logged in."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from declics.accounts.models import Role, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

EMAIL = "camille.durand@example.org"
PASSWORD = "Numerique-2025-declic"


def test_signup_journey_verifies_email_and_logs_in(page, live_server, browser_log, mailbox, axe, screenshot):
    # The home page: French, with its security headers, accessible, and screenshot at both widths.
    response = page.goto("/")
    assert response.status == 200
    csp = response.headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe(page)
    screenshot(page, "home")

    # To the sign-up form, from the home page's call to action.
    page.get_by_role("link", name="Je crée mon compte").click()
    expect(page).to_have_url(re.compile(r"/comptes/signup/$"))
    axe(page)

    page.get_by_label(re.compile(r"^\s*Prénom")).fill("Camille")
    page.get_by_label(re.compile(r"^\s*Nom\b")).fill("Durand")
    page.get_by_label(re.compile(r"courriel|e-?mail", re.IGNORECASE)).fill(EMAIL)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    expect(page.get_by_label("en recherche d'emploi")).to_be_checked()
    page.locator("main form[action$='/signup/'] [type=submit]").click()

    # "Verify your e-mail" page; the verification e-mail went through the outbox to the mailbox.
    expect(page).to_have_url(re.compile(r"/comptes/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Vérifiez votre adresse e-mail"))
    verification = mailbox.wait_for(to=EMAIL, subject="[DéClics]")
    links = [link for link in mailbox.links(verification) if "/comptes/confirm-email/" in link]
    assert len(links) == 1, verification.body
    assert links[0].startswith(live_server.url)
    assert not User.objects.get(email=EMAIL).emailaddress_set.filter(verified=True).exists()

    # The link shows a confirmation button (no state change on GET); confirming logs the visitor in.
    page.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Confirmer l.adresse e-mail"))
    page.get_by_role("button", name="Confirmer").click()

    expect(page).to_have_url(f"{live_server.url}/")
    account_link = page.get_by_role("link", name=re.compile(r"Mon compte\s*:\s*Camille"))
    expect(account_link).to_be_visible()
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    expect(page.get_by_role("link", name="Mon espace")).to_be_visible()
    screenshot(page, "logged-in-home")

    user = User.objects.get(email=EMAIL)
    assert (user.first_name, user.last_name, user.role) == ("Camille", "Durand", Role.JOB_SEEKER)
    assert EmailAddress.objects.filter(user=user, email=EMAIL, verified=True, primary=True).count() == 1
    # Confirming queues the welcome e-mail; it arrives the same way.
    welcome = mailbox.wait_for(to=EMAIL, subject="Bienvenue")
    assert welcome is not verification

    # Everything came from the live server; the CSP was never violated and no script failed.
    hosts = {re.match(r"https?://([^/]+)", url).group(1) for url in browser_log.requests}
    assert hosts == {live_server.url.split("//", 1)[1]}
    assert browser_log.blocked == []
    assert browser_log.csp_violations == []
    assert browser_log.page_errors == []
